// The simulated nodes as kind creates them: one control plane (tainted NoSchedule) and workers,
// each with a /24 pod CIDR from 10.244.0.0/16 and an address on kind's 172.18.0.0/16 network.
// The API layer may create the Node objects itself; ensureNodes only fills what is missing.

import { newNode } from '../node-object.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

export { CONTROL_PLANE_TAINT, NODE_CPU, NODE_MEMORY } from '../node-object.js';

/** nodeIndex is a node's position (0 = control plane), which picks its pod CIDR and address. */
export function nodeIndex(nodeNames: string[], name: string): number {
  const i = nodeNames.indexOf(name);
  return i < 0 ? nodeNames.length : i;
}

/** hostIPOf is a node's InternalIP, from its status or kind's numbering. */
export function hostIPOf(node: KubeObject | undefined, index: number): string {
  const addresses = ((node?.status as { addresses?: { type: string; address: string }[] })?.addresses ??
    []) as {
    type: string;
    address: string;
  }[];
  return addresses.find((a) => a.type === 'InternalIP')?.address ?? `172.18.0.${index + 2}`;
}

/** ensureNodes creates missing Node objects and fills allocatable on existing ones. */
export function ensureNodes(store: ObjectStore, nodeNames: string[]): void {
  nodeNames.forEach((name, index) => {
    const existing = store.get('nodes', undefined, name);
    if (!existing) {
      store.create('nodes', newNode(name, index, store.timestamp()));
      return;
    }
    const status = (existing.status ?? {}) as Record<string, unknown>;
    if (status.allocatable) return;
    const next = structuredClone(existing) as KubeObject & { status?: Record<string, unknown> };
    const fresh = newNode(name, index, store.timestamp()) as KubeObject & { status: Record<string, unknown> };
    next.status = {
      ...fresh.status,
      ...status,
      allocatable: fresh.status.allocatable,
      capacity: fresh.status.capacity,
    };
    next.metadata.resourceVersion = '';
    store.update('nodes', next);
  });
}
