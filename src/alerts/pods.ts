// Pod diagnosis: container states (init containers too), scheduling and readiness, as listed in
// shared/reference/kubernetes-facts.md. Events give the message and the start time; the image-pull
// `BackOff` event is type Normal, so events are never filtered on type alone.
import type { Alert, AlertReason, ClusterSnapshot, K8sEvent, K8sObject } from './types.js';

const imageReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']);

/** eventsFor lists the events about one object, oldest first. */
export function eventsFor(events: K8sEvent[], kind: string, namespace: string, name: string): K8sEvent[] {
  return events
    .filter(
      (e) =>
        e.involvedObject.kind === kind &&
        e.involvedObject.name === name &&
        (e.involvedObject.namespace ?? namespace) === namespace,
    )
    .sort((a, b) => eventTime(a, 'first').localeCompare(eventTime(b, 'first')));
}

/** eventTime is an event's first (or last) time, whichever field the producer filled. */
export function eventTime(e: K8sEvent, which: 'first' | 'last'): string {
  const primary = which === 'first' ? e.firstTimestamp : e.lastTimestamp;
  return primary || e.eventTime || (which === 'first' ? e.lastTimestamp : e.firstTimestamp) || '';
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { reason?: string; exitCode?: number; finishedAt?: string };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number; finishedAt?: string; message?: string } };
}

/** recentMs is how long an OOM kill of a container that runs again stays an alert. */
const recentMs = 10 * 60_000;

/** readinessGraceMs is how long a new container may stay unready without an Unhealthy event. */
const readinessGraceMs = 60_000;

/** diagnosePod returns the alerts of one pod. */
export function diagnosePod(pod: K8sObject, snapshot: ClusterSnapshot, now: Date): Alert[] {
  const ns = pod.metadata.namespace ?? 'default';
  const object = `Pod/${pod.metadata.name}`;
  const events = eventsFor(snapshot.events, 'Pod', ns, pod.metadata.name);
  const alerts: Alert[] = [];
  const firstEvent = (pred: (e: K8sEvent) => boolean): K8sEvent | undefined => events.find(pred);
  const lastEvent = (pred: (e: K8sEvent) => boolean): K8sEvent | undefined =>
    [...events].reverse().find(pred);
  const add = (
    reason: AlertReason,
    severity: Alert['severity'],
    message: string,
    details: Alert['details'],
    since?: string,
    container?: string,
  ) => {
    alerts.push({
      severity,
      object,
      namespace: ns,
      reason,
      message,
      details,
      ...(since ? { since } : {}),
      ...(container ? { container } : {}),
    });
  };

  const conditions: {
    type: string;
    status: string;
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
  }[] = pod.status?.conditions ?? [];
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  if (
    pod.status?.phase === 'Pending' &&
    scheduled?.status === 'False' &&
    scheduled.reason === 'Unschedulable'
  ) {
    const ev = lastEvent((e) => e.reason === 'FailedScheduling');
    add(
      'Unschedulable',
      'critical',
      scheduled.message ?? ev?.message ?? '',
      {},
      scheduled.lastTransitionTime ?? (ev ? eventTime(ev, 'first') : undefined),
    );
    return alerts;
  }

  const specContainers: { name: string; image?: string; readinessProbe?: unknown }[] = [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ];
  const statuses: ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const cs of statuses) {
    const spec = specContainers.find((c) => c.name === cs.name);
    const image = spec?.image ?? cs.image ?? '';
    const waiting = cs.state?.waiting;
    const last = cs.lastState?.terminated;
    const restarts = cs.restartCount ?? 0;
    if (waiting?.reason && imageReasons.has(waiting.reason)) {
      const failed =
        lastEvent((e) => e.reason === 'Failed' && (e.message ?? '').includes(image)) ??
        lastEvent(
          (e) => e.reason === 'Failed' || e.reason === 'InspectFailed' || e.reason === 'ErrImageNeverPull',
        );
      const started = firstEvent((e) =>
        ['Failed', 'BackOff', 'InspectFailed', 'ErrImageNeverPull'].includes(e.reason ?? ''),
      );
      add(
        waiting.reason as AlertReason,
        'critical',
        failed?.message ?? waiting.message ?? '',
        { image, pullPolicy: String((spec as { imagePullPolicy?: string })?.imagePullPolicy ?? '') },
        started ? eventTime(started, 'first') : undefined,
        cs.name,
      );
      continue;
    }
    if (waiting?.reason === 'CreateContainerConfigError') {
      const ev = firstEvent((e) => e.reason === 'Failed');
      add(
        'CreateContainerConfigError',
        'critical',
        waiting.message ?? ev?.message ?? '',
        {},
        ev ? eventTime(ev, 'first') : undefined,
        cs.name,
      );
      continue;
    }
    const logTail = snapshot.logs[`${ns}/${pod.metadata.name}/${cs.name}`] ?? '';
    const oomNow = cs.state?.terminated?.reason === 'OOMKilled';
    const oomRecent =
      last?.reason === 'OOMKilled' &&
      (waiting !== undefined ||
        (last.finishedAt !== undefined && now.getTime() - Date.parse(last.finishedAt) < recentMs));
    if (oomNow || oomRecent) {
      const term = oomNow ? cs.state?.terminated : last;
      add(
        'OOMKilled',
        'critical',
        `exit code ${term?.exitCode ?? 137}`,
        { exitCode: term?.exitCode ?? 137, restarts, logTail },
        term?.finishedAt,
        cs.name,
      );
      continue;
    }
    if (waiting?.reason === 'CrashLoopBackOff') {
      const ev = firstEvent(
        (e) => e.reason === 'BackOff' && /restarting failed container/.test(e.message ?? ''),
      );
      add(
        'CrashLoopBackOff',
        'critical',
        waiting.message ?? ev?.message ?? '',
        { exitCode: last?.exitCode ?? '?', lastReason: last?.reason ?? '', restarts, logTail },
        ev ? eventTime(ev, 'first') : last?.finishedAt,
        cs.name,
      );
      continue;
    }
    if (cs.state?.running && cs.ready === false) {
      const unhealthy = lastEvent(
        (e) => e.reason === 'Unhealthy' && /^Readiness probe/.test(e.message ?? ''),
      );
      const startedAt = Date.parse(cs.state.running.startedAt ?? '');
      const settled = Number.isFinite(startedAt) && now.getTime() - startedAt > readinessGraceMs;
      if (unhealthy || (spec?.readinessProbe && settled)) {
        const first = firstEvent((e) => e.reason === 'Unhealthy' && /^Readiness probe/.test(e.message ?? ''));
        add(
          'ReadinessFailing',
          'warning',
          unhealthy?.message ?? '',
          {},
          first ? eventTime(first, 'first') : cs.state.running.startedAt,
          cs.name,
        );
      }
    }
  }
  return alerts;
}
