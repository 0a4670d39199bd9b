import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubresourceRequest } from '../../src/practice/extensions.js';
import { RESOURCES } from '../../src/practice/resources.js';
import { deployment, type Harness, loadImage, startHarness, statusOf, until } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  loadImage(h.store, 'docker.io/library/k8s-core:1.0');
});
afterEach(async () => h.stop());

const DEP = 'deployments.apps';
const HPA = 'horizontalpodautoscalers.autoscaling';

function hpa(name: string) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'demo' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 30,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
      },
    },
  };
}

async function burn(): Promise<void> {
  const handler = h.ext.subresourceHandler('services', 'proxy')!;
  const def = RESOURCES.find((d) => d.resource === 'services')!;
  const req: SubresourceRequest = {
    method: 'GET',
    def,
    version: 'v1',
    namespace: 'demo',
    name: 'web:http',
    subresource: 'proxy',
    rest: 'burn',
    query: new URLSearchParams('ms=200'),
    headers: {},
    body: Buffer.alloc(0),
    store: h.store,
    response: undefined as unknown as ServerResponse,
  };
  await handler(req).catch(() => undefined);
}

type Cond = { type: string; status: string; reason: string; message: string };
const replicasOf = (name: string) =>
  Number((h.store.get(DEP, 'demo', name)?.spec as { replicas?: number } | undefined)?.replicas ?? 0);
const conds = (name: string) => (statusOf(h.store.get(HPA, 'demo', name)).conditions ?? []) as Cond[];

