// The ReplicaSet controller: keeps `spec.replicas` active pods with the RS's template, owned by
// the RS (controller ownerReference), deleting the least valuable pods first when scaling down
// (upstream ranking: unscheduled, pending, not ready, ready for less time, more restarts,
// newer). Status counts replicas, fullyLabeled, ready and available pods; SuccessfulCreate and
// SuccessfulDelete events as upstream writes them.

import { apiCreate } from '../api.js';
import { ApiError } from '../api-error.js';
import type { Controller } from '../extensions.js';
import { labelsMatch, selectorObjectToRequirements } from '../selectors.js';
import type { KubeObject } from '../types.js';
import type { WorkloadContext } from './context.js';
import {
  deletePodGracefully,
  isPodActive,
  isPodAvailable,
  isPodReady,
  podPhaseOf,
  readySince,
  restartsOf,
} from './pod-util.js';
import { controllerOf, mutate, nsKey, ownedBy, ownerRef, splitKey, WorkQueue } from './runtime.js';

const RS = 'replicasets.apps';
const SOURCE = { component: 'replicaset-controller' };

function rank(pod: KubeObject): number[] {
  const scheduled = (pod.spec as { nodeName?: string }).nodeName ? 1 : 0;
  const phase = podPhaseOf(pod);
  const phaseRank = phase === 'Pending' ? 0 : phase === 'Unknown' ? 1 : 2;
  const ready = isPodReady(pod) ? 1 : 0;
  const since = readySince(pod) ?? 0;
  const created = Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
  return [scheduled, phaseRank, ready, -since, -restartsOf(pod), -created];
}

function compareRank(a: KubeObject, b: KubeObject): number {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] as number) - (rb[i] as number);
  return 0;
}

/** CREATE_RETRY_SECONDS is how long a controller waits before retrying a refused pod create. */
export const CREATE_RETRY_SECONDS = 5;

/** replicaSetController reconciles ReplicaSets with their pods. */
export function replicaSetController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  const queue = new WorkQueue(ctx.clock, 'replicaset', (key) => sync(key));
  let unsubscribe = () => {};

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = store.get(RS, namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const spec = rs.spec as {
      replicas?: number;
      minReadySeconds?: number;
      selector?: unknown;
      template?: {
        metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
        spec?: Record<string, unknown>;
      };
    };
    const owned = store.list('pods', { namespace, predicate: (p) => ownedBy(p, rs.metadata.uid) }).items;
    const active = owned.filter(isPodActive);
    const want = spec.replicas ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) {
        let pod: KubeObject;
        try {
          // Through the API pipeline: defaults, validation and managedFields as a POST gets them.
          pod = apiCreate(store, newPod(rs, spec.template ?? {}), 'kube-controller-manager');
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          ctx.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${err.message}`, SOURCE);
          // Retried as upstream's rate-limited queue does (the missing ServiceAccount may appear).
          queue.addAfter(key, CREATE_RETRY_SECONDS);
          break;
        }
        ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
      }
    } else if (diff > 0) {
      const victims = [...active].sort(compareRank).slice(0, diff);
      for (const pod of victims) {
        deletePodGracefully(store, pod);
        ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
      }
    }
    writeStatus(rs);
  }

  function writeStatus(rs: KubeObject): void {
    const spec = rs.spec as {
      minReadySeconds?: number;
      selector?: unknown;
      template?: { metadata?: { labels?: Record<string, string> } };
    };
    const now = Date.now();
    const pods = store.list('pods', {
      namespace: rs.metadata.namespace,
      predicate: (p) => ownedBy(p, rs.metadata.uid) && isPodActive(p),
    }).items;
    const templateLabels = spec.template?.metadata?.labels ?? {};
    const minReady = spec.minReadySeconds ?? 0;
    const available = pods.filter((p) => isPodAvailable(p, minReady, now, ctx.options.timeScale)).length;
    const ready = pods.filter(isPodReady).length;
    const status: Record<string, unknown> = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.filter((p) =>
        Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v),
      ).length,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
      if (status[k] === 0) delete status[k];
    if (status.replicas === 0) status.replicas = 0;
    const prev = (rs.status ?? {}) as Record<string, unknown>;
    if (prev.conditions) status.conditions = prev.conditions;
    mutate(store, RS, rs.metadata.namespace, rs.metadata.name ?? '', (next) => {
      if (JSON.stringify(next.status ?? {}) === JSON.stringify(status)) return false;
      next.status = status;
      next.metadata.resourceVersion = '';
      return true;
    });
    if (minReady > 0 && ready > available)
      queue.addAfter(nsKey(rs.metadata.namespace, rs.metadata.name), minReady);
  }

  function newPod(
    rs: KubeObject,
    template: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: Record<string, unknown>;
    },
  ): KubeObject {
    const spec = structuredClone(template.spec ?? {}) as Record<string, unknown>;
    const metadata: KubeObject['metadata'] = {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ownerReferences: [ownerRef(rs)],
    };
    if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
  }

  function rsFor(pod: KubeObject): string | undefined {
    const ref = controllerOf(pod);
    return ref?.kind === 'ReplicaSet' ? nsKey(pod.metadata.namespace, ref.name) : undefined;
  }

  return {
    name: 'replicaset',
    start() {
      unsubscribe = store.subscribe((e) => {
        if (e.resource === RS) queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
        else if (e.resource === 'pods') {
          const key = rsFor(e.object);
          if (key) queue.add(key);
        }
      });
      for (const rs of store.list(RS).items) queue.add(nsKey(rs.metadata.namespace, rs.metadata.name));
    },
    stop() {
      unsubscribe();
    },
  };
}

/** selectsPod tells whether a workload's selector matches a pod's labels. */
export function selectsPod(selector: unknown, pod: KubeObject): boolean {
  return labelsMatch(pod.metadata.labels, selectorObjectToRequirements(selector));
}
