// Why a pod with a nodeSelector is Pending, in terms of the learner's own mistake. The scheduler's
// message counts nodes ("2 node(s) didn't match Pod's node affinity/selector") but does not say
// what the nodes carry instead; reading the nodes' labels does: no node has the key at all, a node
// has the key with another value (a typo, a case difference), or the only matching node is one the
// pod may not use (the control plane's taint, a cordon).
import type { K8sObject } from '../../alerts/types.js';

/** The cause ids a nodeSelector finding refines `unschedulable` into. */
export type NodeSelectorCause = 'node-label-missing' | 'node-label-mismatch' | 'node-label-tainted';

/** NodeSelectorFinding is the refined cause and the words that fill its texts. */
export interface NodeSelectorFinding {
  causeId: NodeSelectorCause;
  /** What the pod asks for: `disktype=SSD`. */
  selector: string;
  /** The selector's keys, comma-separated (for `kubectl get nodes -L KEYS`). */
  keys: string;
  /** mismatch: what the nodes carry for those keys (`k8s-learn-worker2: disktype=ssd`). */
  seen: string;
  /** tainted: the matching nodes the pod may not use, and why (`k8s-learn-control-plane (taint …)`). */
  blocked: string;
  /** tainted: the first of them, and the label arguments that remove the selector's keys (`disktype-`). */
  node: string;
  unlabel: string;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

function tolerated(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some(
    (t) =>
      (!t.effect || t.effect === taint.effect) &&
      (t.operator === 'Exists'
        ? !t.key || t.key === taint.key
        : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

/** whyNotHere says why the pod may not use a node (a cordon, an untolerated taint), or undefined. */
function whyNotHere(node: K8sObject, tolerations: Toleration[]): string | undefined {
  if (node.spec?.unschedulable) return 'cordoned';
  const taints: Taint[] = node.spec?.taints ?? [];
  const taint = taints.find((t) => t.effect !== 'PreferNoSchedule' && !tolerated(tolerations, t));
  return taint ? `taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}` : undefined;
}

const pairs = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * nodeSelectorFinding explains an unschedulable pod by its nodeSelector and the nodes' labels, or
 * returns undefined when the selector is not the reason (none, or a usable node matches it: then
 * it is resources or another constraint).
 */
export function nodeSelectorFinding(pod: K8sObject, nodes: K8sObject[]): NodeSelectorFinding | undefined {
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  const wanted = Object.entries(selector);
  if (wanted.length === 0) return undefined;
  const tolerations: Toleration[] = pod.spec?.tolerations ?? [];
  const labelsOf = (n: K8sObject): Record<string, string> => n.metadata.labels ?? {};
  const base = {
    selector: pairs(selector),
    keys: Object.keys(selector).join(','),
    seen: '',
    blocked: '',
    node: '',
    unlabel: Object.keys(selector)
      .map((k) => `${k}-`)
      .join(' '),
  };
  const matching = nodes.filter((n) => wanted.every(([k, v]) => labelsOf(n)[k] === v));
  if (matching.length > 0) {
    const blocked = matching.map((n) => ({ name: n.metadata.name, why: whyNotHere(n, tolerations) }));
    if (blocked.some((b) => !b.why)) return undefined;
    return {
      ...base,
      causeId: 'node-label-tainted',
      blocked: blocked.map((b) => `${b.name} (${b.why})`).join(', '),
      node: blocked[0]!.name,
    };
  }
  const near = nodes.flatMap((n) => {
    const carried = wanted.filter(([k]) => k in labelsOf(n)).map(([k]) => `${k}=${labelsOf(n)[k]}`);
    return carried.length > 0 ? [`${n.metadata.name}: ${carried.join(',')}`] : [];
  });
  if (near.length > 0) return { ...base, causeId: 'node-label-mismatch', seen: near.join('; ') };
  return { ...base, causeId: 'node-label-missing' };
}
