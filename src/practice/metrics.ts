// metrics.k8s.io/v1beta1 for the practice cluster, and the CPU accounting behind it. A pod's CPU
// is a small idle baseline plus the CPU time of the requests it served through the Service or
// pod proxy, averaged over a sliding window (15 cluster seconds, like metrics-server's scrape).
// Memory is the app's resident size. Only running pods have metrics, as with metrics-server.

import { notFound } from './api-error.js';
import { SIM } from './controllers/options.js';
import type { Clock } from './controllers/runtime.js';
import type { ExtraGroup, SubresourceResult } from './extensions.js';
import { labelsMatch, parseLabelSelector } from './selectors.js';
import type { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';
import { formatKi, formatNanoCores } from './workloads/quantity.js';

/** IDLE_MILLICORES is the CPU an idle container uses. */
export const IDLE_MILLICORES = 1;

/** CpuMeter records CPU time spent per container and turns it into millicores over a window. */
export class CpuMeter {
  private readonly samples = new Map<string, { at: number; ms: number }[]>();

  constructor(private readonly clock: Clock) {}

  /** record adds `cpuMs` (cluster milliseconds of CPU) spent now by a container. */
  record(podUid: string, container: string, cpuMs: number): void {
    const key = `${podUid}/${container}`;
    let list = this.samples.get(key);
    if (!list) {
      list = [];
      this.samples.set(key, list);
    }
    list.push({ at: Date.now(), ms: cpuMs });
    this.prune(list);
  }

  private windowMs(): number {
    return this.clock.autoscalingMs(SIM.metricsWindow);
  }

  private prune(list: { at: number }[]): void {
    const cutoff = Date.now() - this.windowMs();
    while (list.length && (list[0] as { at: number }).at < cutoff) list.shift();
  }

  /** millicores is a container's average CPU over the window. */
  millicores(podUid: string, container: string): number {
    const list = this.samples.get(`${podUid}/${container}`) ?? [];
    this.prune(list);
    const spent = list.reduce((s, x) => s + x.ms, 0);
    return IDLE_MILLICORES + (spent / (SIM.metricsWindow * 1000)) * 1000;
  }

  /** forget drops a pod's samples. */
  forget(podUid: string): void {
    for (const key of this.samples.keys()) if (key.startsWith(`${podUid}/`)) this.samples.delete(key);
  }
}

/** ContainerUsage is one container's metrics. */
export interface ContainerUsage {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
}

/** UsageSource gives the usage of a running pod's containers (undefined: no metrics yet). */
export type UsageSource = (pod: KubeObject) => ContainerUsage[] | undefined;

const GV = 'metrics.k8s.io/v1beta1';

function podMetrics(pod: KubeObject, usage: ContainerUsage[], now: string): Record<string, unknown> {
  return {
    kind: 'PodMetrics',
    apiVersion: GV,
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: now,
      labels: pod.metadata.labels ?? {},
    },
    timestamp: now,
    window: `${Math.round(SIM.metricsWindow)}s`,
    containers: usage.map((u) => ({
      name: u.name,
      usage: { cpu: formatNanoCores(u.cpuMilli), memory: formatKi(u.memoryBytes) },
    })),
  };
}

/** metricsGroup serves PodMetrics and NodeMetrics from the usage source. */
export function metricsGroup(usageOf: UsageSource): ExtraGroup {
  return {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resources: [
      { resource: 'nodes', kind: 'NodeMetrics', namespaced: false, verbs: ['get', 'list'] },
      { resource: 'pods', kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list'] },
    ],
    async handle(path, query, store): Promise<SubresourceResult> {
      const now = store.timestamp();
      const parts = path.split('/').filter(Boolean);
      let namespace: string | undefined;
      if (parts[0] === 'namespaces') {
        namespace = parts[1];
        parts.splice(0, 2);
      }
      const [resource, name] = parts;
      const selector = query.get('labelSelector');
      if (resource === 'pods') {
        const pods = store.list('pods', { namespace }).items.filter((p) => !name || p.metadata.name === name);
        const items = pods
          .filter((p) => !selector || labelsMatch(p.metadata.labels, parseLabelSelector(selector)))
          .flatMap((p) => {
            const usage = usageOf(p);
            return usage ? [podMetrics(p, usage, now)] : [];
          });
        if (name) {
          if (!items[0]) throw notFound('pods', 'metrics.k8s.io', name);
          return { body: items[0] };
        }
        return { body: { kind: 'PodMetricsList', apiVersion: GV, metadata: {}, items } };
      }
      if (resource === 'nodes') {
        const items = store
          .list('nodes')
          .items.filter((n) => !name || n.metadata.name === name)
          .map((node) => nodeMetrics(node, store, usageOf, now));
        if (name) {
          if (!items[0]) throw notFound('nodes', 'metrics.k8s.io', name);
          return { body: items[0] };
        }
        return { body: { kind: 'NodeMetricsList', apiVersion: GV, metadata: {}, items } };
      }
      throw notFound(resource ?? '', 'metrics.k8s.io', name ?? '');
    },
  };
}

function nodeMetrics(node: KubeObject, store: ObjectStore, usageOf: UsageSource, now: string) {
  // kubelet, containerd and systemd; the control plane's components are its kube-system pods.
  let cpu = 25;
  let memory = 160 * 2 ** 20;
  for (const pod of store.list('pods', {
    predicate: (p) => (p.spec as { nodeName?: string }).nodeName === node.metadata.name,
  }).items) {
    for (const u of usageOf(pod) ?? []) {
      cpu += u.cpuMilli;
      memory += u.memoryBytes;
    }
  }
  return {
    kind: 'NodeMetrics',
    apiVersion: GV,
    metadata: { name: node.metadata.name, creationTimestamp: now, labels: node.metadata.labels ?? {} },
    timestamp: now,
    window: '20.05s',
    usage: { cpu: formatNanoCores(cpu), memory: formatKi(memory) },
  };
}
