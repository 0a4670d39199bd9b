// The objects `workshop provision` makes. Per learner: a namespace, a ServiceAccount, a Role with
// what the built-in course does inside its namespace, a RoleBinding, a ResourceQuota and a
// LimitRange; once per cluster a read-only ClusterRole for the cluster views the course shows
// (nodes), bound per learner. Everything carries the workshop label, which is how teardown finds it.
import { UsageError } from '../errors.js';

/** managedByLabel marks every object provision made; teardown deletes by it and by nothing else. */
export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'k8s-learn-workshop';
/** workshopSelector is the label selector of everything provision made. */
export const workshopSelector = `${managedByLabel}=${managedByValue}`;
/** learnerLabel names the learner an object belongs to. */
export const learnerLabel = 'k8s-learn.io/learner';

/** The fixed names inside a learner's namespace. */
export const serviceAccountName = 'learner';
export const roleName = 'k8s-learn-learner';
export const quotaName = 'k8s-learn-quota';
export const limitRangeName = 'k8s-learn-limits';
export const viewClusterRoleName = 'k8s-learn-workshop-view';

/** KubeObject is a manifest as sent to `kubectl apply`. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Quota is the ResourceQuota's `hard` map (`cpu=2,memory=2Gi,pods=20`). */
export type Quota = Record<string, string>;

export const defaultQuota = 'cpu=2,memory=2Gi,pods=20';

// A quantity as apimachinery writes it (decimal or binary suffix, optional exponent).
const quantityPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;
const quotaKeyPattern = /^([a-z0-9.-]+\/)?[a-z0-9.-]+$/i;

/**
 * parseQuota reads `--quota cpu=2,memory=2Gi,pods=20`; a bad entry is a usage error. `none` means
 * no ResourceQuota and no LimitRange (a cluster of the workshop's own, where limits only get in the way).
 */
export function parseQuota(text: string): Quota | undefined {
  if (text.trim() === 'none') return undefined;
  const hard: Quota = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value, extra] = part.split('=');
    if (!key || value === undefined || extra !== undefined || !quotaKeyPattern.test(key)) {
      throw new UsageError(
        `invalid --quota entry "${part}"`,
        'Write NAME=QUANTITY pairs: --quota cpu=2,memory=2Gi,pods=20',
      );
    }
    if (!quantityPattern.test(value)) {
      throw new UsageError(
        `invalid quantity "${value}" for ${key} in --quota`,
        'Quantities look like 2, 500m, 2Gi.',
      );
    }
    hard[key] = value;
  }
  return hard;
}

/** learnerNames are prefix + zero-padded numbers (learner-01 … learner-30). */
export function learnerNames(prefix: string, count: number): string[] {
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** checkLearnerName refuses names a namespace cannot have. */
export function checkLearnerName(name: string): void {
  if (name.length > 63 || !dnsLabel.test(name)) {
    throw new UsageError(
      `"${name}" cannot be a namespace name`,
      'Use a --prefix of lowercase letters, digits and "-" (a namespace is an RFC 1123 label, at most 63 characters).',
    );
  }
}

function labels(learner?: string): Record<string, string> {
  return { [managedByLabel]: managedByValue, ...(learner ? { [learnerLabel]: learner } : {}) };
}

const readVerbs = ['get', 'list', 'watch'];
const writeVerbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * learnerRules is what the course does inside the learner's namespace: its workloads, services,
 * config, the checks' reads (events, EndpointSlices, the service proxy, logs) and the progress
 * ConfigMap. Nothing cluster-scoped, no Secrets, no RBAC, no quota changes.
 */
export function learnerRules(namespace: string): unknown[] {
  return [
    { apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: writeVerbs },
    { apiGroups: [''], resources: ['pods/log', 'services/proxy', 'events', 'endpoints'], verbs: readVerbs },
    // The Service lesson's `dns` step: a shell in the learner's own pod, a tunnel to their own Service.
    { apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['get', 'create'] },
    { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: readVerbs },
    // The learner may read their own Namespace object (GET /api/v1/namespaces/NAME is authorized
    // as a request inside that namespace).
    { apiGroups: [''], resources: ['namespaces'], resourceNames: [namespace], verbs: ['get'] },
    { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: writeVerbs },
    {
      apiGroups: ['apps'],
      resources: ['deployments/scale', 'replicasets/scale'],
      verbs: ['get', 'update', 'patch'],
    },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: writeVerbs },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: readVerbs },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: readVerbs },
    { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list'] },
  ];
}

/** viewClusterRole is the read-only cluster view the course shows (`kubectl get nodes`). */
export function viewClusterRole(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: viewClusterRoleName, labels: labels() },
    rules: [
      { apiGroups: [''], resources: ['nodes'], verbs: readVerbs },
      { apiGroups: ['metrics.k8s.io'], resources: ['nodes'], verbs: ['get', 'list'] },
    ],
  };
}

/** LimitRange defaults: a ResourceQuota on cpu/memory rejects pods without requests otherwise. */
const containerDefaults = {
  default: { cpu: '500m', memory: '256Mi' },
  defaultRequest: { cpu: '100m', memory: '64Mi' },
};

/** learnerObjects are one learner's objects, namespace first (apply creates them in order). */
export function learnerObjects(learner: string, quota: Quota | undefined): KubeObject[] {
  const namespace = learner;
  const subject = { kind: 'ServiceAccount', name: serviceAccountName, namespace };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: labels(learner) } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: serviceAccountName, namespace, labels: labels(learner) },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: roleName, namespace, labels: labels(learner) },
      rules: learnerRules(namespace),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: roleName, namespace, labels: labels(learner) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [subject],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${viewClusterRoleName}-${learner}`, labels: labels(learner) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: viewClusterRoleName },
      subjects: [subject],
    },
    ...(quota ? quotaObjects(learner, quota) : []),
  ];
}

function quotaObjects(learner: string, quota: Quota): KubeObject[] {
  const namespace = learner;
  return [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: quotaName, namespace, labels: labels(learner) },
      spec: { hard: quota },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: limitRangeName, namespace, labels: labels(learner) },
      spec: { limits: [{ type: 'Container', ...containerDefaults }] },
    },
  ];
}
