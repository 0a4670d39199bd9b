// The garbage collector: when an owner disappears, its dependents (objects whose
// ownerReferences all point at missing owners) are deleted in the background; an owner marked
// with the `foregroundDeletion` finalizer loses the finalizer once its dependents are gone.
import type { Controller } from '../extensions.js';
import type { ObjectStore, StoreEvent } from '../store.js';
import type { KubeObject } from '../types.js';

/** Dependent is a stored object that names an owner, with its store key. */
export interface Dependent {
  resource: string;
  object: KubeObject;
}

/** findDependents lists the objects whose ownerReferences include `uid`. */
export function findDependents(store: ObjectStore, uid: string): Dependent[] {
  const out: Dependent[] = [];
  if (!uid) return out;
  for (const resource of store.resources()) {
    for (const object of store.list(resource).items) {
      if (object.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ resource, object });
    }
  }
  return out;
}

function allUids(store: ObjectStore): Set<string> {
  const uids = new Set<string>();
  for (const resource of store.resources())
    for (const o of store.list(resource).items) uids.add(o.metadata.uid ?? '');
  return uids;
}

/** garbageCollector returns the controller. */
export function garbageCollector(): Controller {
  let unsubscribe: (() => void) | undefined;
  let pending = false;
  let store: ObjectStore;
  const sweep = () => {
    pending = false;
    const uids = allUids(store);
    for (const resource of store.resources()) {
      for (const o of store.list(resource).items) {
        const refs = o.metadata.ownerReferences;
        if (refs?.length && refs.every((r) => !uids.has(r.uid))) {
          try {
            store.delete(resource, o.metadata.namespace, o.metadata.name ?? '');
          } catch {
            // Already gone.
          }
        }
        if (o.metadata.deletionTimestamp && o.metadata.finalizers?.includes('foregroundDeletion')) {
          const deps = findDependents(store, o.metadata.uid ?? '');
          for (const d of deps) {
            if (!d.object.metadata.deletionTimestamp) {
              try {
                store.delete(d.resource, d.object.metadata.namespace, d.object.metadata.name ?? '');
              } catch {
                // Already gone.
              }
            }
          }
          if (findDependents(store, o.metadata.uid ?? '').length === 0) {
            const next = structuredClone(o);
            next.metadata.finalizers = (next.metadata.finalizers ?? []).filter(
              (f) => f !== 'foregroundDeletion',
            );
            store.update(resource, next);
          }
        }
      }
    }
  };
  const schedule = (e: StoreEvent) => {
    const foreground = e.object.metadata.finalizers?.includes('foregroundDeletion');
    if ((e.type === 'DELETED' || foreground) && !pending) {
      pending = true;
      setTimeout(sweep, 20);
    }
  };
  return {
    name: 'garbage-collector',
    start(ctx) {
      store = ctx.store;
      unsubscribe = store.subscribe(schedule);
      pending = true;
      setTimeout(sweep, 20);
    },
    stop() {
      unsubscribe?.();
    },
  };
}
