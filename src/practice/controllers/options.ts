// How fast simulated time runs. Every duration the simulation uses (image pulls, container
// start, probes, back-offs, progress deadlines, the HPA loop and its windows, the metrics window)
// is written in cluster seconds and multiplied by `timeScale` to get wall-clock time.

/** WorkloadOptions configures the workloads plugin of one practice cluster. */
export interface WorkloadOptions {
  /**
   * timeScale multiplies every simulated duration: 1 is realistic (a pull takes seconds, the HPA
   * loop runs every 15 s), 0.02 runs the same story fifty times faster (tests).
   */
  timeScale: number;
  /** Random source (tests may pin it); defaults to Math.random. */
  random: () => number;
  /** Run kind's kube-system (coredns, kube-proxy, kindnet, the static pods); default true. */
  kubeSystem: boolean;
}

/** DEFAULT_WORKLOAD_OPTIONS is the realistic setting `practice start` uses. */
export const DEFAULT_WORKLOAD_OPTIONS: WorkloadOptions = {
  timeScale: 1,
  random: Math.random,
  kubeSystem: true,
};

/** TEST_TIME_SCALE is the time scale test suites use: a 15 s HPA loop takes 0.3 s. */
export const TEST_TIME_SCALE = 0.02;

/** timeScaleFromEnv reads K8S_LEARN_PRACTICE_TIME_SCALE (a positive number) or returns 1. */
export function timeScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.K8S_LEARN_PRACTICE_TIME_SCALE);
  return Number.isFinite(v) && v > 0 ? v : 1;
}

/**
 * SIM is the table of simulated durations in cluster seconds, from what kind on a laptop shows:
 * a sandbox in a fraction of a second, a pull of a small public image in a couple of seconds.
 */
export const SIM = {
  sandbox: 0.4,
  pullPerImage: 2.5,
  createContainer: 0.2,
  startContainer: 0.3,
  /** How long the starter app runs before exiting when its config is invalid. */
  crashAfter: 0.5,
  /** kubelet back-off: 10 s doubling to 300 s (image pulls and crash loops). */
  backoffBase: 10,
  backoffMax: 300,
  /** A container that ran this long resets its crash back-off. */
  backoffReset: 600,
  /** Pods not yet schedulable are retried at least this often. */
  schedulerRetry: 10,
  /** Configuration errors (missing ConfigMap) are retried by the pod worker this often. */
  configRetry: 10,
  hpaSync: 15,
  metricsWindow: 15,
  /** Default termination grace period used for the Killing step. */
  stopContainer: 0.5,
} as const;
