// The simulated kubelets of every node: one PodWorker per bound pod, pod IPs from each node's
// /24, graceful deletion (Killing, then the pod is removed), and retries of pods waiting for a
// ConfigMap or Secret when one changes in their namespace.
import type { Controller } from '../extensions.js';
import type { StoreEvent } from '../store.js';
import type { KubeObject } from '../types.js';
import type { WorkloadContext } from './context.js';
import { ensureNodes, hostIPOf, nodeIndex } from './nodes.js';
import { PodWorker } from './pod-worker.js';
import { nsKey, splitKey, WorkQueue } from './runtime.js';

function nodeNameOf(pod: KubeObject): string | undefined {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName || undefined;
}

/** isMirrorPod tells a static pod's mirror (kubelet's `kubernetes.io/config.mirror` annotation). */
export function isMirrorPod(pod: KubeObject): boolean {
  return pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
}

function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Kubelets runs the pod workers of all simulated nodes. */
export class Kubelets {
  readonly workers = new Map<string, PodWorker>();
  private readonly usedIPs = new Map<string, Set<number>>();
  private readonly queue: WorkQueue;
  private unsubscribe = () => {};

  constructor(private readonly ctx: WorkloadContext) {
    this.queue = new WorkQueue(ctx.clock, 'kubelet', (key) => this.sync(key));
  }

  /** controller is the Controller registered with the cluster. */
  controller(): Controller {
    return {
      name: 'kubelet',
      start: () => {
        ensureNodes(this.ctx.store, this.ctx.nodeNames);
        this.unsubscribe = this.ctx.store.subscribe((e) => this.onEvent(e));
        for (const pod of this.ctx.store.list('pods').items)
          this.queue.add(nsKey(pod.metadata.namespace, pod.metadata.name));
      },
      stop: () => {
        this.unsubscribe();
        for (const w of this.workers.values()) w.stop(false);
        this.workers.clear();
      },
    };
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === 'pods') {
      if (e.type === 'DELETED') {
        const w = this.workers.get(e.object.metadata.uid ?? '');
        if (w) {
          this.workers.delete(w.uid);
          setImmediate(() => {
            w.stop(true);
            this.releaseIP(w);
            this.ctx.logs.forget(w.uid);
          });
        }
        return;
      }
      if (nodeNameOf(e.object)) this.queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
      return;
    }
    if (e.resource === 'configmaps' || e.resource === 'secrets') {
      const ns = e.object.metadata.namespace;
      setImmediate(() => {
        for (const w of this.workers.values()) if (w.namespace === ns) w.configChanged();
      });
    }
  }

  private sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.ctx.store.get('pods', namespace, name);
    if (!pod) return;
    const uid = pod.metadata.uid ?? '';
    const nodeName = nodeNameOf(pod);
    if (!nodeName) return;
    let worker = this.workers.get(uid);
    if (pod.metadata.deletionTimestamp) {
      const remove = () => {
        const current = this.ctx.store.get('pods', namespace, name);
        if (current?.metadata.uid === uid && !(current.metadata.finalizers ?? []).length) {
          this.ctx.store.delete('pods', namespace, name, { uid });
        }
      };
      // A mirror pod is only the API's view of a static pod: kubelet deletes it at once and posts a
      // new one (the static pod controller), without stopping anything.
      if (isMirrorPod(pod)) {
        if (worker) {
          this.workers.delete(uid);
          worker.stop(false);
          this.releaseIP(worker);
          this.ctx.logs.forget(uid);
        }
        remove();
      } else if (worker && !worker.isStopped)
        worker.terminate(Number(pod.metadata.deletionGracePeriodSeconds ?? 30), remove);
      else if (!worker) remove();
      return;
    }
    if (worker) {
      worker.syncEphemeral(pod);
      return;
    }
    if (isTerminal(pod)) return;
    const idx = nodeIndex(this.ctx.nodeNames, nodeName);
    const node = this.ctx.store.get('nodes', undefined, nodeName);
    const hostIP = hostIPOf(node, idx);
    // hostNetwork pods (kube-proxy, kindnet, the control plane's static pods) share the node's IP.
    const hostNetwork = (pod.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork === true;
    worker = new PodWorker(this.ctx, pod, hostIP, () =>
      hostNetwork ? hostIP : this.allocateIP(nodeName, idx),
    );
    this.workers.set(uid, worker);
    worker.start();
  }

  private allocateIP(nodeName: string, index: number): string {
    let used = this.usedIPs.get(nodeName);
    if (!used) {
      used = new Set();
      this.usedIPs.set(nodeName, used);
    }
    for (let host = 2; host < 255; host++) {
      if (!used.has(host)) {
        used.add(host);
        return `10.244.${index}.${host}`;
      }
    }
    return `10.244.${index}.254`;
  }

  private releaseIP(worker: PodWorker): void {
    if (!worker.podIP?.startsWith('10.244.')) return;
    const host = Number(worker.podIP?.split('.')[3]);
    this.usedIPs.get(worker.nodeName)?.delete(host);
  }
}
