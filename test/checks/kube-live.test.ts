// The checks and the alerts against the practice cluster WITH its controllers (part 2, time scale
// 0.02): objects come alive by themselves — a Deployment becomes Available, EndpointSlices follow
// pods, the service proxy reaches the simulated starter app, kubelet produces the failures — and
// the real kubectl reads them. Nothing here writes status by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/alerts/collect.js';
import { diagnose } from '../../src/alerts/diagnose.js';
import type { Alert } from '../../src/alerts/types.js';
import type { CheckContext } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createKubectl, type Kubectl } from '../../src/kubectl.js';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { createRunner } from '../../src/runner.js';
import { type DeploymentOptions, deploymentObject } from '../helpers/objects.js';
import { kubeCheck, kubectlOk, startTestCluster, type TestCluster } from '../helpers/practice.js';

let tc: TestCluster;
let ctx: CheckContext;
let kubectl: Kubectl;

const check = kubeCheck(() => ctx);

const k = (args: string[], input?: string) => kubectlOk(tc, args, input);

// Three replicas unless told: these checks are about spreading over pods.
const deployment = (ns: string, name: string, o: DeploymentOptions = {}) =>
  deploymentObject(ns, name, { replicas: 3, ...o });

const service = (ns: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

const apply = (...objects: unknown[]) =>
  k(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n---\n'));

/** alertsUntil re-diagnoses a namespace until `pred` holds (the controllers work in the background). */
async function alertsUntil(ns: string, pred: (alerts: Alert[]) => boolean, ms = 20_000): Promise<Alert[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alerts = diagnose(await collectSnapshot(kubectl, ns));
    if (pred(alerts)) return alerts;
    if (Date.now() > deadline)
      throw new Error(
        `alerts in ${ns} never matched; last: ${alerts.map((a) => a.reason).join(', ') || 'none'}`,
      );
    await new Promise((r) => setTimeout(r, 300));
  }
}

const has = (reason: string) => (alerts: Alert[]) => alerts.some((a) => a.reason === reason);

beforeAll(async () => {
  tc = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
  loadImageIntoStore(tc.cluster.store, 'k8s-core:1.0');
  loadImageIntoStore(tc.cluster.store, 'k8s-core:latest');
  const runner = createRunner({
    env: { PATH: process.env.PATH, HOME: tc.dataDir, KUBECACHEDIR: `${tc.dataDir}/kubectl-cache` },
  });
  const cluster = { backend: 'practice', context: tc.cluster.context, kubeconfig: tc.cluster.kubeconfigPath };
  ctx = { runner, workspace: tc.dataDir, lang: 'en', t: createTranslator('en'), vars: {}, cluster };
  kubectl = createKubectl(runner, cluster);
}, 60_000);

afterAll(async () => {
  await tc?.stop();
});

describe('checks on live workloads', () => {
  it('rollout, condition, ready-replicas, endpoints-ready and load-balanced pass; fewer replicas fail', async () => {
    await k(['create', 'namespace', 'live']);
    await apply(deployment('live', 'k8s-employee'), service('live', 'k8s-employee'));
    expect(await check('rollout')({ name: 'k8s-employee', namespace: 'live', timeout: 60 })).toMatchObject({
      ok: true,
    });
    expect(
      await check('condition')({
        kind: 'deployment',
        name: 'k8s-employee',
        namespace: 'live',
        condition: 'Available',
        timeout: 30,
      }),
    ).toMatchObject({ ok: true });
    expect(
      await check('ready-replicas')({ name: 'k8s-employee', namespace: 'live', replicas: 3, timeout: 30 }),
    ).toMatchObject({ ok: true });
    expect(
      await check('endpoints-ready')({ service: 'k8s-employee', namespace: 'live', min: 3, timeout: 30 }),
    ).toMatchObject({ ok: true });
    // The proxy picks a random ready endpoint: 30 requests reach all 3 pods but for odds of ~1e-5.
    expect(
      await check('load-balanced')({
        service: 'k8s-employee',
        namespace: 'live',
        port: 'http',
        requests: 30,
        distinct: 3,
      }),
    ).toMatchObject({ ok: true });
    expect(await check('no-alerts')({ namespace: 'live' })).toMatchObject({ ok: true });

    await k(['-n', 'live', 'scale', 'deployment', 'k8s-employee', '--replicas=1']);
    expect(
      await check('ready-replicas')({ name: 'k8s-employee', namespace: 'live', replicas: 1, timeout: 30 }),
    ).toMatchObject({ ok: true });
    expect(
      await check('endpoints-ready')({ service: 'k8s-employee', namespace: 'live', min: 1, timeout: 30 }),
    ).toMatchObject({ ok: true });
    const lb = await check('load-balanced')({
      service: 'k8s-employee',
      namespace: 'live',
      port: 'http',
      requests: 6,
      distinct: 2,
    });
    expect(lb.ok).toBe(false);
    expect(lb.saw).toMatch(/^1 pod\(s\) answered: k8s-employee-[a-z0-9]+-[a-z0-9]+×6$/);
  });
});

describe('alerts on live workloads: produced by the controllers, fixed, cleared', () => {
  it('ImagePullBackOff from a :latest image, then ProgressDeadlineExceeded; fixed by a versioned tag', async () => {
    await k(['create', 'namespace', 'pull']);
    await apply(
      deployment('pull', 'k8s-core', {
        replicas: 1,
        image: 'k8s-core:latest',
        spec: { progressDeadlineSeconds: 60 },
      }),
    );
    const alerts = await alertsUntil('pull', (a) => has('ImagePullBackOff')(a) || has('ErrImagePull')(a));
    const pull = alerts.find((a) => a.reason === 'ImagePullBackOff' || a.reason === 'ErrImagePull')!;
    expect(pull.details.image).toBe('k8s-core:latest');
    await alertsUntil('pull', has('ProgressDeadlineExceeded'));
    const rollout = await check('rollout')({ name: 'k8s-core', namespace: 'pull', timeout: 5 });
    expect(rollout.cause).toMatch(/progress deadline/);
    // A new tag is a new pod template: its pods pull with IfNotPresent, the old ones go away.
    await k(['-n', 'pull', 'set', 'image', 'deployment/k8s-core', 'app=k8s-core:1.0']);
    await k([
      '-n',
      'pull',
      'patch',
      'deployment',
      'k8s-core',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"IfNotPresent"}]',
    ]);
    expect(await check('rollout')({ name: 'k8s-core', namespace: 'pull', timeout: 60 })).toMatchObject({
      ok: true,
    });
    expect(await check('no-alerts')({ namespace: 'pull', timeout: 20 })).toMatchObject({ ok: true });
  });

  it('CrashLoopBackOff from the article CIDR, with exit code and log tail; fixed CIDR clears it', async () => {
    await k(['create', 'namespace', 'crash']);
    const config = (cidr: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'casc-network-config', namespace: 'crash' },
      data: {
        CASC_NETWORK_CONFIG: JSON.stringify([
          { name: '10.0.0.0/8', type: 'CIDR' },
          { name: cidr, type: 'CIDR' },
        ]),
      },
    });
    await apply(
      config('20.0.0.0/4'),
      deployment('crash', 'k8s-core', {
        replicas: 1,
        container: { volumeMounts: [{ name: 'casc', mountPath: '/etc/casc' }] },
        pod: { volumes: [{ name: 'casc', configMap: { name: 'casc-network-config' } }] },
      }),
    );
    const alerts = await alertsUntil('crash', has('CrashLoopBackOff'));
    const crash = alerts.find((a) => a.reason === 'CrashLoopBackOff')!;
    expect(crash.details.exitCode).toBe(1);
    expect(String(crash.details.logTail)).toMatch(/20\.0\.0\.0\/4.*host bits set/);
    expect(
      (
        await check('configmap-cidrs')({
          name: 'casc-network-config',
          namespace: 'crash',
          key: 'CASC_NETWORK_CONFIG',
        })
      ).cause,
    ).toMatch(/16\.0\.0\.0\/4/);
    await apply(config('16.0.0.0/4'));
    await k(['-n', 'crash', 'rollout', 'restart', 'deployment/k8s-core']);
    expect(await check('rollout')({ name: 'k8s-core', namespace: 'crash', timeout: 60 })).toMatchObject({
      ok: true,
    });
    expect(await check('no-alerts')({ namespace: 'crash', timeout: 20 })).toMatchObject({ ok: true });
  });

  it('CreateContainerConfigError from a missing ConfigMap; creating it clears the alert', async () => {
    await k(['create', 'namespace', 'cfg']);
    await apply(
      deployment('cfg', 'k8s-core', {
        replicas: 1,
        container: {
          env: [
            {
              name: 'CASC',
              valueFrom: { configMapKeyRef: { name: 'casc-network-config', key: 'CASC_NETWORK_CONFIG' } },
            },
          ],
        },
      }),
    );
    const alerts = await alertsUntil('cfg', has('CreateContainerConfigError'));
    expect(alerts.find((a) => a.reason === 'CreateContainerConfigError')!.message).toMatch(
      /configmap "casc-network-config" not found/,
    );
    await k([
      '-n',
      'cfg',
      'create',
      'configmap',
      'casc-network-config',
      '--from-literal=CASC_NETWORK_CONFIG=["10.0.0.0/8"]',
    ]);
    expect(await check('no-alerts')({ namespace: 'cfg', timeout: 30 })).toMatchObject({ ok: true });
  });

  it('Unschedulable for a huge CPU request; a sane request clears it', async () => {
    await k(['create', 'namespace', 'sched']);
    await apply(
      deployment('sched', 'k8s-core', { replicas: 1, container: { resources: { requests: { cpu: '64' } } } }),
    );
    const alerts = await alertsUntil('sched', has('Unschedulable'));
    expect(alerts.find((a) => a.reason === 'Unschedulable')!.message).toMatch(/0\/3 nodes are available/);
    await k(['-n', 'sched', 'set', 'resources', 'deployment/k8s-core', '--requests=cpu=100m']);
    expect(await check('rollout')({ name: 'k8s-core', namespace: 'sched', timeout: 60 })).toMatchObject({
      ok: true,
    });
    expect(await check('no-alerts')({ namespace: 'sched', timeout: 20 })).toMatchObject({ ok: true });
  });

  it('readiness probe on the wrong port: ReadinessFailing and a Service with no ready endpoints; fixed port clears both', async () => {
    await k(['create', 'namespace', 'ready']);
    const probe = (port: number) => ({
      readinessProbe: { httpGet: { path: '/readyz', port }, periodSeconds: 5 },
    });
    await apply(
      deployment('ready', 'k8s-core', { replicas: 1, container: probe(9999) }),
      service('ready', 'k8s-core'),
    );
    await alertsUntil('ready', (a) => has('ReadinessFailing')(a) && has('NoReadyEndpoints')(a));
    const endpoints = await check('endpoints-ready')({ service: 'k8s-core', namespace: 'ready', timeout: 1 });
    expect(endpoints.cause).toMatch(/not ready/);
    await k([
      '-n',
      'ready',
      'patch',
      'deployment',
      'k8s-core',
      '--type=json',
      '-p',
      '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/httpGet/port","value":8080}]',
    ]);
    expect(await check('rollout')({ name: 'k8s-core', namespace: 'ready', timeout: 60 })).toMatchObject({
      ok: true,
    });
    expect(await check('no-alerts')({ namespace: 'ready', timeout: 20 })).toMatchObject({ ok: true });
  });

  it('HPA without a CPU request: MissingCpuRequest and hpa-replicas explains it; adding the request clears it', async () => {
    await k(['create', 'namespace', 'hpa']);
    await apply(deployment('hpa', 'k8s-core', { replicas: 1 }), {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'k8s-core', namespace: 'hpa' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'k8s-core' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
        ],
      },
    });
    await alertsUntil('hpa', has('MissingCpuRequest'));
    const up = await check('hpa-replicas')({ name: 'k8s-core', namespace: 'hpa', above: 1, timeout: 1 });
    expect(up.cause).toMatch(/missing request for cpu/);
    await k(['-n', 'hpa', 'set', 'resources', 'deployment/k8s-core', '--requests=cpu=100m']);
    expect(await check('no-alerts')({ namespace: 'hpa', timeout: 30 })).toMatchObject({ ok: true });
  });
});
