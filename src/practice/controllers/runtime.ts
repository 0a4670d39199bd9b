// Shared machinery for the workloads controllers: simulated time, timers that stop with the
// cluster, keyed work queues that run outside store listeners, and read-modify-write helpers.
// The store is in-process and synchronous, so a read, a change and a write done in one turn of
// the event loop cannot interleave with another writer: controllers never see 409s from each
// other, only from themselves when they hold a stale copy.
import { ApiError } from '../api-error.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import type { WorkloadOptions } from './options.js';

/** Clock turns cluster seconds into wall-clock milliseconds and owns every pending timer. */
export class Clock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(readonly options: WorkloadOptions) {}

  /**
   * autoscalingTimeScale, when set, replaces `timeScale` for the HPA loop, its windows and the
   * metrics window only (the ConfigMap kube-system/k8s-learn-practice-clock, see
   * autoscaling-clock.ts): a course compresses an autoscaling story without hurrying rollouts.
   */
  autoscalingTimeScale: number | undefined;
  private readonly autoscalingListeners = new Set<() => void>();

  /** setAutoscalingTimeScale changes the autoscaling clock (undefined: back to `timeScale`). */
  setAutoscalingTimeScale(scale: number | undefined): void {
    if (scale === this.autoscalingTimeScale) return;
    this.autoscalingTimeScale = scale;
    for (const listener of this.autoscalingListeners) listener();
  }

  /** onAutoscalingChange calls `fn` after every change of the autoscaling clock; returns the unsubscribe. */
  onAutoscalingChange(fn: () => void): () => void {
    this.autoscalingListeners.add(fn);
    return () => this.autoscalingListeners.delete(fn);
  }

  /** ms is the wall-clock length of `seconds` cluster seconds. */
  ms(seconds: number): number {
    return Math.max(0, seconds * 1000 * this.options.timeScale);
  }

  /** autoscalingMs is the wall-clock length of `seconds` on the autoscaling clock. */
  autoscalingMs(seconds: number): number {
    return Math.max(0, seconds * 1000 * (this.autoscalingTimeScale ?? this.options.timeScale));
  }

  /** afterMs runs `fn` after `ms` wall-clock milliseconds unless the cluster stops first. */
  afterMs(ms: number, fn: () => void): () => void {
    if (this.stopped) return () => {};
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
    }, ms);
    t.unref?.();
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  /** now is the wall clock in ms (Date.now), used for timestamps and windows. */
  now(): number {
    return Date.now();
  }

  /** after runs `fn` after `seconds` cluster seconds unless the cluster stops first. */
  after(seconds: number, fn: () => void): () => void {
    return this.afterMs(this.ms(seconds), fn);
  }

  /** every runs `fn` each `seconds` cluster seconds until stopped. */
  every(seconds: number, fn: () => void): () => void {
    let cancel = () => {};
    const loop = () => {
      cancel = this.after(seconds, () => {
        fn();
        loop();
      });
    };
    loop();
    return () => cancel();
  }

  /** stop cancels every timer; later `after` calls do nothing. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** isStopped tells whether the cluster is shutting down. */
  get isStopped(): boolean {
    return this.stopped;
  }
}

/**
 * WorkQueue runs `handler(key)` once per key per turn, after the current listener returns
 * (setImmediate), like a client-go work queue. Failures are retried with a short delay.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly clock: Clock,
    private readonly name: string,
    private readonly handler: (key: string) => void,
  ) {}

  /** add queues a key for the next turn. */
  add(key: string): void {
    if (this.clock.isStopped) return;
    this.pending.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** addAfter queues a key after `seconds` cluster seconds. */
  addAfter(key: string, seconds: number): void {
    this.clock.after(seconds, () => this.add(key));
  }

  private drain(): void {
    this.scheduled = false;
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) {
      if (this.clock.isStopped) return;
      try {
        this.handler(key);
      } catch (err) {
        if (!(err instanceof ApiError && (err.code === 409 || err.code === 404))) {
          process.emitWarning(`practice ${this.name} controller: ${key}: ${String(err)}`);
        }
        this.addAfter(key, 1);
      }
    }
  }
}

/** nsKey is the queue key of a namespaced object. */
export function nsKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

/** splitKey reverses nsKey. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** Mutable is a deep, writable clone of a stored (frozen) object. */
export type Mutable = KubeObject & Record<string, unknown>;

/**
 * mutate reads the latest copy of an object, lets `change` edit a clone, and writes it back when
 * `change` returns true. Returns the stored object, or undefined when it is gone.
 */
export function mutate(
  store: ObjectStore,
  resource: string,
  namespace: string | undefined,
  name: string,
  change: (obj: Mutable) => boolean,
): KubeObject | undefined {
  const current = store.get(resource, namespace, name);
  if (!current) return undefined;
  const next = structuredClone(current) as Mutable;
  if (!change(next)) return current;
  return store.update(resource, next);
}

/** rfc3339 is a wall-clock time in the API's second precision. */
export function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** sameJson compares two JSON values by content, ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** canonicalJson is JSON with object keys sorted, for hashing and comparing templates. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** ownedBy tells whether `obj` has a controller ownerReference to the object with `uid`. */
export function ownedBy(obj: KubeObject, uid: string | undefined): boolean {
  return !!uid && (obj.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === uid);
}

/** controllerOf returns the controller ownerReference of an object. */
export function controllerOf(obj: KubeObject): { kind: string; name: string; uid: string } | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
}

/** ownerRef builds a controller ownerReference to `owner`. */
export function ownerRef(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
