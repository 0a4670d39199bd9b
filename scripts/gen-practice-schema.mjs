// Generates src/practice/schema/types.json: the field types of the kinds the practice cluster
// serves, taken from the models of @kubernetes/client-node (generated from the Kubernetes 1.33
// OpenAPI). Run by hand when updating the Kubernetes version:
//   npm pack @kubernetes/client-node@1.3.0 && tar xzf kubernetes-client-node-1.3.0.tgz
//   node scripts/gen-practice-schema.mjs package/dist/gen/models
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? 'package/dist/gen/models');
const roots = [
  'V1Namespace',
  'V1ConfigMap',
  'V1Secret',
  'V1ServiceAccount',
  'V1Service',
  'V1Endpoints',
  'V1Pod',
  'CoreV1Event',
  'V1Node',
  'V1Deployment',
  'V1ReplicaSet',
  'V2HorizontalPodAutoscaler',
  'V1HorizontalPodAutoscaler',
  'V1EndpointSlice',
  'EventsV1Event',
  'V1NetworkPolicy',
  'V1Role',
  'V1RoleBinding',
  'V1ClusterRole',
  'V1ClusterRoleBinding',
  'V1LimitRange',
  'V1PersistentVolumeClaim',
  'V1PersistentVolume',
  'V1PodTemplate',
  'V1ReplicationController',
  'V1ResourceQuota',
  'V1ControllerRevision',
  'V1DaemonSet',
  'V1StatefulSet',
  'V1CronJob',
  'V1Job',
  'V1IngressClass',
  'V1Ingress',
  'V1PodDisruptionBudget',
  'V1Eviction',
  'V1CSIDriver',
  'V1CSINode',
  'V1StorageClass',
  'V1VolumeAttachment',
  'V1CustomResourceDefinition',
  'V1PriorityClass',
  'V1RuntimeClass',
  'V1Scale',
  'V1DeleteOptions',
  'V1Status',
];

function encode(type, format) {
  let m = /^Array<(.+)>$/.exec(type);
  if (m) return `[]${encode(m[1], format)}`;
  m = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (m) return `map:${encode(m[1], format)}`;
  if (type === 'number') return format === 'double' || format === 'float' ? 'number' : 'integer';
  if (type === 'Date' || type === 'V1MicroTime') return 'date';
  if (type === 'IntOrString') return 'intOrString';
  if (type === 'any' || type === 'object') return 'any';
  return type;
}

const out = {};
const queue = [...roots];
while (queue.length) {
  const name = queue.shift();
  if (out[name]) continue;
  const mod = await import(pathToFileURL(join(dir, `${name}.js`)).href);
  const cls = mod[name];
  const fields = {};
  for (const a of cls.attributeTypeMap) {
    const t = encode(a.type, a.format);
    fields[a.baseName] = t;
    const ref = t.replace(/^(\[\]|map:)+/, '');
    if (/^[A-Z]/.test(ref) && !out[ref] && existsSync(join(dir, `${ref}.js`))) queue.push(ref);
  }
  out[name] = fields;
}
const sorted = Object.fromEntries(
  Object.keys(out)
    .sort()
    .map((k) => [k, out[k]]),
);
writeFileSync('src/practice/schema/types.json', `${JSON.stringify(sorted)}\n`);
console.log(`${Object.keys(sorted).length} types written`);
