// Fail fast, tested by cause (issue 9, item 3): against the practice cluster with its controllers
// and the real kubectl, every check waits with a 120 s limit while the test itself allows 30 s.
// A stuck state must come back as its cause id with `stuck: true` — never as "timed out" — and a
// state that converges must still pass, also when it converges after the check started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckContext, CheckResult, CheckType } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { createRunner } from '../../src/runner.js';
import { deploymentObject } from '../helpers/objects.js';
import { kubectlOk, startTestCluster, type TestCluster } from '../helpers/practice.js';

const limit = 120;
const testMs = 30_000;

let tc: TestCluster;
let ctx: CheckContext;

const check =
  (name: string) =>
  (spec: Record<string, unknown>, on: CheckContext = ctx): Promise<CheckResult> =>
    (kubeCheckTypes as CheckType[]).find((c) => c.name === name)!.run({ timeout: limit, ...spec }, on);

const k = (args: string[], input?: string) => kubectlOk(tc, args, input);

const apply = (...objects: unknown[]) =>
  k(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n---\n'));

const deployment = deploymentObject;

const service = (ns: string, name: string, selector: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

/** until re-reads until `pred` holds (the controllers work in the background). */
async function until(pred: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error('state never reached');
    await new Promise((r) => setTimeout(r, 200));
  }
}

let nsCount = 0;
async function namespace(): Promise<string> {
  const ns = `ff-${++nsCount}`;
  await k(['create', 'namespace', ns]);
  return ns;
}

/** stuckWith asserts a stuck failure with this cause (and that it did not time out). */
function expectStuck(result: CheckResult, causeId: string) {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: false, causeId, stuck: true });
  // Our own time-outs ("timed out after N s", kubectl's "timed out waiting"), not upstream's
  // `ReplicaSet "x" has timed out progressing.`, which is the very state a stuck check reports.
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

