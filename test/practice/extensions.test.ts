// The seam for part 2, end to end with the real kubectl: a plugin's subresource handler answers
// `kubectl logs` (also streaming with -f), another answers the service proxy, an extra API group
// makes `kubectl top` work, and a controller started with the cluster writes through the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticePlugin } from '../../src/practice/index.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

const plugin: PracticePlugin = (ext) => {
  ext.registerSubresource('pods', 'log', async (req) => {
    if (req.query.get('follow') === 'true') {
      req.response.writeHead(200, { 'Content-Type': 'text/plain' });
      req.response.write('line 1\n');
      setTimeout(() => req.response.end('line 2\n'), 50);
      return undefined;
    }
    return { contentType: 'text/plain', body: `hello from ${req.name} in ${req.namespace}\n` };
  });
  ext.registerSubresource('services', 'proxy', async (req) => ({
    contentType: 'text/plain',
    body: `proxied ${req.name} /${req.rest}`,
  }));
  ext.addGroup({
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resources: [
      { resource: 'pods', kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list'] },
      { resource: 'nodes', kind: 'NodeMetrics', namespaced: false, verbs: ['get', 'list'] },
    ],
    handle: async (path) => {
      if (path.endsWith('pods')) {
        return {
          body: {
            kind: 'PodMetricsList',
            apiVersion: 'metrics.k8s.io/v1beta1',
            metadata: {},
            items: [
              {
                metadata: { name: 'p1', namespace: 'default', creationTimestamp: new Date().toISOString() },
                timestamp: new Date().toISOString(),
                window: '15s',
                containers: [{ name: 'c', usage: { cpu: '120m', memory: '30Mi' } }],
              },
            ],
          },
        };
      }
      return {
        status: 404,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          code: 404,
          reason: 'NotFound',
          message: 'not found',
        },
      };
    },
  });
  ext.addController({
    name: 'labeler',
    start(ctx) {
      const unsubscribe = ctx.store.subscribe((e) => {
        if (e.resource !== 'configmaps' || e.type !== 'ADDED' || e.object.metadata.labels?.seen) return;
        setImmediate(() => {
          const current = ctx.store.get(
            'configmaps',
            e.object.metadata.namespace,
            e.object.metadata.name ?? '',
          );
          if (!current) return;
          const next = structuredClone(current);
          next.metadata.labels = { ...(next.metadata.labels ?? {}), seen: 'yes' };
          ctx.store.update('configmaps', next);
        });
      });
      this.stop = unsubscribe;
    },
    stop() {},
  });
};

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ persist: false, plugins: [plugin] });
  await t.kubectl(['run', 'p1', '--image=nginx:1.27']);
  await t.kubectl(['create', 'service', 'clusterip', 'web', '--tcp=80']);
});

afterAll(async () => {
  await t?.stop();
});

describe('extensions', () => {
  it('serves kubectl logs through a registered handler, also streaming', async () => {
    expect((await t.kubectl(['logs', 'p1'])).stdout).toBe('hello from p1 in default\n');
    expect((await t.kubectl(['logs', '-f', 'p1'])).stdout).toBe('line 1\nline 2\n');
  });

  it('serves the service proxy through a registered handler', async () => {
    const r = await t.kubectl(['get', '--raw', '/api/v1/namespaces/default/services/web:80/proxy/healthz']);
    expect(r.stdout).toBe('proxied web:80 /healthz');
  });

  it('lists an extra API group in discovery so kubectl top works', async () => {
    const r = await t.kubectl(['top', 'pods']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\np1\s+120m\s+30Mi/);
  });

  it('runs controllers that react to store events', async () => {
    await t.kubectl(['create', 'configmap', 'watched']);
    for (
      let i = 0;
      i < 100 && !t.cluster.store.get('configmaps', 'default', 'watched')?.metadata.labels?.seen;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(
      (await t.kubectl(['get', 'configmap', 'watched', '-o', 'jsonpath={.metadata.labels.seen}'])).stdout,
    ).toBe('yes');
  });
});
