// Admission as kind's API server runs it for the kinds a course meets: LimitRanger fills container
// requests and limits from a namespace's LimitRange (type Container) before validation, and
// ResourceQuota refuses a create that would exceed a quota in the namespace, with upstream's
// text; quotaController keeps each ResourceQuota's status.used.
import { ApiError } from '../api-error.js';
import type { Controller } from '../extensions.js';
import type { ResourceDef } from '../resources.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { parseQuantity } from '../workloads/quantity.js';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const QUOTAS = 'resourcequotas';

interface Container {
  name?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

function containersOf(pod: KubeObject): Container[] {
  const spec = o(pod.spec);
  return [...((spec.initContainers as Container[]) ?? []), ...((spec.containers as Container[]) ?? [])];
}

/** limitRanger applies the namespace's LimitRange container defaults to a new pod. */
export function limitRanger(store: ObjectStore, obj: KubeObject, old: KubeObject | undefined): void {
  if (obj.kind !== 'Pod' || old) return;
  const ranges = store.list('limitranges', { namespace: obj.metadata.namespace }).items;
  const items = ranges.flatMap((r) =>
    ((o(r.spec).limits as Obj[]) ?? []).filter((l) => l.type === 'Container'),
  );
  if (!items.length) return;
  const notes: string[] = [];
  for (const c of (o(obj.spec).containers as Container[]) ?? []) {
    c.resources = c.resources ?? {};
    const res = c.resources;
    const setRequests: string[] = [];
    const setLimits: string[] = [];
    for (const item of items) {
      for (const [key, value] of Object.entries(o(item.default))) {
        res.limits ??= {};
        if (res.limits[key] === undefined) {
          res.limits[key] = value;
          setLimits.push(key);
        }
      }
      const requests = { ...o(item.default), ...o(item.defaultRequest) };
      for (const [key, value] of Object.entries(requests)) {
        res.requests ??= {};
        if (res.requests[key] === undefined) {
          res.requests[key] =
            res.limits?.[key] !== undefined && !o(item.defaultRequest)[key] ? res.limits[key] : value;
          setRequests.push(key);
        }
      }
    }
    if (setRequests.length) notes.push(`${setRequests.join(', ')} request for container ${c.name}`);
    if (setLimits.length) notes.push(`${setLimits.join(', ')} limit for container ${c.name}`);
  }
  if (notes.length)
    obj.metadata.annotations = {
      ...(obj.metadata.annotations ?? {}),
      'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${notes.join('; ')}`,
    };
}

/**
 * defaultIngressClass is the DefaultIngressClass admission plugin: a new Ingress without a class
 * (field or the legacy `kubernetes.io/ingress.class` annotation) gets the IngressClass marked
 * default, when there is exactly one. kind marks none, so on kind the class stays `<none>`.
 */
export function defaultIngressClass(store: ObjectStore, obj: KubeObject, old: KubeObject | undefined): void {
  if (obj.kind !== 'Ingress' || old) return;
  const spec = o(obj.spec);
  if (spec.ingressClassName || obj.metadata.annotations?.['kubernetes.io/ingress.class']) return;
  const defaults = store
    .list('ingressclasses.networking.k8s.io')
    .items.filter((c) => c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
  if (defaults.length !== 1) return;
  spec.ingressClassName = defaults[0]!.metadata.name;
  obj.spec = spec;
}

// What one object adds to a quota's usage, by quota resource name.
function usageOf(def: ResourceDef, obj: KubeObject): Record<string, number> {
  const key = def.group ? `${def.resource}.${def.group}` : def.resource;
  const out: Record<string, number> = { [`count/${key}`]: 1 };
  if (
    [
      'pods',
      'services',
      'configmaps',
      'secrets',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'resourcequotas',
    ].includes(key)
  )
    out[key] = 1;
  if (key === 'pods') {
    const phase = String(o(obj.status).phase ?? '');
    if (phase === 'Succeeded' || phase === 'Failed') return {};
    for (const c of containersOf(obj)) {
      for (const [which, prefix] of [
        ['requests', 'requests.'],
        ['limits', 'limits.'],
      ] as const) {
        for (const [r, q] of Object.entries(c.resources?.[which] ?? {})) {
          const n = parseQuantity(q);
          out[`${prefix}${r}`] = (out[`${prefix}${r}`] ?? 0) + n;
          if (which === 'requests') out[r] = (out[r] ?? 0) + n;
        }
      }
    }
  }
  if (key === 'services' && o(obj.spec).type === 'NodePort') out['services.nodeports'] = 1;
  if (key === 'services' && o(obj.spec).type === 'LoadBalancer') out['services.loadbalancers'] = 1;
  if (key === 'persistentvolumeclaims')
    out['requests.storage'] = parseQuantity(o(o(o(obj.spec).resources).requests).storage ?? 0);
  return out;
}

function format(name: string, n: number, like: unknown): string {
  if (/cpu$/.test(name)) return n < 1 && n > 0 ? `${Math.round(n * 1000)}m` : String(+n.toFixed(3));
  if (/memory$|storage$/.test(name)) {
    const text = String(like ?? '');
    if (/Mi$/.test(text)) return `${Math.round(n / 2 ** 20)}Mi`;
    if (/Gi$/.test(text)) return `${+(n / 2 ** 30).toFixed(3)}Gi`;
    return String(n);
  }
  return String(n);
}

function usedIn(
  store: ObjectStore,
  namespace: string,
  hard: Obj,
  defs: ResourceDef[],
): Record<string, number> {
  const used: Record<string, number> = {};
  for (const name of Object.keys(hard)) used[name] = 0;
  for (const def of defs) {
    const key = def.group ? `${def.resource}.${def.group}` : def.resource;
    const relevant = Object.keys(hard).some(
      (h) =>
        h === key ||
        h === `count/${key}` ||
        (key === 'pods' && /cpu|memory/.test(h)) ||
        (key === 'services' && h.startsWith('services.')) ||
        (key === 'persistentvolumeclaims' && h === 'requests.storage'),
    );
    if (!relevant) continue;
    for (const obj of store.list(key, { namespace }).items) {
      if (obj.metadata.deletionTimestamp && key !== 'pods') continue;
      for (const [k, v] of Object.entries(usageOf(def, obj))) if (k in used) used[k] = (used[k] ?? 0) + v;
    }
  }
  return used;
}

/** enforceQuota refuses a create that exceeds a ResourceQuota of its namespace. */
export function enforceQuota(
  store: ObjectStore,
  def: ResourceDef,
  obj: KubeObject,
  defs: ResourceDef[],
): void {
  const namespace = obj.metadata.namespace;
  if (!namespace) return;
  const quotas = store.list(QUOTAS, { namespace }).items;
  if (!quotas.length) return;
  const adds = usageOf(def, obj);
  const resource = def.group ? `${def.resource}.${def.group}` : def.resource;
  const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
  for (const q of quotas) {
    const hard = o(o(q.spec).hard);
    const tracked = Object.keys(hard).filter(
      (k) => k in adds || (def.resource === 'pods' && /^(requests\.|limits\.)?(cpu|memory)$/.test(k)),
    );
    if (!tracked.length) continue;
    if (def.resource === 'pods') {
      const missing = tracked.filter((k) => !(k in adds));
      if (missing.length) {
        const who = containersOf(obj)
          .map((c) => c.name)
          .join(',');
        throw new ApiError(
          403,
          'Forbidden',
          `${resource} "${name}" is forbidden: failed quota: ${q.metadata.name}: must specify ${missing
            .sort()
            .map((m) => `${m} for: ${who}`)
            .join('; ')}`,
          { name, kind: def.resource },
        );
      }
    }
    const used = usedIn(store, namespace, hard, defs);
    const over = tracked.filter((k) => (used[k] ?? 0) + (adds[k] ?? 0) > parseQuantity(hard[k]));
    if (!over.length) continue;
    const list = (f: (k: string) => string) =>
      over
        .sort()
        .map((k) => `${k}=${f(k)}`)
        .join(',');
    throw new ApiError(
      403,
      'Forbidden',
      `${resource} "${name}" is forbidden: exceeded quota: ${q.metadata.name}, requested: ${list((k) => format(k, adds[k] ?? 0, hard[k]))}, used: ${list((k) => format(k, used[k] ?? 0, hard[k]))}, limited: ${list((k) => String(hard[k]))}`,
      { name, kind: def.resource },
    );
  }
}

/** quotaController keeps status.hard and status.used of every ResourceQuota. */
export function quotaController(defs: ResourceDef[]): Controller {
  let unsubscribe: (() => void) | undefined;
  const dirty = new Set<string>();
  let queued = false;
  return {
    name: 'resourcequota',
    start(ctx) {
      const sync = () => {
        queued = false;
        const namespaces = [...dirty];
        dirty.clear();
        for (const q of ctx.store.list(QUOTAS).items) {
          if (!namespaces.includes(q.metadata.namespace ?? '')) continue;
          const hard = o(o(q.spec).hard);
          const used = usedIn(ctx.store, q.metadata.namespace ?? '', hard, defs);
          const status = {
            hard,
            used: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, format(k, v, hard[k])])),
          };
          if (JSON.stringify(q.status ?? {}) === JSON.stringify(status)) continue;
          ctx.store.update(QUOTAS, {
            ...structuredClone(q),
            status,
            metadata: { ...structuredClone(q.metadata), resourceVersion: '' },
          });
        }
      };
      for (const q of ctx.store.list(QUOTAS).items) dirty.add(q.metadata.namespace ?? '');
      sync();
      unsubscribe = ctx.store.subscribe((e) => {
        if (e.resource === 'events' || e.resource.startsWith('leases')) return;
        const ns = e.object.metadata.namespace;
        if (
          !ns ||
          (e.resource === QUOTAS &&
            e.type === 'MODIFIED' &&
            JSON.stringify(o(e.object.status).hard) === JSON.stringify(o(e.object.spec).hard))
        )
          return;
        dirty.add(ns);
        if (!queued) {
          queued = true;
          setImmediate(sync);
        }
      });
    },
    stop() {
      unsubscribe?.();
    },
  };
}
