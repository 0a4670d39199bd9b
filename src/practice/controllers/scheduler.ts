// The default scheduler, reduced to what a kind cluster shows: filters (node taints with
// NoSchedule/NoExecute, nodeSelector, CPU/memory requests vs allocatable, pod count) and a score
// that spreads pods of the same owner across nodes, then the least-requested node. Unschedulable
// pods keep PodScheduled=False/Unschedulable and get a FailedScheduling event whose message
// counts the reasons per node as upstream does; they are retried when pods or nodes change.
import type { Controller } from '../extensions.js';
import type { KubeObject } from '../types.js';
import { bytesOf, milliCpu } from '../workloads/quantity.js';
import type { WorkloadContext } from './context.js';
import { SIM } from './options.js';
import { controllerOf, nsKey, rfc3339, splitKey, WorkQueue } from './runtime.js';

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** podRequests sums a pod's container requests: millicores and bytes. */
export function podRequests(pod: KubeObject): { cpu: number; memory: number } {
  const containers = ((pod.spec as { containers?: unknown[] })?.containers ?? []) as {
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  }[];
  let cpu = 0;
  let memory = 0;
  for (const c of containers) {
    // A limit without a request defaults the request to the limit.
    const req = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
    cpu += milliCpu(req.cpu);
    memory += bytesOf(req.memory);
  }
  return { cpu, memory };
}

