// The default RBAC objects a kind 1.33 cluster starts with: upstream's bootstrap ClusterRoles
// (user-facing admin/edit/view/cluster-admin, aggregated from the system:aggregate-to-* roles,
// and the system:* roles) with their bindings, plus the ones kubeadm and kind add. The data is
// upstream's bootstrap policy, written compactly: `rule(apiGroups, resources, verbs, names?)`
// with space-separated lists, `urls(nonResourceURLs, verbs)`. As on a real API server, they are
// re-created at every start when missing (the `autoupdate` annotation); edits are kept.
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

/** PolicyRule is an rbac.authorization.k8s.io/v1 rule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const list = (s: string): string[] => (s === '' ? [''] : s.split(' '));

function rule(apiGroups: string, resources: string, verbs: string, names?: string): PolicyRule {
  const r: PolicyRule = { apiGroups: list(apiGroups), resources: list(resources), verbs: list(verbs) };
  if (names) r.resourceNames = list(names);
  return r;
}

function urls(nonResourceURLs: string, verbs: string): PolicyRule {
  return { nonResourceURLs: list(nonResourceURLs), verbs: list(verbs) };
}

const READ = 'get list watch';
const WRITE = 'create delete deletecollection patch update';
const ALL = 'create delete deletecollection get list patch update watch';
const EVENTS_WRITE = rule(' events.k8s.io', 'events', 'create patch update');

interface RoleSpec {
  name: string;
  rules?: PolicyRule[];
  /** `rbac.authorization.k8s.io/aggregate-to-<x>` labels this role carries. */
  aggregateTo?: string[];
  /** Aggregated roles collect the rules of roles labelled `aggregate-to-<aggregate>`. */
  aggregate?: string;
  /** Roles kubeadm or kind add (no `kubernetes.io/bootstrapping` label). */
  addOn?: boolean;
}

