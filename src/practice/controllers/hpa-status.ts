// HPA helpers: per-pod samples of a resource metric (requests and usage), AverageValue targets,
// and writing status with stable condition transition times.
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { bytesOf, milliCpu } from '../workloads/quantity.js';
import type { PodSample } from './hpa-algorithm.js';
import { isPodReady } from './pod-util.js';
import { mutate, rfc3339 } from './runtime.js';

/** HPA is the store key of HorizontalPodAutoscalers. */
export const HPA = 'horizontalpodautoscalers.autoscaling';

/** Cond is an HPA condition. */
export type Cond = {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
};

/** UsageOf returns a pod's per-container usage (millicores, bytes) or undefined without metrics. */
export type UsageOf = (
  pod: KubeObject,
) => { name: string; cpuMilli: number; memoryBytes: number }[] | undefined;

/** samplesFor reads each pod's request and usage of a resource; a missing request is an error. */
export function samplesFor(pods: KubeObject[], resource: string, usageOf: UsageOf): PodSample[] {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  return pods.map((pod) => {
    const containers =
      (pod.spec as { containers?: { name: string; resources?: { requests?: Record<string, string> } }[] })
        .containers ?? [];
    let request = 0;
    for (const c of containers) {
      const q = c.resources?.requests?.[resource];
      if (q === undefined)
        throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      request += resource === 'cpu' ? milliCpu(q) : bytesOf(q);
    }
    const usage = usageOf(pod);
    const total = usage?.reduce((s, u) => s + (resource === 'cpu' ? u.cpuMilli : u.memoryBytes), 0);
    return { usage: total, request, ready: isPodReady(pod) };
  });
}

/** averageValueReplicas is the replica count for an AverageValue target. */
export function averageValueReplicas(current: number, targetValue: number, samples: PodSample[]) {
  const withMetrics = samples.filter((s) => s.usage !== undefined);
  if (withMetrics.length === 0)
    throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const usage = withMetrics.reduce((s, p) => s + (p.usage ?? 0), 0);
  const ratio = usage / (targetValue * current);
  const replicas = Math.abs(1 - ratio) <= 0.1 ? current : Math.ceil(usage / targetValue);
  return { replicas, utilization: 0, averageUsage: usage / withMetrics.length };
}

/** writeHpaStatus writes status, keeping condition transition times and lastScaleTime. */
export function writeHpaStatus(store: ObjectStore, hpa: KubeObject, status: Record<string, unknown>): void {
  mutate(store, HPA, hpa.metadata.namespace, hpa.metadata.name ?? '', (next) => {
    const prev = (next.status ?? {}) as Record<string, unknown>;
    const prevConds = (prev.conditions ?? []) as Cond[];
    const now = rfc3339(Date.now());
    const conditions = ((status.conditions ?? []) as Cond[]).map((c) => {
      const old = prevConds.find((p) => p.type === c.type);
      return { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
    });
    const out: Record<string, unknown> = { ...status, conditions };
    if (!out.lastScaleTime && prev.lastScaleTime) out.lastScaleTime = prev.lastScaleTime;
    if (next.metadata.generation) out.observedGeneration = next.metadata.generation;
    if (!Array.isArray(out.currentMetrics) || out.currentMetrics.length === 0) delete out.currentMetrics;
    if (JSON.stringify(prev) === JSON.stringify(out)) return false;
    next.status = out;
    return true;
  });
}
