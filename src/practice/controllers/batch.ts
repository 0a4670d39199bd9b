// batch/v1 controllers. Job: keeps up to `parallelism` active pods until `completions` pods have
// succeeded (Complete, with SuccessCriteriaMet first, as 1.33 writes them), or more than
// `backoffLimit` have failed (Failed, BackoffLimitExceeded); startTime, completionTime, counts,
// events as upstream's job controller writes them. CronJob: creates a Job at each scheduled
// minute (5-field cron, `@hourly` …), honours suspend and concurrencyPolicy, keeps the history
// limits, and lists active Jobs. Pods run on the simulated kubelet; a Job pod whose image has no
// finite program in the simulation (the starter app) completes after a short simulated run.

import { apiCreate } from '../api.js';
import { ApiError } from '../api-error.js';
import type { Controller } from '../extensions.js';
import type { KubeObject } from '../types.js';
import type { WorkloadContext } from './context.js';
import { podPhaseOf } from './pod-util.js';
import { CREATE_RETRY_SECONDS } from './replicaset.js';
import { controllerOf, mutate, nsKey, ownedBy, ownerRef, rfc3339, splitKey, WorkQueue } from './runtime.js';

const JOBS = 'jobs.batch';
const CRONJOBS = 'cronjobs.batch';
const JOB_SOURCE = { component: 'job-controller' };
const CRON_SOURCE = { component: 'cronjob-controller' };
/** Cluster seconds a Job pod the simulation cannot end by itself runs before it completes. */
export const JOB_RUN_SECONDS = 3;

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function condition(type: string, reason: string, message: string, now: string): Obj {
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message };
}

/** jobController reconciles Jobs with their pods. */
export function jobController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  const queue = new WorkQueue(ctx.clock, 'job', (key) => sync(key));
  const finishing = new Set<string>();
  let unsubscribe = () => {};

  function finishRun(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? '';
    if (finishing.has(uid)) return;
    finishing.add(uid);
    ctx.clock.after(JOB_RUN_SECONDS, () => {
      finishing.delete(uid);
      mutate(store, 'pods', pod.metadata.namespace, pod.metadata.name ?? '', (next) => {
        const status = o(next.status);
        if (status.phase !== 'Running' || next.metadata.deletionTimestamp) return false;
        const now = rfc3339(Date.now());
        const statuses = Array.isArray(status.containerStatuses) ? (status.containerStatuses as Obj[]) : [];
        for (const c of statuses) {
          const started = o(o(c.state).running).startedAt ?? now;
          c.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: now } };
          c.ready = false;
          c.started = false;
        }
        status.phase = 'Succeeded';
        status.conditions = (Array.isArray(status.conditions) ? (status.conditions as Obj[]) : []).map((c) =>
          c.type === 'Ready' || c.type === 'ContainersReady'
            ? { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: now }
            : c,
        );
        next.status = status;
        next.metadata.resourceVersion = '';
        return true;
      });
    });
  }

  function newPod(job: KubeObject): KubeObject {
    const template = o(o(job.spec).template);
    const tmeta = o(template.metadata);
    const metadata: KubeObject['metadata'] = {
      generateName: `${job.metadata.name}-`,
      namespace: job.metadata.namespace,
      labels: { ...(o(tmeta.labels) as Record<string, string>) },
      ownerReferences: [ownerRef(job)],
    };
    if (tmeta.annotations) metadata.annotations = { ...(o(tmeta.annotations) as Record<string, string>) };
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(o(template.spec)) };
  }

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const job = store.get(JOBS, namespace, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const spec = o(job.spec);
    const status = o(job.status);
    const finished = (Array.isArray(status.conditions) ? (status.conditions as Obj[]) : []).some(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    const pods = store.list('pods', { namespace, predicate: (p) => ownedBy(p, job.metadata.uid) }).items;
    const succeeded = pods.filter((p) => podPhaseOf(p) === 'Succeeded').length;
    const failed = pods.filter((p) => podPhaseOf(p) === 'Failed').length;
    const active = pods.filter(
      (p) => !['Succeeded', 'Failed'].includes(podPhaseOf(p)) && !p.metadata.deletionTimestamp,
    );
    const completions = typeof spec.completions === 'number' ? spec.completions : 1;
    const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
    const backoffLimit = typeof spec.backoffLimit === 'number' ? spec.backoffLimit : 6;
    const now = rfc3339(Date.now());
    let conditions = Array.isArray(status.conditions) ? (status.conditions as Obj[]) : [];
    let completionTime = status.completionTime;
    if (!finished && !spec.suspend) {
      if (succeeded >= completions) {
        conditions = [
          ...conditions,
          condition(
            'SuccessCriteriaMet',
            'CompletionsReached',
            'Reached expected number of succeeded pods',
            now,
          ),
          condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', now),
        ];
        completionTime = now;
        ctx.events.record(job, 'Normal', 'Completed', 'Job completed', JOB_SOURCE);
      } else if (failed > backoffLimit) {
        const msg = 'Job has reached the specified backoff limit';
        conditions = [
          ...conditions,
          condition('FailureTarget', 'BackoffLimitExceeded', msg, now),
          condition('Failed', 'BackoffLimitExceeded', msg, now),
        ];
        for (const p of active) store.delete('pods', p.metadata.namespace, p.metadata.name ?? '');
        ctx.events.record(job, 'Warning', 'BackoffLimitExceeded', msg, JOB_SOURCE);
      } else {
        const want = Math.min(parallelism, completions - succeeded) - active.length;
        for (let i = 0; i < want; i++) {
          try {
            const pod = apiCreate(store, newPod(job), 'kube-controller-manager');
            ctx.events.record(
              job,
              'Normal',
              'SuccessfulCreate',
              `Created pod: ${pod.metadata.name}`,
              JOB_SOURCE,
            );
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            ctx.events.record(job, 'Warning', 'FailedCreate', `Error creating: ${err.message}`, JOB_SOURCE);
            queue.addAfter(key, CREATE_RETRY_SECONDS);
            break;
          }
        }
      }
    }
    for (const p of active) if (podPhaseOf(p) === 'Running' && !simulationEnds(ctx, p)) finishRun(p);
    const nowActive = store
      .list('pods', { namespace, predicate: (p) => ownedBy(p, job.metadata.uid) })
      .items.filter((p) => !['Succeeded', 'Failed'].includes(podPhaseOf(p)) && !p.metadata.deletionTimestamp);
    const next: Obj = {
      conditions: conditions.length ? conditions : undefined,
      startTime: status.startTime ?? now,
      completionTime,
      active: nowActive.length || undefined,
      succeeded: succeeded || undefined,
      failed: failed || undefined,
      ready: nowActive.filter((p) => o(p.status).phase === 'Running').length,
      terminating: 0,
      uncountedTerminatedPods: {},
    };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    mutate(store, JOBS, namespace, name, (j) => {
      if (JSON.stringify(j.status ?? {}) === JSON.stringify(next)) return false;
      j.status = next;
      j.metadata.resourceVersion = '';
      return true;
    });
  }

  return {
    name: 'job',
    start() {
      unsubscribe = store.subscribe((e) => {
        if (e.resource === JOBS) queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
        else if (e.resource === 'pods') {
          const ref = controllerOf(e.object);
          if (ref?.kind === 'Job') queue.add(nsKey(e.object.metadata.namespace, ref.name));
        }
      });
      for (const j of store.list(JOBS).items) queue.add(nsKey(j.metadata.namespace, j.metadata.name));
    },
    stop() {
      unsubscribe();
    },
  };
}

