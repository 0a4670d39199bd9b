// Subresources: `*/status` and `*/scale` are served here; `pods/log`, `*/proxy` go to the
// handlers part 2 registers (Extensions.registerSubresource), with plain defaults until then.
import { ApiError, invalid } from '../api-error.js';
import { apiVersionOf } from '../resources.js';
import { rootType } from '../schema/index.js';
import type { KubeObject } from '../types.js';
import { isJsonObject, type JsonObject } from '../types.js';
import { serverSideApply } from './apply.js';
import { decodeObject, mediaType, parseYamlBody } from './body.js';
import type { Reply, Request, ServerContext } from './context.js';
import { FieldErrors } from './field-errors.js';
import { getStored, view } from './objects.js';
import { patchBody } from './rest.js';
import type { ResourceRoute } from './routing.js';
import { checkDecoded, updateObject, writeParams } from './write.js';

function selectorString(sel: unknown): string {
  const s = isJsonObject(sel) ? sel : {};
  const parts = Object.entries(isJsonObject(s.matchLabels) ? s.matchLabels : {}).map(([k, v]) => `${k}=${v}`);
  for (const e of Array.isArray(s.matchExpressions) ? s.matchExpressions : []) {
    const x = e as { key: string; operator: string; values?: string[] };
    const op = { In: 'in', NotIn: 'notin' }[x.operator];
    if (op) parts.push(`${x.key} ${op} (${(x.values ?? []).join(',')})`);
    else parts.push(x.operator === 'Exists' ? x.key : `!${x.key}`);
  }
  return parts.join(',');
}

/** scaleOf is the autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
export function scaleOf(o: KubeObject): KubeObject {
  const spec = (o.spec ?? {}) as JsonObject;
  const status = (o.status ?? {}) as JsonObject;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
  };
}

function scale(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  const old = getStored(ctx, route);
  if (req.method === 'GET') return { status: 200, body: scaleOf(old) };
  const p = writeParams(req);
  let next: KubeObject;
  const scaleRoute = { ...route, group: 'autoscaling', version: 'v1' };
  if (req.method === 'PUT') {
    next = decodeObject(req.body, req.headers['content-type'] ?? 'application/json') as KubeObject;
  } else if (req.method === 'PATCH') {
    next = patchBody(req, scaleOf(old), 'V1Scale');
  } else
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  checkDecoded(scaleRoute, next, req, p.fieldValidation, false, 'Scale');
  const replicas = (next.spec as JsonObject | undefined)?.replicas;
  if (typeof replicas !== 'number' || replicas < 0) {
    const errs = new FieldErrors();
    errs.invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0');
    throw invalid('Scale', 'autoscaling', route.name!, errs.causes);
  }
  const target = structuredClone(view(route, old));
  (target.spec as JsonObject).replicas = replicas;
  target.metadata.resourceVersion = next.metadata?.resourceVersion || undefined;
  const updated = updateObject(ctx.store, route, target, old, p);
  return { status: 200, body: scaleOf(updated) };
}

function status(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  const old = getStored(ctx, route);
  if (req.method === 'GET') return { status: 200, body: view(route, old) };
  const p = writeParams(req);
  const typeName = rootType(apiVersionOf(route.group, route.version), route.def.kind);
  let next: KubeObject;
  if (req.method === 'PUT') {
    next = decodeObject(req.body, req.headers['content-type']) as KubeObject;
    checkDecoded(route, next, req, p.fieldValidation);
  } else if (
    req.method === 'PATCH' &&
    mediaType(req.headers['content-type']) === 'application/apply-patch+yaml'
  ) {
    const applied = parseYamlBody(req.body) as KubeObject;
    checkDecoded(route, applied, req, p.fieldValidation, true);
    next = serverSideApply(view(route, old), applied, {
      manager: p.manager,
      force: true,
      typeName,
      apiVersion: apiVersionOf(route.group, route.version),
    });
  } else if (req.method === 'PATCH') {
    next = patchBody(req, structuredClone(view(route, old)), typeName);
    checkDecoded(route, next, req, p.fieldValidation);
  } else
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  const updated = updateObject(ctx.store, route, next, old, p, { subresource: 'status' });
  return { status: 200, body: view(route, updated) };
}

// Fields an ephemeral container may not set (upstream's validateEphemeralContainers).
const NOT_ALLOWED_IN_EPHEMERAL = [
  'ports',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'resources',
];

/**
 * ephemeralContainers serves `pods/<name>/ephemeralcontainers` (what `kubectl debug` patches):
 * only spec.ephemeralContainers changes, and only by adding containers.
 */
