// The field labels each resource supports in `?fieldSelector=` (upstream's per-kind
// GetAttrs/field label conversion): everything else is 400 `field label not supported: <label>`.
import { badRequest } from '../api-error.js';
import type { ResourceDef } from '../resources.js';

const EVENT_LABELS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
];

// biome-ignore format: a lookup table
const FIELD_LABELS: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
  events: EVENT_LABELS,
  secrets: ['type'],
  namespaces: ['status.phase'],
  nodes: ['spec.unschedulable'],
  services: ['spec.clusterIP', 'spec.type'],
  'replicasets.apps': ['status.replicas'],
  replicationcontrollers: ['status.replicas'],
  'jobs.batch': ['status.successful'],
  'certificatesigningrequests.certificates.k8s.io': ['spec.signerName'],
};

/** checkFieldSelector throws upstream's 400 for a field label the resource does not support. */
export function checkFieldSelector(def: ResourceDef, selector: string | null): void {
  if (!selector) return;
  const key = def.storage ?? (def.group ? `${def.resource}.${def.group}` : def.resource);
  const allowed = FIELD_LABELS[key] ?? [];
  for (const part of selector.split(',')) {
    const label = /^\s*([^!=\s]+)\s*(==|=|!=)/.exec(part)?.[1];
    if (!label) continue;
    if (label === 'metadata.name' || label === 'metadata.namespace' || allowed.includes(label)) continue;
    throw badRequest(`field label not supported: ${label}`);
  }
}