// biome-ignore format: the policy reads best one rule per line
const CLUSTER_ROLES: RoleSpec[] = [
  { name: 'admin', aggregate: 'admin' },
  { name: 'cluster-admin', rules: [rule('*', '*', '*'), urls('*', '*')] },
  { name: 'edit', aggregate: 'edit', aggregateTo: ['admin'] },
  { name: 'system:aggregate-to-admin', aggregateTo: ['admin'], rules: [
    rule('authorization.k8s.io', 'localsubjectaccessreviews', 'create'),
    rule('rbac.authorization.k8s.io', 'rolebindings roles', ALL),
  ] },
  { name: 'system:aggregate-to-edit', aggregateTo: ['edit'], rules: [
    rule('', 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy', READ),
    rule('', 'serviceaccounts', 'impersonate'),
    rule('', 'pods pods/attach pods/exec pods/portforward pods/proxy', WRITE),
    rule('', 'pods/eviction', 'create'),
    rule('', 'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy', WRITE),
    rule('', 'serviceaccounts/token', 'create'),
    rule('apps', 'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale', WRITE),
    rule('autoscaling', 'horizontalpodautoscalers', WRITE),
    rule('batch', 'cronjobs jobs', WRITE),
    rule('extensions', 'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale', WRITE),
    rule('policy', 'poddisruptionbudgets', WRITE),
    rule('networking.k8s.io', 'ingresses networkpolicies', WRITE),
    rule('coordination.k8s.io', 'leases', ALL),
  ] },
  { name: 'system:aggregate-to-view', aggregateTo: ['view'], rules: [
    rule('', 'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status', READ),
    rule('', 'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status', READ),
    rule('', 'namespaces', READ),
    rule('discovery.k8s.io', 'endpointslices', READ),
    rule('apps', 'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status', READ),
    rule('autoscaling', 'horizontalpodautoscalers horizontalpodautoscalers/status', READ),
    rule('batch', 'cronjobs cronjobs/status jobs jobs/status', READ),
    rule('extensions', 'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale', READ),
    rule('policy', 'poddisruptionbudgets poddisruptionbudgets/status', READ),
    rule('networking.k8s.io', 'ingresses ingresses/status networkpolicies', READ),
  ] },
  { name: 'system:auth-delegator', rules: [
    rule('authentication.k8s.io', 'tokenreviews', 'create'),
    rule('authorization.k8s.io', 'subjectaccessreviews', 'create'),
  ] },
  { name: 'system:basic-user', rules: [
    rule('authorization.k8s.io', 'selfsubjectaccessreviews selfsubjectrulesreviews', 'create'),
    rule('authentication.k8s.io', 'selfsubjectreviews', 'create'),
  ] },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', rules: [rule('certificates.k8s.io', 'certificatesigningrequests/nodeclient', 'create')] },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', rules: [rule('certificates.k8s.io', 'certificatesigningrequests/selfnodeclient', 'create')] },
  { name: 'system:certificates.k8s.io:kube-apiserver-client-approver', rules: [rule('certificates.k8s.io', 'signers', 'approve', 'kubernetes.io/kube-apiserver-client')] },
  { name: 'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', rules: [rule('certificates.k8s.io', 'signers', 'approve', 'kubernetes.io/kube-apiserver-client-kubelet')] },
  { name: 'system:certificates.k8s.io:kubelet-serving-approver', rules: [rule('certificates.k8s.io', 'signers', 'approve', 'kubernetes.io/kubelet-serving')] },
  { name: 'system:certificates.k8s.io:legacy-unknown-approver', rules: [rule('certificates.k8s.io', 'signers', 'approve', 'kubernetes.io/legacy-unknown')] },
  { name: 'system:discovery', rules: [urls('/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/', 'get')] },
  { name: 'system:heapster', rules: [rule('', 'events namespaces nodes pods', READ), rule('extensions', 'deployments', READ)] },
  { name: 'system:kube-aggregator', rules: [rule('', 'endpoints services', READ)] },
  { name: 'system:kube-controller-manager', rules: [
    EVENTS_WRITE,
    rule('coordination.k8s.io', 'leases', 'create'),
    rule('coordination.k8s.io', 'leases', 'get update', 'kube-controller-manager'),
    rule('', 'secrets serviceaccounts', 'create'),
    rule('', 'secrets', 'delete'),
    rule('', 'configmaps namespaces secrets serviceaccounts', 'get'),
    rule('', 'secrets serviceaccounts', 'update'),
    rule('authentication.k8s.io', 'tokenreviews', 'create'),
    rule('authorization.k8s.io', 'subjectaccessreviews', 'create'),
    rule('*', '*', 'list watch'),
    rule('', 'serviceaccounts/token', 'create'),
  ] },
  { name: 'system:kube-dns', rules: [rule('', 'endpoints services', 'list watch')] },
  { name: 'system:kube-scheduler', rules: [
    EVENTS_WRITE,
    rule('coordination.k8s.io', 'leases', 'create'),
    rule('coordination.k8s.io', 'leases', 'get update', 'kube-scheduler'),
    rule('', 'nodes', READ),
    rule('', 'pods', 'delete get list watch'),
    rule('', 'bindings pods/binding', 'create'),
    rule('', 'pods/status', 'patch update'),
    rule('', 'replicationcontrollers services', READ),
    rule('apps extensions', 'replicasets', READ),
    rule('apps', 'statefulsets', READ),
    rule('policy', 'poddisruptionbudgets', READ),
    rule('', 'persistentvolumeclaims persistentvolumes', READ),
    rule('authentication.k8s.io', 'tokenreviews', 'create'),
    rule('authorization.k8s.io', 'subjectaccessreviews', 'create'),
    rule('storage.k8s.io', 'csinodes', READ),
    rule('', 'namespaces', READ),
    rule('storage.k8s.io', 'csidrivers', READ),
    rule('storage.k8s.io', 'csistoragecapacities', READ),
  ] },
  { name: 'system:kubelet-api-admin', rules: [
    rule('', 'nodes', READ), rule('', 'nodes', 'proxy'), rule('', 'nodes/log nodes/metrics nodes/proxy nodes/stats', '*'),
  ] },
  { name: 'system:monitoring', rules: [urls('/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*', 'get')] },
  { name: 'system:node', rules: [
    rule('authentication.k8s.io', 'tokenreviews', 'create'),
    rule('authorization.k8s.io', 'localsubjectaccessreviews subjectaccessreviews', 'create'),
    rule('', 'services', READ),
    rule('', 'nodes', 'create get list watch'),
    rule('', 'nodes/status', 'patch update'),
    rule('', 'nodes', 'patch update'),
    rule('', 'events', 'create patch update'),
    rule('', 'pods', READ),
    rule('', 'pods', 'create delete'),
    rule('', 'pods/status', 'patch update'),
    rule('', 'pods/eviction', 'create'),
    rule('', 'configmaps secrets', READ),
    rule('', 'persistentvolumeclaims persistentvolumes', 'get'),
    rule('', 'endpoints', 'get'),
    rule('certificates.k8s.io', 'certificatesigningrequests', 'create get list watch'),
    rule('coordination.k8s.io', 'leases', 'create delete get patch update'),
    rule('storage.k8s.io', 'volumeattachments', 'get'),
    rule('', 'serviceaccounts/token', 'create'),
    rule('', 'persistentvolumeclaims/status', 'get patch update'),
    rule('storage.k8s.io', 'csidrivers', READ),
    rule('storage.k8s.io', 'csinodes', 'create delete get patch update'),
    rule('node.k8s.io', 'runtimeclasses', READ),
  ] },
  { name: 'system:node-bootstrapper', rules: [rule('certificates.k8s.io', 'certificatesigningrequests', 'create get list watch')] },
  { name: 'system:node-problem-detector', rules: [rule('', 'nodes', 'get'), rule('', 'nodes/status', 'patch'), EVENTS_WRITE] },
  { name: 'system:node-proxier', rules: [
    rule('', 'endpoints services', 'list watch'), rule('', 'nodes', READ), EVENTS_WRITE,
    rule('discovery.k8s.io', 'endpointslices', 'list watch'),
  ] },
  { name: 'system:persistent-volume-provisioner', rules: [
    rule('', 'persistentvolumes', 'create delete get list watch'),
    rule('', 'persistentvolumeclaims', 'get list update watch'),
    rule('storage.k8s.io', 'storageclasses', READ),
    rule('', 'events', 'watch'),
    EVENTS_WRITE,
  ] },
  { name: 'system:public-info-viewer', rules: [urls('/healthz /livez /readyz /version /version/', 'get')] },
  { name: 'system:service-account-issuer-discovery', rules: [urls('/.well-known/openid-configuration /openid/v1/jwks', 'get')] },
  { name: 'system:volume-scheduler', rules: [
    rule('', 'persistentvolumes', 'get list patch update watch'),
    rule('storage.k8s.io', 'storageclasses', READ),
    rule('', 'persistentvolumeclaims', 'get list patch update watch'),
  ] },
  { name: 'view', aggregate: 'view', aggregateTo: ['edit'] },
  // Added by kubeadm and kind.
  { name: 'kubeadm:get-nodes', addOn: true, rules: [rule('', 'nodes', 'get')] },
  { name: 'kindnet', addOn: true, rules: [rule('policy', 'podsecuritypolicies', 'use', 'kindnet'), rule('', 'nodes', 'list watch patch'), rule('', 'namespaces pods', 'list watch'), rule('networking.k8s.io', 'networkpolicies', 'list watch')] },
  { name: 'local-path-provisioner-role', addOn: true, rules: [
    rule('', 'nodes persistentvolumeclaims configmaps pods pods/log', READ),
    rule('', 'persistentvolumes', 'get list watch create patch update delete'),
    rule('', 'events', 'create patch'),
    rule('storage.k8s.io', 'storageclasses', READ),
  ] },
  { name: 'system:coredns', addOn: true, rules: [rule('', 'endpoints services pods namespaces', 'list watch'), rule('discovery.k8s.io', 'endpointslices', 'list watch')] },
];