describe('HPA (autoscaling/v2, CPU utilization)', () => {
  it('scales 1 → more under load through the Service, then back to 1 after the window', async () => {
    h.store.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'demo' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    h.store.create(
      DEP,
      deployment('web', { replicas: 1, container: { resources: { requests: { cpu: '100m' } } } }),
    );
    await until(() => statusOf(h.store.get(DEP, 'demo', 'web')).availableReplicas === 1, 10_000, 'ready');
    h.store.create(HPA, hpa('web'));
    let loading = true;
    const load = (async () => {
      while (loading) {
        await burn();
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await until(() => replicasOf('web') > 1, 15_000, 'scale up');
    loading = false;
    await load;
    const events = h.store
      .list('events', { namespace: 'demo' })
      .items.filter((e) => e.reason === 'SuccessfulRescale');
    expect(events[0]?.message).toMatch(
      /^New size: \d; reason: cpu resource utilization \(percentage of request\) above target$/,
    );
    expect(conds('web').map((c) => c.type)).toEqual(['AbleToScale', 'ScalingActive', 'ScalingLimited']);
    const metrics = statusOf(h.store.get(HPA, 'demo', 'web')).currentMetrics as {
      resource: { current: { averageUtilization: number } };
    }[];
    expect(metrics[0]?.resource.current.averageUtilization).toBeGreaterThan(50);
    await until(() => replicasOf('web') === 1, 20_000, 'scale down');
    const down = h.store
      .list('events', { namespace: 'demo' })
      .items.filter((e) => e.reason === 'SuccessfulRescale')
      .map((e) => e.message);
    expect(down).toContain('New size: 1; reason: All metrics below target');
  });

  it('reports missing request for cpu as FailedGetResourceMetric', async () => {
    h.store.create(DEP, deployment('nocpu', { replicas: 1 }));
    await until(() => statusOf(h.store.get(DEP, 'demo', 'nocpu')).availableReplicas === 1, 10_000, 'ready');
    h.store.create(HPA, hpa('nocpu'));
    const c = await until(() => conds('nocpu').find((x) => x.type === 'ScalingActive'), 10_000, 'condition');
    expect(c).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    expect(c.message).toMatch(
      /^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod nocpu-/,
    );
    const ev = h.store
      .list('events', { namespace: 'demo' })
      .items.find((e) => e.reason === 'FailedGetResourceMetric');
    expect(ev?.message).toMatch(
      /^failed to get cpu utilization: missing request for cpu in container app of Pod nocpu-[a-z0-9]+-[a-z0-9]{5}$/,
    );
  });
});

describe('a replica count set outside [min, max]', () => {
  it('is put back to the bound at the next sync, without reading metrics, as upstream words it', async () => {
    h.store.create(
      DEP,
      deployment('owned', { replicas: 2, container: { resources: { requests: { cpu: '100m' } } } }),
    );
    await until(() => statusOf(h.store.get(DEP, 'demo', 'owned')).availableReplicas === 2, 10_000, 'ready');
    const spec = hpa('owned');
    spec.spec.minReplicas = 2;
    h.store.create(HPA, spec);
    await until(() => conds('owned').some((c) => c.type === 'ScalingActive'), 10_000, 'first sync');
    // What `kubectl apply` of a manifest that still says `replicas: 1` does.
    const dep = h.store.get(DEP, 'demo', 'owned')!;
    h.store.update(DEP, { ...dep, spec: { ...(dep.spec as object), replicas: 1 } });
    expect(replicasOf('owned')).toBe(1);
    await until(() => replicasOf('owned') === 2, 10_000, 'back to the minimum');
    const rescales = h.store
      .list('events', { namespace: 'demo' })
      .items.filter((e) => e.reason === 'SuccessfulRescale')
      .map((e) => e.message);
    expect(rescales).toContain('New size: 2; reason: Current number of replicas below Spec.MinReplicas');
    expect(conds('owned').find((c) => c.type === 'AbleToScale')).toMatchObject({
      reason: 'SucceededRescale',
      message: 'the HPA controller was able to update the target scale to 2',
    });
    // The metric conditions of the last sync that read metrics are kept.
    expect(conds('owned').map((c) => c.type)).toEqual(['AbleToScale', 'ScalingActive', 'ScalingLimited']);
  });
});

describe('HPA start', () => {
  it('a new HPA does not scale an idle Deployment down before the stabilization window', async () => {
    h.store.create(
      DEP,
      deployment('idle', { replicas: 3, container: { resources: { requests: { cpu: '100m' } } } }),
    );
    await until(() => statusOf(h.store.get(DEP, 'demo', 'idle')).availableReplicas === 3, 10_000, 'ready');
    const spec = hpa('idle');
    spec.spec.behavior.scaleDown.stabilizationWindowSeconds = 60;
    h.store.create(HPA, spec);
    await until(() => conds('idle').some((c) => c.reason === 'ScaleDownStabilized'), 10_000, 'stabilized');
    expect(replicasOf('idle')).toBe(3);
    await until(() => replicasOf('idle') === 1, 20_000, 'scale down after the window');
  });
});

describe('the autoscaling clock (ConfigMap kube-system/k8s-learn-practice-clock)', () => {
  it('runs the HPA loop and its windows on its own scale, while the cluster keeps real time', async () => {
    // A realistic cluster (time scale 1): a 300 s scale-down window would keep 3 idle pods for
    // 5 minutes. With the autoscaling clock at 0.001 that window lasts 0.3 s.
    const real = await startHarness(1);
    try {
      loadImage(real.store, 'docker.io/library/k8s-core:1.0');
      real.store.create(
        DEP,
        deployment('idle', { replicas: 3, container: { resources: { requests: { cpu: '100m' } } } }),
      );
      await until(
        () => statusOf(real.store.get(DEP, 'demo', 'idle')).availableReplicas === 3,
        15_000,
        'ready',
      );
      const spec = hpa('idle');
      spec.spec.behavior.scaleDown.stabilizationWindowSeconds = 300;
      real.store.create(HPA, spec);
      const replicas = () =>
        Number((real.store.get(DEP, 'demo', 'idle')?.spec as { replicas?: number } | undefined)?.replicas);
      await new Promise((r) => setTimeout(r, 500));
      expect(replicas()).toBe(3);
      real.store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'k8s-learn-practice-clock', namespace: 'kube-system' },
        data: { autoscalingTimeScale: '0.001' },
      });
      await until(() => replicas() === 1, 10_000, 'scale down on the fast clock');
    } finally {
      await real.stop();
    }
  });
});
