// Reads one snapshot of a namespace (or all) through the pinned kubectl: one `get` for the
// workload objects, one for events, and `logs --previous --tail` for failing containers.
import type { Kubectl } from '../kubectl.js';
import { kubectlError } from '../kubectl.js';
import { needsLogs } from './diagnose.js';
import type { ClusterSnapshot, K8sEvent, K8sObject } from './types.js';

/** SnapshotError is a kubectl failure while reading the cluster (not an alert). */
export class SnapshotError extends Error {}

/** logTailLines is how many log lines of a failing container are shown. */
export const logTailLines = 5;

/** collectSnapshot reads pods, ReplicaSets, deployments, services, EndpointSlices, HPAs, events and logs. */
export async function collectSnapshot(
  kubectl: Kubectl,
  namespace: string | undefined,
): Promise<ClusterSnapshot> {
  const scope = namespace ? ['-n', namespace] : ['--all-namespaces'];
  const [objects, events] = await Promise.all([
    kubectl.json<{ items: K8sObject[] }>(
      ['get', 'pods,replicasets,deployments,services,endpointslices,horizontalpodautoscalers', ...scope],
      { timeoutMs: 30_000 },
    ),
    kubectl.json<{ items: K8sEvent[] }>(['get', 'events', ...scope], { timeoutMs: 30_000 }),
  ]);
  if (!objects.value) throw new SnapshotError(kubectlError(objects.result));
  const items = objects.value.items ?? [];
  const ofKind = (kind: string) => items.filter((i) => i.kind === kind);
  const snapshot: ClusterSnapshot = {
    pods: ofKind('Pod'),
    deployments: ofKind('Deployment'),
    services: ofKind('Service'),
    endpointSlices: ofKind('EndpointSlice'),
    hpas: ofKind('HorizontalPodAutoscaler'),
    replicaSets: ofKind('ReplicaSet'),
    events: events.value?.items ?? [],
    logs: {},
  };
  // At most a few log calls at once: a crash-looping Deployment may have many pods.
  for (const want of needsLogs(snapshot).slice(0, 6)) {
    const result = await kubectl.run(
      ['logs', '-n', want.namespace, want.pod, '-c', want.container, '--previous', `--tail=${logTailLines}`],
      { readOnly: true, timeoutMs: 15_000 },
    );
    if (result.exitCode === 0)
      snapshot.logs[`${want.namespace}/${want.pod}/${want.container}`] = result.stdout.trimEnd();
  }
  return snapshot;
}
