// Small facts about pods the controllers share: readiness, availability, activity.
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

function conditions(pod: KubeObject): Condition[] {
  return ((pod.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
}

/** isPodReady tells whether the pod's Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return conditions(pod).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** readySince is when the pod became Ready (ms), or undefined. */
export function readySince(pod: KubeObject): number | undefined {
  const c = conditions(pod).find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
}

/** isPodAvailable is upstream's IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(
  pod: KubeObject,
  minReadySeconds: number,
  nowMs: number,
  scale: number,
): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = readySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 * scale <= nowMs;
}

/** isPodActive is upstream's IsPodActive: not terminal and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** podPhaseOf reads status.phase. */
export function podPhaseOf(pod: KubeObject): string {
  return String((pod.status as { phase?: string } | undefined)?.phase ?? 'Pending');
}

/** restartsOf sums the restart counts of a pod's containers. */
export function restartsOf(pod: KubeObject): number {
  const statuses =
    (pod.status as { containerStatuses?: { restartCount?: number }[] })?.containerStatuses ?? [];
  return statuses.reduce((s, c) => s + (c.restartCount ?? 0), 0);
}

/**
 * deletePodGracefully deletes a pod as a controller's API DELETE does: a pod bound to a node is
 * marked (deletionTimestamp = now + grace, deletionGracePeriodSeconds) for its kubelet to stop and
 * remove; an unbound pod goes at once.
 */
export function deletePodGracefully(store: ObjectStore, pod: KubeObject): void {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const grace = spec.terminationGracePeriodSeconds ?? 30;
  if (!spec.nodeName || grace <= 0) {
    store.delete('pods', pod.metadata.namespace, pod.metadata.name ?? '', { uid: pod.metadata.uid });
    return;
  }
  if (pod.metadata.deletionTimestamp) return;
  const next = structuredClone(pod);
  next.metadata.deletionTimestamp = `${new Date(Date.now() + grace * 1000).toISOString().slice(0, 19)}Z`;
  next.metadata.deletionGracePeriodSeconds = grace;
  next.metadata.resourceVersion = '';
  store.update('pods', next);
}

/** isPodRunningOrPending is true for pods not in a terminal phase, terminating ones included. */
export function isPodRunningOrPending(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}
