// The REST verbs on a resource route: get, list, watch, create, update, patch (merge, JSON,
// strategic, apply) and the subresources. Deletion is in delete.ts.
import { ApiError, badRequest } from '../api-error.js';
import { handleReview } from '../auth/reviews.js';
import { apiVersionOf, storageKey } from '../resources.js';
import { rootType } from '../schema/index.js';
import { selectorPredicate } from '../selectors.js';
import type { KubeObject } from '../types.js';
import { serverSideApply } from './apply.js';
import { decodeObject, mediaType, parseJson, parseYamlBody } from './body.js';
import type { Reply, Request, ServerContext } from './context.js';
import { deleteCollection, deleteObject } from './delete.js';
import { checkFieldSelector } from './field-labels.js';
import { getStored, view } from './objects.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import type { ResourceRoute } from './routing.js';
import { handleSubresource } from './subresources.js';
import { toTable, wantsTable } from './tables.js';
import { serveWatch } from './watch.js';
import { checkDecoded, createObject, placeInNamespace, updateObject, writeParams } from './write.js';

function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource`,
    {},
  );
}

/** handleResource dispatches a request on a resource route. */
export async function handleResource(
  ctx: ServerContext,
  req: Request,
  route: ResourceRoute,
): Promise<Reply | undefined> {
  if (route.subresource) return handleSubresource(ctx, req, route);
  if (route.def.review) return review(ctx, req, route);
  const m = req.method;
  if (route.name === undefined) {
    if (m === 'GET') return listOrWatch(ctx, req, route);
    if (m === 'POST') return create(ctx, req, route);
    if (m === 'DELETE') return deleteCollection(ctx, req, route);
    throw methodNotAllowed();
  }
  if (m === 'GET') {
    const o = view(route, getStored(ctx, route));
    if (wantsTable(req.headers.accept)) {
      return {
        status: 200,
        body: toTable(
          route.def,
          [o],
          { resourceVersion: o.metadata.resourceVersion ?? '' },
          req.url.searchParams.get('includeObject'),
        ),
      };
    }
    return { status: 200, body: o };
  }
  if (m === 'PUT') return update(ctx, req, route);
  if (m === 'PATCH') return patch(ctx, req, route);
  if (m === 'DELETE') return deleteObject(ctx, req, route);
  throw methodNotAllowed();
}

function listOrWatch(ctx: ServerContext, req: Request, route: ResourceRoute): Reply | undefined {
  const q = req.url.searchParams;
  checkFieldSelector(route.def, q.get('fieldSelector'));
  const predicate = selectorPredicate(
    q.get('labelSelector') ?? undefined,
    q.get('fieldSelector') ?? undefined,
  );
  const asTable = wantsTable(req.headers.accept);
  if (q.get('watch') === 'true' || q.get('watch') === '1') {
    serveWatch(ctx, req, route, {
      storageKey: storageKey(route.def),
      predicate,
      resourceVersion: q.get('resourceVersion'),
      bookmarks: q.get('allowWatchBookmarks') === 'true',
      timeoutSeconds: Number(q.get('timeoutSeconds') ?? 1800) || 1800,
      asTable,
      includeObject: q.get('includeObject'),
      convert: (o) => view(route, o),
    });
    return undefined;
  }
  const limit = Number(q.get('limit') ?? 0);
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit: ${q.get('limit')}`);
  let result: ReturnType<typeof ctx.store.list>;
  try {
    result = ctx.store.list(storageKey(route.def), {
      namespace: route.namespace,
      predicate,
      limit: limit || undefined,
      continue: q.get('continue') ?? undefined,
    });
  } catch {
    throw new ApiError(
      410,
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
  }
  const meta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) {
    meta.continue = result.continue;
    meta.remainingItemCount = result.remainingItemCount;
  }
  const items = result.items.map((o) => view(route, o));
  if (asTable) {
    return {
      status: 200,
      body: toTable(route.def, items, meta as { resourceVersion: string }, q.get('includeObject')),
    };
  }
  // Stored objects are frozen, so each one's JSON can be cached and lists joined from the pieces.
  const head = JSON.stringify({
    kind: `${route.def.kind}List`,
    apiVersion: apiVersionOf(route.group, route.version),
    metadata: meta,
  });
  const body = `${head.slice(0, -1)},"items":[${items.map(jsonOf).join(',')}]}`;
  return { status: 200, body, contentType: 'application/json' };
}

const jsonCache = new WeakMap<object, string>();

