import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/practice/types.js';
import { deployment, type Harness, loadImage, podsOf, startHarness, statusOf, until } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  loadImage(h.store, 'docker.io/library/k8s-core:1.0');
});
afterEach(async () => h.stop());

const DEP = 'deployments.apps';

describe('deployment controller (store level)', () => {
  it('rolls out 3 replicas: RS named by hash, pods Running on workers, status complete', async () => {
    h.store.create(DEP, deployment('web'));
    const d = await until(() => {
      const x = h.store.get(DEP, 'demo', 'web');
      return statusOf(x).availableReplicas === 3 ? x : undefined;
    });
    const st = statusOf(d);
    expect(st).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    const conds = st.conditions as { type: string; status: string; reason: string }[];
    expect(conds.find((c) => c.type === 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    await until(() =>
      (statusOf(h.store.get(DEP, 'demo', 'web')).conditions as { reason: string }[]).some(
        (c) => c.reason === 'NewReplicaSetAvailable',
      ),
    );
    const rs = h.store.list('replicasets.apps', { namespace: 'demo' }).items;
    expect(rs).toHaveLength(1);
    const hash = rs[0]?.metadata.labels?.['pod-template-hash'];
    expect(rs[0]?.metadata.name).toBe(`web-${hash}`);
    expect(rs[0]?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const pods = podsOf(h.store, 'web');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
      expect(statusOf(p).phase).toBe('Running');
      expect(statusOf(p).podIP).toMatch(/^10\.244\.[12]\.\d+$/);
      expect((p.spec as { nodeName: string }).nodeName).not.toBe('k8s-learn-control-plane');
    }
    const nodes = new Set(pods.map((p) => (p.spec as { nodeName: string }).nodeName));
    expect(nodes.size).toBe(2);
    const events = h.store
      .list('events', { namespace: 'demo' })
      .items.map((e) => `${e.reason}: ${e.message}`);
    expect(events).toContain(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`);
    expect(events.some((e) => e.startsWith('Scheduled: Successfully assigned demo/web-'))).toBe(true);
    expect(events).toContain('Pulled: Container image "k8s-core:1.0" already present on machine');
    expect(events).toContain('Created: Created container: app');
    expect(events).toContain('Started: Started container app');
  });

  it('rolling update keeps availability, bumps revision, and undo reuses the old ReplicaSet', async () => {
    h.store.create(DEP, deployment('web', { image: 'nginx:1.27' }));
    await until(
      () => statusOf(h.store.get(DEP, 'demo', 'web')).availableReplicas === 3,
      10_000,
      'first rollout',
    );
    const minAvailable: number[] = [];
    const unsub = h.store.subscribe((e) => {
      if (e.resource === DEP && e.object.metadata.name === 'web')
        minAvailable.push(Number(statusOf(e.object).availableReplicas ?? 0));
    });
    const d = structuredClone(h.store.get(DEP, 'demo', 'web')!) as ReturnType<typeof deployment> & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    d.spec.template.spec.containers[0]!.image = 'nginx:1.28';
    d.metadata.resourceVersion = '';
    h.store.update(DEP, d);
    await until(
      () => {
        const s = statusOf(h.store.get(DEP, 'demo', 'web'));
        return (
          s.observedGeneration === 2 &&
          s.updatedReplicas === 3 &&
          s.availableReplicas === 3 &&
          s.replicas === 3
        );
      },
      15_000,
      'second rollout',
    );
    unsub();
    // maxUnavailable 25% of 3 rounds down to 0: availability never drops below 3 during the update.
    expect(Math.min(...minAvailable.slice(1))).toBeGreaterThanOrEqual(3);
    const rs = h.store.list('replicasets.apps', { namespace: 'demo' }).items;
    expect(rs).toHaveLength(2);
    expect(rs.map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual([
      '1',
      '2',
    ]);
    expect(h.store.get(DEP, 'demo', 'web')?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe(
      '2',
    );
    // Undo: put the revision-1 template back.
    const old = rs.find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1')!;
    const back = structuredClone(h.store.get(DEP, 'demo', 'web')!) as typeof d;
    const template = structuredClone(
      (old.spec as { template: { metadata: { labels: Record<string, string> } } }).template,
    );
    delete template.metadata.labels['pod-template-hash'];
    (back.spec as unknown as { template: unknown }).template = template;
    back.metadata.resourceVersion = '';
    h.store.update(DEP, back);
    await until(
      () => {
        const r1 = h.store.get('replicasets.apps', 'demo', old.metadata.name ?? '');
        const s = statusOf(h.store.get(DEP, 'demo', 'web'));
        return (
          r1?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' &&
          statusOf(r1).availableReplicas === 3 &&
          s.updatedReplicas === 3 &&
          s.replicas === 3
        );
      },
      15_000,
      'undo',
    );
    expect(
      h.store.get('replicasets.apps', 'demo', old.metadata.name ?? '')?.metadata.annotations?.[
        'deployment.kubernetes.io/revision-history'
      ],
    ).toBe('1');
    expect(h.store.list('replicasets.apps', { namespace: 'demo' }).items).toHaveLength(2);
  });
});

describe('template comparison', () => {
  it('treats nulls and empty maps like unset fields, as semantic equality does', async () => {
    const { sameTemplate, templateHash } = await import('../../src/practice/controllers/deployment-util.js');
    const a = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'x:1', resources: {} }] },
    };
    const b = {
      metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' }, creationTimestamp: null } as never,
      spec: { containers: [{ name: 'app', image: 'x:1' }] },
    };
    expect(sameTemplate(a, b)).toBe(true);
    expect(templateHash(a)).toBe(templateHash(b));
    expect(sameTemplate(a, { ...a, spec: { containers: [{ name: 'app', image: 'x:2' }] } })).toBe(false);
    expect(templateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  });
});

describe('strategies', () => {
  it('RollingUpdate with maxSurge 0 / maxUnavailable 1 never exceeds 3 pods nor drops below 2 available', async () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
    h.store.create(DEP, deployment('ru', { image: 'nginx:1.27', strategy }));
    await until(
      () => statusOf(h.store.get(DEP, 'demo', 'ru')).availableReplicas === 3,
      10_000,
      'first rollout',
    );
    let maxPods = 0;
    let minAvailable = 3;
    const unsub = h.store.subscribe((e) => {
      if (e.resource === 'pods') {
        // Terminating pods do not count toward maxSurge, as upstream.
        const live = podsOf(h.store, 'ru').filter((p) => !p.metadata.deletionTimestamp);
        maxPods = Math.max(maxPods, live.length);
      }
      if (e.resource === DEP)
        minAvailable = Math.min(minAvailable, Number(statusOf(e.object).availableReplicas ?? 0));
    });
    const d = structuredClone(h.store.get(DEP, 'demo', 'ru')!) as KubeObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    d.spec.template.spec.containers[0]!.image = 'nginx:1.28';
    d.metadata.resourceVersion = '';
    h.store.update(DEP, d);
    await until(
      () => {
        const s = statusOf(h.store.get(DEP, 'demo', 'ru'));
        return (
          s.observedGeneration === 2 &&
          s.updatedReplicas === 3 &&
          s.availableReplicas === 3 &&
          s.replicas === 3
        );
      },
      15_000,
      'rollout',
    );
    unsub();
    expect(maxPods).toBeLessThanOrEqual(3);
    expect(minAvailable).toBe(2);
  });

  it('Recreate scales the old ReplicaSet to 0 before the new one starts', async () => {
    h.store.create(DEP, deployment('rc', { image: 'nginx:1.27', strategy: { type: 'Recreate' } }));
    await until(
      () => statusOf(h.store.get(DEP, 'demo', 'rc')).availableReplicas === 3,
      10_000,
      'first rollout',
    );
    let overlap = false;
    const unsub = h.store.subscribe((e) => {
      if (e.resource !== 'pods') return;
      const images = new Set(
        podsOf(h.store, 'rc').map(
          (p) => (p.spec as { containers: { image: string }[] }).containers[0]?.image,
        ),
      );
      if (images.size > 1) overlap = true;
    });
    const d = structuredClone(h.store.get(DEP, 'demo', 'rc')!) as KubeObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    d.spec.template.spec.containers[0]!.image = 'nginx:1.28';
    d.metadata.resourceVersion = '';
    h.store.update(DEP, d);
    await until(
      () => {
        const s = statusOf(h.store.get(DEP, 'demo', 'rc'));
        return (
          s.observedGeneration === 2 &&
          s.updatedReplicas === 3 &&
          s.availableReplicas === 3 &&
          s.replicas === 3
        );
      },
      15_000,
      'recreate',
    );
    unsub();
    expect(overlap).toBe(false);
  });
});

describe('hash collisions', () => {
  it('a foreign ReplicaSet holding the hashed name bumps collisionCount and uses another name', async () => {
    const { templateHash } = await import('../../src/practice/controllers/deployment-util.js');
    const d = deployment('col', { replicas: 1 });
    const hash = templateHash((d.spec as { template: object }).template);
    h.store.create('replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `col-${hash}`, namespace: 'demo' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { other: 'x' } },
        template: {
          metadata: { labels: { other: 'x' } },
          spec: { containers: [{ name: 'x', image: 'busybox:1.36' }] },
        },
      },
    });
    h.store.create(DEP, d);
    const done = await until(
      () => {
        const x = h.store.get(DEP, 'demo', 'col');
        return statusOf(x).availableReplicas === 1 ? x : undefined;
      },
      10_000,
      'rollout after collision',
    );
    expect(statusOf(done).collisionCount).toBe(1);
    const owned = h.store
      .list('replicasets.apps', { namespace: 'demo' })
      .items.filter((r) => r.metadata.ownerReferences?.length);
    expect(owned).toHaveLength(1);
    expect(owned[0]?.metadata.name).not.toBe(`col-${hash}`);
  });
});
