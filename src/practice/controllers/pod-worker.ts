// One simulated pod on one node: sandbox, image pulls, container creation and start, crashes
// with kubelet's back-off, readiness and liveness probes, and the status/events kubelet writes.
// Every step runs from a timer (never from a store listener) and rewrites the pod's status.
import { randomBytes } from 'node:crypto';
import { startMainProcess } from '../exec/main-process.js';
import type { KubeObject } from '../types.js';
import { type AppPlan, planRun } from '../workloads/app.js';
import { type ContainerConfig, type ContainerSpec, resolveConfig } from '../workloads/config.js';
import { type ImageRef, imageIdOf } from '../workloads/images.js';
import { bytesOf } from '../workloads/quantity.js';
import { containerExited, newProbeCounts, startProbes, terminatePod } from './container-lifecycle.js';
import type { WorkloadContext } from './context.js';
import { ensureImage, type ImageStep } from './image-puller.js';
import { SIM } from './options.js';
import { buildPodStatus, type ContainerStatus } from './pod-status.js';
import type { ProbeKind } from './probes.js';
import { rfc3339 } from './runtime.js';

/** RunningApp is a container's app as the proxy and metrics see it. */
export interface RunningApp {
  podName: string;
  namespace: string;
  nodeName: string;
  podIP?: string;
  container: string;
  plan: AppPlan;
  config: ContainerConfig;
  running: boolean;
}

/** ContainerRun is the kubelet's memory of one container. */
export interface ContainerRun {
  spec: ContainerSpec;
  status: ContainerStatus;
  ref?: ImageRef;
  plan?: AppPlan;
  config?: ContainerConfig;
  pullBackoff: number;
  crashBackoff: number;
  crashes: number;
  startedAtMs: number;
  probes: Record<ProbeKind, { ok: number; failed: number }>;
  cancels: (() => void)[];
  /** An ephemeral container (`kubectl debug`): never restarted, reported apart. */
  ephemeral?: boolean;
}

function newRun(spec: ContainerSpec): ContainerRun {
  return {
    spec,
    status: {
      name: spec.name,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: spec.image ?? '',
      imageID: '',
      started: false,
    },
    pullBackoff: 0,
    crashBackoff: 0,
    crashes: 0,
    startedAtMs: 0,
    probes: newProbeCounts(),
    cancels: [],
  };
}

/** PodWorker drives one pod from ContainerCreating to Running (and through its failures). */
export class PodWorker {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly nodeName: string;
  readonly runs: ContainerRun[];
  podIP?: string;
  private sandboxReady = false;
  private stopped = false;
  private waitingForConfig = false;
  private readonly startTime = rfc3339(Date.now());

  constructor(
    readonly ctx: WorkloadContext,
    pod: KubeObject,
    readonly hostIP: string,
    private readonly allocateIP: () => string,
  ) {
    this.uid = pod.metadata.uid ?? '';
    this.lastPod = pod;
    this.namespace = pod.metadata.namespace ?? 'default';
    this.name = pod.metadata.name ?? '';
    this.nodeName = String((pod.spec as { nodeName?: string }).nodeName);
    const containers = ((pod.spec as { containers?: ContainerSpec[] }).containers ?? []) as ContainerSpec[];
    this.runs = containers.map(newRun);
  }

  /** The ephemeral containers `kubectl debug` added, in the order they were added. */
  readonly ephemeralRuns: ContainerRun[] = [];

  /** run finds a container, regular or ephemeral, by name. */
  run(name: string): ContainerRun | undefined {
    return (
      this.runs.find((r) => r.spec.name === name) ?? this.ephemeralRuns.find((r) => r.spec.name === name)
    );
  }

  /** syncEphemeral starts the ephemeral containers added to the pod since the last look. */
  syncEphemeral(pod: KubeObject): void {
    if (this.stopped || this.terminating || !this.sandboxReady) return;
    const specs = ((pod.spec as { ephemeralContainers?: ContainerSpec[] }).ephemeralContainers ??
      []) as ContainerSpec[];
    for (const spec of specs) {
      if (this.ephemeralRuns.some((r) => r.spec.name === spec.name)) continue;
      const run = newRun(spec);
      run.ephemeral = true;
      this.ephemeralRuns.push(run);
      this.writeStatus();
      this.pullThenCreate(run);
    }
  }

  /** pod is the latest stored copy of the pod (undefined once deleted). */
  pod(): KubeObject | undefined {
    const p = this.ctx.store.get('pods', this.namespace, this.name);
    if (p && p.metadata.uid === this.uid) {
      this.lastPod = p;
      return p;
    }
    return undefined;
  }

  /** lastPod is the pod as last seen, for events after it is gone (Killing). */
  lastPod?: KubeObject;

