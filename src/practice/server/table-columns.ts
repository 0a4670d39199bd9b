// Column definitions and cells per kind, after kubectl's internal printers
// (pkg/printers/internalversion/printers.go). `priority: 1` columns show only with `-o wide`.
import { isJsonObject, type JsonObject, type KubeObject } from '../types.js';
import { ageOf } from './age.js';

/** Column is one Table column and how to compute its cell. */
export interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority?: number;
  cell: (o: KubeObject, now: number) => string | number;
}

type Obj = JsonObject;
export const o = (v: unknown): Obj => (isJsonObject(v) ? v : {});
export const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(o) : []);
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export const name: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (x) => x.metadata.name ?? '',
};
export const age: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp.',
  cell: (x, now) => ageOf(x.metadata.creationTimestamp, now),
};
export const col = (n: string, cell: Column['cell'], priority = 0, type = 'string'): Column => ({
  name: n,
  type,
  description: `${n} column`,
  priority,
  cell,
});

export function selectorString(sel: unknown): string {
  const s = o(sel);
  const parts = Object.entries(o(s.matchLabels)).map(([k, v]) => `${k}=${v}`);
  for (const e of arr(s.matchExpressions)) {
    const values = Array.isArray(e.values) ? e.values.join(',') : '';
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

function mapSelector(sel: unknown): string {
  const parts = Object.entries(o(sel)).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.sort().join(',') : '<none>';
}

const containersOf = (x: KubeObject) => arr(o(o(o(x.spec).template).spec).containers);
export const containerNames = (x: KubeObject) =>
  containersOf(x)
    .map((c) => c.name)
    .join(',');
export const containerImages = (x: KubeObject) =>
  containersOf(x)
    .map((c) => c.image)
    .join(',');

/** podStatusReason is the STATUS cell of a pod, as kubectl computes it. */
export function podStatusReason(pod: KubeObject): string {
  const status = o(pod.status);
  let reason = String(status.reason || status.phase || 'Pending');
  let initializing = false;
  arr(status.initContainerStatuses).forEach((c, i) => {
    const state = o(c.state);
    const term = o(state.terminated);
    if (state.terminated && term.exitCode === 0) return;
    if (initializing) return;
    initializing = true;
    const total = arr(o(pod.spec).initContainers).length;
    if (state.terminated) reason = term.reason ? `Init:${term.reason}` : `Init:ExitCode:${term.exitCode}`;
    else if (o(state.waiting).reason && o(state.waiting).reason !== 'PodInitializing')
      reason = `Init:${o(state.waiting).reason}`;
    else reason = `Init:${i}/${total}`;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...arr(status.containerStatuses)].reverse()) {
      const state = o(c.state);
      if (o(state.waiting).reason) reason = String(o(state.waiting).reason);
      else if (state.terminated) {
        const t = o(state.terminated);
        reason = t.reason ? String(t.reason) : t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      } else if (state.running && c.ready) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = arr(status.conditions).find((c) => c.type === 'Ready');
      reason = ready?.status === 'True' ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function podReady(pod: KubeObject): string {
  const statuses = arr(o(pod.status).containerStatuses);
  const total = arr(o(pod.spec).containers).length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}

function podRestarts(pod: KubeObject, now: number): string {
  let restarts = 0;
  let last = 0;
  for (const c of arr(o(pod.status).containerStatuses)) {
    restarts += num(c.restartCount);
    const finished = o(o(c.lastState).terminated).finishedAt;
    if (typeof finished === 'string') last = Math.max(last, Date.parse(finished));
  }
  return last ? `${restarts} (${ageOf(new Date(last).toISOString(), now)} ago)` : String(restarts);
}

function servicePorts(svc: KubeObject): string {
  const ports = arr(o(svc.spec).ports).map((p) =>
    p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`,
  );
  return ports.length ? ports.join(',') : '<none>';
}

function externalIp(svc: KubeObject): string {
  const spec = o(svc.spec);
  const external = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
  if (spec.type === 'ExternalName') return String(spec.externalName ?? '');
  if (spec.type === 'LoadBalancer') {
    const ingress = arr(o(o(svc.status).loadBalancer).ingress).map((i) => String(i.ip ?? i.hostname));
    const all = [...ingress, ...external];
    return all.length ? all.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

function nodeStatus(node: KubeObject): string {
  const ready = arr(o(node.status).conditions).find((c) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (o(node.spec).unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

const nodeAddress = (node: KubeObject, type: string) =>
  String(arr(o(node.status).addresses).find((a) => a.type === type)?.address ?? '<none>');

function hpaTargets(hpa: KubeObject): string {
  const spec = o(hpa.spec);
  const current = arr(o(hpa.status).currentMetrics);
  const parts = arr(spec.metrics).map((m, i) => {
    if (m.type !== 'Resource') return `<unknown>/<unknown>`;
    const r = o(m.resource);
    const target = o(r.target);
    const cur = o(o(current[i]).resource).current;
    if (target.type === 'Utilization') {
      const c =
        cur && o(cur).averageUtilization !== undefined ? `${o(cur).averageUtilization}%` : '<unknown>';
      return `${r.name}: ${c}/${target.averageUtilization}%`;
    }
    const c = cur ? String(o(cur).averageValue ?? '<unknown>') : '<unknown>';
    return `${r.name}: ${c}/${target.averageValue ?? target.value}`;
  });
  return parts.length ? parts.join(', ') : '<none>';
}

// events.k8s.io/v1 names the core fields differently; both print the same columns.
function coreEvent(e: KubeObject): KubeObject {
  if (e.apiVersion !== 'events.k8s.io/v1') return e;
  return {
    ...e,
    involvedObject: e.regarding,
    message: e.note,
    source: e.deprecatedSource,
    reportingComponent: e.reportingController,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
  };
}

// The server-side table prints only the age of the last occurrence; the count is `-o wide`'s
// COUNT column (`x2 over 13s` is kubectl describe's own text).
function eventLastSeen(e: KubeObject, now: number): string {
  const series = o(e.series);
  if (series.lastObservedTime) return ageOf(series.lastObservedTime, now);
  return ageOf(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp, now);
}

// biome-ignore format: column tables
/** COLUMNS maps a kind to its Table columns. */
export const COLUMNS: Record<string, Column[]> = {
  Namespace: [name, col('Status', (x) => String(o(x.status).phase ?? 'Active')), age],
  Pod: [
    name, col('Ready', podReady), col('Status', podStatusReason), col('Restarts', podRestarts), age,
    col('IP', (x) => String(o(x.status).podIP ?? '<none>'), 1),
    col('Node', (x) => String(o(x.spec).nodeName ?? '<none>'), 1),
    col('Nominated Node', (x) => String(o(x.status).nominatedNodeName ?? '<none>'), 1),
    col('Readiness Gates', (x) => { const g = arr(o(x.spec).readinessGates); return g.length ? `0/${g.length}` : '<none>'; }, 1),
  ],
  Deployment: [
    name,
    col('Ready', (x) => `${num(o(x.status).readyReplicas)}/${num(o(x.spec).replicas)}`),
    col('Up-to-date', (x) => num(o(x.status).updatedReplicas), 0, 'integer'),
    col('Available', (x) => num(o(x.status).availableReplicas), 0, 'integer'),
    age, col('Containers', containerNames, 1), col('Images', containerImages, 1),
    col('Selector', (x) => selectorString(o(x.spec).selector), 1),
  ],
  ReplicaSet: [
    name,
    col('Desired', (x) => num(o(x.spec).replicas), 0, 'integer'),
    col('Current', (x) => num(o(x.status).replicas), 0, 'integer'),
    col('Ready', (x) => num(o(x.status).readyReplicas), 0, 'integer'),
    age, col('Containers', containerNames, 1), col('Images', containerImages, 1),
    col('Selector', (x) => selectorString(o(x.spec).selector), 1),
  ],
  Service: [
    name, col('Type', (x) => String(o(x.spec).type ?? 'ClusterIP')),
    col('Cluster-IP', (x) => String(o(x.spec).clusterIP || '<none>')),
    col('External-IP', externalIp), col('Port(s)', servicePorts), age,
    col('Selector', (x) => mapSelector(o(x.spec).selector), 1),
  ],
  ConfigMap: [name, col('Data', (x) => Object.keys(o(x.data)).length + Object.keys(o(x.binaryData)).length, 0, 'integer'), age],
  Secret: [name, col('Type', (x) => String(x.type ?? 'Opaque')), col('Data', (x) => Object.keys(o(x.data)).length, 0, 'integer'), age],
  ServiceAccount: [name, col('Secrets', (x) => arr(x.secrets).length, 0, 'integer'), age],
  Endpoints: [
    name,
    col('Endpoints', (x) => {
      const eps = arr(x.subsets).flatMap((s) => arr(s.addresses).flatMap((a) => arr(s.ports).map((p) => `${a.ip}:${p.port}`)));
      if (!eps.length) return '<none>';
      return eps.length > 3 ? `${eps.slice(0, 3).join(',')} + ${eps.length - 3} more...` : eps.join(',');
    }),
    age,
  ],
  EndpointSlice: [
    name, col('AddressType', (x) => String(x.addressType ?? '')),
    col('Ports', (x) => { const p = arr(x.ports).map((q) => String(q.port ?? '<unset>')); return p.length ? p.join(',') : '<unset>'; }),
    col('Endpoints', (x) => {
      const a = arr(x.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? (e.addresses as string[]) : []));
      if (!a.length) return '<unset>';
      return a.length > 3 ? `${a.slice(0, 3).join(',')} + ${a.length - 3} more...` : a.join(',');
    }),
    age,
  ],
  Event: [
    col('Last Seen', (x, now) => eventLastSeen(coreEvent(x), now)), col('Type', (x) => String(x.type ?? '')),
    col('Reason', (x) => String(x.reason ?? '')),
    col('Object', (x) => { const i = o(coreEvent(x).involvedObject); return `${String(i.kind ?? '').toLowerCase()}/${i.name ?? ''}`; }),
    col('Subobject', (x) => String(o(coreEvent(x).involvedObject).fieldPath ?? ''), 1),
    col('Source', (x) => { const e = coreEvent(x); const s = o(e.source); return [s.component, s.host].filter(Boolean).join(', ') || String(e.reportingComponent ?? ''); }, 1),
    col('Message', (x) => String(coreEvent(x).message ?? '').trim()),
    col('First Seen', (x, now) => ageOf(coreEvent(x).firstTimestamp ?? x.eventTime, now), 1),
    col('Count', (x) => num(o(coreEvent(x).series).count) || num(coreEvent(x).count) || 1, 1, 'integer'),
    col('Name', (x) => x.metadata.name ?? '', 1),
  ],
  Node: [
    name, col('Status', nodeStatus), col('Roles', nodeRoles), age,
    col('Version', (x) => String(o(o(x.status).nodeInfo).kubeletVersion ?? '')),
    col('Internal-IP', (x) => nodeAddress(x, 'InternalIP'), 1), col('External-IP', (x) => nodeAddress(x, 'ExternalIP'), 1),
    col('OS-Image', (x) => String(o(o(x.status).nodeInfo).osImage ?? '<unknown>'), 1),
    col('Kernel-Version', (x) => String(o(o(x.status).nodeInfo).kernelVersion ?? '<unknown>'), 1),
    col('Container-Runtime', (x) => String(o(o(x.status).nodeInfo).containerRuntimeVersion ?? '<unknown>'), 1),
  ],
  HorizontalPodAutoscaler: [
    name,
    col('Reference', (x) => `${o(o(x.spec).scaleTargetRef).kind}/${o(o(x.spec).scaleTargetRef).name}`),
    col('Targets', hpaTargets),
    col('MinPods', (x) => (o(x.spec).minReplicas === undefined ? '<unset>' : String(o(x.spec).minReplicas))),
    col('MaxPods', (x) => num(o(x.spec).maxReplicas), 0, 'integer'),
    col('Replicas', (x) => num(o(x.status).currentReplicas), 0, 'integer'), age,
  ],
  PodDisruptionBudget: [
    name, col('Min Available', (x) => String(o(x.spec).minAvailable ?? 'N/A')),
    col('Max Unavailable', (x) => String(o(x.spec).maxUnavailable ?? 'N/A')),
    col('Allowed Disruptions', (x) => num(o(x.status).disruptionsAllowed), 0, 'integer'), age,
  ],
  Lease: [name, col('Holder', (x) => String(o(x.spec).holderIdentity ?? '')), age],
  NetworkPolicy: [name, col('Pod-Selector', (x) => { const s = selectorString(o(x.spec).podSelector); return s === '<none>' ? '<none>' : s; }), age],
  Role: [name, col('Created At', (x) => x.metadata.creationTimestamp ?? '', 0, 'date')],
  ClusterRole: [name, col('Created At', (x) => x.metadata.creationTimestamp ?? '', 0, 'date')],
  RoleBinding: [name, col('Role', (x) => `${o(x.roleRef).kind}/${o(x.roleRef).name}`), age],
  ClusterRoleBinding: [name, col('Role', (x) => `${o(x.roleRef).kind}/${o(x.roleRef).name}`), age],
};
