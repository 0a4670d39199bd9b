// DELETE on objects and collections: preconditions, propagation (Background, Foreground,
// Orphan), and namespaces, which go Terminating first and disappear once the namespace
// controller has removed their contents.
import { ApiError, conflict } from '../api-error.js';
import { findDependents } from '../controllers/gc.js';
import { apiVersionOf, storageKey } from '../resources.js';
import { selectorPredicate } from '../selectors.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { isJsonObject, type JsonObject } from '../types.js';
import type { Reply, Request, ServerContext } from './context.js';
import { checkFieldSelector } from './field-labels.js';
import { getStored, view } from './objects.js';
import type { ResourceRoute } from './routing.js';

const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];

interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy: 'Background' | 'Foreground' | 'Orphan';
  preconditions: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

function readOptions(req: Request): DeleteOptions {
  let body: JsonObject = {};
  if (req.body.length && req.body[0] === 0x7b) {
    try {
      const parsed = JSON.parse(req.body.toString('utf8')) as unknown;
      if (isJsonObject(parsed)) body = parsed;
    } catch {
      throw new ApiError(400, 'BadRequest', 'the body of the request was in an unknown format');
    }
  }
  const q = req.url.searchParams;
  let policy = String(q.get('propagationPolicy') ?? body.propagationPolicy ?? '');
  if (!policy) {
    if (body.orphanDependents === true || q.get('orphanDependents') === 'true') policy = 'Orphan';
    else policy = 'Background';
  }
  if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw new ApiError(
      422,
      'Invalid',
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    );
  }
  const pre = isJsonObject(body.preconditions) ? body.preconditions : {};
  const dry = Array.isArray(body.dryRun) ? body.dryRun.includes('All') : q.get('dryRun') === 'All';
  const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  return {
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    preconditions: {
      uid: pre.uid as string | undefined,
      resourceVersion: pre.resourceVersion as string | undefined,
    },
    dryRun: dry,
  };
}

function deleteNamespace(store: ObjectStore, ns: KubeObject, opts: DeleteOptions): KubeObject {
  const name = ns.metadata.name ?? '';
  if (PROTECTED_NAMESPACES.includes(name)) {
    throw new ApiError(
      403,
      'Forbidden',
      `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      { name, kind: 'namespaces' },
    );
  }
  if (ns.metadata.deletionTimestamp) {
    throw conflict(
      'namespaces',
      '',
      name,
      'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
    );
  }
  if (opts.preconditions.uid && opts.preconditions.uid !== ns.metadata.uid) {
    throw conflict(
      'namespaces',
      '',
      name,
      `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${ns.metadata.uid}`,
    );
  }
  const next = structuredClone(ns);
  next.metadata.deletionTimestamp = store.timestamp();
  next.status = { ...((next.status as JsonObject) ?? {}), phase: 'Terminating' };
  if (opts.dryRun) return next;
  return store.update('namespaces', next);
}

function gracefulPodDelete(store: ObjectStore, pod: KubeObject, opts: DeleteOptions): KubeObject | undefined {
  const spec = (pod.spec ?? {}) as JsonObject;
  const grace = opts.gracePeriodSeconds ?? (spec.terminationGracePeriodSeconds as number | undefined) ?? 30;
  if (!spec.nodeName || grace <= 0) return undefined;
  if (pod.metadata.deletionTimestamp) return pod;
  const next = structuredClone(pod);
  next.metadata.deletionTimestamp = `${new Date(Date.now() + grace * 1000).toISOString().slice(0, 19)}Z`;
  next.metadata.deletionGracePeriodSeconds = grace;
  return store.update('pods', next);
}

/**
 * removeObject deletes one stored object with a propagation policy; with `graceful`, a pod bound
 * to a node is only marked (its kubelet finishes the deletion).
 */
export function removeObject(
  store: ObjectStore,
  key: string,
  o: KubeObject,
  opts: DeleteOptions,
  graceful = false,
): KubeObject {
  if (key === 'namespaces') return deleteNamespace(store, o, opts);
  if (opts.dryRun) return o;
  if (graceful && key === 'pods') {
    const marked = gracefulPodDelete(store, o, opts);
    if (marked) return marked;
  }
  const uid = o.metadata.uid ?? '';
  if (opts.propagationPolicy === 'Orphan') {
    for (const dep of findDependents(store, uid)) {
      const next = structuredClone(dep.object);
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
      store.update(dep.resource, next);
    }
  } else if (opts.propagationPolicy === 'Foreground' && findDependents(store, uid).length) {
    const next = structuredClone(o);
    next.metadata.finalizers = [...new Set([...(next.metadata.finalizers ?? []), 'foregroundDeletion'])];
    store.update(key, next);
  }
  return store.delete(key, o.metadata.namespace, o.metadata.name ?? '', opts.preconditions).object;
}

/** deleteObject answers DELETE on one object. */
export function deleteObject(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  const opts = readOptions(req);
  const o = getStored(ctx, route);
  const key = storageKey(route.def);
  const gone = removeObject(ctx.store, key, o, opts, ctx.extensions.gracefulDeletion.has(key));
  const pending = opts.dryRun
    ? !!o.metadata.finalizers?.length
    : ctx.store.get(key, o.metadata.namespace, o.metadata.name ?? '') !== undefined;
  // Upstream answers an object that is gone at once with a Status naming it, except for the
  // kinds whose storage returns the deleted object (ReturnDeletedObject); one still finishing
  // (finalizers, graceful pod deletion, a terminating namespace) is returned as it now is.
  if (pending || RETURNS_DELETED_OBJECT.has(key)) return { status: 200, body: view(route, gone) };
  const details: JsonObject = { name: o.metadata.name };
  if (route.def.group) details.group = route.def.group;
  details.kind = route.def.resource;
  details.uid = o.metadata.uid;
  return {
    status: 200,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details },
  };
}

const RETURNS_DELETED_OBJECT = new Set([
  'pods',
  'services',
  'serviceaccounts',
  'namespaces',
  'storageclasses.storage.k8s.io',
  'customresourcedefinitions.apiextensions.k8s.io',
]);

/** deleteCollection answers DELETE on a collection (deletecollection). */
export function deleteCollection(ctx: ServerContext, req: Request, route: ResourceRoute): Reply {
  if (route.def.resource === 'namespaces') {
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const opts = readOptions(req);
  const q = req.url.searchParams;
  checkFieldSelector(route.def, q.get('fieldSelector'));
  const predicate = selectorPredicate(
    q.get('labelSelector') ?? undefined,
    q.get('fieldSelector') ?? undefined,
  );
  const key = storageKey(route.def);
  const items: KubeObject[] = [];
  for (const o of ctx.store.list(key, { namespace: route.namespace, predicate }).items) {
    try {
      items.push(
        view(route, removeObject(ctx.store, key, o, opts, ctx.extensions.gracefulDeletion.has(key))),
      );
    } catch {
      // An object removed meanwhile (garbage collection) is not an error for the collection.
    }
  }
  return {
    status: 200,
    body: {
      kind: `${route.def.kind}List`,
      apiVersion: apiVersionOf(route.group, route.version),
      metadata: { resourceVersion: ctx.store.resourceVersion },
      items,
    },
  };
}
