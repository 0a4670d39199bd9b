// Deployment status as the deployment controller writes it (syncRolloutStatus): replica
// counters summed over its ReplicaSets, observedGeneration, Available from maxUnavailable, and
// Progressing: NewReplicaSetAvailable when complete, ReplicaSetUpdated on progress,
// ProgressDeadlineExceeded when no progress was made within progressDeadlineSeconds.
import type { KubeObject } from '../types.js';
import type { WorkloadContext } from './context.js';
import {
  type Condition,
  DEP,
  MESSAGES,
  RS,
  rsStatus,
  setCondition,
  specOf,
  surgeAndUnavailable,
} from './deployment-util.js';
import { mutate, nsKey, rfc3339, type WorkQueue } from './runtime.js';

/** statusWriter returns writeStatus for one controller; `queue` re-checks progress deadlines. */
export function statusWriter(ctx: WorkloadContext, queue: WorkQueue) {
  const { store } = ctx;

  /** writeStatus recomputes and writes a Deployment's status. */
  function writeStatus(
    d0: KubeObject,
    newRS: KubeObject | undefined,
    olds0: KubeObject[],
    paused: boolean,
  ): void {
    const d = store.get(DEP, d0.metadata.namespace, d0.metadata.name ?? '') ?? d0;
    const fresh = (rs: KubeObject) => store.get(RS, rs.metadata.namespace, rs.metadata.name ?? '') ?? rs;
    const nrs = newRS ? fresh(newRS) : undefined;
    const all = [...(nrs ? [nrs] : []), ...olds0.map(fresh)];
    const replicas = specOf(d).replicas ?? 1;
    const sum = (k: string) => all.reduce((s, rs) => s + rsStatus(rs, k), 0);
    const prev = (d.status ?? {}) as Record<string, unknown> & { conditions?: Condition[] };
    const counts: Record<string, number> = {
      replicas: sum('replicas'),
      updatedReplicas: nrs ? rsStatus(nrs, 'replicas') : 0,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: sum('availableReplicas'),
    };
    counts.unavailableReplicas = Math.max(0, replicas - (counts.availableReplicas ?? 0));
    const now = rfc3339(Date.now());
    const { maxUnavailable } = surgeAndUnavailable(d);
    let conditions = setCondition(
      prev.conditions ?? [],
      (counts.availableReplicas ?? 0) >= replicas - maxUnavailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: MESSAGES.available,
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: MESSAGES.unavailable,
          },
      now,
    );
    conditions = progressing(d, nrs, conditions, counts, prev, paused, now);
    const status: Record<string, unknown> = { observedGeneration: d.metadata.generation ?? 1 };
    for (const [k, v] of Object.entries(counts)) if (v > 0) status[k] = v;
    status.conditions = conditions;
    if (prev.collisionCount !== undefined) status.collisionCount = prev.collisionCount;
    mutate(store, DEP, d.metadata.namespace, d.metadata.name ?? '', (next) => {
      if (JSON.stringify(next.status ?? {}) === JSON.stringify(status)) return false;
      next.status = status;
      return true;
    });
  }

  function progressing(
    d: KubeObject,
    nrs: KubeObject | undefined,
    conditions: Condition[],
    counts: Record<string, number>,
    prev: Record<string, unknown>,
    paused: boolean,
    now: string,
  ): Condition[] {
    const replicas = specOf(d).replicas ?? 1;
    const rsName = nrs?.metadata.name ?? '';
    const cond = conditions.find((c) => c.type === 'Progressing');
    if (paused)
      return setCondition(
        conditions,
        { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: MESSAGES.paused },
        now,
      );
    const p = (k: string) => Number(prev[k] ?? 0);
    const c = (k: string) => counts[k] ?? 0;
    const complete =
      c('updatedReplicas') === replicas && c('replicas') === replicas && c('availableReplicas') === replicas;
    if (complete && nrs) {
      return setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: MESSAGES.complete(rsName),
        },
        now,
      );
    }
    const moved =
      c('updatedReplicas') > p('updatedReplicas') ||
      c('replicas') - c('updatedReplicas') < p('replicas') - p('updatedReplicas') ||
      c('readyReplicas') > p('readyReplicas') ||
      c('availableReplicas') > p('availableReplicas');
    const deadline = specOf(d).progressDeadlineSeconds ?? 600;
    const key = nsKey(d.metadata.namespace, d.metadata.name);
    if (moved) {
      const kept = conditions.filter((x) => x.type !== 'Progressing');
      const transition = cond?.status === 'True' ? cond.lastTransitionTime : now;
      const next: Condition = {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: now,
        lastTransitionTime: transition,
        reason: 'ReplicaSetUpdated',
        message: MESSAGES.progressing(rsName),
      };
      queue.addAfter(key, deadline + 1);
      return [...kept, next].sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
    }
    if (cond && cond.reason !== 'NewReplicaSetAvailable' && cond.reason !== 'ProgressDeadlineExceeded') {
      const since = Date.parse(cond.lastUpdateTime);
      const left = since + ctx.clock.ms(deadline) - Date.now();
      if (left < 0) {
        return setCondition(
          conditions,
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: MESSAGES.timedOut(rsName),
          },
          now,
        );
      }
      queue.addAfter(key, left / 1000 / ctx.options.timeScale + 0.5);
    }
    return conditions;
  }

  return writeStatus;
}
