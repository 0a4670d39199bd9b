// The names of the kubectl check types, without their code: the engine asks "does this step need
// a cluster?" and the registry maps names to lazily loaded checks before any check runs.
// test/ship/check-registry.test.ts keeps this list equal to kubeCheckTypes.

/** kubeCheckNames lists every kubectl check type by name. */
export const kubeCheckNames = [
  'resource-exists',
  'resource-absent',
  'condition',
  'rollout',
  'jsonpath-equals',
  'jsonpath-at-least',
  'ready-replicas',
  'endpoints-ready',
  'load-balanced',
  'service-dns',
  'port-forward',
  'nodes-ready',
  'pods-on-node',
  'hpa-replicas',
  'configmap-json',
  'configmap-cidrs',
  'no-alerts',
  'image-on-nodes',
  'can-i',
  'cluster-answer',
  'apply-keeps',
] as const;
