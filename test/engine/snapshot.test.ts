// The cluster snapshot behind `reset STEP`: what is recorded of an object, what a rollback deletes
// and restores (pure), and — against the practice cluster with the real kubectl — that applying a
// rollback touches nothing outside the course namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyRollback,
  type ClusterSnapshot,
  compactObject,
  courseNamespaces,
  planRollback,
  rollbackCommands,
  type SnapshotObject,
  takeSnapshot,
} from '../../src/engine/snapshot.js';
import type { Kubectl } from '../../src/kubectl.js';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { pinnedKubectl, startTestCluster, type TestCluster } from '../helpers/practice.js';

const ns = 'k8s-test';
const namespace: SnapshotObject = { kind: 'Namespace', name: ns };
const deployment = (name: string, fields: Partial<SnapshotObject> = {}): SnapshotObject => ({
  kind: 'Deployment',
  name,
  namespace: ns,
  replicas: 3,
  containers: [{ name: 'app', image: 'k8s-core:1.0', imagePullPolicy: 'IfNotPresent' }],
  volumes: [{ name: 'network-config', configMap: 'casc-network-config' }],
  ...fields,
});
const snap = (objects: SnapshotObject[], namespaces = [ns]): ClusterSnapshot => ({
  at: '2026-01-01T00:00:00.000Z',
  context: 'k8s-learn-practice',
  namespaces,
  objects,
});

describe('compactObject', () => {
  it('keeps a Deployment’s replicas, containers and mounted ConfigMaps, and an HPA’s min/max', () => {
    const full = {
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns, uid: 'x', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [{ name: 'app', image: 'k8s-core:1.0', imagePullPolicy: 'IfNotPresent', ports: [] }],
            volumes: [
              { name: 'cfg', configMap: { name: 'casc-network-config' } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    };
    expect(compactObject(full)).toEqual({
      kind: 'Deployment',
      name: 'web',
      namespace: ns,
      replicas: 2,
      containers: [{ name: 'app', image: 'k8s-core:1.0', imagePullPolicy: 'IfNotPresent' }],
      volumes: [{ name: 'cfg', configMap: 'casc-network-config' }],
    });
    expect(
      compactObject({
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: ns },
        spec: { minReplicas: 2, maxReplicas: 6 },
      }),
    ).toEqual({
      kind: 'HorizontalPodAutoscaler',
      name: 'web',
      namespace: ns,
      minReplicas: 2,
      maxReplicas: 6,
    });
    expect(compactObject({ kind: 'Namespace', metadata: { name: ns } })).toEqual(namespace);
  });

  it('drops what comes and goes with an owner or belongs to the control plane', () => {
    const owned = { kind: 'Pod', metadata: { name: 'web-1', namespace: ns, ownerReferences: [{}] } };
    expect(compactObject(owned)).toBeUndefined();
    expect(compactObject({ kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: ns } })).toBe(
      undefined,
    );
    expect(compactObject({ kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } })).toBe(
      undefined,
    );
    expect(
      compactObject({ kind: 'Service', metadata: { name: 'gone', namespace: ns, deletionTimestamp: 'now' } }),
    ).toBe(undefined);
    expect(compactObject({ kind: 'Pod', metadata: { name: 'debug', namespace: ns } })).toEqual({
      kind: 'Pod',
      name: 'debug',
      namespace: ns,
    });
  });
});