type Subject = { kind: 'Group' | 'User' | 'ServiceAccount'; name: string; namespace?: string };
const group = (name: string): Subject => ({ kind: 'Group', name });
const user = (name: string): Subject => ({ kind: 'User', name });
const sa = (name: string): Subject => ({ kind: 'ServiceAccount', name, namespace: 'kube-system' });

// biome-ignore format: one binding per line
const CLUSTER_ROLE_BINDINGS: { name: string; role: string; subjects: Subject[]; addOn?: boolean }[] = [
  { name: 'cluster-admin', role: 'cluster-admin', subjects: [group('system:masters')] },
  { name: 'kubeadm:cluster-admins', role: 'cluster-admin', subjects: [group('kubeadm:cluster-admins')], addOn: true },
  { name: 'kubeadm:get-nodes', role: 'kubeadm:get-nodes', subjects: [group('system:bootstrappers:kubeadm:default-node-token')], addOn: true },
  { name: 'kubeadm:kubelet-bootstrap', role: 'system:node-bootstrapper', subjects: [group('system:bootstrappers:kubeadm:default-node-token')], addOn: true },
  { name: 'kubeadm:node-autoapprove-bootstrap', role: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', subjects: [group('system:bootstrappers:kubeadm:default-node-token')], addOn: true },
  { name: 'kubeadm:node-autoapprove-certificate-rotation', role: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', subjects: [group('system:nodes')], addOn: true },
  { name: 'kubeadm:node-proxier', role: 'system:node-proxier', subjects: [sa('kube-proxy')], addOn: true },
  { name: 'kindnet', role: 'kindnet', subjects: [sa('kindnet')], addOn: true },
  { name: 'local-path-provisioner-bind', role: 'local-path-provisioner-role', subjects: [{ kind: 'ServiceAccount', name: 'local-path-provisioner-service-account', namespace: 'local-path-storage' }], addOn: true },
  { name: 'system:basic-user', role: 'system:basic-user', subjects: [group('system:authenticated')] },
  { name: 'system:coredns', role: 'system:coredns', subjects: [sa('coredns')], addOn: true },
  { name: 'system:discovery', role: 'system:discovery', subjects: [group('system:authenticated')] },
  { name: 'system:kube-controller-manager', role: 'system:kube-controller-manager', subjects: [user('system:kube-controller-manager')] },
  { name: 'system:kube-dns', role: 'system:kube-dns', subjects: [sa('kube-dns')] },
  { name: 'system:kube-scheduler', role: 'system:kube-scheduler', subjects: [user('system:kube-scheduler')] },
  { name: 'system:monitoring', role: 'system:monitoring', subjects: [group('system:monitoring')] },
  { name: 'system:node', role: 'system:node', subjects: [] },
  { name: 'system:node-proxier', role: 'system:node-proxier', subjects: [user('system:kube-proxy')] },
  { name: 'system:public-info-viewer', role: 'system:public-info-viewer', subjects: [group('system:authenticated'), group('system:unauthenticated')] },
  { name: 'system:service-account-issuer-discovery', role: 'system:service-account-issuer-discovery', subjects: [group('system:serviceaccounts')] },
  { name: 'system:volume-scheduler', role: 'system:volume-scheduler', subjects: [user('system:kube-scheduler')] },
];

const RBAC = 'rbac.authorization.k8s.io';
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

function labelsOf(spec: { addOn?: boolean; aggregateTo?: string[] }): Record<string, string> | undefined {
  const labels: Record<string, string> = spec.addOn ? {} : { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
  for (const a of spec.aggregateTo ?? []) labels[`${RBAC}/aggregate-to-${a}`] = 'true';
  return Object.keys(labels).length ? labels : undefined;
}

function metadataOf(name: string, spec: { addOn?: boolean; aggregateTo?: string[] }): KubeObject['metadata'] {
  const meta: KubeObject['metadata'] = { name };
  const labels = labelsOf(spec);
  if (labels) meta.labels = labels;
  if (!spec.addOn) meta.annotations = { ...AUTOUPDATE };
  return meta;
}

function clusterRoleObject(spec: RoleSpec): KubeObject {
  const obj: KubeObject = {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: metadataOf(spec.name, spec),
  };
  if (spec.aggregate) {
    obj.aggregationRule = {
      clusterRoleSelectors: [{ matchLabels: { [`${RBAC}/aggregate-to-${spec.aggregate}`]: 'true' } }],
    };
    obj.rules = [];
  } else obj.rules = spec.rules ?? [];
  return obj;
}

function bindingObject(b: (typeof CLUSTER_ROLE_BINDINGS)[number]): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: metadataOf(b.name, b),
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: b.role },
    subjects: b.subjects.map((s) => (s.kind === 'ServiceAccount' ? s : { apiGroup: RBAC, ...s })),
  };
}

/** seedBootstrapPolicy creates the default ClusterRoles and ClusterRoleBindings that are missing. */
export function seedBootstrapPolicy(store: ObjectStore): void {
  for (const spec of CLUSTER_ROLES) {
    if (!store.get(`clusterroles.${RBAC}`, undefined, spec.name))
      store.create(`clusterroles.${RBAC}`, clusterRoleObject(spec));
  }
  for (const b of CLUSTER_ROLE_BINDINGS) {
    if (!store.get(`clusterrolebindings.${RBAC}`, undefined, b.name))
      store.create(`clusterrolebindings.${RBAC}`, bindingObject(b));
  }
}
