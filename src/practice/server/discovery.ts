// Discovery documents: /version, /api, /apis, /apis/<group>, /api/v1 and /apis/<group>/<version>.
// kubectl asks for aggregated discovery first; the plain documents here are its fallback.
import type { ExtraGroup } from '../extensions.js';
import { apiVersionOf, groupsInOrder, RESOURCES, subresourcesOf, verbsOf } from '../resources.js';

/** SERVER_VERSION is what /version reports; the minor picks the dispatcher's bundled kubectl. */
export const SERVER_VERSION = {
  major: '1',
  minor: '33',
  emulationMajor: '1',
  emulationMinor: '33',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '32',
  gitVersion: 'v1.33.1',
  gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T08:19:08Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** apiVersions is the /api document. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** groupList is the /apis document. */
export function groupList(extra: ExtraGroup[]): Record<string, unknown> {
  const groups = groupsInOrder().map((g) => groupEntry(g.name, g.versions));
  for (const e of extra) groups.push(groupEntry(e.group, [e.version]));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** apiGroup is the /apis/<group> document. */
export function apiGroup(group: string, extra: ExtraGroup[]): Record<string, unknown> {
  const served = groupsInOrder().find((g) => g.name === group);
  const versions = served?.versions ?? extra.filter((e) => e.group === group).map((e) => e.version);
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) };
}

const SUBRESOURCE_INFO: Record<string, { kind?: string; verbs: string[]; group?: string; version?: string }> =
  {
    status: { verbs: ['get', 'patch', 'update'] },
    scale: { kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' },
    eviction: { kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
    token: { kind: 'TokenRequest', verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' },
    log: { kind: 'Pod', verbs: ['get'] },
    finalize: { verbs: ['update'] },
    proxy: { verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
    attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    ephemeralcontainers: { kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  };

/** resourceList is the /api/v1 or /apis/<group>/<version> document. */
export function resourceList(group: string, version: string, extra: ExtraGroup[]): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const def of RESOURCES) {
    if (def.group !== group || !def.versions.includes(version)) continue;
    const entry: Record<string, unknown> = {
      name: def.resource,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: verbsOf(def),
    };
    if (def.shortNames) entry.shortNames = def.shortNames;
    if (def.categories) entry.categories = def.categories;
    resources.push(entry);
    for (const sub of subresourcesOf(def)) {
      const info = SUBRESOURCE_INFO[sub]!;
      const s: Record<string, unknown> = {
        name: `${def.resource}/${sub}`,
        singularName: '',
        namespaced: def.namespaced,
        kind: sub === 'proxy' ? `${def.kind}ProxyOptions` : (info.kind ?? def.kind),
        verbs: info.verbs,
      };
      if (info.group) {
        s.group = info.group;
        s.version = info.version;
      }
      resources.push(s);
    }
  }
  for (const e of extra) {
    if (e.group !== group || e.version !== version) continue;
    for (const r of e.resources) {
      resources.push({
        name: r.resource,
        singularName: '',
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}

/** AGGREGATED_V2 is the media type of aggregated discovery (apidiscovery.k8s.io/v2). */
export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** wantsAggregated tells whether an Accept header asks for aggregated discovery v2 first. */
export function wantsAggregated(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  return first.includes('g=apidiscovery.k8s.io') && first.includes('v=v2') && !first.includes('v2beta1');
}

function versionEntry(group: string, version: string, extra: ExtraGroup[]): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const def of RESOURCES) {
    if (def.group !== group || !def.versions.includes(version)) continue;
    const entry: Record<string, unknown> = {
      resource: def.resource,
      responseKind: { group, version, kind: def.kind },
      scope: def.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: def.singular,
      verbs: verbsOf(def),
    };
    if (def.shortNames) entry.shortNames = def.shortNames;
    if (def.categories) entry.categories = def.categories;
    const subs = subresourcesOf(def).map((sub) => {
      const info = SUBRESOURCE_INFO[sub]!;
      const kind = sub === 'proxy' ? `${def.kind}ProxyOptions` : (info.kind ?? def.kind);
      return {
        subresource: sub,
        responseKind: { group: info.group ?? group, version: info.version ?? version, kind },
        verbs: info.verbs,
      };
    });
    if (subs.length) entry.subresources = subs;
    resources.push(entry);
  }
  for (const e of extra) {
    if (e.group !== group || e.version !== version) continue;
    for (const r of e.resources) {
      resources.push({
        resource: r.resource,
        responseKind: { group, version, kind: r.kind },
        scope: r.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: r.resource,
        verbs: r.verbs,
      });
    }
  }
  return { version, resources, freshness: 'Current' };
}

/** aggregatedDiscovery is /api (core) or /apis (groups) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(core: boolean, extra: ExtraGroup[]): Record<string, unknown> {
  const items = core
    ? [{ metadata: { name: '' }, versions: [versionEntry('', 'v1', extra)] }]
    : [
        ...groupsInOrder().map((g) => ({
          metadata: { name: g.name },
          versions: g.versions.map((v) => versionEntry(g.name, v, extra)),
        })),
        ...extra.map((e) => ({
          metadata: { name: e.group },
          versions: [versionEntry(e.group, e.version, extra)],
        })),
      ];
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
