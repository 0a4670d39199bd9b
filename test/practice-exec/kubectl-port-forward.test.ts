// kubectl port-forward to a pod, a Service and a Deployment: a local port whose HTTP answers
// come from the simulated app (kubectl 1.33 tunnels SPDY in a websocket; 1.27 speaks SPDY).
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { deploymentYaml, ok, serviceYaml, startWorkloadCluster } from '../practice-workloads/e2e.js';
import { background, bundledKubectl } from './helpers.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
  await ok(tc, ['create', 'namespace', 'pf']);
  await ok(
    tc,
    ['apply', '-f', '-'],
    `${serviceYaml('pf', 'web')}---\n${deploymentYaml('pf', 'web', { replicas: 2 })}`,
  );
  await ok(tc, ['-n', 'pf', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
});
afterAll(async () => tc?.stop());

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('kubectl port-forward', () => {
  for (const target of ['svc/web', 'deploy/web', 'pod']) {
    it(`forwards a local port to ${target}; curl localhost gets the app`, async () => {
      const pod = (
        await ok(tc, ['-n', 'pf', 'get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}'])
      ).trim();
      const ref = target === 'pod' ? `pod/${pod}` : target;
      const remote = target === 'svc/web' ? '80' : '8080';
      const port = await freePort();
      // -v=6 shows which transport kubectl ≥ 1.31 negotiated (the websocket tunnel, no fallback).
      const pf = background(tc, ['-n', 'pf', 'port-forward', ref, `${port}:${remote}`, '-v=6']);
      try {
        await pf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${port} -> 8080`));
        const first = await httpGet(port, '/hello');
        expect(first.status).toBe(200);
        const body = JSON.parse(first.body) as { pod: string; namespace: string; path: string };
        expect(body.namespace).toBe('pf');
        expect(body.path).toBe('/hello');
        if (target === 'pod') expect(body.pod).toBe(pod);
        expect((await httpGet(port, '/healthz')).body).toBe('ok\n');
        await pf.waitFor(/Handling connection for \d+/);
        expect(pf.output()).toContain('negotiated protocol: portforward.k8s.io');
        expect(pf.output()).not.toContain('fallback to secondary dialer');
      } finally {
        pf.stop();
      }
    });
  }

  it("a port nothing listens on gives kubelet's error", async () => {
    const pod = (
      await ok(tc, ['-n', 'pf', 'get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}'])
    ).trim();
    const port = await freePort();
    const pf = background(tc, ['-n', 'pf', 'port-forward', `pod/${pod}`, `${port}:9999`]);
    try {
      await pf.waitFor(/Forwarding from 127/);
      await httpGet(port, '/').catch(() => undefined);
      await pf.waitFor(
        /an error occurred forwarding \d+ -> 9999: error forwarding port 9999 to pod .*connect: connection refused/,
      );
    } finally {
      pf.stop();
    }
  });

  it('kubectl 1.27 forwards over SPDY', async () => {
    const bin = bundledKubectl(27);
    if (!existsSync(bin)) return;
    const port = await freePort();
    const pf = background(tc, ['-n', 'pf', 'port-forward', 'svc/web', `${port}:80`], bin);
    try {
      await pf.waitFor(/Forwarding from 127\.0\.0\.1/);
      const r = await httpGet(port, '/v127');
      expect(JSON.parse(r.body).path).toBe('/v127');
    } finally {
      pf.stop();
    }
  });
});