/** jsonOf serializes an object once: frozen store objects never change. */
function jsonOf(o: KubeObject): string {
  let text = jsonCache.get(o);
  if (text === undefined) {
    text = JSON.stringify(o);
    if (Object.isFrozen(o)) jsonCache.set(o, text);
  }
  return text;
}

// Access, rules, subject and token reviews: answered at once from the authorizer, never stored.
function review(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  if (req.method !== 'POST' || route.name !== undefined) throw methodNotAllowed();
  return handleReview(ctx.auth, {
    def: route.def,
    namespace: route.namespace,
    body: req.body,
    contentType: req.headers['content-type'],
    identity: req.identity!,
  });
}

function create(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  const p = writeParams(req);
  const obj = decodeObject(req.body, req.headers['content-type']);
  checkDecoded(route, obj, req, p.fieldValidation);
  placeInNamespace(route, obj);
  const created = createObject(ctx.store, route, obj as KubeObject, p);
  return { status: 201, body: view(route, created) };
}

function update(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  const p = writeParams(req);
  const obj = decodeObject(req.body, req.headers['content-type']);
  checkDecoded(route, obj, req, p.fieldValidation);
  const meta = (obj.metadata ?? {}) as { name?: string };
  if (meta.name !== route.name) {
    throw badRequest(
      `the name of the object (${meta.name ?? ''}) does not match the name on the URL (${route.name})`,
    );
  }
  placeInNamespace(route, obj);
  const old = getStored(ctx, route);
  return { status: 200, body: view(route, updateObject(ctx.store, route, obj as KubeObject, old, p)) };
}

/** patchBody applies a non-apply patch of the request's content type to `current`. */
export function patchBody(req: Request, current: KubeObject, typeName: string | undefined): KubeObject {
  const type = mediaType(req.headers['content-type']);
  if (type === 'application/merge-patch+json') return mergePatch(current, parseJson(req.body)) as KubeObject;
  if (type === 'application/json-patch+json') return jsonPatch(current, parseJson(req.body)) as KubeObject;
  if (type === 'application/strategic-merge-patch+json') {
    return strategicMergePatch(current, parseJson(req.body), typeName ?? '') as KubeObject;
  }
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
  );
}

function patch(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  const p = writeParams(req);
  const apiVersion = apiVersionOf(route.group, route.version);
  const typeName = rootType(apiVersion, route.def.kind);
  if (mediaType(req.headers['content-type']) === 'application/apply-patch+yaml')
    return apply(ctx, req, route, p, typeName);
  const old = getStored(ctx, route);
  const patched = patchBody(req, structuredClone(view(route, old)), typeName);
  checkDecoded(route, patched, req, p.fieldValidation);
  const meta = patched.metadata ?? {};
  if (meta.name !== route.name)
    throw badRequest(`metadata.name: Invalid value: "${meta.name ?? ''}": field is immutable`);
  placeInNamespace(route, patched);
  return { status: 200, body: view(route, updateObject(ctx.store, route, patched, old, p)) };
}

function apply(
  ctx: ServerContext,
  req: Request,
  route: ResourceRoute,
  p: ReturnType<typeof writeParams>,
  typeName: string | undefined,
): Reply {
  if (!req.url.searchParams.get('fieldManager')) {
    throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
  }
  const force = req.url.searchParams.get('force') === 'true';
  const applied = parseYamlBody(req.body);
  if (typeof applied !== 'object' || applied === null || Array.isArray(applied))
    throw badRequest('apply patch must be an object');
  const obj = applied as KubeObject;
  checkDecoded(route, obj, req, p.fieldValidation, true);
  const meta = obj.metadata ?? {};
  if (meta.name !== route.name) {
    throw badRequest(
      `the name of the object (${meta.name ?? ''}) does not match the name on the URL (${route.name})`,
    );
  }
  placeInNamespace(route, obj);
  const old = ctx.store.get(storageKey(route.def), route.namespace, route.name!);
  const apiVersion = apiVersionOf(route.group, route.version);
  const live = old ? view(route, old) : undefined;
  const merged = serverSideApply(live, obj, { manager: p.manager, force, typeName, apiVersion });
  if (!old) {
    const created = createObject(ctx.store, route, merged, p, true);
    return { status: 201, body: view(route, created) };
  }
  merged.metadata.resourceVersion = old.metadata.resourceVersion;
  const updated = updateObject(ctx.store, route, merged, old, p, { managed: true });
  return { status: 200, body: view(route, updated) };
}
