import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/practice/api-error.js';
import { selectorPredicate } from '../../src/practice/selectors.js';
import { ObjectStore, type StoreEvent } from '../../src/practice/store.js';
import type { KubeObject } from '../../src/practice/types.js';

function cm(name: string, ns = 'default', labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data: { a: '1' } };
}

function deploy(name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas },
  };
}

describe('ObjectStore', () => {
  it('assigns uid, monotonic resourceVersion and creationTimestamp; rejects duplicates with 409', () => {
    const store = new ObjectStore();
    const a = store.create('configmaps', cm('a'));
    const b = store.create('configmaps', cm('b'));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(() => store.create('configmaps', cm('a'))).toThrowError('configmaps "a" already exists');
    expect(Object.isFrozen(a.metadata)).toBe(true);
  });

  it('bumps generation only on spec changes and checks resourceVersion preconditions', () => {
    const store = new ObjectStore({ tracksGeneration: (r) => r === 'deployments.apps' });
    const d = store.create('deployments.apps', deploy('web', 1));
    expect(d.metadata.generation).toBe(1);
    const withStatus = store.update('deployments.apps', { ...structuredClone(d), status: { replicas: 1 } });
    expect(withStatus.metadata.generation).toBe(1);
    const scaled = store.update('deployments.apps', {
      ...structuredClone(withStatus),
      spec: { replicas: 3 },
    });
    expect(scaled.metadata.generation).toBe(2);
    let err: unknown;
    try {
      store.update('deployments.apps', structuredClone(d));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(409);
    expect((err as ApiError).message).toContain('the object has been modified');
  });

  it('lists sorted with selectors, limit and continue', () => {
    const store = new ObjectStore();
    for (const n of ['c', 'a', 'b'])
      store.create('configmaps', cm(n, 'default', { app: n === 'b' ? 'x' : 'y' }));
    store.create('configmaps', cm('z', 'other'));
    expect(store.list('configmaps', { namespace: 'default' }).items.map((o) => o.metadata.name)).toEqual([
      'a',
      'b',
      'c',
    ]);
    const pred = selectorPredicate('app in (y)', 'metadata.namespace=default');
    expect(store.list('configmaps', { predicate: pred }).items.map((o) => o.metadata.name)).toEqual([
      'a',
      'c',
    ]);
    const page1 = store.list('configmaps', { limit: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.remainingItemCount).toBe(2);
    const page2 = store.list('configmaps', { limit: 2, continue: page1.continue });
    expect(page2.items.map((o) => o.metadata.name)).toEqual(['c', 'z']);
    expect(page2.continue).toBeUndefined();
  });

  it('keeps objects with finalizers until they are cleared, then deletes', () => {
    const store = new ObjectStore();
    store.create('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x', finalizers: ['k'] },
    });
    const r = store.delete('namespaces', undefined, 'x');
    expect(r.removed).toBe(false);
    expect(r.object.metadata.deletionTimestamp).toBeDefined();
    const cleared = structuredClone(r.object);
    cleared.metadata.finalizers = [];
    store.update('namespaces', cleared);
    expect(store.get('namespaces', undefined, 'x')).toBeUndefined();
  });

  it('replays watch history from a resourceVersion and answers 410 when it is too old', () => {
    const store = new ObjectStore({ historySize: 3 });
    const start = Number(store.resourceVersion);
    store.create('configmaps', cm('a'));
    const seen: StoreEvent[] = [];
    const stop = store.watch('configmaps', start, (e) => seen.push(e));
    store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } });
    store.delete('configmaps', 'default', 'a');
    stop();
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    for (const n of ['b', 'c', 'd', 'e']) store.create('configmaps', cm(n));
    expect(() => store.watch('configmaps', start, () => {})).toThrowError(/too old resource version/);
  });

  it('fills generateName and snapshots/loads', () => {
    const store = new ObjectStore();
    const o = store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { generateName: 'x-', namespace: 'd' },
    });
    expect(o.metadata.name).toMatch(/^x-[a-z0-9]{5}$/);
    const copy = new ObjectStore();
    copy.load(JSON.parse(JSON.stringify(store.snapshot())));
    expect(copy.get('configmaps', 'd', o.metadata.name!)?.metadata.uid).toBe(o.metadata.uid);
    expect(copy.resourceVersion).toBe(store.resourceVersion);
  });
});

