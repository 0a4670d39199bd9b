// Recognises YAML that is not a Kubernetes object, so a kustomize repository, a kubeadm or kubelet
// config, a Helm chart, a docker-compose file or a CI workflow gets one info line saying what it
// is instead of `metadata.name: Required value` and `apiVersion is missing` errors.
import { basename } from 'node:path';

/** ForeignKind names what a non-Kubernetes YAML file is (locale variant under `check.not-kubernetes.`). */
export type ForeignKind =
  | 'kustomization'
  | 'component-config'
  | 'helm-template'
  | 'helm-chart'
  | 'compose'
  | 'workflow'
  | 'json-patch'
  | 'message';

/** Configuration file groups read by Kubernetes components and tools, never sent to the API server. */
const configGroups = [
  /\.config\.k8s\.io$/, // kubelet, kube-proxy, kube-scheduler, apiserver, kustomize …
  /^kubeadm\.k8s\.io$/,
  /^apiserver\.k8s\.io$/, // EgressSelectorConfiguration
  /^audit\.k8s\.io$/,
  /^imagepolicy\.k8s\.io$/,
  /^client\.authentication\.k8s\.io$/,
  /^kind\.x-k8s\.io$/,
];

/** kind's own Cluster config is checked with its schema (the course writes one); other kind files are not. */
const checkedConfigs = new Set(['kind.x-k8s.io/v1alpha4/Cluster']);

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

/** helmTemplate: Go template actions in the text, as in a chart's templates/ directory. */
export function isHelmTemplate(path: string, text: string): boolean {
  if (!/\{\{-?\s*[.$a-zA-Z/(]/.test(text)) return false;
  return (
    /(^|[\\/])templates[\\/]/.test(path) ||
    /\{\{-?\s*(\.Values|\.Release|\.Chart|include|template|toYaml)\b/.test(text)
  );
}

/** foreignFile classifies a whole file by its name and text before parsing (templates are not YAML). */
export function foreignFile(path: string, text: string): { kind: ForeignKind; what: string } | undefined {
  const name = basename(path);
  if (isHelmTemplate(path, text)) return { kind: 'helm-template', what: name };
  if (name === 'Chart.yaml' || name === 'Chart.yml') return { kind: 'helm-chart', what: name };
  if (/(^|[\\/])\.github[\\/]workflows[\\/]/.test(path)) return { kind: 'workflow', what: name };
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name)) return { kind: 'compose', what: name };
  return undefined;
}

/** isKustomizationFile: kustomize's own file names. */
export function isKustomizationFile(path: string): boolean {
  return /^(kustomization\.ya?ml|Kustomization)$/.test(basename(path));
}

/**
 * foreignDocument classifies one parsed document: a kustomization, a component config, a compose
 * file or workflow without the usual names, or a document with none of apiVersion, kind, metadata.
 */
export function foreignDocument(
  path: string,
  value: Record<string, unknown>,
): { kind: ForeignKind; what: string } | undefined {
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const kind = typeof value.kind === 'string' ? value.kind : '';
  if (
    isKustomizationFile(path) ||
    (apiVersion.startsWith('kustomize.config.k8s.io/') && (kind === 'Kustomization' || kind === 'Component'))
  )
    return { kind: 'kustomization', what: kind || 'Kustomization' };
  const group = groupOf(apiVersion);
  if (group && configGroups.some((g) => g.test(group)) && !checkedConfigs.has(`${apiVersion}/${kind}`))
    return { kind: 'component-config', what: `${kind || '?'} (${apiVersion})` };
  if ('apiVersion' in value || 'kind' in value || 'metadata' in value) return undefined;
  if (value.services !== undefined && (value.version !== undefined || isObject(value.services)))
    return { kind: 'compose', what: basename(path) };
  if (value.jobs !== undefined && (value.on !== undefined || value.true !== undefined))
    return { kind: 'workflow', what: basename(path) };
  return { kind: 'message', what: basename(path) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
