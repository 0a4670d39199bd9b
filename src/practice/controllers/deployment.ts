// The Deployment controller: finds or creates the ReplicaSet of the current template (named
// `<deployment>-<pod-template-hash>`), rolls pods over from old ReplicaSets within maxSurge and
// maxUnavailable (or all at once for Recreate), keeps revisions (`rollout history/undo`),
// cleans up beyond revisionHistoryLimit, and writes status: replica counters,
// observedGeneration, and the Available/Progressing conditions including the progress deadline.

import { ApiError } from '../api-error.js';
import type { Controller } from '../extensions.js';
import type { KubeObject } from '../types.js';
import type { WorkloadContext } from './context.js';
import { statusWriter } from './deployment-status.js';
import {
  type Condition,
  DEP,
  HASH_LABEL,
  MESSAGES,
  REVISION,
  REVISION_HISTORY,
  RS,
  revisionOf,
  rsReplicas,
  rsStatus,
  sameTemplate,
  setCondition,
  specOf,
  surgeAndUnavailable,
  type Template,
  templateHash,
} from './deployment-util.js';
import { isPodRunningOrPending } from './pod-util.js';
import { controllerOf, mutate, nsKey, ownedBy, ownerRef, rfc3339, splitKey, WorkQueue } from './runtime.js';

const SOURCE = { component: 'deployment-controller' };
const SKIP_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
];