describe('rollout fails at once by cause, with a 120 s limit', () => {
  it(
    'ErrImagePull / ImagePullBackOff: a tag that does not exist',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'web', { image: 'k8s-core:9.9' }));
      const r = await check('rollout')({ name: 'web', namespace: ns });
      expectStuck(r, 'image-pull');
      expect(r.saw).toMatch(/Pod\/web-[a-z0-9]+-[a-z0-9]+ \[app\]: (ErrImagePull|ImagePullBackOff)/);
      expect(r.cause).toMatch(/k8s-core:9\.9/);
    },
    testMs,
  );

  it(
    'ErrImageNeverPull: imagePullPolicy Never and the image not on the node',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'web', { image: 'k8s-core:2.0', container: { imagePullPolicy: 'Never' } }));
      expectStuck(await check('rollout')({ name: 'web', namespace: ns }), 'image-never-pull');
    },
    testMs,
  );

  it(
    'InvalidImageName: an image reference with upper case letters',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'web', { image: 'K8s-Core:1.0' }));
      expectStuck(await check('rollout')({ name: 'web', namespace: ns }), 'invalid-image');
    },
    testMs,
  );

  it(
    'CrashLoopBackOff: the container exits 1; the log is shown',
    async () => {
      const ns = await namespace();
      // Never ready: a pod that crashes after a moment of readiness can let `rollout status`
      // report success first, as on a real cluster.
      await apply(
        deployment(ns, 'web', {
          image: 'busybox:1.36',
          container: {
            command: ['sh', '-c', 'echo boom; exit 1'],
            ports: [],
            readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 },
          },
        }),
      );
      const r = await check('rollout')({ name: 'web', namespace: ns });
      expectStuck(r, 'crash-loop');
      expect(r.cause).toMatch(/last exit code 1/);
      expect(r.saw).toContain('boom');
    },
    testMs,
  );

  it(
    'CreateContainerConfigError: env from a ConfigMap that does not exist',
    async () => {
      const ns = await namespace();
      await apply(
        deployment(ns, 'web', {
          container: {
            env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing-config', key: 'X' } } }],
          },
        }),
      );
      const r = await check('rollout')({ name: 'web', namespace: ns });
      expectStuck(r, 'config-error');
      expect(r.saw).toMatch(/configmap "missing-config" not found/);
    },
    testMs,
  );

  it(
    'FailedScheduling / Unschedulable: a CPU request no node can hold',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'web', { container: { resources: { requests: { cpu: '64' } } } }));
      const r = await check('rollout')({ name: 'web', namespace: ns });
      expectStuck(r, 'unschedulable');
      expect(r.saw).toMatch(/0\/3 nodes are available/);
    },
    testMs,
  );

  it(
    'ProgressDeadlineExceeded: pods that never become ready (readiness probe on a wrong port)',
    async () => {
      const ns = await namespace();
      await apply(
        deployment(ns, 'web', {
          container: { readinessProbe: { httpGet: { path: '/readyz', port: 9999 }, periodSeconds: 1 } },
          spec: { progressDeadlineSeconds: 30 },
        }),
      );
      const r = await check('rollout')({ name: 'web', namespace: ns });
      expectStuck(r, 'progress-deadline');
    },
    testMs,
  );

  it(
    'object missing: the Deployment does not exist',
    async () => {
      const ns = await namespace();
      expectStuck(await check('rollout')({ name: 'nothere', namespace: ns }), 'not-found');
      expectStuck(
        await check('condition')({
          kind: 'deployment',
          name: 'nothere',
          namespace: ns,
          condition: 'Available',
        }),
        'not-found',
      );
      expectStuck(
        await check('ready-replicas')({ name: 'nothere', namespace: ns, replicas: 2 }),
        'not-found',
      );
      expectStuck(
        await check('jsonpath-at-least')({
          kind: 'deployment',
          name: 'nothere',
          namespace: ns,
          path: '.status.readyReplicas',
          min: 2,
        }),
        'not-found',
      );
      expectStuck(await check('endpoints-ready')({ service: 'nothere', namespace: ns }), 'not-found');
      expectStuck(await check('hpa-replicas')({ name: 'nothere', namespace: ns, above: 1 }), 'not-found');
    },
    testMs,
  );

  it(
    'a fixed rollout passes although the old pods still crash (only the new ReplicaSet decides)',
    async () => {
      const ns = await namespace();
      await apply(
        deployment(ns, 'web', {
          image: 'busybox:1.36',
          container: {
            command: ['sh', '-c', 'exit 1'],
            ports: [],
            readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 },
          },
        }),
      );
      expectStuck(await check('rollout')({ name: 'web', namespace: ns }), 'crash-loop');
      await apply(deployment(ns, 'web', { image: 'k8s-core:1.0' }));
      expect(await check('rollout')({ name: 'web', namespace: ns })).toMatchObject({ ok: true });
    },
    testMs,
  );
});

