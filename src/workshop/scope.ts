// Which steps a workshop learner cannot do: the ones that change the whole cluster. Their
// commands are shown for reading and never run. Decided from what the step would run: kind and
// cluster-level kubectl verbs, and manifests (as scaffolded into the workspace) or URLs with
// cluster-scoped kinds.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseCommandLine } from '../commandline.js';

/** Kinds that live outside any namespace (what a namespaced credential can never create). */
export const clusterScopedKinds = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CSIDriver',
  'VolumeAttachment',
]);

/**
 * Kinds a learner's Role leaves out even inside their namespace: identities and grants. With them
 * a learner could hand a pod (or themselves) more than the workshop gave; the security lesson's
 * steps that make them are done by the facilitator's example, not by the learner.
 */
export const learnerDeniedKinds = new Set(['ServiceAccount', 'Role', 'RoleBinding']);

/** beyondLearner is true for a kind a workshop learner cannot create. */
export function beyondLearner(kind: string): boolean {
  return clusterScopedKinds.has(kind) || learnerDeniedKinds.has(kind);
}

const nodeVerbs = new Set(['taint', 'cordon', 'uncordon', 'drain']);
const writeVerbs = new Set(['apply', 'create', 'replace', 'delete', 'patch', 'edit', 'label', 'annotate']);

function kindsInFile(file: string): string[] {
  try {
    return kindsInText(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** kindsInText lists the `kind` of every object in a YAML text (List items included). */
export function kindsInText(text: string): string[] {
  try {
    return parseAllDocuments(text).flatMap((doc) => {
      const value = doc.toJSON() as { kind?: unknown; items?: { kind?: unknown }[] } | null;
      if (!value || typeof value !== 'object') return [];
      const items = Array.isArray(value.items) ? value.items : [value];
      return items.map((i) => (typeof i?.kind === 'string' ? i.kind : '')).filter(Boolean);
    });
  } catch {
    return [];
  }
}

/**
 * clusterWideReason is why a command line changes the whole cluster (`kind create cluster`,
 * `kubectl create namespace x`, `kubectl apply -f` of a Namespace…), or undefined.
 */
export function clusterWideReason(line: string, workspace: string): string | undefined {
  let words: string[];
  try {
    words = parseCommandLine(line);
  } catch {
    return undefined;
  }
  const [program, ...args] = words;
  if (program === 'kind') return line;
  if (program === 'k8s-learn' && args[0] === 'practice') return line;
  // `load --fast` speeds up the practice cluster's autoscaling clock (a kube-system ConfigMap):
  // on a shared cluster that is everyone's clock.
  if (program === 'k8s-learn' && args[0] === 'load' && args.includes('--fast')) return line;
  if (program !== 'kubectl') return undefined;
  // Asking as someone else (`auth can-i --as=…`) is impersonation, which no learner may do.
  if (args.some((a) => a === '--as' || a.startsWith('--as='))) return line;
  const positionals = args.filter((a) => !a.startsWith('-'));
  const verb = positionals[0];
  if (!verb || !writeVerbs.has(verb)) return nodeVerbs.has(verb ?? '') ? line : undefined;
  const target = positionals[1]?.split('/')[0]?.toLowerCase();
  if (
    target &&
    /^(namespaces?|ns|nodes?|no|clusterroles?|clusterrolebindings?|crds?|customresourcedefinitions?|storageclass(es)?|pv|persistentvolumes?)$/.test(
      target,
    )
  ) {
    return line;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const file =
      a === '-f' || a === '--filename' ? args[i + 1] : a.startsWith('--filename=') ? a.slice(11) : undefined;
    if (!file) continue;
    // A remote manifest cannot be read here; those are cluster add-ons (metrics-server and the like).
    if (/^https?:\/\//.test(file)) return line;
    const kinds = kindsInFile(isAbsolute(file) ? file : join(workspace, file));
    const wide = kinds.find(beyondLearner);
    if (wide) return `${line} (${wide})`;
  }
  return undefined;
}