  /** event records a kubelet event about the pod (or one of its containers). */
  event(type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    const pod = this.pod() ?? this.lastPod;
    if (!pod) return;
    const list = this.ephemeralRuns.some((r) => r.spec.name === container)
      ? 'ephemeralContainers'
      : 'containers';
    const fieldPath = container ? `spec.${list}{${container}}` : undefined;
    this.ctx.events.record(
      pod,
      type,
      reason,
      message,
      { component: 'kubelet', host: this.nodeName },
      fieldPath,
    );
  }

  /** writeStatus writes the pod's status from what the worker knows. */
  writeStatus(): void {
    if (this.stopped) return;
    const pod = this.pod();
    if (!pod) return;
    const next = structuredClone(pod) as KubeObject & {
      status?: Record<string, unknown>;
      spec: { restartPolicy?: string };
    };
    next.status = buildPodStatus(
      (pod.status ?? {}) as Record<string, unknown>,
      {
        sandboxReady: this.sandboxReady,
        podIP: this.podIP,
        hostIP: this.hostIP,
        startTime: this.startTime,
        restartPolicy: next.spec.restartPolicy ?? 'Always',
        containers: this.runs.map((r) => r.status),
        ephemeral: this.ephemeralRuns.map((r) => r.status),
      },
      rfc3339(Date.now()),
    );
    next.metadata.resourceVersion = '';
    this.ctx.store.update('pods', next);
  }

  /** after schedules a step of one container, cancelled when the worker stops. */
  after(run: ContainerRun | undefined, seconds: number, fn: () => void): void {
    const cancel = this.ctx.clock.after(seconds, () => {
      if (!this.stopped) fn();
    });
    if (run) run.cancels.push(cancel);
    else this.podCancels.push(cancel);
  }

  private readonly podCancels: (() => void)[] = [];

  /** start begins the pod: volumes, sandbox, then every container. */
  start(): void {
    this.writeStatus();
    this.after(undefined, SIM.sandbox, () => this.setUpSandbox());
  }

  private setUpSandbox(): void {
    const pod = this.pod();
    if (!pod) return;
    for (const run of this.runs) {
      const r = resolveConfig(this.ctx.store, pod, run.spec, this.ctx.inCluster);
      if ('problem' in r && r.problem.kind === 'FailedMount') {
        this.event('Warning', 'FailedMount', r.problem.message);
        this.waitingForConfig = true;
        this.after(undefined, SIM.configRetry, () => this.retryConfig());
        return;
      }
    }
    this.waitingForConfig = false;
    this.sandboxReady = true;
    // A hostNetwork pod (`kubectl debug node/…`) has its node's IP.
    this.podIP = (pod.spec as { hostNetwork?: boolean }).hostNetwork ? this.hostIP : this.allocateIP();
    this.writeStatus();
    for (const run of this.runs) this.pullThenCreate(run);
    const pod2 = this.pod();
    if (pod2) this.syncEphemeral(pod2);
  }

  /** configChanged retries a pod waiting for a ConfigMap or Secret. */
  configChanged(): void {
    if (this.waitingForConfig) this.retryConfig();
    for (const run of this.runs) {
      if (
        (run.status.state.waiting as { reason?: string } | undefined)?.reason === 'CreateContainerConfigError'
      ) {
        this.cancelRun(run);
        this.create(run);
      }
    }
  }

  private retryConfig(): void {
    if (!this.sandboxReady) {
      for (const c of this.podCancels.splice(0)) c();
      this.setUpSandbox();
    }
  }

  /** cancelRun cancels a container's pending steps. */
  cancelRun(run: ContainerRun): void {
    for (const c of run.cancels.splice(0)) c();
  }

  /** pullThenCreate makes sure the image is there (kubelet's image manager), then creates. */
  pullThenCreate(run: ContainerRun): void {
    const step: ImageStep = ensureImage(this, run, this.ctx);
    if (step === 'ready') this.create(run);
  }

  /** create resolves the container's config and starts it, or reports a config error. */
  create(run: ContainerRun): void {
    const pod = this.pod();
    if (!pod || !run.ref) return;
    const r = resolveConfig(this.ctx.store, pod, run.spec, this.ctx.inCluster);
    if ('problem' in r) {
      run.status.state = { waiting: { reason: 'CreateContainerConfigError', message: r.problem.message } };
      this.writeStatus();
      this.event('Warning', 'Failed', `Error: ${r.problem.message}`, run.spec.name);
      this.after(run, SIM.configRetry, () => this.create(run));
      return;
    }
    run.config = r.config;
    run.plan = planRun(run.ref, run.spec, r.config, this.name, this.systemNode());
    this.after(run, SIM.createContainer, () => {
      run.status.containerID = `containerd://${randomBytes(32).toString('hex')}`;
      this.event('Normal', 'Created', `Created container: ${run.spec.name}`, run.spec.name);
      this.after(run, SIM.startContainer, () => this.started(run));
    });
  }

