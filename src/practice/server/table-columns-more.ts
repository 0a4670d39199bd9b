// Table columns of the kinds added in part 3 (batch, StatefulSet, DaemonSet, Ingress, storage,
// quota, PDB, …), after kubectl's internal printers (pkg/printers/internalversion/printers.go).
import type { KubeObject } from '../types.js';
import { ageOf, humanDuration } from './age.js';
import {
  age,
  arr,
  type Column,
  col,
  containerImages,
  containerNames,
  name,
  num,
  o,
  selectorString,
} from './table-columns.js';

const wideContainers = [col('Containers', containerNames, 1), col('Images', containerImages, 1)];

function jobStatus(x: KubeObject): string {
  const conditions = arr(o(x.status).conditions).filter((c) => c.status === 'True');
  for (const type of ['Failed', 'Complete', 'Suspended', 'FailureTarget', 'SuccessCriteriaMet']) {
    if (conditions.some((c) => c.type === type)) return type === 'FailureTarget' ? 'FailureTarget' : type;
  }
  return o(x.metadata).deletionTimestamp ? 'Terminating' : 'Running';
}

function jobCompletions(x: KubeObject): string {
  const spec = o(x.spec);
  const succeeded = num(o(x.status).succeeded);
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(x: KubeObject, now: number): string {
  const status = o(x.status);
  if (typeof status.startTime !== 'string') return '';
  const end = typeof status.completionTime === 'string' ? Date.parse(status.completionTime) : now;
  return humanDuration(end - Date.parse(status.startTime));
}

const cronContainers = (x: KubeObject) =>
  arr(o(o(o(o(o(x.spec).jobTemplate).spec).template).spec).containers);

function accessModes(modes: unknown): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return (Array.isArray(modes) ? modes : []).map((m) => short[String(m)] ?? String(m)).join(',');
}