describe('replica counts and selectors fail at once', () => {
  it(
    'ready-replicas: spec.replicas is 3 when 5 are wanted; the hint is the scale command',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'web', { replicas: 3 }));
      const r = await check('ready-replicas')({ name: 'web', namespace: ns, replicas: 5 });
      expectStuck(r, 'replicas-mismatch');
      expect(r.saw).toMatch(/deployment\/web asks for 3 replica\(s\).*5 wanted/);
      expect(r.hint).toContain(`kubectl scale deployment/web -n ${ns} --replicas=5`);
      // jsonpath-equals on status.replicas (the scaling lesson's second check) and at-least too.
      expectStuck(
        await check('jsonpath-equals')({
          kind: 'deployment',
          name: 'web',
          namespace: ns,
          path: '{.status.replicas}',
          value: '2',
        }),
        'replicas-mismatch',
      );
      expectStuck(
        await check('jsonpath-at-least')({
          kind: 'deployment',
          name: 'web',
          namespace: ns,
          path: '.status.readyReplicas',
          min: 4,
        }),
        'replicas-mismatch',
      );
    },
    testMs,
  );

  it(
    'ready-replicas: a mismatch is not stuck when an HPA owns the Deployment (it keeps waiting)',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'web', { replicas: 1 }), {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: ns },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 1,
          maxReplicas: 3,
        },
      });
      const r = await check('ready-replicas')({ name: 'web', namespace: ns, replicas: 3, timeout: 3 });
      expect(r).toMatchObject({ ok: false, causeId: 'replicas-mismatch' });
      expect(r.stuck).toBeUndefined();
    },
    testMs,
  );

  it(
    'endpoints-ready: a Service selector that matches no pod names the selector and the labels there are',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'k8s-core'), service(ns, 'k8s-core', { app: 'k8s-cor' }));
      const r = await check('endpoints-ready')({ service: 'k8s-core', namespace: ns });
      expectStuck(r, 'selector-mismatch');
      expect(r.saw).toContain('app=k8s-cor;');
      expect(r.saw).toContain('app=k8s-core');
      expect(r.saw).not.toContain('pod-template-hash');
    },
    testMs,
  );

  it(
    'endpoints-ready: the one Deployment behind the Service asks for fewer replicas than wanted',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'k8s-core', { replicas: 1 }), service(ns, 'k8s-core', { app: 'k8s-core' }));
      expectStuck(
        await check('endpoints-ready')({ service: 'k8s-core', namespace: ns, min: 3 }),
        'replicas-mismatch',
      );
    },
    testMs,
  );

  it(
    'endpoints-ready: the selected pods cannot pull their image',
    async () => {
      const ns = await namespace();
      await apply(
        deployment(ns, 'k8s-core', { image: 'k8s-core:9.9' }),
        service(ns, 'k8s-core', { app: 'k8s-core' }),
      );
      expectStuck(await check('endpoints-ready')({ service: 'k8s-core', namespace: ns }), 'image-pull');
    },
    testMs,
  );

  it(
    'no-alerts: a crash loop in the namespace fails at once with the alert explained',
    async () => {
      const ns = await namespace();
      await apply(
        deployment(ns, 'web', {
          image: 'busybox:1.36',
          container: { command: ['sh', '-c', 'exit 3'], ports: [] },
        }),
      );
      // no-alerts passes while nothing is wrong yet: start it once the crash loop is there.
      await until(async () =>
        /"reason": ?"CrashLoopBackOff"/.test(await k(['get', 'pods', '-n', ns, '-o', 'json'])),
      );
      const r = await check('no-alerts')({ namespace: ns });
      expectStuck(r, 'crash-loop');
      expect(r.cause).toMatch(/last exit code 3/);
    },
    testMs,
  );
});

describe('states that converge still pass', () => {
  it(
    'applied just before the checks: rollout, ready-replicas, endpoints, no-alerts pass (not yet → passed)',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'web', { replicas: 2 }), service(ns, 'web', { app: 'web' }));
      const [rollout, ready, endpoints, alerts] = await Promise.all([
        check('rollout')({ name: 'web', namespace: ns }),
        check('ready-replicas')({ name: 'web', namespace: ns, replicas: 2 }),
        check('endpoints-ready')({ service: 'web', namespace: ns, min: 2 }),
        check('no-alerts')({ namespace: ns }),
      ]);
      expect([rollout, ready, endpoints, alerts].map((r) => r.ok)).toEqual([true, true, true, true]);
      // Scaling up: not yet at first, then passed, and never judged stuck on the way.
      await k(['-n', ns, 'scale', 'deployment/web', '--replicas=4']);
      expect(await check('ready-replicas')({ name: 'web', namespace: ns, replicas: 4 })).toMatchObject({
        ok: true,
      });
    },
    testMs,
  );

  it(
    'in Chinese the stuck explanation is translated',
    async () => {
      const ns = await namespace();
      await apply(deployment(ns, 'web', { replicas: 3 }));
      const r = await check('ready-replicas')(
        { name: 'web', namespace: ns, replicas: 5 },
        { ...ctx, lang: 'zh-CN', t: createTranslator('zh-CN') },
      );
      expectStuck(r, 'replicas-mismatch');
      expect(r.cause).toMatch(/再等也不会变/);
    },
    testMs,
  );
});
