// Deployment facts from upstream's deployment util: the pod-template-hash, revisions, the
// rolling-update arithmetic (maxSurge rounds up, maxUnavailable rounds down, both 0 → 1
// unavailable) and the Available/Progressing conditions with their reasons and messages.
import type { KubeObject } from '../types.js';
import { canonicalJson } from './runtime.js';

/** REVISION is the annotation holding a Deployment's or ReplicaSet's revision. */
export const REVISION = 'deployment.kubernetes.io/revision';
/** REVISION_HISTORY keeps the earlier revisions of a ReplicaSet brought back by `rollout undo`. */
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
/** HASH_LABEL is the label that ties pods to their ReplicaSet's template. */
export const HASH_LABEL = 'pod-template-hash';

/** Template is a pod template. */
export interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** templateHash is the pod-template-hash: FNV-32a of the template and collision count, safe-encoded. */
export function templateHash(template: Template, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const text = canonicalJson(stripHash(template)) + (collisionCount ? String(collisionCount) : '');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((d) => SAFE[Number(d.charCodeAt(0)) % SAFE.length]).join('');
}

/**
 * prune drops nulls and empty lists and maps, as upstream's semantic equality treats them like
 * unset fields (kubectl sends `creationTimestamp: null` inside templates).
 */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = prune(v);
      if (p === null || p === undefined) continue;
      if (Array.isArray(p) && p.length === 0) continue;
      if (typeof p === 'object' && !Array.isArray(p) && Object.keys(p as object).length === 0) continue;
      out[k] = p;
    }
    return out;
  }
  return value;
}

/** stripHash is a template without the pod-template-hash label (for comparing templates). */
export function stripHash(template: Template): Template {
  const t = prune(structuredClone(template ?? {})) as Template;
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH_LABEL];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  if (t.metadata && Object.keys(t.metadata).length === 0) delete t.metadata;
  return t;
}

/** sameTemplate is upstream's EqualIgnoreHash. */
export function sameTemplate(a: Template, b: Template): boolean {
  return canonicalJson(stripHash(a)) === canonicalJson(stripHash(b));
}

/** revisionOf reads an object's revision annotation (0 when absent). */
export function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata.annotations?.[REVISION] ?? 0) || 0;
}

/** resolvePercent resolves an int-or-percent against a total, rounding up or down. */
export function resolvePercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? ''));
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** surgeAndUnavailable resolves a rolling update's maxSurge and maxUnavailable. */
export function surgeAndUnavailable(deployment: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const spec = deployment.spec as {
    replicas?: number;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } };
  };
  const replicas = spec.replicas ?? 1;
  if (spec.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const ru = spec.strategy?.rollingUpdate ?? {};
  const maxSurge = resolvePercent(ru.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = resolvePercent(ru.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

/** Condition is a Deployment condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** setCondition replaces a condition, keeping lastTransitionTime when the status is unchanged. */
export function setCondition(
  conditions: Condition[],
  next: Omit<Condition, 'lastTransitionTime' | 'lastUpdateTime'>,
  now: string,
): Condition[] {
  const prev = conditions.find((c) => c.type === next.type);
  if (prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message)
    return conditions;
  const cond: Condition = {
    ...next,
    lastUpdateTime: now,
    lastTransitionTime: prev && prev.status === next.status ? prev.lastTransitionTime : now,
  };
  return [...conditions.filter((c) => c.type !== next.type), cond].sort(
    (a, b) => order(a.type) - order(b.type),
  );
}

function order(type: string): number {
  return type === 'Available' ? 0 : type === 'Progressing' ? 1 : 2;
}

/** MESSAGES are upstream's Progressing/Available texts. */
export const MESSAGES = {
  available: 'Deployment has minimum availability.',
  unavailable: 'Deployment does not have minimum availability.',
  created: (rs: string) => `Created new replica set "${rs}"`,
  found: (rs: string) => `Found new replica set "${rs}"`,
  progressing: (rs: string) => `ReplicaSet "${rs}" is progressing.`,
  complete: (rs: string) => `ReplicaSet "${rs}" has successfully progressed.`,
  timedOut: (rs: string) => `ReplicaSet "${rs}" has timed out progressing.`,
  paused: 'Deployment is paused',
  resumed: 'Deployment is resumed',
};

/** DEP is the store key of Deployments. */
export const DEP = 'deployments.apps';
/** RS is the store key of ReplicaSets. */
export const RS = 'replicasets.apps';

/** DeploymentSpec is the part of a Deployment's spec the controller reads. */
export interface DeploymentSpec {
  replicas?: number;
  paused?: boolean;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template: Template;
  strategy?: { type?: string };
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
}

/** specOf reads a Deployment's spec. */
export const specOf = (d: KubeObject) => d.spec as DeploymentSpec;
/** rsReplicas reads a ReplicaSet's desired replicas. */
export const rsReplicas = (rs: KubeObject) => (rs.spec as { replicas?: number }).replicas ?? 0;
/** rsStatus reads a counter from a ReplicaSet's status. */
export const rsStatus = (rs: KubeObject, k: string) =>
  Number((rs.status as Record<string, number> | undefined)?.[k] ?? 0);