describe('planRollback', () => {
  it('deletes the namespace the step found missing, with everything in it', () => {
    const plan = planRollback(
      snap([]),
      snap([
        namespace,
        deployment('k8s-core'),
        { kind: 'ConfigMap', name: 'casc-network-config', namespace: ns },
      ]),
    );
    expect(plan.deleteNamespaces).toEqual([ns]);
    expect(plan.objectsInDeletedNamespaces).toBe(2);
    expect(plan.deleteObjects).toEqual([]);
    expect(plan.restore).toEqual([]);
    expect(rollbackCommands(plan).map((c) => c.args.slice(0, 3))).toEqual([['delete', 'namespace', ns]]);
  });

  it('deletes objects made since and restores replicas, images, pull policy and mounted ConfigMaps', () => {
    const then = snap([namespace, deployment('k8s-employee', { replicas: 5 }), deployment('k8s-core')]);
    const now = snap([
      namespace,
      deployment('k8s-core'),
      deployment('k8s-employee', {
        replicas: 2,
        containers: [{ name: 'app', image: 'k8s-core:2.0', imagePullPolicy: 'Always' }],
        volumes: [{ name: 'network-config', configMap: 'employee-config' }],
      }),
      deployment('k8s-test'),
      { kind: 'ConfigMap', name: 'employee-config', namespace: ns },
    ]);
    const plan = planRollback(then, now);
    expect(plan.deleteNamespaces).toEqual([]);
    expect(plan.deleteObjects.map((o) => `${o.kind}/${o.name}`)).toEqual([
      'Deployment/k8s-test',
      'ConfigMap/employee-config',
    ]);
    expect(plan.restore).toHaveLength(1);
    expect(plan.restore[0]!.object.name).toBe('k8s-employee');
    expect(plan.restore[0]!.changes).toEqual([
      { field: 'replicas', from: 2, to: 5 },
      { field: 'image', container: 'app', from: 'k8s-core:2.0', to: 'k8s-core:1.0' },
      { field: 'imagePullPolicy', container: 'app', from: 'Always', to: 'IfNotPresent' },
      { field: 'volume', volume: 'network-config', from: 'employee-config', to: 'casc-network-config' },
    ]);
    const commands = rollbackCommands(plan).map((c) => c.args);
    expect(commands[0]).toEqual([
      'delete',
      'deployment.apps/k8s-test',
      'configmap/employee-config',
      '-n',
      ns,
      '--cascade=foreground',
      '--ignore-not-found',
      '--wait=true',
      '--timeout=120s',
    ]);
    expect(commands[1]!.slice(0, 6)).toEqual([
      'patch',
      'deployment.apps/k8s-employee',
      '-n',
      ns,
      '--type',
      'strategic',
    ]);
    expect(JSON.parse(commands[1]![7]!)).toEqual({
      spec: {
        replicas: 5,
        template: {
          spec: {
            containers: [{ name: 'app', image: 'k8s-core:1.0', imagePullPolicy: 'IfNotPresent' }],
            volumes: [{ name: 'network-config', configMap: { name: 'casc-network-config' } }],
          },
        },
      },
    });
  });

  it('puts a Deployment back on the ServiceAccount it ran as, and deletes the account made since', () => {
    const then = snap([namespace, deployment('k8s-core')]);
    const now = snap([
      namespace,
      deployment('k8s-core', { serviceAccount: 'k8s-core' }),
      { kind: 'ServiceAccount', name: 'k8s-core', namespace: ns },
      { kind: 'Role', name: 'k8s-core', namespace: ns },
    ]);
    const plan = planRollback(then, now);
    expect(plan.deleteObjects.map((o) => o.kind).sort()).toEqual(['Role', 'ServiceAccount']);
    expect(plan.restore[0]!.changes).toEqual([
      { field: 'serviceAccountName', from: 'k8s-core', to: 'default' },
    ]);
    expect(plan.restore[0]!.patch).toEqual({
      spec: { template: { spec: { serviceAccountName: 'default', serviceAccount: 'default' } } },
    });
    expect(
      compactObject({
        kind: 'Deployment',
        metadata: { name: 'k8s-core', namespace: ns },
        spec: { template: { spec: { serviceAccountName: 'k8s-core', containers: [] } } },
      }),
    ).toMatchObject({ serviceAccount: 'k8s-core' });
  });

  it('restores an HPA’s min and max with a merge patch', () => {
    const hpa = (min: number, max: number): SnapshotObject => ({
      kind: 'HorizontalPodAutoscaler',
      name: 'k8s-employee',
      namespace: ns,
      minReplicas: min,
      maxReplicas: max,
    });
    const plan = planRollback(snap([namespace, hpa(2, 6)]), snap([namespace, hpa(1, 10)]));
    expect(plan.restore[0]!.changes).toEqual([
      { field: 'minReplicas', from: 1, to: 2 },
      { field: 'maxReplicas', from: 10, to: 6 },
    ]);
    const [patch] = rollbackCommands(plan);
    expect(patch!.args.slice(0, 6)).toEqual([
      'patch',
      'horizontalpodautoscaler.autoscaling/k8s-employee',
      '-n',
      ns,
      '--type',
      'merge',
    ]);
  });

  it('reports objects deleted since (it cannot bring them back) and an unchanged cluster as empty', () => {
    const then = snap([namespace, deployment('k8s-core')]);
    const plan = planRollback(then, snap([namespace]));
    expect(plan.missing.map((o) => o.name)).toEqual(['k8s-core']);
    expect(rollbackCommands(plan)).toEqual([]);
    expect(rollbackCommands(planRollback(then, then))).toEqual([]);
  });

  it('never plans anything outside the namespaces the snapshot looked at, nor a system namespace', () => {
    const now = snap(
      [
        namespace,
        { kind: 'Namespace', name: 'bystander' },
        { kind: 'ConfigMap', name: 'keep-me', namespace: 'bystander' },
        { kind: 'Namespace', name: 'default' },
        { kind: 'ConfigMap', name: 'mine', namespace: 'default' },
      ],
      [ns, 'bystander', 'default'],
    );
    expect(rollbackCommands(planRollback(snap([namespace]), now))).toEqual([]);
    // Even a snapshot that looked at `default` before it "existed" never deletes it.
    const plan = planRollback(snap([], ['default']), now);
    expect(plan.deleteNamespaces).toEqual([]);
    expect(plan.deleteObjects.map((o) => o.name)).toEqual(['mine']);
  });

  it('takes the course namespaces from the course vars and step vars', () => {
    const step = (vars?: Record<string, string>) => ({ vars }) as never;
    expect(courseNamespaces({ manifest: { vars: {} }, steps: [] } as never)).toEqual(['k8s-test']);
    expect(
      courseNamespaces({
        manifest: { vars: { namespace: 'shop' } },
        steps: [step(), step({ namespace: 'shop-2' })],
      } as never),
    ).toEqual(['shop', 'shop-2']);
  });
});

