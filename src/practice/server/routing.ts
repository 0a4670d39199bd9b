// Maps request paths to what they address: version and health endpoints, discovery documents,
// OpenAPI, or a resource (collection, object, subresource) in a served group version.
import { findResource, groupsInOrder, type ResourceDef, subresourcesOf } from '../resources.js';

/** ResourceRoute addresses a resource collection, object or subresource. */
export interface ResourceRoute {
  type: 'resource';
  def: ResourceDef;
  group: string;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Path after the subresource (proxy paths). */
  rest: string;
}

/** Route is what a path addresses. */
export type Route =
  | { type: 'version' | 'health' | 'apiVersions' | 'groupList' | 'openapiRoot' | 'openapiV2' | 'notFound' }
  | { type: 'group'; group: string }
  | { type: 'resourceList' | 'openapiGroupVersion'; group: string; version: string }
  | { type: 'extra'; group: string; version: string; rest: string }
  | { type: 'unknownResource'; group: string; version: string; resource: string }
  | ResourceRoute;

/** RouteOptions lets extra groups (metrics.k8s.io) claim their group versions. */
export interface RouteOptions {
  isExtraGroup: (group: string, version: string) => boolean;
}

function groupVersionServed(group: string, version: string): boolean {
  if (group === '') return version === 'v1';
  return groupsInOrder().some((g) => g.name === group && g.versions.includes(version));
}

function resourcePath(group: string, version: string, segs: string[]): Route {
  let namespace: string | undefined;
  let rest = segs;
  if (segs[0] === 'namespaces' && segs.length >= 3 && segs[2] !== 'status' && segs[2] !== 'finalize') {
    namespace = segs[1];
    rest = segs.slice(2);
  }
  const [resource, name, subresource, ...tail] = rest;
  if (!resource) return { type: 'resourceList', group, version };
  const def = findResource(group, version, resource);
  if (!def) return { type: 'unknownResource', group, version, resource };
  if (namespace !== undefined && !def.namespaced) return { type: 'notFound' };
  if (namespace === undefined && def.namespaced && name !== undefined) return { type: 'notFound' };
  if (subresource !== undefined && !subresourcesOf(def).includes(subresource)) return { type: 'notFound' };
  if (tail.length && subresource !== 'proxy') return { type: 'notFound' };
  return { type: 'resource', def, group, version, namespace, name, subresource, rest: tail.join('/') };
}

/** route parses a URL path (without query). */
export function route(pathname: string, options: RouteOptions): Route {
  if (pathname === '/version' || pathname === '/version/') return { type: 'version' };
  if (/^\/(healthz|readyz|livez)(\/.*)?$/.test(pathname)) return { type: 'health' };
  if (pathname === '/openapi/v3' || pathname === '/openapi/v3/') return { type: 'openapiRoot' };
  if (pathname === '/openapi/v2') return { type: 'openapiV2' };
  let segs: string[];
  try {
    segs = pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return { type: 'notFound' };
  }
  if (segs[0] === 'openapi' && segs[1] === 'v3') {
    if (segs[2] === 'api' && segs[3] === 'v1' && segs.length === 4)
      return { type: 'openapiGroupVersion', group: '', version: 'v1' };
    if (segs[2] === 'apis' && segs.length === 5 && groupVersionServed(segs[3]!, segs[4]!)) {
      return { type: 'openapiGroupVersion', group: segs[3]!, version: segs[4]! };
    }
    return { type: 'notFound' };
  }
  if (segs[0] === 'api') {
    if (segs.length === 1) return { type: 'apiVersions' };
    if (segs[1] !== 'v1') return { type: 'notFound' };
    return resourcePath('', 'v1', segs.slice(2));
  }
  if (segs[0] === 'apis') {
    if (segs.length === 1) return { type: 'groupList' };
    const group = segs[1]!;
    const version = segs[2];
    if (version === undefined) {
      return groupsInOrder().some((g) => g.name === group) || options.isExtraGroup(group, '')
        ? { type: 'group', group }
        : { type: 'notFound' };
    }
    if (options.isExtraGroup(group, version)) {
      return { type: 'extra', group, version, rest: segs.slice(3).join('/') };
    }
    if (!groupVersionServed(group, version)) return { type: 'notFound' };
    return resourcePath(group, version, segs.slice(3));
  }
  return { type: 'notFound' };
}
