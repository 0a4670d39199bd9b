// Pinning pods to a node (the scaling/pin step): the nodeSelector diagnosis on its own, then the
// `rollout` and `pods-on-node` checks against the practice cluster with its scheduler and the real
// kubectl. Every check waits with a 120 s limit while each test allows 30 s: a pod that cannot be
// placed, or is placed on the wrong node, must come back at once with its cause. Node labels are
// cluster-wide, so each test uses a label key of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/alerts/types.js';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import { nodeSelectorFinding } from '../../src/checks/kube/node-selector.js';
import { judgePlacement } from '../../src/checks/kube/placement.js';
import type { CheckContext, CheckResult, CheckType } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { createRunner } from '../../src/runner.js';
import { deploymentObject } from '../helpers/objects.js';
import { kubectlOk, startTestCluster, type TestCluster } from '../helpers/practice.js';

const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const node = (
  name: string,
  labels: Record<string, string>,
  spec: Record<string, unknown> = {},
): K8sObject => ({
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec,
});
const kindNodes = (extra: Record<string, Record<string, string>> = {}, worker2Spec = {}) => [
  node('k8s-learn-control-plane', extra['k8s-learn-control-plane'] ?? {}, { taints: [controlPlaneTaint] }),
  node('k8s-learn-worker', extra['k8s-learn-worker'] ?? {}),
  node('k8s-learn-worker2', extra['k8s-learn-worker2'] ?? {}, worker2Spec),
];
const podAsking = (nodeSelector: Record<string, string>, tolerations: unknown[] = []): K8sObject => ({
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { nodeSelector, tolerations },
});

describe('nodeSelectorFinding: why no node takes the pod, from the nodes’ labels', () => {
  it('no node has the key at all', () => {
    expect(nodeSelectorFinding(podAsking({ disktype: 'ssd' }), kindNodes())).toMatchObject({
      causeId: 'node-label-missing',
      selector: 'disktype=ssd',
      keys: 'disktype',
    });
  });

  it('a node has the key with another value (case counts)', () => {
    const nodes = kindNodes({ 'k8s-learn-worker2': { disktype: 'ssd' } });
    expect(nodeSelectorFinding(podAsking({ disktype: 'SSD' }), nodes)).toMatchObject({
      causeId: 'node-label-mismatch',
      selector: 'disktype=SSD',
      seen: 'k8s-learn-worker2: disktype=ssd',
    });
  });

  it('only the tainted control plane, or a cordoned worker, matches', () => {
    const onControlPlane = kindNodes({ 'k8s-learn-control-plane': { disktype: 'ssd' } });
    expect(nodeSelectorFinding(podAsking({ disktype: 'ssd' }), onControlPlane)).toMatchObject({
      causeId: 'node-label-tainted',
      blocked: 'k8s-learn-control-plane (taint node-role.kubernetes.io/control-plane:NoSchedule)',
      node: 'k8s-learn-control-plane',
      unlabel: 'disktype-',
    });
    const cordoned = kindNodes({ 'k8s-learn-worker2': { disktype: 'ssd' } }, { unschedulable: true });
    expect(nodeSelectorFinding(podAsking({ disktype: 'ssd' }), cordoned)).toMatchObject({
      causeId: 'node-label-tainted',
      blocked: 'k8s-learn-worker2 (cordoned)',
    });
  });

  it('says nothing when the selector is not the reason', () => {
    // No selector; a usable node matches (then it is resources); the taint is tolerated.
    expect(nodeSelectorFinding(podAsking({}), kindNodes())).toBeUndefined();
    const labelled = kindNodes({ 'k8s-learn-worker2': { disktype: 'ssd' } });
    expect(nodeSelectorFinding(podAsking({ disktype: 'ssd' }), labelled)).toBeUndefined();
    const onControlPlane = kindNodes({ 'k8s-learn-control-plane': { disktype: 'ssd' } });
    const tolerating = podAsking({ disktype: 'ssd' }, [{ operator: 'Exists', effect: 'NoSchedule' }]);
    expect(nodeSelectorFinding(tolerating, onControlPlane)).toBeUndefined();
  });
});