// A container whose simulated program ends by itself (busybox `echo`, hello-world) exits through
// the kubelet; the others (servers) would run forever.
function simulationEnds(ctx: WorkloadContext, pod: KubeObject): boolean {
  const containers = (o(pod.spec).containers as { name: string }[] | undefined) ?? [];
  return containers.every((c) => ctx.appOf(pod.metadata.uid ?? '', c.name)?.plan.exitCode !== undefined);
}

// Cron schedules: five fields (minute hour day-of-month month day-of-week) with `*`, lists,
// ranges and steps, or the `@hourly`-style macros.
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

/** parseCron turns a schedule into the allowed values per field, or undefined when invalid. */
export function parseCron(schedule: string): Set<number>[] | undefined {
  const fields = (MACROS[schedule.trim()] ?? schedule).trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const out: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const [lo, hi] = RANGES[i]!;
    const set = new Set<number>();
    for (const part of fields[i]!.split(',')) {
      const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
      if (!m) return undefined;
      const start = m[1] === '*' ? lo : Number(m[1]);
      const end = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] ? hi : start;
      const step = m[3] ? Number(m[3]) : 1;
      if (start < lo || end > hi || start > end || step < 1) return undefined;
      for (let v = start; v <= end; v += step) set.add(i === 4 && v === 7 ? 0 : v);
    }
    out.push(set);
  }
  return out;
}

function matchesMinute(cron: Set<number>[], d: Date): boolean {
  return (
    cron[0]!.has(d.getUTCMinutes()) &&
    cron[1]!.has(d.getUTCHours()) &&
    cron[2]!.has(d.getUTCDate()) &&
    cron[3]!.has(d.getUTCMonth() + 1) &&
    cron[4]!.has(d.getUTCDay())
  );
}

