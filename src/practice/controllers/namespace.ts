// The namespace controller: a namespace marked for deletion (Terminating) loses all its
// namespaced contents, then disappears.
import type { Controller } from '../extensions.js';
import { RESOURCES, storageKey } from '../resources.js';
import type { ObjectStore } from '../store.js';

function finishTerminating(store: ObjectStore): void {
  for (const ns of store.list('namespaces').items) {
    if (!ns.metadata.deletionTimestamp) continue;
    const name = ns.metadata.name ?? '';
    for (const def of RESOURCES) {
      if (!def.namespaced || def.storage) continue;
      const key = storageKey(def);
      for (const o of store.list(key, { namespace: name }).items) {
        try {
          if (o.metadata.finalizers?.length) {
            const next = structuredClone(o);
            next.metadata.finalizers = [];
            if (!next.metadata.deletionTimestamp) next.metadata.deletionTimestamp = store.timestamp();
            store.update(key, next);
          } else store.delete(key, name, o.metadata.name ?? '');
        } catch {
          // Removed meanwhile.
        }
      }
    }
    try {
      store.delete('namespaces', undefined, name);
    } catch {
      // Removed meanwhile.
    }
  }
}

/** namespaceController returns the controller. The short delay lets kubectl see Terminating. */
export function namespaceController(delayMs = 300): Controller {
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    name: 'namespace',
    start(ctx) {
      const run = () => {
        timer = undefined;
        finishTerminating(ctx.store);
      };
      unsubscribe = ctx.store.subscribe((e) => {
        if (e.resource === 'namespaces' && e.object.metadata.deletionTimestamp && !timer)
          timer = setTimeout(run, delayMs);
      });
      timer = setTimeout(run, delayMs);
    },
    stop() {
      unsubscribe?.();
      if (timer) clearTimeout(timer);
    },
  };
}
