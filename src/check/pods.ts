// Finds pod templates in workloads, so every container rule works the same on a Pod, a Deployment's
// template or a CronJob's job template.
import type { FieldPath, Manifest } from './types.js';

/** PodTemplate is a pod spec inside a manifest, with its labels and where they are. */
export interface PodTemplate {
  manifest: Manifest;
  /** Path to the pod spec (e.g. spec.template.spec). */
  specPath: FieldPath;
  spec: Record<string, unknown>;
  labels: Record<string, unknown>;
  /** Namespace the pods land in ('default' when omitted). */
  namespace: string;
}

/** ContainerRef is one container (or init container) of a pod template. */
export interface ContainerRef {
  pod: PodTemplate;
  path: FieldPath;
  container: Record<string, unknown>;
}

const templatePaths: Record<string, FieldPath> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** isObject narrows to a plain mapping. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** get reads a path from a plain value. */
export function get(value: unknown, path: FieldPath): unknown {
  let cur = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** namespaceOf is where an object lands: its namespace, or `default`. */
export function namespaceOf(m: Manifest): string {
  return m.namespace ?? 'default';
}

/** podTemplate returns the manifest's pod template, if it is a workload. */
export function podTemplate(m: Manifest): PodTemplate | undefined {
  const base = templatePaths[m.kind];
  if (!base) return undefined;
  const template = get(m.value, base);
  if (!isObject(template)) return undefined;
  const spec = template.spec;
  if (!isObject(spec)) return undefined;
  const labels = get(template, ['metadata', 'labels']);
  return {
    manifest: m,
    specPath: [...base, 'spec'],
    spec,
    labels: isObject(labels) ? labels : {},
    namespace: namespaceOf(m),
  };
}

/** containersOf lists containers then init containers, with their paths. */
export function containersOf(pod: PodTemplate, withInit = true): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of withInit ? ['containers', 'initContainers'] : ['containers']) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isObject(c)) out.push({ pod, path: [...pod.specPath, field, i], container: c });
    });
  }
  return out;
}

/** selectorMatches says whether every selector pair is among the labels (an empty selector matches nothing here). */
export function selectorMatches(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => String(labels[k]) === String(v));
}
