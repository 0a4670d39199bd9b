// Every kubectl check, passing and failing, with the REAL kubectl against the practice cluster.
// Where the practice cluster's controllers (part 2) would write status, these tests write it
// themselves with `kubectl patch --subresource=status`, and the service proxy answers through a
// test plugin that round-robins over the Service's ready EndpointSlice endpoints (documented in
// docs/backends.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckContext, CheckResult, CheckType } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createRunner } from '../../src/runner.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';
import { proxyPlugin } from './practice-plugins.js';

let tc: TestCluster;
let ctx: CheckContext;
let zhCtx: CheckContext;
const ns = 'k8s-test';

const check = (name: string) => {
  const found = (kubeCheckTypes as CheckType[]).find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name}`);
  return (spec: Record<string, unknown>, c: CheckContext = ctx): Promise<CheckResult> => found.run(spec, c);
};

async function k(args: string[], input?: string) {
  const r = await tc.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const apply = (obj: unknown) => k(['apply', '-f', '-'], JSON.stringify(obj));
const patchStatus = (kind: string, name: string, status: unknown, namespace = ns) =>
  k([
    'patch',
    kind,
    name,
    ...(namespace ? ['-n', namespace] : []),
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status }),
  ]);

function deployment(name: string, replicas = 3) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'k8s-core:1.0' }] },
      },
    },
  };
}

function available(replicas: number, ready = replicas) {
  return {
    observedGeneration: 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    conditions: [
      {
        type: 'Available',
        status: ready >= replicas ? 'True' : 'False',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: 'ReplicaSet has successfully progressed.',
      },
    ],
  };
}

function expectExplained(r: CheckResult) {
  expect(r.ok).toBe(false);
  for (const field of [r.expected, r.saw, r.cause, r.hint]) {
    expect(field).toBeTruthy();
    expect(field).not.toMatch(/^checks\./);
  }
}

beforeAll(async () => {
  // API only (no part-2 controllers): the tests write status themselves, so nothing races them.
  tc = await startTestCluster({ plugins: [proxyPlugin] });
  const runner = createRunner({
    env: { PATH: process.env.PATH, HOME: tc.dataDir, KUBECACHEDIR: `${tc.dataDir}/kubectl-cache` },
  });
  const cluster = { backend: 'practice', context: tc.cluster.context, kubeconfig: tc.cluster.kubeconfigPath };
  ctx = { runner, workspace: tc.dataDir, lang: 'en', t: createTranslator('en'), vars: {}, cluster };
  zhCtx = { ...ctx, lang: 'zh-CN', t: createTranslator('zh-CN') };
  await k(['create', 'namespace', ns]);
}, 60_000);

afterAll(async () => {
  await tc?.stop();
});

describe('resource checks', () => {
  it('resource-exists passes for an object and fails naming what exists instead', async () => {
    await k(['-n', ns, 'create', 'configmap', 'casc-network-config', '--from-literal=a=b']);
    expect(
      await check('resource-exists')({ kind: 'configmap', name: 'casc-network-config', namespace: ns }),
    ).toMatchObject({ ok: true });
    const r = await check('resource-exists')({ kind: 'configmap', name: 'casc-config', namespace: ns });
    expectExplained(r);
    expect(r.saw).toMatch(/configmap\/casc-network-config/);
  });

  it('resource-absent passes for a missing object, and when a deletion completes; fails while it stays', async () => {
    expect(
      await check('resource-absent')({ kind: 'configmap', name: 'nothing', namespace: ns }),
    ).toMatchObject({ ok: true });
    await k(['-n', ns, 'create', 'configmap', 'stays']);
    const r = await check('resource-absent')({ kind: 'configmap', name: 'stays', namespace: ns, timeout: 1 });
    expectExplained(r);
    expect(r.hint).toMatch(/kubectl delete configmap\/stays -n k8s-test/);
    const pending = check('resource-absent')({
      kind: 'configmap',
      name: 'stays',
      namespace: ns,
      timeout: 20,
    });
    await new Promise((res) => setTimeout(res, 800));
    await k(['-n', ns, 'delete', 'configmap', 'stays']);
    expect(await pending).toMatchObject({ ok: true });
  });
});

describe('waiting checks', () => {
  it('condition: waits on the watch and passes when the status changes; fails showing the condition', async () => {
    await apply(deployment('cond', 1));
    const pending = check('condition')({
      kind: 'deployment',
      name: 'cond',
      namespace: ns,
      condition: 'Available',
      timeout: 20,
    });
    await new Promise((res) => setTimeout(res, 1000));
    await patchStatus('deployment', 'cond', available(1));
    expect(await pending).toMatchObject({ ok: true });
    await patchStatus('deployment', 'cond', available(1, 0));
    const r = await check('condition')({
      kind: 'deployment',
      name: 'cond',
      namespace: ns,
      condition: 'Available',
      timeout: 1,
    });
    expectExplained(r);
    expect(r.saw).toMatch(/^Available=False \(MinimumReplicasAvailable/);
    const missing = await check('condition')({
      kind: 'deployment',
      name: 'nope',
      namespace: ns,
      condition: 'Available',
      timeout: 1,
    });
    expectExplained(missing);
    expect(missing.saw).toMatch(/does not exist/);
  });

  it('rollout: passes when every replica is updated and available; explains a progress deadline', async () => {
    await apply(deployment('roll', 2));
    await patchStatus('deployment', 'roll', available(2));
    expect(await check('rollout')({ name: 'roll', namespace: ns, timeout: 10 })).toMatchObject({ ok: true });
    await patchStatus('deployment', 'roll', {
      ...available(2, 1),
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "roll-1" has timed out progressing.',
        },
      ],
    });
    const r = await check('rollout')({ name: 'roll', namespace: ns, timeout: 5 });
    expectExplained(r);
    expect(r.cause).toMatch(/progress deadline/);
    await patchStatus('deployment', 'roll', { ...available(2, 1), conditions: [] });
    const slow = await check('rollout')({ name: 'roll', namespace: ns, timeout: 1 });
    expectExplained(slow);
    expect(slow.cause).toMatch(/did not finish within 1 s/);
  });

  it('jsonpath-equals and jsonpath-at-least', async () => {
    await apply(deployment('jp', 3));
    expect(
      await check('jsonpath-equals')({
        kind: 'deployment',
        name: 'jp',
        namespace: ns,
        path: '.spec.replicas',
        value: 3,
      }),
    ).toMatchObject({ ok: true });
    const r = await check('jsonpath-equals')({
      kind: 'deployment',
      name: 'jp',
      namespace: ns,
      path: '.spec.replicas',
      value: 5,
      timeout: 120,
    });
    expectExplained(r);
    // spec.replicas only changes by a write, and no HPA owns jp: stuck at once, not after 1 s.
    expect(r).toMatchObject({ causeId: 'replicas-mismatch', stuck: true });
    expect(r.saw).toBe('deployment/jp asks for 3 replica(s) in spec.replicas; 5 wanted');
    expect(
      await check('jsonpath-at-least')({
        kind: 'deployment',
        name: 'jp',
        namespace: ns,
        path: '.spec.replicas',
        min: 2,
      }),
    ).toMatchObject({ ok: true });
    const low = await check('jsonpath-at-least')({
      kind: 'deployment',
      name: 'jp',
      namespace: ns,
      path: '.status.readyReplicas',
      min: 2,
      timeout: 1,
    });
    expectExplained(low);
    expect(low.saw).toMatch(/empty/);
  });

  it('ready-replicas: passes on the watch; fails saying ready of desired and how to scale', async () => {
    await apply(deployment('rr', 3));
    const pending = check('ready-replicas')({ name: 'rr', namespace: ns, replicas: 3, timeout: 20 });
    await new Promise((res) => setTimeout(res, 1000));
    await patchStatus('deployment', 'rr', available(3));
    expect(await pending).toMatchObject({ ok: true });
    // A 120 s limit: the replica count is judged stuck at once (the test's 30 s would not do).
    const r = await check('ready-replicas')({ name: 'rr', namespace: ns, replicas: 5, timeout: 120 });
    expectExplained(r);
    expect(r).toMatchObject({ causeId: 'replicas-mismatch', stuck: true });
    expect(r.saw).toBe('deployment/rr asks for 3 replica(s) in spec.replicas; 5 wanted');
    expect(r.hint).toMatch(/kubectl scale deployment\/rr -n k8s-test --replicas=5/);
    const zh = await check('ready-replicas')({ name: 'rr', namespace: ns, replicas: 5, timeout: 1 }, zhCtx);
    expect(zh.cause).toMatch(/[\u4e00-\u9fff]/);
  });

  it('nodes-ready: the practice nodes are Ready; asking for more nodes fails with the count', async () => {
    expect(await check('nodes-ready')({ count: 3, timeout: 10 })).toMatchObject({ ok: true });
    const r = await check('nodes-ready')({ count: 5, timeout: 2 });
    expectExplained(r);
    expect(r.saw).toMatch(/^3 of 3 Ready/);
  });
});

describe('network checks', () => {
  const service = (name: string, selector: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  const slice = (svc: string, ready: boolean[]) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-test`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ready.map((r, i) => ({
      addresses: [`10.244.1.${i + 10}`],
      conditions: { ready: r },
      targetRef: { kind: 'Pod', name: `${svc}-pod-${i}`, namespace: ns },
    })),
  });

  it('endpoints-ready counts ready endpoints in the EndpointSlices', async () => {
    await apply(service('web', { app: 'web' }));
    await apply(slice('web', [true, true, false]));
    expect(await check('endpoints-ready')({ service: 'web', namespace: ns, min: 2 })).toMatchObject({
      ok: true,
    });
    const r = await check('endpoints-ready')({ service: 'web', namespace: ns, min: 3, timeout: 1 });
    expectExplained(r);
    expect(r.saw).toBe('2 ready of 3 endpoints');
    const none = await check('endpoints-ready')({ service: 'ghost', namespace: ns, timeout: 0 });
    expectExplained(none);
    expect(none.cause).toMatch(/does not exist/);
  });

  it('load-balanced: distinct pods answer through the service proxy; one pod is not enough', async () => {
    await apply(service('k8s-employee', { app: 'k8s-employee' }));
    await apply(slice('k8s-employee', [true, true, true]));
    expect(
      await check('load-balanced')({
        service: 'k8s-employee',
        namespace: ns,
        port: 'http',
        requests: 9,
        distinct: 3,
      }),
    ).toMatchObject({ ok: true });
    await apply(service('single', { app: 'single' }));
    await apply(slice('single', [true, false]));
    const r = await check('load-balanced')({
      service: 'single',
      namespace: ns,
      port: 'http',
      requests: 4,
      distinct: 2,
    });
    expectExplained(r);
    expect(r.saw).toMatch(/^1 pod\(s\) answered: single-pod-0×4/);
    await apply(service('empty', { app: 'empty' }));
    const noAnswer = await check('load-balanced')({
      service: 'empty',
      namespace: ns,
      port: 'http',
      requests: 2,
    });
    expectExplained(noAnswer);
    expect(noAnswer.saw).toMatch(/no endpoints available/);
  });
});