  /** systemNode describes this node and its peers for kube-system components' logs (kindnetd). */
  private systemNode(): { name: string; peers: { name: string; ip: string; cidr: string }[] } {
    const peers = this.ctx.store.list('nodes').items.map((n) => {
      const status = (n.status ?? {}) as { addresses?: { type: string; address: string }[] };
      return {
        name: n.metadata.name ?? '',
        ip: status.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
        cidr: String((n.spec as { podCIDR?: string } | undefined)?.podCIDR ?? ''),
      };
    });
    return { name: this.nodeName, peers };
  }

  private started(run: ContainerRun): void {
    const plan = run.plan as AppPlan;
    const ref = run.ref as ImageRef;
    this.ctx.logs.startRun(this.uid, run.spec.name);
    for (const line of plan.startup) this.ctx.logs.write(this.uid, run.spec.name, line);
    run.startedAtMs = Date.now();
    plan.uptime = () => (Date.now() - run.startedAtMs) / Math.max(this.ctx.clock.ms(1), 1e-6);
    run.status.state = { running: { startedAt: rfc3339(run.startedAtMs) } };
    run.status.started = true;
    run.status.image = ref.full;
    run.status.imageID = imageIdOf(ref);
    run.probes = newProbeCounts();
    // With a startup probe the container is neither started nor ready until it passes.
    run.status.started = !run.spec.startupProbe;
    const limit = bytesOf(run.spec.resources?.limits?.memory);
    // A process that dies within the first moment (bad config, OOM at start) is never reported
    // ready: kubelet sees it exit before its next status sync, so a rollout does not count it
    // available and keeps the old pods (maxUnavailable 0).
    const diesAtStart = plan.exitCode !== undefined || (limit > 0 && limit < plan.memory);
    run.status.ready = !run.ephemeral && !run.spec.readinessProbe && !run.spec.startupProbe && !diesAtStart;
    this.event('Normal', 'Started', `Started container ${run.spec.name}`, run.spec.name);
    this.writeStatus();
    if (limit > 0 && limit < plan.memory) {
      // The app needs more than its memory limit: the kernel kills it (exit 137, OOMKilled).
      this.after(run, SIM.crashAfter, () => this.exited(run, 137, 'OOMKilled'));
      return;
    }
    if (plan.exitCode !== undefined) {
      const code = plan.exitCode;
      this.after(run, SIM.crashAfter, () => this.exited(run, code, code === 0 ? 'Completed' : 'Error'));
    }
    // Nor does a probe of it ever pass: the app never answers (the first readiness probe would
    // otherwise mark it ready for a moment, and a rollout would replace the old pods with it).
    if (!diesAtStart) startProbes(this, run);
    // Shell-like images run their command in the simulated shell (its exit ends the container).
    if (plan.kind === 'shell' || plan.kind === 'curl') startMainProcess(this, run);
  }

  /** exited ends a run and restarts it under the pod's restartPolicy with kubelet's back-off. */
  exited(run: ContainerRun, exitCode: number, reason: string): void {
    containerExited(this, run, exitCode, reason);
  }

  /** appOf is the app of a container, for the proxy. */
  appOf(container?: string): RunningApp | undefined {
    const run = container ? this.runs.find((r) => r.spec.name === container) : this.runs.find((r) => r.plan);
    if (!run?.plan || !run.config) return undefined;
    return {
      podName: this.name,
      namespace: this.namespace,
      nodeName: this.nodeName,
      podIP: this.podIP,
      container: run.spec.name,
      plan: run.plan,
      config: run.config,
      running: !!run.status.state.running,
    };
  }

  /** stop kills every container (Killing events) and stops all timers. */
  stop(withEvents: boolean): void {
    if (this.stopped) return;
    for (const run of [...this.runs, ...this.ephemeralRuns]) {
      if (withEvents && run.status.state.running)
        this.event('Normal', 'Killing', `Stopping container ${run.spec.name}`, run.spec.name);
      this.cancelRun(run);
      this.ctx.logs.endRun(this.uid, run.spec.name);
    }
    for (const c of this.podCancels.splice(0)) c();
    this.stopped = true;
  }

  /** terminate is graceful deletion (see terminatePod). */
  terminate(graceSeconds: number, done: () => void): void {
    if (this.stopped || this.terminating) return;
    this.terminating = true;
    for (const c of this.podCancels.splice(0)) c();
    for (const run of [...this.runs, ...this.ephemeralRuns]) this.cancelRun(run);
    terminatePod(this, graceSeconds, () => {
      this.writeStatus();
      this.stopped = true;
      done();
    });
  }

  private terminating = false;

  /** isStopped tells whether the worker has stopped. */
  get isStopped(): boolean {
    return this.stopped;
  }
}
