// The event recorder: core/v1 Events as kubelet and controllers write them, with upstream's
// aggregation (the same object, reason and message bump `count` and `lastTimestamp` instead of
// adding a row, which is why describe shows `(x4 over 2m)`).
import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { rfc3339 } from './runtime.js';

/** EventSource names who reports: `deployment-controller`, `kubelet` on a node, `default-scheduler`. */
export interface EventSource {
  component: string;
  host?: string;
}

/** EventRecorder writes Events; call it from work-queue handlers, never from store listeners. */
export class EventRecorder {
  private readonly recent = new Map<string, string>();

  constructor(private readonly store: ObjectStore) {}

  /**
   * record writes a Normal or Warning event about `obj`. `fieldPath` points at a container
   * (`spec.containers{web}`) for kubelet events.
   */
  record(
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const namespace = obj.metadata.namespace ?? 'default';
    const key = [obj.metadata.uid, fieldPath ?? '', reason, message, source.component].join('\u0000');
    const now = rfc3339(Date.now());
    const existingName = this.recent.get(key);
    const existing = existingName ? this.store.get('events', namespace, existingName) : undefined;
    if (existing) {
      const next = structuredClone(existing) as KubeObject & { count?: number; lastTimestamp?: string };
      next.count = (next.count ?? 1) + 1;
      next.lastTimestamp = now;
      this.store.update('events', next);
      return;
    }
    const name = `${obj.metadata.name}.${Date.now().toString(16)}${randomBytes(3).toString('hex')}`;
    const involvedObject: Record<string, unknown> = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
    };
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    this.store.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source: source.host
        ? { component: source.component, host: source.host }
        : { component: source.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
    this.recent.set(key, name);
    if (this.recent.size > 5000) this.recent.delete(this.recent.keys().next().value as string);
  }
}