describe('HPA and ConfigMap checks', () => {
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'k8s-employee', namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'k8s-employee' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
    },
  };

  it('hpa-replicas above and back to a bound, and the metrics cause', async () => {
    await apply(hpa);
    await patchStatus('hpa', 'k8s-employee', { currentReplicas: 1, desiredReplicas: 1 });
    const up = check('hpa-replicas')({ name: 'k8s-employee', namespace: ns, above: 2, timeout: 20 });
    await new Promise((res) => setTimeout(res, 1200));
    await patchStatus('hpa', 'k8s-employee', { currentReplicas: 4, desiredReplicas: 4 });
    expect(await up).toMatchObject({ ok: true });
    const down = await check('hpa-replicas')({ name: 'k8s-employee', namespace: ns, atMost: 1, timeout: 1 });
    expectExplained(down);
    expect(down.saw).toBe('current 4, desired 4');
    expect(down.cause).toMatch(/stabilization window/);
    await patchStatus('hpa', 'k8s-employee', {
      currentReplicas: 1,
      desiredReplicas: 1,
      conditions: [
        {
          type: 'ScalingActive',
          status: 'False',
          reason: 'FailedGetResourceMetric',
          message:
            'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod k8s-employee-abc',
        },
      ],
    });
    expect(
      await check('hpa-replicas')({ name: 'k8s-employee', namespace: ns, atMost: 1, timeout: 5 }),
    ).toMatchObject({ ok: true });
    const stuck = await check('hpa-replicas')({ name: 'k8s-employee', namespace: ns, above: 2, timeout: 1 });
    expectExplained(stuck);
    expect(stuck.cause).toMatch(/missing request for cpu/);
  });

  it('configmap-json and configmap-cidrs on the article value and its fix', async () => {
    const article =
      '[\n  {"name": "10.0.0.0/8", "type": "CIDR"},\n  {"name": "20.0.0.0/4", "type": "CIDR"}\n]\n';
    await k([
      '-n',
      ns,
      'create',
      'configmap',
      'employee-config',
      `--from-literal=CASC_NETWORK_CONFIG=${article}`,
      '--from-literal=BROKEN={"name": 1,',
    ]);
    expect(
      await check('configmap-json')({ name: 'employee-config', namespace: ns, key: 'CASC_NETWORK_CONFIG' }),
    ).toMatchObject({ ok: true });
    const broken = await check('configmap-json')({ name: 'employee-config', namespace: ns, key: 'BROKEN' });
    expectExplained(broken);
    const missingKey = await check('configmap-json')({
      name: 'employee-config',
      namespace: ns,
      key: 'casc_network_config',
    });
    expectExplained(missingKey);
    expect(missingKey.saw).toMatch(/BROKEN, CASC_NETWORK_CONFIG/);
    const cidrs = await check('configmap-cidrs')({
      name: 'employee-config',
      namespace: ns,
      key: 'CASC_NETWORK_CONFIG',
    });
    expectExplained(cidrs);
    expect(cidrs.saw).toBe('20.0.0.0/4');
    expect(cidrs.cause).toBe('20.0.0.0/4 has host bits set: with that prefix the network is 16.0.0.0/4.');
    await k([
      '-n',
      ns,
      'create',
      'configmap',
      'fixed-config',
      `--from-literal=CASC_NETWORK_CONFIG=${article.replace('20.0.0.0/4', '16.0.0.0/4')}`,
    ]);
    expect(
      await check('configmap-cidrs')({ name: 'fixed-config', namespace: ns, key: 'CASC_NETWORK_CONFIG' }),
    ).toMatchObject({ ok: true });
  });
});

