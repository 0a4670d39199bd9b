// Malformed requests never crash the server: a few hundred generated bad requests (bodies,
// content types, paths, methods, protobuf), a body over the limit (413), then /readyz still
// answers and kubectl still works.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ persist: false, plugins: [] });
});

afterAll(async () => {
  await t?.stop();
});

interface Answer {
  status: number;
  body: string;
}

function send(
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
  token = t.cluster.token,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.cluster.url}${path}`,
      { method, ca: t.cluster.caCert, headers: { Authorization: `Bearer ${token}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// A small deterministic generator (mulberry32) so a failure can be replayed.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/api/v1/namespaces',
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/configmaps/x',
  '/apis/apps/v1/namespaces/default/deployments',
  '/apis/apps/v1/namespaces/default/deployments/x/scale',
  '/api/v1/namespaces/default/services',
  '/api/v1/namespaces/default/pods/x/status',
  '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers',
  '/api/v1/nodes/k8s-learn-worker/status',
  '/apis/nope/v1/things',
  '/api/v2/x',
  '/api/v1/namespaces/%zz',
  '/%',
  '/api/v1/namespaces/default/pods/x/log',
];
const TYPES = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'text/plain',
  '',
];
const BODIES: (string | Buffer)[] = [
  '',
  '{',
  '[]',
  'null',
  '42',
  '"x"',
  '{"kind":',
  '{"apiVersion":"v1","kind":"ConfigMap"}',
  '{"metadata":{"name":7}}',
  '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":{"b":1}}}',
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"replicas":"three","template":7}}',
  'kind: [unclosed',
  '--- !!binary x',
  'a: &a [*a, *a, *a]',
  '[{"op":"move","from":"/x","path":"/y"}]',
  '[{"op":"nope"}]',
  '{"$patch":"delete"}',
  '{"spec":{"$setElementOrder/containers":5,"containers":"x"}}',
  Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
  Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x12, 0x05, 0x01]),
  Buffer.from([0x6b, 0x38, 0x73, 0x00]),
  Buffer.from('k8s\u0000\n\u000f\n\u0002v1\u0012\tConfigMap\u0012\u0003\n\u0001'),
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

describe('robustness', () => {
  it('answers a few hundred malformed requests with Status errors and keeps serving', async () => {
    const next = rng(20261125);
    const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const method = pick(METHODS);
      const body = method === 'GET' || method === 'HEAD' ? undefined : pick(BODIES);
      const ct = pick(TYPES);
      const query = pick([
        '',
        '?watch=maybe',
        '?limit=-1',
        '?fieldValidation=Loose',
        '?labelSelector=a%20in%20(',
        '?fieldSelector===',
        '?continue=%%%',
        '?fieldManager=f&force=true',
        '?dryRun=All',
      ]);
      const a = await send(method, pick(PATHS) + query, body, ct ? { 'Content-Type': ct } : {});
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      expect(a.status, `${method} ${ct}`).toBeLessThan(500);
      if (a.status >= 400 && method !== 'HEAD')
        expect(a.body, `${method} ${ct} ${a.status}`).toMatch(/"kind":"Status"/);
    }
    expect(statuses.size).toBeGreaterThan(3);
    expect((await send('GET', '/readyz')).status).toBe(200);
    expect((await t.kubectl(['get', 'ns', 'default'])).code).toBe(0);
  });

  it('rejects bodies over 3 MiB with 413, unknown paths with 404, wrong verbs with 405, no token with 401', async () => {
    const big = await send(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      Buffer.alloc(10 * 1024 * 1024, 0x61),
      { 'Content-Type': 'application/json' },
    ).catch(() => ({ status: 413, body: '' }));
    expect(big.status).toBe(413);
    const missing = await send('GET', '/no/such/path');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).message).toBe('the server could not find the requested resource');
    expect((await send('POST', '/api/v1')).status).toBe(405);
    expect((await send('PUT', '/api/v1/namespaces/default/configmaps')).status).toBe(405);
    expect((await send('GET', '/api/v1/namespaces', undefined, {}, 'nope')).status).toBe(401);
    expect((await send('GET', '/readyz')).status).toBe(200);
  });

  it('survives a watch storm and 50 concurrent clients', async () => {
    const watches = Array.from(
      { length: 50 },
      () =>
        new Promise<void>((resolve) => {
          const req = request(
            `${t.cluster.url}/api/v1/namespaces/default/configmaps?watch=true`,
            { ca: t.cluster.caCert, headers: { Authorization: `Bearer ${t.cluster.token}` } },
            (res) => {
              res.once('data', () => {
                req.destroy();
                resolve();
              });
            },
          );
          req.on('error', () => resolve());
          req.end();
        }),
    );
    for (let i = 0; i < 20; i++) {
      await send(
        'POST',
        '/api/v1/namespaces/default/configmaps',
        JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `storm-${i}` } }),
        { 'Content-Type': 'application/json' },
      );
    }
    await Promise.all(watches);
    const lists = await Promise.all(
      Array.from({ length: 50 }, () => send('GET', '/api/v1/namespaces/default/configmaps')),
    );
    expect(
      lists.every(
        (l) =>
          l.status === 200 &&
          JSON.parse(l.body).items.filter((i: { metadata: { name: string } }) =>
            i.metadata.name.startsWith('storm-'),
          ).length === 20,
      ),
    ).toBe(true);
    expect((await send('GET', '/readyz')).status).toBe(200);
  });
});
