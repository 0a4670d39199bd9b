// The resource table: every kind the practice cluster serves, with what discovery, routing,
// kubectl's short names and the store need. Table columns live in server/tables.ts; schemas
// (fields, defaults, merge keys) in schema/.

/** ResourceDef describes one REST resource in one API group. */
export interface ResourceDef {
  /** API group, '' for the core group. */
  group: string;
  /** Served versions; the first is the preferred and storage version. */
  versions: string[];
  /** Plural resource name in URLs: `deployments`. */
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served under `<resource>/<name>/<sub>`: status, scale, log, proxy. */
  subresources?: string[];
  /** metadata.generation is set and bumped on spec changes (workload kinds). */
  tracksGeneration?: boolean;
  /** Store key when two groups share storage (events.k8s.io events live with core events). */
  storage?: string;
  /** Read-only resources (Endpoints are written by controllers only through the store). */
  readOnly?: boolean;
  /** Review resources: POST answers at once and stores nothing (SelfSubjectAccessReview). */
  review?: boolean;
  /** Served because a CustomResourceDefinition asks for it (policy/crds.ts). */
  custom?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ_VERBS = ['get', 'list', 'watch'];

/** RESOURCES is the table of served resources. Order is discovery order. */
// biome-ignore format: one row per resource reads best as a table
export const RESOURCES: ResourceDef[] = [
  { group: '', versions: ['v1'], resource: 'namespaces', kind: 'Namespace', singular: 'namespace', namespaced: false, shortNames: ['ns'], subresources: ['status', 'finalize'] },
  { group: '', versions: ['v1'], resource: 'configmaps', kind: 'ConfigMap', singular: 'configmap', namespaced: true, shortNames: ['cm'] },
  { group: '', versions: ['v1'], resource: 'secrets', kind: 'Secret', singular: 'secret', namespaced: true },
  { group: '', versions: ['v1'], resource: 'serviceaccounts', kind: 'ServiceAccount', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'], subresources: ['token'] },
  { group: '', versions: ['v1'], resource: 'services', kind: 'Service', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status', 'proxy'] },
  { group: '', versions: ['v1'], resource: 'endpoints', kind: 'Endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'], readOnly: true },
  { group: '', versions: ['v1'], resource: 'pods', kind: 'Pod', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'log', 'proxy', 'exec', 'attach', 'portforward', 'ephemeralcontainers'], tracksGeneration: true },
  { group: '', versions: ['v1'], resource: 'events', kind: 'Event', singular: 'event', namespaced: true, shortNames: ['ev'] },
  { group: '', versions: ['v1'], resource: 'nodes', kind: 'Node', singular: 'node', namespaced: false, shortNames: ['no'], subresources: ['status', 'proxy'] },
  { group: '', versions: ['v1'], resource: 'limitranges', kind: 'LimitRange', singular: 'limitrange', namespaced: true, shortNames: ['limits'] },
  { group: '', versions: ['v1'], resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', singular: 'persistentvolumeclaim', namespaced: true, shortNames: ['pvc'], subresources: ['status'] },
  { group: '', versions: ['v1'], resource: 'persistentvolumes', kind: 'PersistentVolume', singular: 'persistentvolume', namespaced: false, shortNames: ['pv'], subresources: ['status'] },
  { group: '', versions: ['v1'], resource: 'podtemplates', kind: 'PodTemplate', singular: 'podtemplate', namespaced: true },
  { group: '', versions: ['v1'], resource: 'replicationcontrollers', kind: 'ReplicationController', singular: 'replicationcontroller', namespaced: true, shortNames: ['rc'], categories: ['all'], subresources: ['status', 'scale'], tracksGeneration: true },
  { group: '', versions: ['v1'], resource: 'resourcequotas', kind: 'ResourceQuota', singular: 'resourcequota', namespaced: true, shortNames: ['quota'], subresources: ['status'] },
  { group: 'apps', versions: ['v1'], resource: 'deployments', kind: 'Deployment', singular: 'deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], tracksGeneration: true },
  { group: 'apps', versions: ['v1'], resource: 'replicasets', kind: 'ReplicaSet', singular: 'replicaset', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], tracksGeneration: true },
  { group: 'apps', versions: ['v1'], resource: 'controllerrevisions', kind: 'ControllerRevision', singular: 'controllerrevision', namespaced: true },
  { group: 'apps', versions: ['v1'], resource: 'daemonsets', kind: 'DaemonSet', singular: 'daemonset', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'], tracksGeneration: true },
  { group: 'apps', versions: ['v1'], resource: 'statefulsets', kind: 'StatefulSet', singular: 'statefulset', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'], tracksGeneration: true },
  { group: 'autoscaling', versions: ['v2', 'v1'], resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', singular: 'horizontalpodautoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'], subresources: ['status'] },
  { group: 'batch', versions: ['v1'], resource: 'cronjobs', kind: 'CronJob', singular: 'cronjob', namespaced: true, shortNames: ['cj'], categories: ['all'], subresources: ['status'], tracksGeneration: true },
  { group: 'batch', versions: ['v1'], resource: 'jobs', kind: 'Job', singular: 'job', namespaced: true, categories: ['all'], subresources: ['status'], tracksGeneration: true },
  { group: 'discovery.k8s.io', versions: ['v1'], resource: 'endpointslices', kind: 'EndpointSlice', singular: 'endpointslice', namespaced: true, tracksGeneration: true },
  { group: 'events.k8s.io', versions: ['v1'], resource: 'events', kind: 'Event', singular: 'event', namespaced: true, shortNames: ['ev'], storage: 'events' },
  { group: 'authentication.k8s.io', versions: ['v1'], resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', singular: 'selfsubjectreview', namespaced: false, review: true },
  { group: 'authentication.k8s.io', versions: ['v1'], resource: 'tokenreviews', kind: 'TokenReview', singular: 'tokenreview', namespaced: false, review: true },
  { group: 'authorization.k8s.io', versions: ['v1'], resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', singular: 'localsubjectaccessreview', namespaced: true, review: true },
  { group: 'authorization.k8s.io', versions: ['v1'], resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', singular: 'selfsubjectaccessreview', namespaced: false, review: true },
  { group: 'authorization.k8s.io', versions: ['v1'], resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', singular: 'selfsubjectrulesreview', namespaced: false, review: true },
  { group: 'authorization.k8s.io', versions: ['v1'], resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', singular: 'subjectaccessreview', namespaced: false, review: true },
  { group: 'coordination.k8s.io', versions: ['v1'], resource: 'leases', kind: 'Lease', singular: 'lease', namespaced: true },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'networkpolicies', kind: 'NetworkPolicy', singular: 'networkpolicy', namespaced: true, shortNames: ['netpol'], tracksGeneration: true },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'ingressclasses', kind: 'IngressClass', singular: 'ingressclass', namespaced: false },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'ingresses', kind: 'Ingress', singular: 'ingress', namespaced: true, shortNames: ['ing'], subresources: ['status'], tracksGeneration: true },
  { group: 'policy', versions: ['v1'], resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', singular: 'poddisruptionbudget', namespaced: true, shortNames: ['pdb'], subresources: ['status'], tracksGeneration: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'roles', kind: 'Role', singular: 'role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'rolebindings', kind: 'RoleBinding', singular: 'rolebinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterroles', kind: 'ClusterRole', singular: 'clusterrole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', singular: 'clusterrolebinding', namespaced: false },
  { group: 'storage.k8s.io', versions: ['v1'], resource: 'csidrivers', kind: 'CSIDriver', singular: 'csidriver', namespaced: false },
  { group: 'storage.k8s.io', versions: ['v1'], resource: 'csinodes', kind: 'CSINode', singular: 'csinode', namespaced: false },
  { group: 'storage.k8s.io', versions: ['v1'], resource: 'storageclasses', kind: 'StorageClass', singular: 'storageclass', namespaced: false, shortNames: ['sc'] },
  { group: 'storage.k8s.io', versions: ['v1'], resource: 'volumeattachments', kind: 'VolumeAttachment', singular: 'volumeattachment', namespaced: false, subresources: ['status'] },
  { group: 'apiextensions.k8s.io', versions: ['v1'], resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', singular: 'customresourcedefinition', namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: ['status'] },
  { group: 'scheduling.k8s.io', versions: ['v1'], resource: 'priorityclasses', kind: 'PriorityClass', singular: 'priorityclass', namespaced: false, shortNames: ['pc'] },
  { group: 'node.k8s.io', versions: ['v1'], resource: 'runtimeclasses', kind: 'RuntimeClass', singular: 'runtimeclass', namespaced: false },
];

/** verbsOf lists the verbs discovery advertises for a resource. */
export function verbsOf(def: ResourceDef): string[] {
  if (def.readOnly) return READ_VERBS;
  if (def.review) return ['create'];
  if (def.resource === 'namespaces') return ALL_VERBS.filter((v) => v !== 'deletecollection');
  return ALL_VERBS;
}

/** storageKey is the store's name for a resource: `deployments.apps`, `configmaps`. */
export function storageKey(def: ResourceDef): string {
  return def.storage ?? (def.group ? `${def.resource}.${def.group}` : def.resource);
}

/** apiVersionOf joins group and version as objects spell it: `apps/v1`, `v1`. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** findResource finds a served resource by group, version and plural name. */
export function findResource(group: string, version: string, resource: string): ResourceDef | undefined {
  return RESOURCES.find((d) => d.group === group && d.resource === resource && d.versions.includes(version));
}

/** findByKind finds a resource by apiVersion and kind (ownerReferences, involvedObject). */
export function findByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return RESOURCES.find((d) => d.group === group && d.kind === kind && d.versions.includes(version ?? ''));
}

/** resourceByStorageKey finds the primary definition behind a store key. */
export function resourceByStorageKey(key: string): ResourceDef | undefined {
  return RESOURCES.find((d) => !d.storage && storageKey(d) === key);
}

/** groupsInOrder lists API groups (without core) in discovery order, each with its versions. */
export function groupsInOrder(): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const def of RESOURCES) {
    if (!def.group) continue;
    let entry = out.find((g) => g.name === def.group);
    if (!entry) {
      entry = { name: def.group, versions: [] };
      out.push(entry);
    }
    for (const v of def.versions) if (!entry.versions.includes(v)) entry.versions.push(v);
  }
  return out;
}

/** EXTRA_SUBRESOURCES are subresources served beside a row's own: `pods/eviction` (drain). */
const EXTRA_SUBRESOURCES: Record<string, string[]> = { pods: ['eviction'] };

/** subresourcesOf lists every subresource served under a resource. */
export function subresourcesOf(def: ResourceDef): string[] {
  const extra = def.group === '' ? (EXTRA_SUBRESOURCES[def.resource] ?? []) : [];
  return [...(def.subresources ?? []), ...extra];
}