describe('persistence', () => {
  it('replays the journal over the snapshot after a crash, ignoring a torn last line', async () => {
    const { mkdtempSync, appendFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadSnapshot, persistStore } = await import('../../src/practice/persistence.js');
    const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-journal-'));
    try {
      const store = new ObjectStore();
      const stop = persistStore(store, dir, 60_000);
      store.create('configmaps', cm('a'));
      store.create('configmaps', cm('b'));
      store.delete('configmaps', 'default', 'a');
      // No stop(): as if the process died. A half-written line follows.
      appendFileSync(join(dir, 'state.journal'), '{"t":"ADDED","r":"configmaps"');
      const restored = new ObjectStore();
      restored.load(loadSnapshot(dir)!);
      expect(restored.list('configmaps').items.map((o) => o.metadata.name)).toEqual(['b']);
      expect(restored.resourceVersion).toBe(store.resourceVersion);
      stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('graceful pod deletion (for the simulated kubelet)', () => {
  it('marks a bound pod when a controller claims pod deletion, and deletes unbound pods at once', async () => {
    const { startPracticeCluster } = await import('../../src/practice/index.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-graceful-'));
    const cluster = await startPracticeCluster({
      dataDir: dir,
      persist: false,
      plugins: [(ext) => ext.gracefulDeletion.add('pods')],
    });
    try {
      const pod = (name: string, nodeName?: string) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { nodeName, containers: [{ name: 'c', image: 'nginx:1.27' }] },
      });
      cluster.store.create('pods', pod('bound', 'k8s-learn-worker'));
      cluster.store.create('pods', pod('pending'));
      const del = (name: string) =>
        fetchLike(cluster.url, cluster.caCert, cluster.token, `/api/v1/namespaces/default/pods/${name}`);
      expect(await del('bound')).toBe(200);
      expect(await del('pending')).toBe(200);
      const bound = cluster.store.get('pods', 'default', 'bound');
      expect(bound?.metadata.deletionTimestamp).toBeDefined();
      expect(bound?.metadata.deletionGracePeriodSeconds).toBe(30);
      expect(cluster.store.get('pods', 'default', 'pending')).toBeUndefined();
      // A status write by the kubelet keeps the pod; its delete through the store removes it.
      cluster.store.update('pods', { ...structuredClone(bound!), status: { phase: 'Running' } });
      expect(cluster.store.get('pods', 'default', 'bound')).toBeDefined();
      cluster.store.delete('pods', 'default', 'bound');
      expect(cluster.store.get('pods', 'default', 'bound')).toBeUndefined();
    } finally {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function fetchLike(url: string, ca: string, token: string, path: string): Promise<number> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { method: 'DELETE', ca, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('apiCreate (the API pipeline for controllers)', () => {
  it('defaults and validates like a POST', async () => {
    const { apiCreate } = await import('../../src/practice/api.js');
    const store = new ObjectStore();
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    // Every namespace has its `default` ServiceAccount (the ServiceAccount admission needs it).
    store.create('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'default' },
    });
    const pod = apiCreate(
      store,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
      'replicaset-controller',
    );
    expect(pod.spec).toMatchObject({ serviceAccountName: 'default', restartPolicy: 'Always' });
    expect((pod.spec as { containers: { imagePullPolicy: string }[] }).containers[0]!.imagePullPolicy).toBe(
      'Always',
    );
    expect(pod.metadata.managedFields?.[0]?.manager).toBe('replicaset-controller');
    expect(() =>
      apiCreate(
        store,
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'Bad', namespace: 'default' },
          spec: { containers: [] },
        },
        'x',
      ),
    ).toThrowError(/Pod "Bad" is invalid/);
  });
});
