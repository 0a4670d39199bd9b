// Storage (kind's `standard` class, claims bound once a pod uses them), ResourceQuota and
// LimitRange admission, apply --prune, and the served kinds in api-resources, with kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { eventually, ok, startWorkloadCluster } from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

const podWithClaim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: uses-data
spec:
  containers:
  - name: app
    image: k8s-core:1.0
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
`;

describe('kinds kind 1.33 serves', () => {
  it('lists batch, apps, networking, policy, storage and the rest in api-resources and api-versions', async () => {
    const resources = await ok(tc, ['api-resources']);
    for (const row of [
      /\njobs\s+batch\/v1\s+true\s+Job\n/,
      /\ncronjobs\s+cj\s+batch\/v1\s+true\s+CronJob\n/,
      /\nstatefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet\n/,
      /\ndaemonsets\s+ds\s+apps\/v1\s+true\s+DaemonSet\n/,
      /\ningresses\s+ing\s+networking\.k8s\.io\/v1\s+true\s+Ingress\n/,
      /\npersistentvolumeclaims\s+pvc\s+v1\s+true\s+PersistentVolumeClaim\n/,
      /\nstorageclasses\s+sc\s+storage\.k8s\.io\/v1\s+false\s+StorageClass\n/,
      /\nresourcequotas\s+quota\s+v1\s+true\s+ResourceQuota\n/,
      /\nlimitranges\s+limits\s+v1\s+true\s+LimitRange\n/,
      /\npoddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget\n/,
      /\ncustomresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition\n/,
    ])
      expect(resources).toMatch(row);
    const versions = await ok(tc, ['api-versions']);
    for (const v of [
      'batch/v1',
      'policy/v1',
      'storage.k8s.io/v1',
      'apiextensions.k8s.io/v1',
      'scheduling.k8s.io/v1',
    ])
      expect(versions).toContain(`${v}\n`);
    expect(await ok(tc, ['get', 'priorityclasses'])).toMatch(/system-node-critical\s+2000001000\s+false/);
  });

  it('binds a claim of the default class once a pod using it is scheduled', async () => {
    expect(await ok(tc, ['get', 'sc'])).toMatch(
      /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\nstandard \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\d+s\n$/,
    );
    await ok(tc, ['create', '-f', '-'], podWithClaim.split('---\n')[0]);
    expect(await ok(tc, ['get', 'pvc', 'data'])).toMatch(/data\s+Pending\s+standard\s+<unset>\s+\d+s/);
    await ok(tc, ['create', '-f', '-'], podWithClaim.split('---\n')[1]);
    await eventually(tc, ['get', 'pvc', 'data'], (r) =>
      /data\s+Bound\s+pvc-[0-9a-f-]{36}\s+1Gi\s+RWO\s+standard/.test(r.stdout),
    );
    expect(await ok(tc, ['get', 'pv'])).toMatch(
      /pvc-[0-9a-f-]{36}\s+1Gi\s+RWO\s+Delete\s+Bound\s+default\/data\s+standard/,
    );
  });

  it('enforces a ResourceQuota on create and counts its usage', async () => {
    await ok(tc, ['create', 'namespace', 'q1']);
    await ok(tc, ['-n', 'q1', 'create', 'quota', 'small', '--hard=pods=2,configmaps=3']);
    await ok(tc, ['-n', 'q1', 'run', 'a', '--image=k8s-core:1.0']);
    await ok(tc, ['-n', 'q1', 'run', 'b', '--image=k8s-core:1.0']);
    const third = await tc.kubectl(['-n', 'q1', 'run', 'c', '--image=k8s-core:1.0']);
    expect(third.stderr).toBe(
      'Error from server (Forbidden): pods "c" is forbidden: exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2\n',
    );
    await eventually(tc, ['-n', 'q1', 'get', 'quota', 'small'], (r) =>
      /small\s+\d+s\s+configmaps: 1\/3, pods: 2\/2/.test(r.stdout),
    );
  });

  it('fills container resources from a LimitRange', async () => {
    await ok(tc, ['create', 'namespace', 'lr']);
    await ok(
      tc,
      ['-n', 'lr', 'apply', '-f', '-'],
      `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
`,
    );
    await ok(tc, ['-n', 'lr', 'run', 'p', '--image=k8s-core:1.0']);
    const pod = JSON.parse(await ok(tc, ['-n', 'lr', 'get', 'pod', 'p', '-o', 'json']));
    expect(pod.spec.containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    expect(pod.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container p; cpu, memory limit for container p',
    );
  });

  it('prunes with apply --prune -l (every default prune kind is served)', async () => {
    const cm = (n: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  namespace: pr\n  labels: {set: one}\ndata: {a: "1"}\n`;
    await ok(tc, ['create', 'namespace', 'pr']);
    await ok(tc, ['apply', '--prune', '-l', 'set=one', '-f', '-'], `${cm('keep')}---\n${cm('drop')}`);
    const out = await ok(tc, ['apply', '--prune', '-l', 'set=one', '-f', '-'], cm('keep'));
    expect(out).toBe('configmap/keep unchanged\nconfigmap/drop pruned\n');
  });
});