describe('judgePlacement: one snapshot of a Deployment, its ReplicaSets and pods', () => {
  const dep = (replicas: number): K8sObject =>
    ({
      kind: 'Deployment',
      metadata: { name: 'web', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas, template: { spec: { nodeSelector: { disktype: 'ssd' } } } },
      status: { observedGeneration: 2 },
    }) as K8sObject;
  const rs = (name: string, revision: string): K8sObject =>
    ({
      kind: 'ReplicaSet',
      metadata: {
        name,
        ownerReferences: [{ kind: 'Deployment', name: 'web' }],
        annotations: { 'deployment.kubernetes.io/revision': revision },
      },
    }) as K8sObject;
  const pod = (name: string, set: string, nodeName: string, phase = 'Running'): K8sObject => ({
    kind: 'Pod',
    metadata: { name, ownerReferences: [{ kind: 'ReplicaSet', name: set }] },
    spec: { nodeName },
    status: { phase },
  });
  const worker2 = 'k8s-learn-worker2';

  it('done when every current pod runs on the node and no older pod is left elsewhere', () => {
    const items = [dep(2), rs('web-new', '2'), pod('a', 'web-new', worker2), pod('b', 'web-new', worker2)];
    expect(judgePlacement(items, 'web', worker2).state).toBe('done');
  });

  it('waits while a pod of the older ReplicaSet still runs on another node', () => {
    const items = [
      dep(1),
      rs('web-old', '1'),
      rs('web-new', '2'),
      pod('old', 'web-old', 'k8s-learn-worker'),
      pod('a', 'web-new', worker2),
    ];
    expect(judgePlacement(items, 'web', worker2).state).toBe('waiting');
  });

  it('a current pod placed on another node is wrong at once; a missing Deployment is missing', () => {
    const items = [
      dep(2),
      rs('web-new', '2'),
      pod('a', 'web-new', worker2),
      pod('b', 'web-new', 'k8s-learn-worker'),
    ];
    expect(judgePlacement(items, 'web', worker2)).toMatchObject({
      state: 'wrong-node',
      node: 'k8s-learn-worker',
    });
    expect(judgePlacement(items, 'other', worker2).state).toBe('missing');
  });
});

const limit = 120;
const testMs = 30_000;
let tc: TestCluster;
let ctx: CheckContext;

const check =
  (name: string) =>
  (spec: Record<string, unknown>): Promise<CheckResult> =>
    (kubeCheckTypes as CheckType[]).find((c) => c.name === name)!.run({ timeout: limit, ...spec }, ctx);

const k = (args: string[], input?: string) => kubectlOk(tc, args, input);
const apply = (o: unknown) => k(['apply', '-f', '-'], JSON.stringify(o));
let nsCount = 0;
async function namespace(): Promise<string> {
  const ns = `pin-${++nsCount}`;
  await k(['create', 'namespace', ns]);
  return ns;
}
const pinned = (ns: string, selector: Record<string, string>, replicas = 2) =>
  deploymentObject(ns, 'reports', { replicas, pod: { nodeSelector: selector } });

function expectStuck(result: CheckResult, causeId: string) {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: false, causeId, stuck: true });
  expect(result.saw ?? '').not.toMatch(/timed out (after|waiting)|no result within/);
  expect(result.cause).toBeTruthy();
  expect(result.hint).toBeTruthy();
}

beforeAll(async () => {
  tc = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
  loadImageIntoStore(tc.cluster.store, 'k8s-core:1.0');
  const runner = createRunner({
    env: { PATH: process.env.PATH, HOME: tc.dataDir, KUBECACHEDIR: `${tc.dataDir}/kubectl-cache` },
  });
  const cluster = { backend: 'practice', context: tc.cluster.context, kubeconfig: tc.cluster.kubeconfigPath };
  ctx = { runner, workspace: tc.dataDir, lang: 'en', t: createTranslator('en'), vars: {}, cluster };
}, 60_000);

afterAll(async () => {
  await tc?.stop();
});