/** deploymentController reconciles Deployments with their ReplicaSets. */
export function deploymentController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  const queue = new WorkQueue(ctx.clock, 'deployment', (key) => sync(key));
  let unsubscribe = () => {};
  const writeStatus = statusWriter(ctx, queue);

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const d = store.get(DEP, namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = specOf(d);
    const rses = store.list(RS, { namespace, predicate: (rs) => ownedBy(rs, d.metadata.uid) }).items;
    const current = rses.filter((rs) =>
      sameTemplate((rs.spec as { template: Template }).template, spec.template),
    );
    current.sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
    let newRS: KubeObject | undefined = current[0];
    const olds = rses.filter((rs) => rs !== newRS);
    if (spec.paused) {
      writeStatus(d, newRS, olds, true);
      return;
    }
    const recreate = spec.strategy?.type === 'Recreate';
    if (recreate) {
      let scaled = false;
      for (const rs of olds) if (rsReplicas(rs) > 0) scaled = scaleRS(d, rs, 0) || scaled;
      // Recreate waits until old pods are gone, terminating ones included (upstream oldPodsRunning).
      const oldPods = store.list('pods', {
        namespace,
        predicate: (p) => olds.some((rs) => ownedBy(p, rs.metadata.uid)) && isPodRunningOrPending(p),
      }).items;
      if (scaled || oldPods.length > 0) {
        writeStatus(d, newRS, olds, false);
        return;
      }
    }
    newRS = newReplicaSet(d, newRS, olds);
    if (!newRS) return; // a hash collision: the status write requeues with a new hash
    const replicas = spec.replicas ?? 1;
    if (recreate) {
      if (rsReplicas(newRS) !== replicas) scaleRS(d, newRS, replicas);
      writeStatus(d, newRS, olds, false);
      return;
    }
    if (reconcileNew(d, newRS, olds) || reconcileOld(d, newRS, olds)) {
      writeStatus(d, newRS, olds, false);
      return;
    }
    cleanup(d, olds);
    writeStatus(d, newRS, olds, false);
  }

  /** newReplicaSet finds or creates the RS of the current template and syncs its revision. */
  function newReplicaSet(
    d: KubeObject,
    existing: KubeObject | undefined,
    olds: KubeObject[],
  ): KubeObject | undefined {
    const spec = specOf(d);
    const maxOld = Math.max(0, ...olds.map(revisionOf));
    const revision = existing && revisionOf(existing) > maxOld ? revisionOf(existing) : maxOld + 1;
    const { maxSurge } = surgeAndUnavailable(d);
    const replicas = spec.replicas ?? 1;
    const annotations = (base: Record<string, string> | undefined, oldRevision?: number) => {
      const out: Record<string, string> = { ...(base ?? {}) };
      for (const [k, v] of Object.entries(d.metadata.annotations ?? {}))
        if (!SKIP_ANNOTATIONS.includes(k)) out[k] = v;
      if (oldRevision && oldRevision !== revision) {
        out[REVISION_HISTORY] = [out[REVISION_HISTORY], String(oldRevision)].filter(Boolean).join(',');
      }
      out[REVISION] = String(revision);
      out['deployment.kubernetes.io/desired-replicas'] = String(replicas);
      out['deployment.kubernetes.io/max-replicas'] = String(replicas + maxSurge);
      return out;
    };
    let rs = existing;
    if (rs) {
      const current = rs;
      rs = mutate(store, RS, current.metadata.namespace, current.metadata.name ?? '', (next) => {
        const a = annotations(next.metadata.annotations, revisionOf(current));
        if (JSON.stringify(a) === JSON.stringify(next.metadata.annotations ?? {})) return false;
        next.metadata.annotations = a;
        return true;
      }) as KubeObject;
    } else {
      const hash = templateHash(
        spec.template,
        Number((d.status as { collisionCount?: number } | undefined)?.collisionCount ?? 0),
      );
      const template = structuredClone(spec.template);
      template.metadata ??= {};
      template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH_LABEL]: hash };
      const selector = structuredClone(spec.selector ?? {});
      selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
      const size = newReplicas(d, undefined, olds);
      const created = createReplicaSet(d, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels: template.metadata.labels,
          annotations: annotations(undefined),
          ownerReferences: [ownerRef(d)],
        },
        spec: {
          replicas: size,
          minReadySeconds: (d.spec as { minReadySeconds?: number }).minReadySeconds ?? 0,
          selector,
          template,
        },
      });
      if (!created) return undefined;
      rs = created;
      if (size > 0) event(d, `Scaled up replica set ${rs.metadata.name} from 0 to ${size}`);
      setProgressing(d, 'True', 'NewReplicaSetCreated', MESSAGES.created(rs.metadata.name ?? ''));
    }
    mutate(store, DEP, d.metadata.namespace, d.metadata.name ?? '', (next) => {
      if (next.metadata.annotations?.[REVISION] === String(revision)) return false;
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: String(revision) };
      return true;
    });
    return rs;
  }

  /**
   * createReplicaSet creates the new ReplicaSet. A name taken by a
   * ReplicaSet with another template is a hash collision: status.collisionCount goes up and the
   * next sync computes another hash (upstream does the same).
   */
  function createReplicaSet(d: KubeObject, rs: KubeObject): KubeObject | undefined {
    try {
      // A plain store write: the template was defaulted with the Deployment, and a second
      // defaulting pass could make it differ from the Deployment's (a new RS on every sync).
      return store.create(RS, rs);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 409) throw err;
      mutate(store, DEP, d.metadata.namespace, d.metadata.name ?? '', (next) => {
        const st = (next.status ?? {}) as { collisionCount?: number };
        next.status = { ...st, collisionCount: (st.collisionCount ?? 0) + 1 };
        return true;
      });
      return undefined;
    }
  }

  /** newReplicas is upstream's NewRSNewReplicas for a rolling update. */
  function newReplicas(d: KubeObject, newRS: KubeObject | undefined, olds: KubeObject[]): number {
    const replicas = specOf(d).replicas ?? 1;
    if (specOf(d).strategy?.type === 'Recreate') return newRS ? rsReplicas(newRS) : 0;
    const { maxSurge } = surgeAndUnavailable(d);
    const current = (newRS ? rsReplicas(newRS) : 0) + olds.reduce((s, rs) => s + rsReplicas(rs), 0);
    const maxTotal = replicas + maxSurge;
    const have = newRS ? rsReplicas(newRS) : 0;
    if (current >= maxTotal) return have;
    return have + Math.min(maxTotal - current, Math.max(0, replicas - have));
  }

  function reconcileNew(d: KubeObject, newRS: KubeObject, olds: KubeObject[]): boolean {
    const replicas = specOf(d).replicas ?? 1;
    const have = rsReplicas(newRS);
    if (have === replicas) return false;
    if (have > replicas) return scaleRS(d, newRS, replicas);
    const want = newReplicas(d, newRS, olds);
    return want !== have && scaleRS(d, newRS, want);
  }

  function reconcileOld(d: KubeObject, newRS: KubeObject, olds: KubeObject[]): boolean {
    const oldCount = olds.reduce((s, rs) => s + rsReplicas(rs), 0);
    if (oldCount === 0) return false;
    const replicas = specOf(d).replicas ?? 1;
    const all = oldCount + rsReplicas(newRS);
    const { maxUnavailable } = surgeAndUnavailable(d);
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = rsReplicas(newRS) - rsStatus(newRS, 'availableReplicas');
    let budget = all - minAvailable - newUnavailable;
    if (budget <= 0) return false;
    let scaled = false;
    const sorted = [...olds].sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    );
    // Unhealthy old pods go first: they do not count toward availability.
    for (const rs of sorted) {
      if (budget <= 0) break;
      const unhealthy = rsReplicas(rs) - rsStatus(rs, 'availableReplicas');
      if (rsReplicas(rs) === 0 || unhealthy <= 0) continue;
      const down = Math.min(budget, unhealthy);
      scaled = scaleRS(d, rs, rsReplicas(rs) - down) || scaled;
      budget -= down;
    }
    const fresh = olds.map((rs) => store.get(RS, rs.metadata.namespace, rs.metadata.name ?? '') ?? rs);
    const available = [newRS, ...fresh].reduce((s, rs) => s + rsStatus(rs, 'availableReplicas'), 0);
    if (available <= minAvailable) return scaled;
    let total = available - minAvailable;
    for (const rs of fresh.sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    )) {
      if (total <= 0) break;
      const have = rsReplicas(rs);
      if (have === 0) continue;
      const down = Math.min(have, total);
      scaled = scaleRS(d, rs, have - down) || scaled;
      total -= down;
    }
    return scaled;
  }

  function scaleRS(d: KubeObject, rs: KubeObject, to: number): boolean {
    const from = rsReplicas(rs);
    if (from === to) return false;
    const { maxSurge } = surgeAndUnavailable(d);
    const replicas = specOf(d).replicas ?? 1;
    mutate(store, RS, rs.metadata.namespace, rs.metadata.name ?? '', (next) => {
      (next.spec as { replicas: number }).replicas = to;
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + maxSurge),
      };
      return true;
    });
    event(d, `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`);
    return true;
  }

  function cleanup(d: KubeObject, olds: KubeObject[]): void {
    const limit = specOf(d).revisionHistoryLimit ?? 10;
    const idle = olds
      .filter(
        (rs) => rsReplicas(rs) === 0 && rsStatus(rs, 'replicas') === 0 && !rs.metadata.deletionTimestamp,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit)))
      store.delete(RS, rs.metadata.namespace, rs.metadata.name ?? '');
  }

  function event(d: KubeObject, message: string): void {
    ctx.events.record(d, 'Normal', 'ScalingReplicaSet', message, SOURCE);
  }

  function setProgressing(d: KubeObject, status: 'True' | 'False', reason: string, message: string): void {
    mutate(store, DEP, d.metadata.namespace, d.metadata.name ?? '', (next) => {
      next.status = next.status ?? {};
      const st = next.status as { conditions?: Condition[] };
      st.conditions = setCondition(
        st.conditions ?? [],
        { type: 'Progressing', status, reason, message },
        rfc3339(Date.now()),
      );
      return true;
    });
  }

  function ownerKey(obj: KubeObject): string | undefined {
    const ref = controllerOf(obj);
    return ref?.kind === 'Deployment' ? nsKey(obj.metadata.namespace, ref.name) : undefined;
  }

  return {
    name: 'deployment',
    start() {
      unsubscribe = store.subscribe((e) => {
        if (e.resource === DEP) {
          if (e.type !== 'DELETED') queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
        } else if (e.resource === RS) {
          const key = ownerKey(e.object);
          if (key) queue.add(key);
        }
      });
      for (const d of store.list(DEP).items) queue.add(nsKey(d.metadata.namespace, d.metadata.name));
    },
    stop() {
      unsubscribe();
    },
  };
}