function quotaUsage(x: KubeObject, which: 'requests' | 'limits'): string {
  const hard = o(o(x.status).hard);
  const used = o(o(x.status).used);
  const keys = Object.keys(hard)
    .filter((k) => (which === 'limits' ? k.startsWith('limits.') : !k.startsWith('limits.')))
    .sort();
  return keys.map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`).join(', ');
}

// upstream's formatHosts: the first three hosts (rules without a host add none), `*` for none.
function ingressHosts(x: KubeObject): string {
  const rules = arr(o(x.spec).rules);
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === 3) more = true;
    if (!more && r.host) hosts.push(String(r.host));
  }
  if (!hosts.length) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

// The IPs (else hostnames) of status.loadBalancer, sorted and unique; the server-side table is
// wide, so never clipped.
function ingressAddress(x: KubeObject): string {
  const values = arr(o(o(x.status).loadBalancer).ingress)
    .map((i) => String(i.ip || i.hostname || ''))
    .filter(Boolean);
  return [...new Set(values)].sort().join(',');
}

const isDefaultClass = (x: KubeObject) =>
  x.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';

const intOrString = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

// biome-ignore format: column tables
/** MORE_COLUMNS maps the part-3 kinds to their Table columns. */
export const MORE_COLUMNS: Record<string, Column[]> = {
  Job: [
    name, col('Status', jobStatus), col('Completions', jobCompletions), col('Duration', jobDuration), age,
    ...wideContainers, col('Selector', (x) => selectorString(o(x.spec).selector), 1),
  ],
  CronJob: [
    name, col('Schedule', (x) => String(o(x.spec).schedule ?? '')),
    col('Timezone', (x) => String(o(x.spec).timeZone ?? '<none>')),
    col('Suspend', (x) => String(o(x.spec).suspend === true ? 'True' : 'False')),
    col('Active', (x) => arr(o(x.status).active).length, 0, 'integer'),
    col('Last Schedule', (x, now) => { const t = o(x.status).lastScheduleTime; return t ? ageOf(t, now) : '<none>'; }),
    age,
    col('Containers', (x) => cronContainers(x).map((c) => c.name).join(','), 1),
    col('Images', (x) => cronContainers(x).map((c) => c.image).join(','), 1),
    col('Selector', (x) => selectorString(o(o(o(x.spec).jobTemplate).spec).selector), 1),
  ],
  StatefulSet: [
    name, col('Ready', (x) => `${num(o(x.status).readyReplicas)}/${num(o(x.spec).replicas)}`), age, ...wideContainers,
  ],
  DaemonSet: [
    name,
    col('Desired', (x) => num(o(x.status).desiredNumberScheduled), 0, 'integer'),
    col('Current', (x) => num(o(x.status).currentNumberScheduled), 0, 'integer'),
    col('Ready', (x) => num(o(x.status).numberReady), 0, 'integer'),
    col('Up-to-date', (x) => num(o(x.status).updatedNumberScheduled), 0, 'integer'),
    col('Available', (x) => num(o(x.status).numberAvailable), 0, 'integer'),
    col('Node Selector', (x) => { const s = Object.entries(o(o(o(o(x.spec).template).spec).nodeSelector)).map(([k, v]) => `${k}=${v}`); return s.length ? s.join(',') : '<none>'; }),
    age, ...wideContainers, col('Selector', (x) => selectorString(o(x.spec).selector), 1),
  ],
  ReplicationController: [
    name,
    col('Desired', (x) => num(o(x.spec).replicas), 0, 'integer'),
    col('Current', (x) => num(o(x.status).replicas), 0, 'integer'),
    col('Ready', (x) => num(o(x.status).readyReplicas), 0, 'integer'),
    age, ...wideContainers,
  ],
  ControllerRevision: [
    name,
    col('Controller', (x) => { const r = x.metadata.ownerReferences?.find((ref) => ref.controller); return r ? `${r.kind.toLowerCase()}.${r.apiVersion.split('/')[0]}/${r.name}` : '<none>'; }),
    col('Revision', (x) => num(x.revision), 0, 'integer'), age,
  ],
  Ingress: [
    name, col('Class', (x) => String(o(x.spec).ingressClassName ?? '<none>')), col('Hosts', ingressHosts),
    col('Address', ingressAddress), col('Ports', (x) => (arr(o(x.spec).tls).length ? '80, 443' : '80')), age,
  ],
  IngressClass: [
    name, col('Controller', (x) => String(o(x.spec).controller ?? '')),
    col('Parameters', (x) => { const p = o(o(x.spec).parameters); return p.kind ? `${p.kind}/${p.name}` : '<none>'; }), age,
  ],
  PersistentVolumeClaim: [
    name, col('Status', (x) => String(o(x.status).phase ?? 'Pending')),
    col('Volume', (x) => String(o(x.spec).volumeName ?? '')),
    col('Capacity', (x) => String(o(o(x.status).capacity).storage ?? '')),
    col('Access Modes', (x) => accessModes(o(x.status).accessModes)),
    col('StorageClass', (x) => String(o(x.spec).storageClassName ?? '<unset>')),
    col('VolumeAttributesClass', (x) => String(o(x.spec).volumeAttributesClassName ?? '<unset>')),
    age, col('VolumeMode', (x) => String(o(x.spec).volumeMode ?? 'Filesystem'), 1),
  ],
  PersistentVolume: [
    name, col('Capacity', (x) => String(o(o(x.spec).capacity).storage ?? '')),
    col('Access Modes', (x) => accessModes(o(x.spec).accessModes)),
    col('Reclaim Policy', (x) => String(o(x.spec).persistentVolumeReclaimPolicy ?? '')),
    col('Status', (x) => String(o(x.status).phase ?? 'Pending')),
    col('Claim', (x) => { const c = o(o(x.spec).claimRef); return c.name ? `${c.namespace}/${c.name}` : ''; }),
    col('StorageClass', (x) => String(o(x.spec).storageClassName ?? '')),
    col('VolumeAttributesClass', (x) => String(o(x.spec).volumeAttributesClassName ?? '<unset>')),
    col('Reason', (x) => String(o(x.status).reason ?? '')), age,
    col('VolumeMode', (x) => String(o(x.spec).volumeMode ?? 'Filesystem'), 1),
  ],
  StorageClass: [
    { ...name, cell: (x) => (isDefaultClass(x) ? `${x.metadata.name} (default)` : (x.metadata.name ?? '')) },
    col('Provisioner', (x) => String(x.provisioner ?? '')),
    col('ReclaimPolicy', (x) => String(x.reclaimPolicy ?? 'Delete')),
    col('VolumeBindingMode', (x) => String(x.volumeBindingMode ?? 'Immediate')),
    col('AllowVolumeExpansion', (x) => String(x.allowVolumeExpansion === true)), age,
  ],
  ResourceQuota: [name, age, col('Request', (x) => quotaUsage(x, 'requests')), col('Limit', (x) => quotaUsage(x, 'limits'))],
  PodDisruptionBudget: [
    name, col('Min Available', (x) => intOrString(o(x.spec).minAvailable)),
    col('Max Unavailable', (x) => intOrString(o(x.spec).maxUnavailable)),
    col('Allowed Disruptions', (x) => num(o(x.status).disruptionsAllowed), 0, 'integer'), age,
  ],
  PriorityClass: [
    name, col('Value', (x) => num(x.value), 0, 'integer'),
    col('Global-Default', (x) => String(x.globalDefault === true)), age,
    col('PreemptionPolicy', (x) => String(x.preemptionPolicy ?? 'PreemptLowerPriority')),
  ],
  PodTemplate: [
    name,
    col('Containers', (x) => arr(o(o(x.template).spec).containers).map((c) => c.name).join(',')),
    col('Images', (x) => arr(o(o(x.template).spec).containers).map((c) => c.image).join(',')),
    col('Pod Labels', (x) => { const l = Object.entries(o(o(x.template).metadata).labels ?? {}); return l.length ? l.map(([k, v]) => `${k}=${v}`).join(',') : '<none>'; }),
  ],
};
