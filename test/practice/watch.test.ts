// Watch and list semantics over HTTPS: headers flushed at once, one event per line, 410 as an
// ERROR event when the resourceVersion is too old, label-selector transitions, paging.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ persist: false, watchHistory: 10, plugins: [] });
});

afterAll(async () => {
  await t?.stop();
});

interface WatchEvent {
  type: string;
  object: {
    kind?: string;
    apiVersion?: string;
    code?: number;
    message?: string;
    metadata: { name?: string };
  };
}

function watch(path: string): {
  lines: () => WatchEvent[];
  headers: Promise<number>;
  stop: () => void;
} {
  let buf = '';
  let resolveHeaders: (n: number) => void = () => {};
  const headers = new Promise<number>((r) => {
    resolveHeaders = r;
  });
  const req = request(
    `${t.cluster.url}${path}`,
    { ca: t.cluster.caCert, headers: { Authorization: `Bearer ${t.cluster.token}` } },
    (res) => {
      resolveHeaders(res.statusCode ?? 0);
      res.on('data', (d) => {
        buf += d;
      });
    },
  );
  req.on('error', () => {});
  req.end();
  return {
    headers,
    lines: () =>
      buf
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    stop: () => req.destroy(),
  };
}

const cm = (name: string, labels: Record<string, string> = {}) =>
  t.cluster.store.create('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', labels },
  });
/** settle waits until the stream has `n` events (or a second passed). */
const settle = async (w: { lines: () => unknown[] }, n: number) => {
  for (let i = 0; i < 100 && w.lines().length < n; i++) await new Promise((r) => setTimeout(r, 10));
};

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED with kind and apiVersion, and follows label selectors', async () => {
    const w = watch('/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Dweb');
    expect(await w.headers).toBe(200);
    cm('a', { app: 'web' });
    cm('b', { app: 'db' });
    const a = structuredClone(t.cluster.store.get('configmaps', 'default', 'a')!);
    a.metadata.labels = { app: 'db' };
    t.cluster.store.update('configmaps', a);
    await settle(w, 2);
    w.stop();
    const events = w.lines().filter((e) => e.object.metadata.name !== 'kube-root-ca.crt');
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'DELETED a']);
    expect(events[0]!.object.kind).toBe('ConfigMap');
    expect(events[0]!.object.apiVersion).toBe('v1');
  });

  it('answers a too-old resourceVersion with an ERROR event carrying a 410 Status', async () => {
    for (let i = 0; i < 20; i++) cm(`old-${i}`);
    const w = watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2');
    await settle(w, 1);
    w.stop();
    const [event] = w.lines();
    expect(event?.type).toBe('ERROR');
    expect(event?.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(event?.object.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });

  it('resumes from a recent resourceVersion without replaying older events', async () => {
    const rv = t.cluster.store.resourceVersion;
    cm('fresh');
    const w = watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
    await settle(w, 1);
    w.stop();
    expect(w.lines().map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED fresh']);
  });

  it('pages lists with limit and continue (kubectl --chunk-size)', async () => {
    const r = await t.kubectl(['get', 'configmaps', '-n', 'default', '--chunk-size=5', '-o', 'name']);
    const names = r.stdout.trim().split('\n');
    expect(names).toContain('configmap/old-19');
    expect(names).toHaveLength(t.cluster.store.list('configmaps', { namespace: 'default' }).items.length);
  });

  it('deletes a collection by label selector (deletecollection)', async () => {
    cm('keep-1', { tier: 'keep' });
    cm('drop-1', { tier: 'drop' });
    cm('drop-2', { tier: 'drop' });
    const { request } = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${t.cluster.url}/api/v1/namespaces/default/configmaps?labelSelector=tier%3Ddrop`,
        { method: 'DELETE', ca: t.cluster.caCert, headers: { Authorization: `Bearer ${t.cluster.token}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    const names = t.cluster.store
      .list('configmaps', { namespace: 'default' })
      .items.map((o) => o.metadata.name);
    expect(names).toContain('keep-1');
    expect(names.filter((n) => n?.startsWith('drop-'))).toEqual([]);
  });
});
