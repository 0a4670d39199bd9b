// apps/v1 StatefulSet and DaemonSet controllers. StatefulSet: pods `<name>-0..n-1` created in
// order, each only once the one before is Running and Ready (OrderedReady; Parallel creates them
// at once), removed from the highest ordinal down, PVCs from volumeClaimTemplates
// (`<template>-<name>-<i>`, kept when pods go), rolling updates from the highest ordinal down.
// DaemonSet: one pod per node whose taints the pod tolerates (with the tolerations upstream adds)
// and whose labels match its nodeSelector, bound to that node.

import { apiCreate } from '../api.js';
import { ApiError } from '../api-error.js';
import type { Controller } from '../extensions.js';
import type { KubeObject } from '../types.js';
import type { WorkloadContext } from './context.js';
import { templateHash } from './deployment-util.js';
import { deletePodGracefully, isPodReady } from './pod-util.js';
import { CREATE_RETRY_SECONDS } from './replicaset.js';
import { controllerOf, mutate, nsKey, ownedBy, ownerRef, splitKey, WorkQueue } from './runtime.js';
import { type Taint, type Toleration, tolerates } from './scheduler.js';

const STS = 'statefulsets.apps';
const DS = 'daemonsets.apps';
type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
type Template = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Obj;
};

function podFrom(owner: KubeObject, template: Template, extraLabels: Record<string, string>): KubeObject {
  const metadata: KubeObject['metadata'] = {
    namespace: owner.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
    ownerReferences: [ownerRef(owner)],
  };
  if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? {}) };
}

function writeStatus(ctx: WorkloadContext, resource: string, obj: KubeObject, status: Obj): void {
  mutate(ctx.store, resource, obj.metadata.namespace, obj.metadata.name ?? '', (next) => {
    if (JSON.stringify(next.status ?? {}) === JSON.stringify(status)) return false;
    next.status = status;
    next.metadata.resourceVersion = '';
    return true;
  });
}

function create(
  ctx: WorkloadContext,
  owner: KubeObject,
  pod: KubeObject,
  source: { component: string },
): boolean {
  try {
    const made = apiCreate(ctx.store, pod, 'kube-controller-manager');
    const what =
      owner.kind === 'StatefulSet'
        ? `create Pod ${made.metadata.name} in StatefulSet ${owner.metadata.name} successful`
        : `Created pod: ${made.metadata.name}`;
    ctx.events.record(owner, 'Normal', 'SuccessfulCreate', what, source);
    return true;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    ctx.events.record(owner, 'Warning', 'FailedCreate', `Error creating: ${err.message}`, source);
    return false;
  }
}

