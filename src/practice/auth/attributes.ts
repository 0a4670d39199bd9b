// What a request asks to do, from its method, path and query alone, as upstream's
// RequestInfoFactory reads it (before routing, so even unknown paths are authorized first):
// `GET /api/v1/namespaces/dev/pods?watch=1` is verb watch on resource pods in namespace dev;
// `/apis/apps/v1` or `/healthz` are non-resource paths.
import type { Attributes } from './rbac.js';

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

function nonResource(method: string, path: string): Attributes {
  return { verb: method === 'HEAD' ? 'get' : method.toLowerCase(), resourceRequest: false, path };
}

/** requestAttributes derives the attributes of a request for the authorizer. */
export function requestAttributes(method: string, url: URL): Attributes {
  const path = url.pathname;
  let parts: string[];
  try {
    parts = path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return nonResource(method, path);
  }
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource(method, path);
  let rest = parts.slice(1);
  let apiGroup = '';
  if (prefix === 'apis') {
    if (rest.length < 3) return nonResource(method, path);
    apiGroup = rest[0]!;
    rest = rest.slice(1);
  }
  rest = rest.slice(1); // the version
  if (rest.length === 0) return nonResource(method, path);
  let verb = METHOD_VERBS[method] ?? '';
  let special = false;
  if (rest[0] === 'watch' || rest[0] === 'proxy') {
    verb = rest[0];
    special = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  const a: Attributes = { verb, resourceRequest: true, apiGroup, resource: rest[0], namespace };
  if (rest.length >= 2) a.name = rest[1];
  if (rest.length >= 3 && !(special && verb === 'proxy')) a.subresource = rest[2];
  if (!a.name && verb === 'get') {
    const watch = url.searchParams.get('watch');
    a.verb = watch === 'true' || watch === '1' ? 'watch' : 'list';
    const m = /^metadata\.name==?([^,]+)$/.exec(url.searchParams.get('fieldSelector') ?? '');
    if (m) a.name = m[1];
  }
  if (!a.name && verb === 'delete') a.verb = 'deletecollection';
  return a;
}
