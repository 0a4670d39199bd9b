// The HorizontalPodAutoscaler controller (autoscaling/v2, Resource metrics): every 15 cluster
// seconds it reads the target's scale, computes utilization of the pods' requests from the
// metrics the practice cluster serves, applies behavior (stabilization, policies), min/max,
// rescales the target, and writes status and conditions with upstream's reasons and events.
import type { Controller } from '../extensions.js';
import type { KubeObject } from '../types.js';
import { bytesOf, milliCpu } from '../workloads/quantity.js';
import type { WorkloadContext } from './context.js';
import {
  DEFAULT_DOWN,
  DEFAULT_UP,
  type Rules,
  rateLimit,
  resourceReplicas,
  stabilize,
  type Timed,
} from './hpa-algorithm.js';
import {
  averageValueReplicas,
  type Cond,
  HPA,
  samplesFor,
  type UsageOf,
  writeHpaStatus,
} from './hpa-status.js';
import { SIM } from './options.js';
import { selectsPod } from './replicaset.js';
import { mutate, nsKey, rfc3339 } from './runtime.js';

const SOURCE = { component: 'horizontal-pod-autoscaler' };
const TARGETS: Record<string, string> = { Deployment: 'deployments.apps', ReplicaSet: 'replicasets.apps' };

interface MetricSpec {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: string } };
}