/** statefulSetController reconciles StatefulSets with their ordinal pods. */
export function statefulSetController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  const source = { component: 'statefulset-controller' };
  const queue = new WorkQueue(ctx.clock, 'statefulset', (key) => sync(key));
  let unsubscribe = () => {};

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const sts = store.get(STS, namespace, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const spec = o(sts.spec);
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const template = o(spec.template) as Template;
    const revision = `${name}-${templateHash(template as never)}`;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const pods = new Map(
      store
        .list('pods', { namespace, predicate: (p) => ownedBy(p, sts.metadata.uid) })
        .items.map((p) => [p.metadata.name ?? '', p]),
    );
    // Create missing ordinals in order.
    for (let i = 0; i < replicas; i++) {
      const podName = `${name}-${i}`;
      const pod = pods.get(podName);
      if (pod) {
        if (!parallel && (!isPodReady(pod) || pod.metadata.deletionTimestamp)) break;
        continue;
      }
      for (const t of (spec.volumeClaimTemplates as KubeObject[] | undefined) ?? []) {
        const claim = `${t.metadata?.name}-${name}-${i}`;
        if (store.get('persistentvolumeclaims', namespace, claim)) continue;
        try {
          apiCreate(
            store,
            {
              apiVersion: 'v1',
              kind: 'PersistentVolumeClaim',
              metadata: { name: claim, namespace, labels: { ...(template.metadata?.labels ?? {}) } },
              spec: structuredClone(o(t.spec)),
            },
            'kube-controller-manager',
          );
          ctx.events.record(
            sts,
            'Normal',
            'SuccessfulCreate',
            `create Claim ${claim} Pod ${podName} in StatefulSet ${name} success`,
            source,
          );
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
        }
      }
      const pod2 = podFrom(sts, template, {
        'apps.kubernetes.io/pod-index': String(i),
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': podName,
      });
      pod2.metadata.name = podName;
      const podSpec = o(pod2.spec);
      podSpec.hostname = podName;
      if (spec.serviceName) podSpec.subdomain = spec.serviceName;
      const volumes = (podSpec.volumes as Obj[] | undefined) ?? [];
      for (const t of (spec.volumeClaimTemplates as KubeObject[] | undefined) ?? []) {
        if (!volumes.some((v) => v.name === t.metadata?.name))
          volumes.push({
            name: t.metadata?.name,
            persistentVolumeClaim: { claimName: `${t.metadata?.name}-${name}-${i}` },
          });
      }
      if (volumes.length) podSpec.volumes = volumes;
      if (!create(ctx, sts, pod2, source)) queue.addAfter(key, CREATE_RETRY_SECONDS);
      if (!parallel) break;
    }
    // Scale down from the highest ordinal, one at a time unless Parallel.
    const extra = [...pods.values()]
      .filter((p) => Number(p.metadata.labels?.['apps.kubernetes.io/pod-index'] ?? -1) >= replicas)
      .sort(
        (a, b) =>
          Number(b.metadata.labels?.['apps.kubernetes.io/pod-index']) -
          Number(a.metadata.labels?.['apps.kubernetes.io/pod-index']),
      );
    for (const p of parallel ? extra : extra.slice(0, 1)) {
      if (p.metadata.deletionTimestamp) continue;
      deletePodGracefully(store, p);
      ctx.events.record(
        sts,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`,
        source,
      );
    }
    // Rolling update: replace the highest-ordinal outdated pod once all are ready.
    const current = [...pods.values()].filter(
      (p) => Number(p.metadata.labels?.['apps.kubernetes.io/pod-index'] ?? -1) < replicas,
    );
    const strategy = o(spec.updateStrategy);
    if (
      strategy.type !== 'OnDelete' &&
      current.length === replicas &&
      current.every((p) => isPodReady(p) && !p.metadata.deletionTimestamp)
    ) {
      const partition = Number(o(strategy.rollingUpdate).partition ?? 0);
      const outdated = current
        .filter(
          (p) =>
            p.metadata.labels?.['controller-revision-hash'] !== revision &&
            Number(p.metadata.labels?.['apps.kubernetes.io/pod-index']) >= partition,
        )
        .sort(
          (a, b) =>
            Number(b.metadata.labels?.['apps.kubernetes.io/pod-index']) -
            Number(a.metadata.labels?.['apps.kubernetes.io/pod-index']),
        );
      const victim = outdated[0];
      if (victim) {
        deletePodGracefully(store, victim);
        ctx.events.record(
          sts,
          'Normal',
          'SuccessfulDelete',
          `delete Pod ${victim.metadata.name} in StatefulSet ${name} successful`,
          source,
        );
      }
    }
    const live = store.list('pods', {
      namespace,
      predicate: (p) => ownedBy(p, sts.metadata.uid) && !p.metadata.deletionTimestamp,
    }).items;
    const ready = live.filter(isPodReady).length;
    const updated = live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    const prev = o(sts.status);
    const status: Obj = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: live.length,
      readyReplicas: ready || undefined,
      currentReplicas: updated === live.length ? live.length : live.length - updated,
      updatedReplicas: updated || undefined,
      currentRevision: updated === live.length ? revision : (prev.currentRevision ?? revision),
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: ready,
    };
    for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
    writeStatus(ctx, STS, sts, status);
  }

  return {
    name: 'statefulset',
    start() {
      unsubscribe = store.subscribe((e) => {
        if (e.resource === STS) queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
        else if (e.resource === 'pods') {
          const ref = controllerOf(e.object);
          if (ref?.kind === 'StatefulSet') queue.add(nsKey(e.object.metadata.namespace, ref.name));
        }
      });
      for (const s of store.list(STS).items) queue.add(nsKey(s.metadata.namespace, s.metadata.name));
    },
    stop() {
      unsubscribe();
    },
  };
}

// The tolerations the DaemonSet controller adds to every pod it makes.
const DS_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** daemonSetController keeps one pod per eligible node for every DaemonSet. */
export function daemonSetController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  const source = { component: 'daemonset-controller' };
  const queue = new WorkQueue(ctx.clock, 'daemonset', (key) => sync(key));
  let unsubscribe = () => {};

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const ds = store.get(DS, namespace, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const template = o(o(ds.spec).template) as Template;
    const podSpec = o(template.spec);
    const tolerations = [...((podSpec.tolerations as Toleration[] | undefined) ?? []), ...DS_TOLERATIONS];
    const selector = (podSpec.nodeSelector as Record<string, string> | undefined) ?? {};
    const hash = templateHash(template as never);
    const eligible = store.list('nodes').items.filter((n) => {
      const taints = ((o(n.spec).taints as Taint[] | undefined) ?? []).filter(
        (t) => t.effect !== 'PreferNoSchedule',
      );
      const labels = n.metadata.labels ?? {};
      return (
        taints.every((t) => tolerates(tolerations, t)) &&
        Object.entries(selector).every(([k, v]) => labels[k] === v)
      );
    });
    const pods = store.list('pods', { namespace, predicate: (p) => ownedBy(p, ds.metadata.uid) }).items;
    const onNode = (node: string) =>
      pods.filter((p) => o(p.spec).nodeName === node && !p.metadata.deletionTimestamp);
    for (const node of eligible) {
      const nodeName = node.metadata.name ?? '';
      const existing = onNode(nodeName);
      const stale = existing.filter((p) => p.metadata.labels?.['controller-revision-hash'] !== hash);
      // RollingUpdate, maxUnavailable 1: replace one outdated pod at a time.
      if (stale.length && pods.every((p) => isPodReady(p) || p === stale[0])) {
        deletePodGracefully(store, stale[0]!);
        ctx.events.record(
          ds,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${stale[0]!.metadata.name}`,
          source,
        );
        continue;
      }
      if (existing.length) continue;
      const pod = podFrom(ds, template, {
        'controller-revision-hash': hash,
        'pod-template-generation': String(ds.metadata.generation ?? 1),
      });
      pod.metadata.generateName = `${name}-`;
      const spec = o(pod.spec);
      spec.nodeName = nodeName;
      spec.tolerations = tolerations;
      if (!create(ctx, ds, pod, source)) queue.addAfter(key, CREATE_RETRY_SECONDS);
    }
    for (const p of pods) {
      const node = String(o(p.spec).nodeName ?? '');
      if (!p.metadata.deletionTimestamp && !eligible.some((n) => n.metadata.name === node))
        deletePodGracefully(store, p);
    }
    const live = store.list('pods', {
      namespace,
      predicate: (p) => ownedBy(p, ds.metadata.uid) && !p.metadata.deletionTimestamp,
    }).items;
    const ready = live.filter(isPodReady).length;
    const status: Obj = {
      currentNumberScheduled: live.length,
      desiredNumberScheduled: eligible.length,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 1,
      updatedNumberScheduled: live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash)
        .length,
      numberAvailable: ready || undefined,
      numberUnavailable: eligible.length - ready || undefined,
    };
    for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
    writeStatus(ctx, DS, ds, status);
  }

  return {
    name: 'daemonset',
    start() {
      unsubscribe = store.subscribe((e) => {
        if (e.resource === DS) queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
        else if (e.resource === 'nodes')
          for (const d of store.list(DS).items) queue.add(nsKey(d.metadata.namespace, d.metadata.name));
        else if (e.resource === 'pods') {
          const ref = controllerOf(e.object);
          if (ref?.kind === 'DaemonSet') queue.add(nsKey(e.object.metadata.namespace, ref.name));
        }
      });
      for (const d of store.list(DS).items) queue.add(nsKey(d.metadata.namespace, d.metadata.name));
    },
    stop() {
      unsubscribe();
    },
  };
}
