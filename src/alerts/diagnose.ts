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