describe('an unschedulable pod with a nodeSelector is explained by the nodes’ labels (real kubectl)', () => {
  it(
    'no node carries the label: node-label-missing, with the scheduler’s own message',
    async () => {
      const ns = await namespace();
      await apply(pinned(ns, { 'pool-a': 'x' }));
      const r = await check('rollout')({ name: 'reports', namespace: ns });
      expectStuck(r, 'node-label-missing');
      expect(r.saw).toContain(
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
      expect(r.cause).toContain('pool-a=x');
      expect(r.hint).toContain('kubectl get nodes -L pool-a');
    },
    testMs,
  );

  it(
    'the worker carries another value: node-label-mismatch names what it carries',
    async () => {
      const ns = await namespace();
      await k(['label', 'node', 'k8s-learn-worker2', 'pool-b=ssd']);
      await apply(pinned(ns, { 'pool-b': 'SSD' }));
      const r = await check('rollout')({ name: 'reports', namespace: ns });
      expectStuck(r, 'node-label-mismatch');
      expect(r.cause).toContain('k8s-learn-worker2: pool-b=ssd');
    },
    testMs,
  );

  it(
    'only the control plane carries it: node-label-tainted names its taint and how to move the label',
    async () => {
      const ns = await namespace();
      await k(['label', 'node', 'k8s-learn-control-plane', 'pool-c=yes']);
      await apply(pinned(ns, { 'pool-c': 'yes' }));
      const r = await check('ready-replicas')({ name: 'reports', namespace: ns, replicas: 2 });
      expectStuck(r, 'node-label-tainted');
      expect(r.cause).toContain(
        'k8s-learn-control-plane (taint node-role.kubernetes.io/control-plane:NoSchedule)',
      );
      expect(r.hint).toContain('kubectl label node k8s-learn-control-plane pool-c-');
    },
    testMs,
  );
});

describe('pods-on-node (real kubectl)', () => {
  it(
    'passes when both pods land on the labelled worker; fails at once with the cause while they cannot',
    async () => {
      const ns = await namespace();
      await apply(pinned(ns, { 'pool-d': 'on' }));
      const stuck = await check('pods-on-node')({
        name: 'reports',
        namespace: ns,
        node: 'k8s-learn-worker2',
      });
      expectStuck(stuck, 'node-label-missing');
      await k(['label', 'node', 'k8s-learn-worker2', 'pool-d=on']);
      const r = await check('pods-on-node')({ name: 'reports', namespace: ns, node: 'k8s-learn-worker2' });
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
      const nodes = await k([
        'get',
        'pods',
        '-n',
        ns,
        '-l',
        'app=reports',
        '-o',
        'jsonpath={.items[*].spec.nodeName}',
      ]);
      expect(nodes.split(' ')).toEqual(['k8s-learn-worker2', 'k8s-learn-worker2']);
    },
    testMs,
  );

  it(
    'waits for a rollout that moves the pods from anywhere onto the node, started before it ends',
    async () => {
      const ns = await namespace();
      await apply(deploymentObject(ns, 'reports', { replicas: 2 }));
      await check('rollout')({ name: 'reports', namespace: ns });
      await k(['label', 'node', 'k8s-learn-worker2', 'pool-e=on']);
      await apply(pinned(ns, { 'pool-e': 'on' }));
      const r = await check('pods-on-node')({ name: 'reports', namespace: ns, node: 'k8s-learn-worker2' });
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
    },
    testMs,
  );

  it(
    'a pod placed on another node is wrong-node at once, with the restart to type',
    async () => {
      const ns = await namespace();
      await k(['label', 'node', 'k8s-learn-worker', 'pool-f=on']);
      await apply(pinned(ns, { 'pool-f': 'on' }, 1));
      const r = await check('pods-on-node')({ name: 'reports', namespace: ns, node: 'k8s-learn-worker2' });
      expectStuck(r, 'wrong-node');
      expect(r.saw).toMatch(/^pod\/reports-\S+ runs on k8s-learn-worker /);
      expect(r.cause).toContain('pool-f=on');
      expect(r.hint).toContain(`kubectl rollout restart deployment/reports -n ${ns}`);
    },
    testMs,
  );

  it(
    'a Deployment that does not exist is not-found',
    async () => {
      const ns = await namespace();
      expectStuck(
        await check('pods-on-node')({ name: 'nothere', namespace: ns, node: 'k8s-learn-worker2' }),
        'not-found',
      );
    },
    testMs,
  );
});
