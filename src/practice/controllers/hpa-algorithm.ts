// The HPA's arithmetic as documented upstream (pkg/controller/podautoscaler): the usage ratio
// to the target with a 10 % tolerance, missing and unready pods counted conservatively, the
// stabilization window over past recommendations, and scaling policies limiting the rate.

/** TOLERANCE is the HPA's default tolerance: no scaling within ±10 % of the target. */
export const TOLERANCE = 0.1;

/** PodSample is one targeted pod for a resource metric. */
export interface PodSample {
  /** Usage in the metric's unit (millicores); undefined when metrics are missing. */
  usage?: number;
  /** Request in the same unit. */
  request: number;
  ready: boolean;
}

/** ReplicaResult is the recommendation for one metric. */
export interface ReplicaResult {
  replicas: number;
  utilization: number;
  averageUsage: number;
}

/**
 * resourceReplicas computes the replica count for a utilization target (percent of request),
 * following GetResourceReplicas: unready pods and pods without metrics are left out first, then
 * added back as 0 % (scale up) or 100 % (scale down) to damp the decision.
 */
export function resourceReplicas(current: number, target: number, pods: PodSample[]): ReplicaResult {
  const withMetrics = pods.filter((p) => p.ready && p.usage !== undefined);
  const missing = pods.filter((p) => p.usage === undefined);
  const unready = pods.filter((p) => !p.ready && p.usage !== undefined);
  if (withMetrics.length === 0)
    throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const usage = withMetrics.reduce((s, p) => s + (p.usage ?? 0), 0);
  const request = withMetrics.reduce((s, p) => s + p.request, 0);
  const utilization = Math.trunc((usage * 100) / request);
  const ratio = (usage * 100) / request / target;
  const averageUsage = usage / withMetrics.length;
  const scaleUpWithUnready = unready.length > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.length === 0) {
    if (Math.abs(1 - ratio) <= TOLERANCE) return { replicas: current, utilization, averageUsage };
    return { replicas: Math.ceil(ratio * withMetrics.length), utilization, averageUsage };
  }
  let u = usage;
  let r = request;
  let n = withMetrics.length;
  for (const p of missing) {
    if (ratio < 1) u += p.request;
    r += p.request;
    n++;
  }
  if (scaleUpWithUnready) {
    for (const p of unready) {
      r += p.request;
      n++;
    }
  }
  const newRatio = (u * 100) / r / target;
  if (Math.abs(1 - newRatio) <= TOLERANCE || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return { replicas: current, utilization, averageUsage };
  }
  const replicas = Math.ceil(newRatio * n);
  if ((newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current)) {
    return { replicas: current, utilization, averageUsage };
  }
  return { replicas, utilization, averageUsage };
}

/** Policy is one scaling policy of `behavior`. */
export interface Policy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

/** Rules is `behavior.scaleUp` or `behavior.scaleDown`. */
export interface Rules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: Policy[];
}

/** DEFAULT_UP is upstream's default scale-up behavior. */
export const DEFAULT_UP: Rules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
/** DEFAULT_DOWN is upstream's default scale-down behavior (300 s window). */
export const DEFAULT_DOWN: Rules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** Timed is a value with the wall-clock time it was recorded. */
export interface Timed {
  at: number;
  value: number;
}

/**
 * stabilize applies the stabilization windows: scaling up takes the lowest recommendation of
 * the up window, scaling down the highest of the down window (windows in ms).
 */
export function stabilize(
  current: number,
  desired: number,
  history: Timed[],
  upMs: number,
  downMs: number,
  now: number,
): number {
  let up = desired;
  let down = desired;
  for (const rec of history) {
    if (rec.at > now - upMs) up = Math.min(up, rec.value);
    if (rec.at > now - downMs) down = Math.max(down, rec.value);
  }
  let out = current;
  if (out < up) out = up;
  if (out > down) out = down;
  return out;
}

/** rateLimit caps a change by the policies over their periods, given past scale events (ms). */
export function rateLimit(
  current: number,
  desired: number,
  rules: Rules,
  events: Timed[],
  now: number,
  msOf: (s: number) => number,
): { replicas: number; limited: boolean } {
  const up = desired > current;
  if (rules.selectPolicy === 'Disabled') return { replicas: current, limited: desired !== current };
  const limits = (rules.policies ?? []).map((p) => {
    const changed = events.filter((e) => e.at > now - msOf(p.periodSeconds)).reduce((s, e) => s + e.value, 0);
    const start = current - changed;
    if (up) return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    return p.type === 'Pods' ? start - p.value : Math.ceil(start * (1 - p.value / 100));
  });
  if (limits.length === 0) return { replicas: desired, limited: false };
  const pickMax = (rules.selectPolicy ?? 'Max') === 'Max';
  const limit = up
    ? pickMax
      ? Math.max(...limits)
      : Math.min(...limits)
    : pickMax
      ? Math.min(...limits)
      : Math.max(...limits);
  if (up && desired > limit) return { replicas: limit, limited: true };
  if (!up && desired < limit) return { replicas: limit, limited: true };
  return { replicas: desired, limited: false };
}