export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some(
    (t) =>
      (!t.effect || t.effect === taint.effect) &&
      (t.operator === 'Exists'
        ? !t.key || t.key === taint.key
        : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

function isActive(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * nodeChangeMatters: a change of a node's spec (taints, cordon) or labels can make a pending pod
 * schedulable — upstream's NodeAffinity plugin requeues on UpdateNodeLabel, so `kubectl label
 * node` places a pod waiting for that label at once rather than at the next periodic retry.
 */
function nodeChangeMatters(node: KubeObject, previous: KubeObject | undefined): boolean {
  return (
    JSON.stringify(node.spec) !== JSON.stringify(previous?.spec) ||
    JSON.stringify(node.metadata.labels ?? {}) !== JSON.stringify(previous?.metadata.labels ?? {})
  );
}

/** schedulerController binds pending pods to nodes. */
export function schedulerController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  const queue = new WorkQueue(ctx.clock, 'scheduler', (key) => schedule(key));
  let unsubscribe = () => {};
  let stopRetry = () => {};

  const pending = () =>
    store.list('pods', {
      predicate: (p) => !(p.spec as { nodeName?: string }).nodeName && !p.metadata.deletionTimestamp,
    }).items;

  function schedule(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = store.get('pods', namespace, name);
    const spec = (pod?.spec ?? {}) as {
      nodeName?: string;
      schedulerName?: string;
      nodeSelector?: Record<string, string>;
      tolerations?: Toleration[];
    };
    if (!pod || spec.nodeName || pod.metadata.deletionTimestamp) return;
    if ((spec.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return;
    const nodes = store.list('nodes').items;
    const pods = store.list('pods', {
      predicate: (p) => !!(p.spec as { nodeName?: string }).nodeName && isActive(p),
    }).items;
    const want = podRequests(pod);
    const reasons = new Map<string, number>();
    const fit: KubeObject[] = [];
    for (const node of nodes) {
      const why = filter(node, pod, spec, want, pods);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else fit.push(node);
    }
    if (fit.length === 0) {
      unschedulable(pod, nodes.length, reasons);
      return;
    }
    const owner = controllerOf(pod)?.uid;
    const score = (node: KubeObject) => {
      const onNode = pods.filter((p) => (p.spec as { nodeName?: string }).nodeName === node.metadata.name);
      const siblings = owner ? onNode.filter((p) => controllerOf(p)?.uid === owner).length : 0;
      const cpu = onNode.reduce((s, p) => s + podRequests(p).cpu, 0);
      return siblings * 1_000_000 + cpu + onNode.length;
    };
    fit.sort((a, b) => score(a) - score(b) || ctx.options.random() - 0.5);
    bind(pod, fit[0] as KubeObject);
  }

  function filter(
    node: KubeObject,
    pod: KubeObject,
    spec: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] },
    want: { cpu: number; memory: number },
    pods: KubeObject[],
  ): string | undefined {
    if ((node.spec as { unschedulable?: boolean })?.unschedulable) return 'node(s) were unschedulable';
    const taints = ((node.spec as { taints?: Taint[] })?.taints ?? []).filter(
      (t) => t.effect !== 'PreferNoSchedule',
    );
    const untolerated = taints.find((t) => !tolerates(spec.tolerations ?? [], t));
    if (untolerated) return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`;
    const labels = node.metadata.labels ?? {};
    if (Object.entries(spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v))
      return "node(s) didn't match Pod's node affinity/selector";
    const alloc = ((node.status as { allocatable?: Record<string, string> })?.allocatable ?? {}) as Record<
      string,
      string
    >;
    const onNode = pods.filter(
      (p) => (p.spec as { nodeName?: string }).nodeName === node.metadata.name && p !== pod,
    );
    const used = onNode.reduce(
      (s, p) => {
        const r = podRequests(p);
        return { cpu: s.cpu + r.cpu, memory: s.memory + r.memory };
      },
      { cpu: 0, memory: 0 },
    );
    if (onNode.length + 1 > Number(alloc.pods ?? 110)) return 'Too many pods';
    if (want.cpu > 0 && used.cpu + want.cpu > milliCpu(alloc.cpu)) return 'Insufficient cpu';
    if (want.memory > 0 && used.memory + want.memory > bytesOf(alloc.memory)) return 'Insufficient memory';
    return undefined;
  }

  function unschedulable(pod: KubeObject, total: number, reasons: Map<string, number>): void {
    const parts = [...reasons.entries()].map(([why, n]) => `${n} ${why}`).sort();
    const resourceShort = [...reasons.keys()].filter(
      (r) => r.startsWith('Insufficient') || r === 'Too many pods',
    );
    const victims = resourceShort.reduce((s, r) => s + (reasons.get(r) ?? 0), 0);
    const preemption = [
      total - victims > 0 ? `${total - victims} Preemption is not helpful for scheduling` : '',
      victims > 0 ? `${victims} No preemption victims found for incoming pod` : '',
    ].filter(Boolean);
    const message =
      total === 0
        ? 'no nodes available to schedule pods'
        : `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${preemption.join(', ')}.`;
    const conditions = (pod.status as { conditions?: Record<string, unknown>[] })?.conditions ?? [];
    const prev = conditions.find((c) => c.type === 'PodScheduled');
    if (!prev || prev.message !== message) {
      const next = structuredClone(pod) as KubeObject & { status: Record<string, unknown> };
      next.status ??= {};
      next.status.phase = 'Pending';
      next.status.conditions = [
        ...conditions.filter((c) => c.type !== 'PodScheduled'),
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: rfc3339(Date.now()),
          reason: 'Unschedulable',
          message,
        },
      ];
      next.metadata.resourceVersion = '';
      store.update('pods', next);
    }
    ctx.events.record(pod, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
  }

  function bind(pod: KubeObject, node: KubeObject): void {
    const next = structuredClone(pod) as KubeObject & {
      spec: Record<string, unknown>;
      status: Record<string, unknown>;
    };
    next.spec.nodeName = node.metadata.name;
    next.status ??= {};
    const conditions = ((next.status.conditions ?? []) as Record<string, unknown>[]).filter(
      (c) => c.type !== 'PodScheduled',
    );
    conditions.push({
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: rfc3339(Date.now()),
    });
    next.status.conditions = conditions;
    next.metadata.resourceVersion = '';
    const bound = store.update('pods', next);
    const msg = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`;
    ctx.events.record(bound, 'Normal', 'Scheduled', msg, { component: 'default-scheduler' });
  }

  return {
    name: 'scheduler',
    start() {
      unsubscribe = store.subscribe((e) => {
        if (
          e.resource === 'pods' &&
          e.type === 'ADDED' &&
          !(e.object.spec as { nodeName?: string })?.nodeName
        ) {
          queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
        } else if (
          (e.resource === 'pods' && e.type === 'DELETED') ||
          (e.resource === 'nodes' && nodeChangeMatters(e.object, e.previous))
        ) {
          setImmediate(() => {
            for (const p of pending()) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
          });
        }
      });
      for (const p of pending()) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
      stopRetry = ctx.clock.every(SIM.schedulerRetry, () => {
        for (const p of pending()) queue.add(nsKey(p.metadata.namespace, p.metadata.name));
      });
    },
    stop() {
      unsubscribe();
      stopRetry();
    },
  };
}