/** cronJobController creates Jobs on schedule and keeps the history limits. */
export function cronJobController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  const queue = new WorkQueue(ctx.clock, 'cronjob', (key) => sync(key));
  let unsubscribe = () => {};
  let stopTicking = () => {};

  function sync(key: string): void {
    const { namespace, name } = splitKey(key);
    const cj = store.get(CRONJOBS, namespace, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const spec = o(cj.spec);
    const jobs = store.list(JOBS, { namespace, predicate: (j) => ownedBy(j, cj.metadata.uid) }).items;
    const done = (j: KubeObject, type: string) =>
      ((o(j.status).conditions as Obj[] | undefined) ?? []).some(
        (c) => c.type === type && c.status === 'True',
      );
    const active = jobs.filter((j) => !done(j, 'Complete') && !done(j, 'Failed'));
    const status = o(cj.status);
    let lastSchedule = status.lastScheduleTime as string | undefined;
    const cron = parseCron(String(spec.schedule ?? ''));
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    // The schedule's current minute, if it came after the CronJob was created and is not done yet.
    const due =
      !!cron &&
      matchesMinute(cron, minute) &&
      minute.getTime() >= Date.parse(cj.metadata.creationTimestamp ?? '') &&
      !(Date.parse(lastSchedule ?? '') >= minute.getTime());
    if (due && spec.suspend !== true) {
      const policy = String(spec.concurrencyPolicy ?? 'Allow');
      if (policy === 'Forbid' && active.length) {
        ctx.events.record(
          cj,
          'Normal',
          'JobAlreadyActive',
          'Not starting job because prior execution is running and concurrency policy is Forbid',
          CRON_SOURCE,
        );
      } else {
        if (policy === 'Replace')
          for (const j of active) {
            store.delete(JOBS, namespace, j.metadata.name ?? '');
            ctx.events.record(
              cj,
              'Normal',
              'SuccessfulDelete',
              `Deleted job ${j.metadata.name}`,
              CRON_SOURCE,
            );
          }
        const jobName = `${name}-${Math.floor(minute.getTime() / 60_000)}`;
        if (!store.get(JOBS, namespace, jobName)) {
          const template = o(spec.jobTemplate);
          const job: KubeObject = {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: jobName,
              namespace,
              labels: { ...(o(o(template.metadata).labels) as Record<string, string>) },
              annotations: {
                'batch.kubernetes.io/cronjob-scheduled-timestamp': minute.toISOString().replace('.000Z', 'Z'),
              },
              ownerReferences: [ownerRef(cj)],
            },
            spec: structuredClone(o(template.spec)),
          };
          apiCreate(store, job, 'kube-controller-manager');
          ctx.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`, CRON_SOURCE);
        }
        lastSchedule = rfc3339(minute.getTime());
      }
    }
    // History limits: the oldest finished Jobs beyond the limits go, with their pods.
    for (const [type, limit] of [
      ['Complete', Number(spec.successfulJobsHistoryLimit ?? 3)],
      ['Failed', Number(spec.failedJobsHistoryLimit ?? 1)],
    ] as const) {
      const old = jobs
        .filter((j) => done(j, type))
        .sort((a, b) =>
          (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
        );
      for (const j of old.slice(0, Math.max(0, old.length - limit))) {
        const pods = store.list('pods', { namespace, predicate: (p) => ownedBy(p, j.metadata.uid) }).items;
        for (const p of pods) store.delete('pods', namespace, p.metadata.name ?? '');
        store.delete(JOBS, namespace, j.metadata.name ?? '');
        ctx.events.record(
          cj,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${j.metadata.name}, condition: ${type}`,
          CRON_SOURCE,
        );
      }
    }
    const stillActive = store
      .list(JOBS, { namespace, predicate: (j) => ownedBy(j, cj.metadata.uid) })
      .items.filter((j) => !done(j, 'Complete') && !done(j, 'Failed'));
    const lastSuccess = jobs
      .filter((j) => done(j, 'Complete'))
      .map((j) => String(o(j.status).completionTime ?? ''))
      .sort()
      .pop();
    const next: Obj = {};
    if (stillActive.length)
      next.active = stillActive.map((j) => ({
        kind: 'Job',
        namespace,
        name: j.metadata.name,
        uid: j.metadata.uid,
        apiVersion: 'batch/v1',
        resourceVersion: j.metadata.resourceVersion,
      }));
    if (lastSchedule) next.lastScheduleTime = lastSchedule;
    if (lastSuccess) next.lastSuccessfulTime = lastSuccess;
    mutate(store, CRONJOBS, namespace, name, (c) => {
      if (JSON.stringify(c.status ?? {}) === JSON.stringify(next)) return false;
      c.status = next;
      c.metadata.resourceVersion = '';
      return true;
    });
  }

  return {
    name: 'cronjob',
    start() {
      unsubscribe = store.subscribe((e) => {
        if (e.resource === CRONJOBS) queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
        else if (e.resource === JOBS) {
          const ref = controllerOf(e.object);
          if (ref?.kind === 'CronJob') queue.add(nsKey(e.object.metadata.namespace, ref.name));
        }
      });
      const tick = () => {
        for (const cj of store.list(CRONJOBS).items)
          queue.add(nsKey(cj.metadata.namespace, cj.metadata.name));
      };
      tick();
      // Check every 10 wall-clock seconds, as upstream requeues to the next schedule time.
      const timer = setInterval(tick, 10_000);
      timer.unref?.();
      stopTicking = () => clearInterval(timer);
    },
    stop() {
      unsubscribe();
      stopTicking();
    },
  };
}