describe('no-alerts', () => {
  it('fails while a pod cannot pull its image, passes once it runs', async () => {
    const alertsNs = 'alerts-check';
    await k(['create', 'namespace', alertsNs]);
    await k(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: alertsNs },
        spec: { containers: [{ name: 'app', image: 'k8s-core:latest' }] },
      }),
    );
    expect(await check('no-alerts')({ namespace: alertsNs })).toMatchObject({ ok: true });
    await patchStatus(
      'pod',
      'p',
      {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            image: 'k8s-core:latest',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: {
              waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "k8s-core:latest"' },
            },
          },
        ],
      },
      alertsNs,
    );
    const r = await check('no-alerts')({ namespace: alertsNs });
    expectExplained(r);
    // A pod no controller owns, stuck pulling: the cluster's message is part of what was seen.
    expect(r).toMatchObject({ causeId: 'image-pull', stuck: true });
    expect(r.saw).toBe('Pod/p [app]: ImagePullBackOff — Back-off pulling image "k8s-core:latest"');
    await patchStatus(
      'pod',
      'p',
      {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            image: 'k8s-core:1.0',
            imageID: '',
            ready: true,
            restartCount: 0,
            started: true,
            state: { running: { startedAt: new Date().toISOString() } },
          },
        ],
      },
      alertsNs,
    );
    expect(await check('no-alerts')({ namespace: alertsNs, timeout: 5 })).toMatchObject({ ok: true });
  });
});

describe('no cluster / unreachable', () => {
  it('a check without a cluster, and against a stopped server, explains instead of erroring', async () => {
    const { cluster: _cluster, ...noCluster } = ctx;
    const r = await check('resource-exists')({ kind: 'namespace', name: ns }, noCluster);
    expect(r).toMatchObject({ ok: false });
    expect(r.cause).toMatch(/no[n]? .*cluster|none selected/);
    const dead = {
      ...ctx,
      cluster: {
        backend: 'practice',
        context: 'k8s-learn-practice',
        kubeconfig: `${tc.dataDir}/missing-kubeconfig`,
      },
    };
    const u = await check('resource-exists')({ kind: 'namespace', name: ns }, dead);
    expectExplained(u);
  });
});
