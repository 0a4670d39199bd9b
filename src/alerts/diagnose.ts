// The whole diagnosis: a pure function from a snapshot of the cluster to the active alerts,
// critical first. Fixtures in test/alerts/ cover every failure of the facts table.
import { diagnosePod } from './pods.js';
import type { Alert, ClusterSnapshot } from './types.js';
import { diagnoseDeployment, diagnoseHpa, diagnoseService } from './workloads.js';

/** diagnose returns every active alert in a snapshot. */
export function diagnose(snapshot: ClusterSnapshot, now: Date = new Date()): Alert[] {
  const alerts = [
    ...snapshot.pods.flatMap((p) => diagnosePod(p, snapshot, now)),
    ...snapshot.deployments.flatMap(diagnoseDeployment),
    ...snapshot.services.flatMap((s) => diagnoseService(s, snapshot)),
    ...snapshot.hpas.flatMap((h) => diagnoseHpa(h, snapshot)),
  ];
  const rank = { critical: 0, warning: 1 };
  return alerts.sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      a.namespace.localeCompare(b.namespace) ||
      a.object.localeCompare(b.object),
  );
}

/**
 * startingPods lists the pods that have no alert yet but are not ready either (just created,
 * pulling, starting): right after an apply, "no alerts" would read as "healthy" when the answer
 * is "not yet known". Pods of finished Jobs and pods being deleted are left out.
 */
export function startingPods(
  snapshot: ClusterSnapshot,
  alerts: Alert[],
): { name: string; namespace: string; state: string }[] {
  const alerted = new Set(alerts.map((a) => `${a.namespace}/${a.object}`));
  const out: { name: string; namespace: string; state: string }[] = [];
  for (const pod of snapshot.pods) {
    const { name, namespace = '' } = pod.metadata;
    const phase = pod.status?.phase as string | undefined;
    if (
      phase === 'Succeeded' ||
      phase === 'Failed' ||
      (pod.metadata as { deletionTimestamp?: string }).deletionTimestamp
    )
      continue;
    if (alerted.has(`${namespace}/Pod/${name}`)) continue;
    const statuses = (pod.status?.containerStatuses ?? []) as {
      ready?: boolean;
      state?: { waiting?: { reason?: string }; running?: unknown };
    }[];
    if (statuses.length > 0 && statuses.every((s) => s.ready)) continue;
    const waiting = statuses.find((s) => s.state?.waiting)?.state?.waiting?.reason;
    out.push({
      name,
      namespace,
      state: waiting ?? (statuses.some((s) => s.state?.running) ? 'Running' : (phase ?? 'Pending')),
    });
  }
  return out;
}

/** needsLogs lists the containers whose last log lines the diagnosis wants (crash loops, OOM). */
export function needsLogs(
  snapshot: ClusterSnapshot,
): { namespace: string; pod: string; container: string }[] {
  const out: { namespace: string; pod: string; container: string }[] = [];
  for (const pod of snapshot.pods) {
    const statuses = [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ] as {
      name: string;
      state?: { waiting?: { reason?: string } };
      lastState?: { terminated?: unknown };
    }[];
    for (const cs of statuses) {
      if (cs.state?.waiting?.reason === 'CrashLoopBackOff' || cs.lastState?.terminated) {
        out.push({
          namespace: pod.metadata.namespace ?? 'default',
          pod: pod.metadata.name,
          container: cs.name,
        });
      }
    }
  }
  return out;
}