function ephemeralContainers(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  const old = getStored(ctx, route);
  if (req.method === 'GET') return { status: 200, body: view(route, old) };
  const p = writeParams(req);
  const typeName = rootType(apiVersionOf(route.group, route.version), route.def.kind);
  let next: KubeObject;
  if (req.method === 'PUT') next = decodeObject(req.body, req.headers['content-type']) as KubeObject;
  else if (
    req.method === 'PATCH' &&
    mediaType(req.headers['content-type']) !== 'application/apply-patch+yaml'
  )
    next = patchBody(req, structuredClone(view(route, old)), typeName);
  else
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  checkDecoded(route, next, req, p.fieldValidation);
  const oldSpec = (old.spec ?? {}) as JsonObject;
  const given = ((next.spec as JsonObject | undefined)?.ephemeralContainers ?? []) as JsonObject[];
  const before = (oldSpec.ephemeralContainers ?? []) as JsonObject[];
  const errs = new FieldErrors();
  const names = new Set(
    ['containers', 'initContainers'].flatMap((k) =>
      ((oldSpec[k] ?? []) as JsonObject[]).map((c) => String(c.name)),
    ),
  );
  const regular = new Set(((oldSpec.containers ?? []) as JsonObject[]).map((c) => String(c.name)));
  given.forEach((c, i) => {
    const path = `spec.ephemeralContainers[${i}]`;
    const name = String(c.name ?? '');
    if (!name) errs.required(`${path}.name`);
    else if (names.has(name)) errs.duplicate(`${path}.name`, name);
    names.add(name);
    if (!c.image) errs.required(`${path}.image`);
    for (const f of NOT_ALLOWED_IN_EPHEMERAL)
      if (c[f] !== undefined && !(f === 'resources' && Object.keys(c[f] as JsonObject).length === 0))
        errs.forbidden(`${path}.${f}`, 'cannot be set for an Ephemeral Container');
    if (c.targetContainerName !== undefined && !regular.has(String(c.targetContainerName)))
      errs.notFound(`${path}.targetContainerName`, c.targetContainerName);
  });
  for (const b of before) {
    const now = given.find((c) => c.name === b.name);
    if (!now)
      errs.forbidden(
        'spec.ephemeralContainers',
        `existing ephemeral containers "${b.name}" may not be removed`,
      );
    else if (JSON.stringify(withEphemeralDefaults(now)) !== JSON.stringify(b))
      errs.forbidden(
        'spec.ephemeralContainers',
        `existing ephemeral containers "${b.name}" may not be changed`,
      );
  }
  if (!errs.empty) throw invalid('Pod', '', route.name!, errs.causes);
  const target = structuredClone(old);
  (target.spec as JsonObject).ephemeralContainers = given.map(withEphemeralDefaults);
  target.metadata.resourceVersion = next.metadata?.resourceVersion || undefined;
  const updated = updateObject(ctx.store, route, target, old, p);
  return { status: 200, body: view(route, updated) };
}

// The API server's container defaults, for an ephemeral container.
function withEphemeralDefaults(c: JsonObject): JsonObject {
  const out: JsonObject = { ...c };
  const image = String(c.image ?? '');
  const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
  out.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
  out.terminationMessagePath ??= '/dev/termination-log';
  out.terminationMessagePolicy ??= 'File';
  out.resources ??= {};
  return out;
}

function finalize(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  const old = getStored(ctx, route);
  if (req.method !== 'PUT') return { status: 200, body: old };
  const next = decodeObject(req.body, req.headers['content-type']) as KubeObject;
  const updated = structuredClone(old);
  (updated.spec as JsonObject).finalizers =
    ((next.spec as JsonObject | undefined)?.finalizers as string[]) ?? [];
  return { status: 200, body: ctx.store.update('namespaces', updated) };
}

/** handleSubresource answers a request on `<resource>/<name>/<sub>`. */
export async function handleSubresource(
  ctx: ServerContext,
  req: Request,
  route: ResourceRoute,
): Promise<Reply | undefined> {
  const sub = route.subresource!;
  if (sub === 'status') return status(ctx, req, route);
  if (sub === 'scale') return scale(ctx, req, route);
  if (sub === 'finalize') return finalize(ctx, req, route);
  if (sub === 'ephemeralcontainers' && route.def.resource === 'pods')
    return ephemeralContainers(ctx, req, route);
  const handler = ctx.extensions.subresourceHandler(route.def.resource, sub);
  // proxy names may carry a scheme and port: `https:web:443`.
  const parts = route.name!.split(':');
  const name = parts.length === 3 ? parts[1]! : parts[0]!;
  const object = ctx.store.get(
    route.def.group ? `${route.def.resource}.${route.def.group}` : route.def.resource,
    route.namespace,
    name,
  );
  if (!object)
    throw new ApiError(404, 'NotFound', `${route.def.resource} "${name}" not found`, {
      name,
      kind: route.def.resource,
    });
  if (handler) {
    const result = await handler({
      method: req.method,
      def: route.def,
      version: route.version,
      namespace: route.namespace,
      name: route.name!,
      subresource: sub,
      rest: route.rest,
      query: req.url.searchParams,
      headers: req.headers,
      body: req.body,
      store: ctx.store,
      response: req.response,
    });
    if (!result) return undefined;
    return { status: result.status ?? 200, body: result.body, contentType: result.contentType };
  }
  if (sub === 'log') return { status: 200, body: '', contentType: 'text/plain' };
  if (route.def.resource === 'services') {
    throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
  }
  throw new ApiError(
    503,
    'ServiceUnavailable',
    `the practice cluster runs no containers: nothing answers ${route.def.resource}/${name}/${sub}`,
  );
}
