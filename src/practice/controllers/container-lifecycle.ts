// A running container's life after start: readiness and liveness probes (Unhealthy events,
// Ready flips after success/failure thresholds, liveness restarts) and exits, restarted under
// the pod's restartPolicy with kubelet's crash back-off (first restart at once, then 10 s
// doubling to 300 s, reset after 10 minutes of running) and the CrashLoopBackOff texts.

import { execProbe } from '../exec/probe.js';
import { SIM } from './options.js';
import type { ContainerRun, PodWorker } from './pod-worker.js';
import { type ProbeKind, runProbe } from './probes.js';
import { rfc3339 } from './runtime.js';

/** newProbeCounts is a fresh set of probe counters. */
export function newProbeCounts(): Record<ProbeKind, { ok: number; failed: number }> {
  return { readiness: { ok: 0, failed: 0 }, liveness: { ok: 0, failed: 0 }, startup: { ok: 0, failed: 0 } };
}

/**
 * startProbes starts a container's probes after their initialDelaySeconds: the startup probe
 * alone first when there is one (readiness and liveness wait until it passes, as kubelet does).
 */
export function startProbes(w: PodWorker, run: ContainerRun): void {
  const kinds: ProbeKind[] =
    run.spec.startupProbe && !run.status.started ? ['startup'] : ['readiness', 'liveness'];
  for (const kind of kinds) {
    const probe = run.spec[`${kind}Probe`] as Record<string, number> | undefined;
    if (probe) w.after(run, probe.initialDelaySeconds ?? 0, () => probeContainer(w, run, kind));
  }
}

const LABEL: Record<ProbeKind, string> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };

/** probeContainer runs one probe of a container and schedules the next. */
export function probeContainer(w: PodWorker, run: ContainerRun, kind: ProbeKind): void {
  if (!run.status.state.running) return;
  const spec = run.spec[`${kind}Probe`] as Record<string, unknown>;
  const exec = spec.exec as { command?: unknown } | undefined;
  if (exec) {
    // Exec probes run in the container's simulated shell, like `kubectl exec`.
    const containerID = run.status.containerID;
    const command = Array.isArray(exec.command) ? exec.command.map(String) : [];
    execProbe(w, run, command, Number(spec.timeoutSeconds ?? 1)).then((result) => {
      if (run.status.state.running && run.status.containerID === containerID)
        applyProbe(w, run, kind, spec, result);
    });
    return;
  }
  applyProbe(w, run, kind, spec, runProbe(spec, run, w.podIP ?? ''));
}

function applyProbe(
  w: PodWorker,
  run: ContainerRun,
  kind: ProbeKind,
  spec: Record<string, unknown>,
  result: { ok: boolean; message: string },
): void {
  const counts = run.probes[kind];
  const success = Number(spec.successThreshold ?? 1);
  const failure = Number(spec.failureThreshold ?? 3);
  if (result.ok) {
    counts.ok++;
    counts.failed = 0;
    if (kind === 'readiness' && !run.status.ready && counts.ok >= success) {
      run.status.ready = true;
      w.writeStatus();
    }
    if (kind === 'startup') {
      run.status.started = true;
      run.status.ready = !run.spec.readinessProbe;
      w.writeStatus();
      startProbes(w, run);
      return;
    }
  } else {
    counts.failed++;
    counts.ok = 0;
    w.event('Warning', 'Unhealthy', `${LABEL[kind]} probe failed: ${result.message}`, run.spec.name);
    if (kind === 'readiness' && run.status.ready && counts.failed >= failure) {
      run.status.ready = false;
      w.writeStatus();
    }
    if (kind !== 'readiness' && counts.failed >= failure) {
      const msg = `Container ${run.spec.name} failed ${kind} probe, will be restarted`;
      w.event('Normal', 'Killing', msg, run.spec.name);
      containerExited(w, run, 137, 'Error');
      return;
    }
  }
  w.after(run, Number(spec.periodSeconds ?? 10), () => probeContainer(w, run, kind));
}

/** containerExited ends a run and restarts it under the pod's restartPolicy with kubelet's back-off. */
export function containerExited(w: PodWorker, run: ContainerRun, exitCode: number, reason: string): void {
  w.cancelRun(run);
  for (const line of run.plan?.exitLines ?? []) w.ctx.logs.write(w.uid, run.spec.name, line);
  w.ctx.logs.endRun(w.uid, run.spec.name);
  const running = run.status.state.running as { startedAt?: string } | undefined;
  const terminated = {
    terminated: {
      exitCode,
      reason,
      startedAt: running?.startedAt ?? rfc3339(Date.now()),
      finishedAt: rfc3339(Date.now()),
      containerID: run.status.containerID,
    },
  };
  run.status.ready = false;
  run.status.started = false;
  const policy = String((w.pod()?.spec as { restartPolicy?: string } | undefined)?.restartPolicy ?? 'Always');
  // Ephemeral containers are never restarted.
  const restart = !run.ephemeral && (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0));
  if (!restart) {
    run.status.state = terminated;
    w.writeStatus();
    return;
  }
  if (Date.now() - run.startedAtMs > w.ctx.clock.ms(SIM.backoffReset)) run.crashBackoff = 0;
  run.crashes++;
  run.status.restartCount++;
  run.status.lastState = terminated;
  run.status.state = terminated;
  w.writeStatus();
  if (run.crashBackoff === 0) {
    run.crashBackoff = SIM.backoffBase;
    w.after(run, 0.2, () => w.pullThenCreate(run));
    return;
  }
  const backoff = run.crashBackoff;
  run.crashBackoff = Math.min(backoff * 2, SIM.backoffMax);
  w.after(run, 0.5, () => {
    const who = `${w.name}_${w.namespace}(${w.uid})`;
    run.status.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${backoff}s restarting failed container=${run.spec.name} pod=${who}`,
      },
    };
    w.writeStatus();
    w.event(
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${run.spec.name} in pod ${who}`,
      run.spec.name,
    );
    w.after(run, backoff, () => w.pullThenCreate(run));
  });
}

/**
 * terminatePod stops a pod's running containers for graceful deletion: Killing events, then
 * apps stop within a moment of SIGTERM, except shells and idle images (PID 1 ignores SIGTERM),
 * killed when the grace period ends (137). `done` writes status and removes the pod.
 */
export function terminatePod(w: PodWorker, graceSeconds: number, done: () => void): void {
  const running = w.runs.filter((r) => r.status.state.running);
  const stubborn = (run: ContainerRun) => run.plan?.kind === 'shell' || run.plan?.kind === 'idle';
  let wait = 0;
  for (const run of running) {
    w.event('Normal', 'Killing', `Stopping container ${run.spec.name}`, run.spec.name);
    wait = Math.max(wait, stubborn(run) ? graceSeconds : Math.min(graceSeconds, SIM.stopContainer));
  }
  w.ctx.clock.after(wait, () => {
    const finishedAt = rfc3339(Date.now());
    for (const run of running) {
      const startedAt = (run.status.state.running as { startedAt?: string }).startedAt;
      const exit = stubborn(run) ? { exitCode: 137, reason: 'Error' } : { exitCode: 0, reason: 'Completed' };
      run.status.state = {
        terminated: { ...exit, startedAt, finishedAt, containerID: run.status.containerID },
      };
      run.status.ready = false;
      run.status.started = false;
      w.ctx.logs.endRun(w.uid, run.spec.name);
    }
    done();
  });
}