interface HpaSpec {
  scaleTargetRef: { kind: string; name: string; apiVersion?: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: MetricSpec[];
  behavior?: { scaleUp?: Rules; scaleDown?: Rules };
}

/** hpaController runs the HPA loop. */
export function hpaController(ctx: WorkloadContext, usageOf: UsageOf): Controller {
  const { store, clock } = ctx;
  const recommendations = new Map<string, Timed[]>();
  const scaleEvents = new Map<string, Timed[]>();
  let stopLoop = () => {};
  let unsubscribe = () => {};

  function sync(hpa: KubeObject): void {
    const key = hpa.metadata.uid ?? '';
    const spec = hpa.spec as HpaSpec;
    const ns = hpa.metadata.namespace ?? 'default';
    const conds: Cond[] = [];
    const ref = spec.scaleTargetRef;
    const resource = TARGETS[ref.kind];
    const target = resource ? store.get(resource, ns, ref.name) : undefined;
    if (!target || !resource) {
      const msg = `the HPA controller was unable to get the target's current scale: ${resource ?? ref.kind.toLowerCase()} "${ref.name}" not found`;
      ctx.events.record(
        hpa,
        'Warning',
        'FailedGetScale',
        msg.replace("the HPA controller was unable to get the target's current scale: ", ''),
        SOURCE,
      );
      writeHpaStatus(store, hpa, {
        conditions: [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: msg }],
      });
      return;
    }
    const current = (target.spec as { replicas?: number }).replicas ?? 1;
    const min = spec.minReplicas ?? 1;
    const max = spec.maxReplicas;
    conds.push({
      type: 'AbleToScale',
      status: 'True',
      reason: 'SucceededGetScale',
      message: "the HPA controller was able to get the target's current scale",
    });
    if (current === 0 && min !== 0) {
      conds.push({
        type: 'ScalingActive',
        status: 'False',
        reason: 'ScalingDisabled',
        message: 'scaling is disabled since the replica count of the target is zero',
      });
      writeHpaStatus(store, hpa, { currentReplicas: 0, desiredReplicas: 0, conditions: conds });
      return;
    }
    // Outside [min, max] upstream rescales to the bound without reading any metric (the
    // replica count someone else set, e.g. a `kubectl apply` of a manifest with `replicas:`).
    const bound = current > max ? max : current < min ? min : undefined;
    if (bound !== undefined) {
      rescaleToBound(hpa, key, resource, ref.name, current, bound, conds);
      return;
    }
    const pods = store
      .list('pods', {
        namespace: ns,
        predicate: (p) => selectsPod((target.spec as { selector?: unknown }).selector, p),
      })
      .items.filter(
        (p) => !p.metadata.deletionTimestamp && (p.status as { phase?: string })?.phase !== 'Failed',
      );
    let desired = 0;
    const currentMetrics: unknown[] = [];
    let firstError: string | undefined;
    let reasonText = '';
    for (const metric of spec.metrics ?? []) {
      if (metric.type !== 'Resource' || !metric.resource) continue;
      const name = metric.resource.name;
      try {
        const samples = samplesFor(pods, name, usageOf);
        const t = metric.resource.target;
        const targetPct = t.type === 'Utilization' ? (t.averageUtilization ?? 80) : undefined;
        const result =
          targetPct !== undefined
            ? resourceReplicas(current, targetPct, samples)
            : averageValueReplicas(
                current,
                name === 'cpu' ? milliCpu(t.averageValue) : bytesOf(t.averageValue),
                samples,
              );
        const avg =
          name === 'cpu'
            ? `${Math.round(result.averageUsage)}m`
            : `${Math.round(result.averageUsage / 1024)}Ki`;
        currentMetrics.push({
          type: 'Resource',
          resource: {
            name,
            current:
              targetPct !== undefined
                ? { averageUtilization: result.utilization, averageValue: avg }
                : { averageValue: avg },
          },
        });
        if (result.replicas > desired) {
          desired = result.replicas;
          reasonText = `${name} resource utilization (percentage of request) above target`;
        }
      } catch (err) {
        const why = `failed to get ${name} utilization: ${(err as Error).message}`;
        firstError ??= why;
        ctx.events.record(hpa, 'Warning', 'FailedGetResourceMetric', why, SOURCE);
      }
    }
    if (firstError && currentMetrics.length === 0) {
      ctx.events.record(
        hpa,
        'Warning',
        'FailedComputeMetricsReplicas',
        `invalid metrics (1 invalid out of 1), first error is: failed to get ${firstError.slice(14).split(' ')[0]} resource metric value: ${firstError}`,
        SOURCE,
      );
      conds.push({
        type: 'ScalingActive',
        status: 'False',
        reason: 'FailedGetResourceMetric',
        message: `the HPA was unable to compute the replica count: ${firstError}`,
      });
      writeHpaStatus(store, hpa, { currentReplicas: current, desiredReplicas: current, conditions: conds });
      return;
    }
    conds.push({
      type: 'ScalingActive',
      status: 'True',
      reason: 'ValidMetricFound',
      message:
        'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
    });
    if (desired <= current && desired < current) reasonText = 'All metrics below target';
    const now = Date.now();
    const up = { ...DEFAULT_UP, ...(spec.behavior?.scaleUp ?? {}) };
    const down = { ...DEFAULT_DOWN, ...(spec.behavior?.scaleDown ?? {}) };
    // A new HPA starts from the current size (upstream recordInitialRecommendation), so it does
    // not scale down before its stabilization window has passed.
    if (!recommendations.has(key)) recommendations.set(key, [{ at: now, value: current }]);
    const history = (recommendations.get(key) ?? []).filter(
      (r) =>
        r.at >
        now -
          clock.autoscalingMs(
            Math.max(up.stabilizationWindowSeconds ?? 0, down.stabilizationWindowSeconds ?? 300) + 1,
          ),
    );
    const stabilized = stabilize(
      current,
      desired,
      history,
      clock.autoscalingMs(up.stabilizationWindowSeconds ?? 0),
      clock.autoscalingMs(down.stabilizationWindowSeconds ?? 300),
      now,
    );
    history.push({ at: now, value: desired });
    recommendations.set(key, history);
    const events = (scaleEvents.get(key) ?? []).filter((e) => e.at > now - clock.autoscalingMs(1800));
    const limitedRate =
      stabilized === current
        ? { replicas: current, limited: false }
        : rateLimit(current, stabilized, stabilized > current ? up : down, events, now, (s) =>
            clock.autoscalingMs(s),
          );
    let final = limitedRate.replicas;
    let limited: Cond = {
      type: 'ScalingLimited',
      status: 'False',
      reason: 'DesiredWithinRange',
      message: 'the desired count is within the acceptable range',
    };
    if (limitedRate.limited) {
      const dir = stabilized > current ? 'increasing' : 'decreasing';
      limited = {
        type: 'ScalingLimited',
        status: 'True',
        reason: stabilized > current ? 'ScaleUpLimit' : 'ScaleDownLimit',
        message: `the desired replica count is ${dir} faster than the maximum scale rate`,
      };
    }
    if (final > max) {
      final = max;
      limited = {
        type: 'ScalingLimited',
        status: 'True',
        reason: 'TooManyReplicas',
        message: 'the desired replica count is more than the maximum replica count',
      };
    } else if (final < min) {
      final = min;
      limited = {
        type: 'ScalingLimited',
        status: 'True',
        reason: 'TooFewReplicas',
        message: 'the desired replica count is less than the minimum replica count',
      };
    }
    const able = conds[0] as Cond;
    const status: Record<string, unknown> = {
      currentReplicas: current,
      desiredReplicas: final,
      currentMetrics,
    };
    if (final !== current) {
      mutate(store, resource, ns, ref.name, (next) => {
        (next.spec as { replicas: number }).replicas = final;
        return true;
      });
      events.push({ at: now, value: final - current });
      scaleEvents.set(key, events);
      if (final > current && !reasonText.includes('above'))
        reasonText = 'cpu resource utilization (percentage of request) above target';
      if (final < current) reasonText = 'All metrics below target';
      ctx.events.record(
        hpa,
        'Normal',
        'SuccessfulRescale',
        `New size: ${final}; reason: ${reasonText}`,
        SOURCE,
      );
      Object.assign(able, {
        reason: 'SucceededRescale',
        message: `the HPA controller was able to update the target scale to ${final}`,
      });
      status.lastScaleTime = rfc3339(now);
    } else if (stabilized !== desired && desired < current) {
      Object.assign(able, {
        reason: 'ScaleDownStabilized',
        message:
          'recent recommendations were higher than current one, applying the highest recent recommendation',
      });
    } else if (stabilized !== desired && desired > current) {
      Object.assign(able, {
        reason: 'ScaleUpStabilized',
        message:
          'recent recommendations were lower than current one, applying the lowest recent recommendation',
      });
    } else {
      Object.assign(able, { reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    }
    conds.push(limited);
    status.conditions = conds;
    writeHpaStatus(store, hpa, status);
  }

  /**
   * rescaleToBound is upstream's branch for a target outside [min, max]: the new size is the bound,
   * the reason names it, no metric is read (status.currentMetrics is emptied, so `kubectl get hpa`
   * shows `<unknown>` until the next sync) and the other conditions keep what they said.
   */
  function rescaleToBound(
    hpa: KubeObject,
    key: string,
    resource: string,
    name: string,
    current: number,
    bound: number,
    conds: Cond[],
  ): void {
    const ns = hpa.metadata.namespace ?? 'default';
    const now = Date.now();
    mutate(store, resource, ns, name, (next) => {
      (next.spec as { replicas: number }).replicas = bound;
      return true;
    });
    const events = (scaleEvents.get(key) ?? []).filter((e) => e.at > now - clock.autoscalingMs(1800));
    events.push({ at: now, value: bound - current });
    scaleEvents.set(key, events);
    const reason = `Current number of replicas ${bound > current ? 'below Spec.MinReplicas' : 'above Spec.MaxReplicas'}`;
    ctx.events.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${bound}; reason: ${reason}`, SOURCE);
    Object.assign(conds[0] as Cond, {
      reason: 'SucceededRescale',
      message: `the HPA controller was able to update the target scale to ${bound}`,
    });
    const previous = ((hpa.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).filter(
      (c) => c.type !== 'AbleToScale',
    );
    writeHpaStatus(store, hpa, {
      currentReplicas: current,
      desiredReplicas: bound,
      conditions: [...conds, ...previous],
      lastScaleTime: rfc3339(now),
    });
  }

  return {
    name: 'horizontal-pod-autoscaler',
    start() {
      // A new HPA is computed at once (the informer's add), then on the 15 s loop.
      unsubscribe = store.subscribe((e) => {
        if (e.resource !== HPA || e.type !== 'ADDED') return;
        const { namespace, name } = e.object.metadata;
        setImmediate(() => {
          const hpa = store.get(HPA, namespace, name ?? '');
          if (hpa && !clock.isStopped) sync(hpa);
        });
      });
      const syncAll = () => {
        for (const hpa of store.list(HPA).items) {
          try {
            sync(hpa);
          } catch (err) {
            process.emitWarning(
              `practice hpa ${nsKey(hpa.metadata.namespace, hpa.metadata.name)}: ${String(err)}`,
            );
          }
        }
      };
      // The loop runs on the autoscaling clock; a change of that clock restarts it at once, so a
      // compressed clock does not wait out a realistic 15 s period already scheduled.
      let cancel = () => {};
      const loop = () => {
        cancel = clock.afterMs(clock.autoscalingMs(SIM.hpaSync), () => {
          syncAll();
          loop();
        });
      };
      loop();
      const unwatchClock = clock.onAutoscalingChange(() => {
        cancel();
        loop();
      });
      stopLoop = () => {
        unwatchClock();
        cancel();
      };
    },
    stop() {
      unsubscribe();
      stopLoop();
    },
  };
}
