// Writing through the API's pipeline from inside the process: what a controller uses when an
// object should be defaulted, validated and field-managed exactly as if kubectl had sent it (a
// ReplicaSet controller creating pods from a template, an HPA writing scale). Plain store writes
// skip all of that, which is right for status updates and bookkeeping.
import { findByKind } from './resources.js';
import type { ResourceRoute } from './server/routing.js';
import { createObject, updateObject, type WriteParams } from './server/write.js';
import type { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';

function routeFor(obj: KubeObject): ResourceRoute {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const def = findByKind(obj.apiVersion, obj.kind);
  if (!def) throw new Error(`practice api: no resource for ${obj.apiVersion} ${obj.kind}`);
  return {
    type: 'resource',
    def,
    group: group!,
    version: version!,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    rest: '',
  };
}

const params = (manager: string): WriteParams => ({ manager, fieldValidation: 'Strict', dryRun: false });

/**
 * apiCreate creates an object as a POST would: defaults (e.g. a pod's serviceAccountName,
 * tolerations, phase Pending), validation (throws a 422 ApiError), managedFields for `manager`.
 */
export function apiCreate(store: ObjectStore, obj: KubeObject, manager: string): KubeObject {
  return createObject(store, routeFor(obj), structuredClone(obj), params(manager));
}

/** apiUpdate replaces an object as a PUT would (status kept from the stored object). */
export function apiUpdate(store: ObjectStore, obj: KubeObject, manager: string): KubeObject {
  const route = routeFor(obj);
  const key = route.def.group ? `${route.def.resource}.${route.def.group}` : route.def.resource;
  const old = store.mustGet(key, obj.metadata.namespace, obj.metadata.name ?? '');
  return updateObject(store, route, structuredClone(obj), old, params(manager));
}
