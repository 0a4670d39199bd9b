// What `k8s-learn load` sends: a steady stream of `/burn?ms=N` requests through the Service (the
// course app keeps a CPU busy for N ms per request), sized so the app as a whole is asked for a
// chosen amount of CPU. On a practice cluster whose autoscaling clock runs faster, the same CPU
// must fit in a shorter metrics window, so each request asks for more CPU time (see
// burnPerRequest); on a real cluster the clock scale is 1.

/** LoadPlan is one run of the load generator. */
export interface LoadPlan {
  namespace: string;
  service: string;
  /** How long load is sent, in cluster seconds. */
  durationSeconds: number;
  /** How long the view keeps watching for the scale-down after the load, in cluster seconds. */
  settleSeconds: number;
  /** The CPU the load asks of the app as a whole, in millicores. */
  cpuMillicores: number;
  /** Wall-clock seconds per cluster second of the autoscaling clock (1 on a real cluster). */
  clockScale: number;
  /** Requests per wall-clock second. */
  ratePerSecond: number;
}

/** FAST_CLOCK_SCALE is the autoscaling clock `--fast` asks of a practice cluster: 15 s → 0.3 s. */
export const FAST_CLOCK_SCALE = 0.02;

/** parseDuration reads `90s`, `2m`, `1m30s` or a bare number of seconds; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(trimmed);
  if (!m || trimmed === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** parseCpu reads `250m` or `0.25` (cores) into millicores; undefined when invalid. */
export function parseCpu(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(text.trim());
  if (!m) return undefined;
  const value = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
  return value > 0 ? value : undefined;
}

/** parseTarget reads `svc/NAME` or `service/NAME` (a bare name is a Service too). */
export function parseTarget(text: string): string | undefined {
  const m = /^(?:(?:svc|service|services)\/)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(text);
  return m?.[1];
}

/**
 * burnPerRequest is the CPU time (cluster milliseconds) one request asks for: usage over a metrics
 * window is rate × clockScale × burn, so burn = cpu / (rate × clockScale).
 */
export function burnPerRequest(
  plan: Pick<LoadPlan, 'cpuMillicores' | 'ratePerSecond' | 'clockScale'>,
): number {
  return Math.max(1, Math.round(plan.cpuMillicores / (plan.ratePerSecond * plan.clockScale)));
}

/** wallMs is the wall-clock length of `seconds` cluster seconds under the plan's clock. */
export function wallMs(plan: Pick<LoadPlan, 'clockScale'>, seconds: number): number {
  return seconds * 1000 * plan.clockScale;
}
