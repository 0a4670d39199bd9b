// The EndpointSlice controller (and the legacy Endpoints mirror): for every Service with a
// selector, one slice `<service>-<suffix>` labelled kubernetes.io/service-name, listing the pods
// that match and have an IP, with ready/serving/terminating conditions; target ports resolved
// by number or by container port name. Updated whenever pods or the Service change.
import type { Controller } from '../extensions.js';
import type { KubeObject } from '../types.js';
import type { WorkloadContext } from './context.js';
import { isPodReady } from './pod-util.js';
import { selectsPod } from './replicaset.js';
import { nsKey, ownerRef, rfc3339, sameJson, splitKey, WorkQueue } from './runtime.js';

const SLICES = 'endpointslices.discovery.k8s.io';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

/** resolveTargetPort finds the container port a Service port sends to in one pod. */
export function resolveTargetPort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const n = Number(target);
  if (Number.isInteger(n) && String(n) === target) return n;
  const containers =
    (pod.spec as { containers?: { ports?: { name?: string; containerPort: number }[] }[] })?.containers ?? [];
  for (const c of containers) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

/** endpointsController keeps EndpointSlices and Endpoints in step with pods. */
export function endpointsController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  const queue = new WorkQueue(ctx.clock, 'endpointslice', (key) => sync(key));
  let unsubscribe = () => {};

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = store.get('services', namespace, name);
    const existing = store.list(SLICES, {
      namespace,
      predicate: (s) =>
        s.metadata.labels?.['kubernetes.io/service-name'] === name &&
        s.metadata.labels?.[MANAGED_BY] === 'endpointslice-controller.k8s.io',
    }).items;
    const selector = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (!svc || !selector || Object.keys(selector).length === 0) {
      for (const s of existing) store.delete(SLICES, namespace, s.metadata.name ?? '');
      if (svc === undefined && store.get('endpoints', namespace, name))
        store.delete('endpoints', namespace, name);
      return;
    }
    const ports = ((svc.spec as { ports?: ServicePort[] }).ports ?? []) as ServicePort[];
    const pods = store
      .list('pods', { namespace, predicate: (p) => selectsPod({ matchLabels: selector }, p) })
      .items.filter((p) => (p.status as { podIP?: string } | undefined)?.podIP)
      .filter((p) => !['Succeeded', 'Failed'].includes(String((p.status as { phase?: string }).phase)));
    pods.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const first = pods[0];
    const slicePorts = ports.map((sp) => {
      const out: Record<string, unknown> = {
        name: sp.name ?? '',
        port: first ? (resolveTargetPort(first, sp) ?? null) : null,
        protocol: sp.protocol ?? 'TCP',
      };
      if (typeof sp.targetPort === 'string' && !first) out.port = null;
      return out;
    });
    const endpoints = pods.map((p) => {
      const ready = isPodReady(p) && !p.metadata.deletionTimestamp;
      return {
        addresses: [(p.status as { podIP: string }).podIP],
        conditions: { ready, serving: isPodReady(p), terminating: !!p.metadata.deletionTimestamp },
        nodeName: (p.spec as { nodeName?: string }).nodeName,
        targetRef: { kind: 'Pod', name: p.metadata.name, namespace, uid: p.metadata.uid },
      };
    });
    const body = { addressType: 'IPv4', endpoints, ports: slicePorts };
    const current = existing[0];
    for (const extra of existing.slice(1)) store.delete(SLICES, namespace, extra.metadata.name ?? '');
    const labels = {
      'kubernetes.io/service-name': name,
      [MANAGED_BY]: 'endpointslice-controller.k8s.io',
      ...(svc.metadata.labels ?? {}),
    };
    const annotations = { 'endpoints.kubernetes.io/last-change-trigger-time': rfc3339(Date.now()) };
    if (!current) {
      store.create(SLICES, {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: `${name}-`,
          namespace,
          labels,
          annotations,
          ownerReferences: [ownerRef(svc)],
        },
        ...body,
      });
    } else if (
      !sameJson(
        { a: current.addressType, e: current.endpoints, p: current.ports },
        { a: body.addressType, e: body.endpoints, p: body.ports },
      )
    ) {
      const next = structuredClone(current) as KubeObject & Record<string, unknown>;
      Object.assign(next, body);
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...annotations };
      next.metadata.resourceVersion = '';
      store.update(SLICES, next);
    }
    writeEndpoints(svc, pods, ports, annotations);
  }

  function writeEndpoints(
    svc: KubeObject,
    pods: KubeObject[],
    ports: ServicePort[],
    annotations: Record<string, string>,
  ): void {
    const { namespace, name } = svc.metadata;
    const address = (p: KubeObject) => ({
      ip: (p.status as { podIP: string }).podIP,
      nodeName: (p.spec as { nodeName?: string }).nodeName,
      targetRef: { kind: 'Pod', name: p.metadata.name, namespace, uid: p.metadata.uid },
    });
    const ready = pods.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).map(address);
    const notReady = pods.filter((p) => !isPodReady(p) || p.metadata.deletionTimestamp).map(address);
    const first = pods[0];
    const subsetPorts = first
      ? ports.map((sp) => ({
          name: sp.name,
          port: resolveTargetPort(first, sp),
          protocol: sp.protocol ?? 'TCP',
        }))
      : [];
    const subset: Record<string, unknown> = { ports: subsetPorts };
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    const subsets = pods.length ? [subset] : [];
    const current = store.get('endpoints', namespace, name ?? '');
    const labels = { ...(svc.metadata.labels ?? {}), 'endpointslice.kubernetes.io/skip-mirror': 'true' };
    if (!current) {
      store.create('endpoints', {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, labels, annotations },
        subsets,
      });
    } else if (!sameJson(current.subsets ?? [], subsets)) {
      const next = structuredClone(current) as KubeObject & Record<string, unknown>;
      next.subsets = subsets;
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...annotations };
      next.metadata.resourceVersion = '';
      store.update('endpoints', next);
    }
  }

  function servicesFor(pod: KubeObject): string[] {
    return store
      .list('services', { namespace: pod.metadata.namespace })
      .items.filter((s) => {
        const sel = (s.spec as { selector?: Record<string, string> })?.selector;
        return sel && Object.keys(sel).length > 0 && selectsPod({ matchLabels: sel }, pod);
      })
      .map((s) => nsKey(s.metadata.namespace, s.metadata.name));
  }

  return {
    name: 'endpointslice',
    start() {
      unsubscribe = store.subscribe((e) => {
        if (e.resource === 'services') queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
        else if (e.resource === 'pods') {
          const keys = new Set([...servicesFor(e.object), ...(e.previous ? servicesFor(e.previous) : [])]);
          for (const k of keys) queue.add(k);
        }
      });
      for (const s of store.list('services').items) queue.add(nsKey(s.metadata.namespace, s.metadata.name));
    },
    stop() {
      unsubscribe();
    },
  };
}
