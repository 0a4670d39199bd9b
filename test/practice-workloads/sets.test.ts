// StatefulSets (ordinal names, ordered creation, claims per pod, scale down from the top) and
// DaemonSets (one pod per node the pod tolerates) with the real kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { eventually, ok, startWorkloadCluster } from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

const sts = (replicas: number) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: ${replicas}
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: k8s-core:1.0
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;

const ds = (tolerate: boolean) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
${tolerate ? '      tolerations:\n      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}\n' : ''}      containers:
      - name: agent
        image: k8s-core:1.0
`;

describe('StatefulSets and DaemonSets', () => {
  it('creates ordinal pods in order with a claim each, and scales down from the highest', async () => {
    await ok(tc, ['apply', '-f', '-'], sts(3));
    await ok(tc, ['rollout', 'status', 'statefulset/db', '--timeout=60s']);
    expect(await ok(tc, ['get', 'pods', '-l', 'app=db', '-o', 'jsonpath={.items[*].metadata.name}'])).toBe(
      'db-0 db-1 db-2',
    );
    expect(await ok(tc, ['get', 'sts', 'db'])).toMatch(/^NAME\s+READY\s+AGE\ndb\s+3\/3\s+\d+s\n$/);
    const created = JSON.parse(await ok(tc, ['get', 'pods', '-l', 'app=db', '-o', 'json'])).items.map(
      (p: { metadata: { creationTimestamp: string; name: string } }) => p.metadata.name,
    );
    expect(created).toEqual(['db-0', 'db-1', 'db-2']);
    await eventually(
      tc,
      ['get', 'pvc'],
      (r) => /data-db-2\s+Bound/.test(r.stdout) && /data-db-0\s+Bound/.test(r.stdout),
    );
    const events = await ok(tc, [
      'get',
      'events',
      '--field-selector',
      'involvedObject.kind=StatefulSet',
      '-o',
      'jsonpath={.items[*].message}',
    ]);
    const order = [...events.matchAll(/create Pod (db-\d) in StatefulSet db successful/g)].map((m) => m[1]);
    expect(order).toEqual(['db-0', 'db-1', 'db-2']);
    await ok(tc, ['scale', 'statefulset/db', '--replicas=1']);
    await eventually(
      tc,
      ['get', 'pods', '-l', 'app=db', '-o', 'jsonpath={.items[*].metadata.name}'],
      (r) => r.stdout === 'db-0',
    );
    // Claims stay when pods go (persistentVolumeClaimRetentionPolicy Retain).
    expect(await ok(tc, ['get', 'pvc', 'data-db-2', '-o', 'name'])).toBe('persistentvolumeclaim/data-db-2\n');
  });

  it('runs one pod per worker, and on the control plane too when the pod tolerates its taint', async () => {
    await ok(tc, ['apply', '-f', '-'], ds(false));
    await eventually(tc, ['get', 'ds', 'agent'], (r) =>
      /agent\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\d+s/.test(r.stdout),
    );
    const nodes = async () =>
      (await ok(tc, ['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={.items[*].spec.nodeName}']))
        .split(' ')
        .sort();
    expect(await nodes()).toEqual(['k8s-learn-worker', 'k8s-learn-worker2']);
    await ok(tc, ['apply', '-f', '-'], ds(true));
    await eventually(tc, ['get', 'ds', 'agent'], (r) => /agent\s+3\s+3\s+3\s+3\s+3\s+/.test(r.stdout));
    expect(await nodes()).toEqual(['k8s-learn-control-plane', 'k8s-learn-worker', 'k8s-learn-worker2']);
  });
});
