// The autoscaling lesson's checks against the practice cluster with its controllers (HPA loop at
// test speed: a 15 s sync takes 0.3 s) and the REAL kubectl: an HPA that cannot measure fails at
// once as `missing-cpu-request` and passes once the Deployment has its request (a condition left
// from before the fix is not "stuck"); `apply-keeps` tells a `replicas:` still in the file from one
// kubectl's last-applied annotation still remembers, and passes once neither would reset the HPA.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { createRunner } from '../../src/runner.js';
import { deploymentObject } from '../helpers/objects.js';
import { kubeCheck, kubectlOk, startTestCluster, type TestCluster } from '../helpers/practice.js';

const testMs = 30_000;
let tc: TestCluster;
let ctx: CheckContext;

const check = kubeCheck(() => ctx);

const k = (args: string[], input?: string) => kubectlOk(tc, args, input);

async function until(pred: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error('state never reached');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const withCpu = { resources: { requests: { cpu: '100m' } } };

function hpa(ns: string, name: string, minReplicas: number) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas,
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
    },
  };
}

/** file writes manifests into the workspace as a learner's file (JSON is YAML). */
function file(name: string, ...objects: unknown[]): string {
  writeFileSync(join(tc.dataDir, name), objects.map((o) => JSON.stringify(o, null, 2)).join('\n---\n'));
  return name;
}

beforeAll(async () => {
  tc = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
  loadImageIntoStore(tc.cluster.store, 'k8s-core:1.0');
  const runner = createRunner({
    env: { PATH: process.env.PATH, HOME: tc.dataDir, KUBECACHEDIR: `${tc.dataDir}/kubectl-cache` },
  });
  const cluster = { backend: 'practice', context: tc.cluster.context, kubeconfig: tc.cluster.kubeconfigPath };
  ctx = { runner, workspace: tc.dataDir, lang: 'en', t: createTranslator('en'), vars: {}, cluster };
  await k(['create', 'namespace', 'scale-a']);
  await k(['create', 'namespace', 'scale-b']);
}, 60_000);

afterAll(async () => {
  await tc?.stop();
});

describe('jsonpath-equals on an HPA (ScalingActive)', () => {
  const active = {
    kind: 'hpa',
    name: 'report',
    namespace: 'scale-a',
    path: '{.status.conditions[?(@.type=="ScalingActive")].status}',
    value: 'True',
    timeout: 120,
  };

  it(
    'fails at once as missing-cpu-request, then passes once the Deployment has a CPU request',
    async () => {
      const path = file('report.yaml', deploymentObject('scale-a', 'report'), hpa('scale-a', 'report', 1));
      await k(['apply', '-f', join(tc.dataDir, path)]);
      const r = await check('jsonpath-equals')(active);
      expect(r, JSON.stringify(r)).toMatchObject({ ok: false, causeId: 'missing-cpu-request', stuck: true });
      expect(r.saw).toMatch(
        /HorizontalPodAutoscaler\/report: MissingCpuRequest — .*failed to get cpu utilization: missing request for cpu in container app of Pod report-/,
      );
      expect(r.cause).toContain('no CPU request');

      // The fix, checked at once: the HPA still shows its last (failed) sync, which must not count
      // as stuck now that the template has what it needs. A CPU limit alone is enough: the API
      // server gives each pod its limit as its request (upstream SetDefaults_Pod).
      const limitOnly = { resources: { limits: { cpu: '100m' } } };
      await k(
        ['apply', '-f', '-'],
        JSON.stringify(deploymentObject('scale-a', 'report', { container: limitOnly })),
      );
      const fixed = await check('jsonpath-equals')(active);
      expect(fixed, JSON.stringify(fixed)).toMatchObject({ ok: true });
      const requests = await k([
        'get',
        'pods',
        '-n',
        'scale-a',
        '-l',
        'app=report',
        '-o',
        'jsonpath={.items[*].spec.containers[0].resources.requests.cpu}',
      ]);
      expect(requests.split(' ')).toContain('100m');
    },
    testMs * 2,
  );
});

describe('apply-keeps (spec.replicas under an HPA)', () => {
  const keeps = {
    path: 'core.yaml',
    kind: 'deployment',
    name: 'core',
    namespace: 'scale-b',
    field: 'spec.replicas',
  };
  const replicas = async () =>
    k(['get', 'deployment', 'core', '-n', 'scale-b', '-o', 'jsonpath={.spec.replicas}']);

  it(
    'fails while the file names replicas, then while last-applied remembers them, then passes',
    async () => {
      file('core.yaml', deploymentObject('scale-b', 'core', { replicas: 1, container: withCpu }));
      await k(['apply', '-f', join(tc.dataDir, 'core.yaml')]);
      await k(['apply', '-f', '-'], JSON.stringify(hpa('scale-b', 'core', 2)));
      await until(async () => (await replicas()) === '2');

      const inFile = await check('apply-keeps')(keeps);
      expect(inFile).toMatchObject({ ok: false, causeId: 'field-in-file', stuck: true });
      expect(inFile.saw).toBe('core.yaml: spec.replicas: 1');

      // The line removed from the file; the annotation still has `replicas: 1`, so an apply would
      // remove the field and the default (1) would replace the HPA's 2.
      const without = deploymentObject('scale-b', 'core', { container: withCpu });
      delete (without.spec as { replicas?: number }).replicas;
      file('core.yaml', without);
      const remembered = await check('apply-keeps')(keeps);
      expect(remembered).toMatchObject({ ok: false, causeId: 'last-applied', stuck: true });
      expect(remembered.saw).toBe('`kubectl apply -f core.yaml` would change spec.replicas from 2 to 1');
      expect(remembered.hint).toContain('kubectl apply set-last-applied -f core.yaml');
      expect(await replicas()).toBe('2');

      await k(['apply', 'set-last-applied', '-f', join(tc.dataDir, 'core.yaml')]);
      expect(await check('apply-keeps')(keeps)).toMatchObject({ ok: true });
      await k(['apply', '-f', join(tc.dataDir, 'core.yaml')]);
      expect(await replicas()).toBe('2');
    },
    testMs,
  );

  it('names a file without the object', async () => {
    file('other.yaml', deploymentObject('scale-b', 'other'));
    const r = await check('apply-keeps')({ ...keeps, path: 'other.yaml' });
    expect(r).toMatchObject({ ok: false, causeId: 'manifest', saw: 'other.yaml has no deployment/core' });
  });
});
