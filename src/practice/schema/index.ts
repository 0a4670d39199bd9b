// Field types of the served kinds (types.json, generated from the Kubernetes 1.33 models) and
// list semantics (merge keys for strategic merge patch, list-map keys for server-side apply).
import typesJson from './types.json' with { type: 'json' };

/** TypeMap is field name → encoded type: `string`, `integer`, `[]V1Container`, `map:string`, … */
export type TypeMap = Record<string, string>;

const types = typesJson as Record<string, TypeMap>;

/** typeFields returns the fields of a named type, or undefined for scalars and unknown names. */
export function typeFields(name: string): TypeMap | undefined {
  return types[name];
}

/** isKnownType tells whether a name is a struct type in the schema. */
export function isKnownType(name: string): boolean {
  return Object.hasOwn(types, name);
}

// biome-ignore format: a lookup table
const ROOTS: Record<string, string> = {
  'v1/Namespace': 'V1Namespace', 'v1/ConfigMap': 'V1ConfigMap', 'v1/Secret': 'V1Secret',
  'v1/ServiceAccount': 'V1ServiceAccount', 'v1/Service': 'V1Service', 'v1/Endpoints': 'V1Endpoints',
  'v1/Pod': 'V1Pod', 'v1/Event': 'CoreV1Event', 'v1/Node': 'V1Node',
  'apps/v1/Deployment': 'V1Deployment', 'apps/v1/ReplicaSet': 'V1ReplicaSet',
  'autoscaling/v2/HorizontalPodAutoscaler': 'V2HorizontalPodAutoscaler',
  'autoscaling/v1/HorizontalPodAutoscaler': 'V1HorizontalPodAutoscaler', 'autoscaling/v1/Scale': 'V1Scale',
  'discovery.k8s.io/v1/EndpointSlice': 'V1EndpointSlice', 'events.k8s.io/v1/Event': 'EventsV1Event',
  'networking.k8s.io/v1/NetworkPolicy': 'V1NetworkPolicy',
  'rbac.authorization.k8s.io/v1/Role': 'V1Role', 'rbac.authorization.k8s.io/v1/RoleBinding': 'V1RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'V1ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'V1ClusterRoleBinding',
};

/** rootType names the schema type of a kind in an apiVersion (`apps/v1`, `Deployment`). */
export function rootType(apiVersion: string, kind: string): string | undefined {
  const listed = ROOTS[`${apiVersion}/${kind}`];
  if (listed) return listed;
  // The other served kinds follow the models' naming: batch/v1 Job → V1Job.
  const version = apiVersion.split('/').pop() ?? '';
  const name = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return BUILT_IN_GROUPS.has(group) && isKnownType(name) ? name : undefined;
}

// Groups whose kinds have models; custom resources (CRDs) are checked against no schema.
// biome-ignore format: a list
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'networking.k8s.io', 'storage.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io', 'node.k8s.io']);

/** ListSemantics says how a list field merges. */
export interface ListSemantics {
  /** Strategic merge patch key (`x-kubernetes-patch-merge-key`). */
  mergeKey?: string;
  /** Server-side apply list-map keys (`x-kubernetes-list-map-keys`); absent = atomic list. */
  mapKeys?: string[];
  /** `set` for lists of scalars merged as sets (finalizers). */
  set?: boolean;
  /** `x-kubernetes-patch-strategy` includes retainKeys. */
  retainKeys?: boolean;
}

// biome-ignore format: a lookup table
const LISTS: Record<string, ListSemantics> = {
  'V1PodSpec.containers': { mergeKey: 'name', mapKeys: ['name'] },
  'V1PodSpec.initContainers': { mergeKey: 'name', mapKeys: ['name'] },
  'V1PodSpec.ephemeralContainers': { mergeKey: 'name', mapKeys: ['name'] },
  'V1PodSpec.volumes': { mergeKey: 'name', mapKeys: ['name'], retainKeys: true },
  'V1PodSpec.imagePullSecrets': { mergeKey: 'name', mapKeys: ['name'] },
  'V1PodSpec.hostAliases': { mergeKey: 'ip', mapKeys: ['ip'] },
  'V1PodSpec.topologySpreadConstraints': { mergeKey: 'topologyKey', mapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  'V1PodSpec.readinessGates': {},
  'V1PodSpec.schedulingGates': { mergeKey: 'name', mapKeys: ['name'] },
  'V1PodSpec.resourceClaims': { mergeKey: 'name', mapKeys: ['name'] },
  'V1Container.ports': { mergeKey: 'containerPort', mapKeys: ['containerPort', 'protocol'] },
  'V1Container.env': { mergeKey: 'name', mapKeys: ['name'] },
  'V1Container.volumeMounts': { mergeKey: 'mountPath', mapKeys: ['mountPath'] },
  'V1Container.volumeDevices': { mergeKey: 'devicePath', mapKeys: ['devicePath'] },
  'V1EphemeralContainer.ports': { mergeKey: 'containerPort', mapKeys: ['containerPort', 'protocol'] },
  'V1EphemeralContainer.env': { mergeKey: 'name', mapKeys: ['name'] },
  'V1EphemeralContainer.volumeMounts': { mergeKey: 'mountPath', mapKeys: ['mountPath'] },
  'V1ServiceSpec.ports': { mergeKey: 'port', mapKeys: ['port', 'protocol'] },
  'V1ObjectMeta.ownerReferences': { mergeKey: 'uid', mapKeys: ['uid'] },
  'V1ObjectMeta.finalizers': { set: true },
  'V1DeploymentStatus.conditions': { mergeKey: 'type', mapKeys: ['type'] },
  'V1ReplicaSetStatus.conditions': { mergeKey: 'type', mapKeys: ['type'] },
  'V1PodStatus.conditions': { mergeKey: 'type', mapKeys: ['type'] },
  'V1PodStatus.podIPs': { mergeKey: 'ip', mapKeys: ['ip'] },
  'V1NodeStatus.conditions': { mergeKey: 'type', mapKeys: ['type'] },
  'V1NodeStatus.addresses': { mergeKey: 'type' },
  'V1NodeSpec.taints': {},
  'V2HorizontalPodAutoscalerStatus.conditions': { mergeKey: 'type', mapKeys: ['type'] },
  'V1NamespaceStatus.conditions': { mergeKey: 'type', mapKeys: ['type'] },
  'V1ServiceStatus.conditions': { mergeKey: 'type', mapKeys: ['type'] },
};

/** listSemantics returns how `<type>.<field>` merges; atomic (no keys) when not listed. */
export function listSemantics(typeName: string, field: string): ListSemantics {
  return LISTS[`${typeName}.${field}`] ?? {};
}

/** retainKeysField tells whether a struct field carries the retainKeys strategy (Deployment strategy). */
export function retainKeysField(typeName: string, field: string): boolean {
  return (
    (typeName === 'V1DeploymentSpec' && field === 'strategy') ||
    (typeName === 'V1PodSpec' && field === 'volumes')
  );
}

/** ParsedType is an encoded type split into its shape. */
export type ParsedType =
  | { shape: 'list'; item: string }
  | { shape: 'map'; value: string }
  | { shape: 'struct'; name: string }
  | { shape: 'scalar'; name: string };

/** parseType splits `[]V1Container`, `map:string`, `V1PodSpec`, `integer`. */
export function parseType(t: string): ParsedType {
  if (t.startsWith('[]')) return { shape: 'list', item: t.slice(2) };
  if (t.startsWith('map:')) return { shape: 'map', value: t.slice(4) };
  if (isKnownType(t)) return { shape: 'struct', name: t };
  return { shape: 'scalar', name: t };
}