describe('a rollback on the practice cluster (real kubectl)', () => {
  let tc: TestCluster;
  let kubectl: Kubectl;
  const k = async (args: string[], input?: string) => {
    const r = await tc.kubectl(
      args,
      input === undefined ? { timeoutMs: 60_000 } : { input, timeoutMs: 60_000 },
    );
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    tc = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
    loadImageIntoStore(tc.cluster.store, 'k8s-core:1.0');
    kubectl = pinnedKubectl(tc);
  }, 60_000);
  afterAll(async () => {
    await tc?.stop();
  });

  it('puts the namespace back as found and leaves other namespaces alone', async () => {
    // Unrelated objects the learner made themselves, in another namespace and in `default`.
    await k(['create', 'namespace', 'bystander']);
    await k(['create', 'configmap', 'keep-me', '-n', 'bystander', '--from-literal=a=b']);
    await k(['create', 'configmap', 'keep-me-too', '-n', 'default', '--from-literal=a=b']);
    await k(['create', 'namespace', ns]);
    await k(['create', 'deployment', 'web', '-n', ns, '--image=k8s-core:1.0', '--replicas=2']);
    await k(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);

    const before = await takeSnapshot(kubectl, [ns]);
    if (!before.ok) throw new Error(before.error);
    expect(before.snapshot.objects.map((o) => `${o.kind}/${o.name}`)).toEqual([
      'Namespace/k8s-test',
      'Deployment/web',
    ]);

    // What "later steps" do: a new ConfigMap and Deployment, web scaled and moved to another image.
    await k(['create', 'configmap', 'later', '-n', ns, '--from-literal=a=b']);
    await k(['create', 'deployment', 'later', '-n', ns, '--image=k8s-core:1.0']);
    await k(['scale', 'deployment/web', '-n', ns, '--replicas=4']);
    await k(['set', 'image', 'deployment/web', '-n', ns, 'k8s-core=k8s-core:2.0']);

    const now = await takeSnapshot(kubectl, [ns]);
    if (!now.ok) throw new Error(now.error);
    const plan = planRollback(before.snapshot, now.snapshot);
    expect(plan.deleteObjects.map((o) => o.name).sort()).toEqual(['later', 'later']);
    const outcome = await applyRollback(kubectl, plan);
    expect(outcome.failures).toEqual([]);

    const after = await takeSnapshot(kubectl, [ns]);
    if (!after.ok) throw new Error(after.error);
    expect(after.snapshot.objects).toEqual(before.snapshot.objects);
    expect(await k(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.status.readyReplicas}'])).toBe(
      '2',
    );
    expect(await k(['get', 'configmap', 'keep-me', '-n', 'bystander', '-o', 'name'])).toContain('keep-me');
    expect(await k(['get', 'configmap', 'keep-me-too', '-n', 'default', '-o', 'name'])).toContain(
      'keep-me-too',
    );

    // Rolled back past the step that made the namespace: it goes, with everything in it; nothing else.
    const empty = planRollback({ ...before.snapshot, objects: [] }, after.snapshot);
    expect((await applyRollback(kubectl, empty)).failures).toEqual([]);
    expect((await tc.kubectl(['get', 'namespace', ns])).code).not.toBe(0);
    expect(await k(['get', 'configmap', 'keep-me', '-n', 'bystander', '-o', 'name'])).toContain('keep-me');
    expect(await k(['get', 'namespaces', '-o', 'name'])).toContain('namespace/bystander');
  }, 120_000);
});
