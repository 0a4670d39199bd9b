// More workload behaviour through the real kubectl: the progress deadline, readiness failures
// leaving the endpoints, logs (-f, --timestamps, --tail), and `practice load-image`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage } from '../../src/commands/practice-load-image.js';
import type { TestCluster } from '../helpers/practice.js';
import {
  apiGet,
  deploymentYaml,
  eventually,
  namespaceYaml,
  ok,
  serviceYaml,
  startWorkloadCluster,
} from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

describe('progress, readiness, logs, load-image', () => {
  it('rollout status reports an exceeded progress deadline', async () => {
    const yaml = deploymentYaml('m1', 'stuck', { replicas: 1, image: 'ghost:1.0' }).replace(
      '  replicas: 1\n',
      '  replicas: 1\n  progressDeadlineSeconds: 10\n',
    );
    await ok(tc, ['apply', '-f', '-'], namespaceYaml('m1') + yaml);
    const r = await tc.kubectl(['-n', 'm1', 'rollout', 'status', 'deployment/stuck', '--timeout=30s']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: deployment "stuck" exceeded its progress deadline');
    const reason = await ok(tc, [
      '-n',
      'm1',
      'get',
      'deploy',
      'stuck',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}',
    ]);
    expect(reason).toBe('ProgressDeadlineExceeded');
  });

  it('a failing readiness probe: Unhealthy events, 0/1 READY, no ready endpoint', async () => {
    const extra =
      '        readinessProbe:\n          httpGet: {path: /healthz, port: 9090}\n          periodSeconds: 2\n';
    await ok(
      tc,
      ['apply', '-f', '-'],
      `${namespaceYaml('m2')}${serviceYaml('m2', 'web')}---\n${deploymentYaml('m2', 'web', { replicas: 1, extra })}`,
    );
    await eventually(tc, ['-n', 'm2', 'get', 'events'], (x) =>
      /Warning\s+Unhealthy\s+pod\/web-\S+\s+Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:9090\/healthz": dial tcp 10\.244\.\d+\.\d+:9090: connect: connection refused/.test(
        x.stdout,
      ),
    );
    expect(await ok(tc, ['-n', 'm2', 'get', 'pods'])).toMatch(/web-\S+\s+0\/1\s+Running/);
    const ready = await ok(tc, [
      '-n',
      'm2',
      'get',
      'endpointslices',
      '-l',
      'kubernetes.io/service-name=web',
      '-o',
      'jsonpath={.items[0].endpoints[0].conditions.ready}',
    ]);
    expect(ready).toBe('false');
    expect(await apiGet(tc, '/api/v1/namespaces/m2/services/web:http/proxy/')).toBe(503);
  });

  it('logs: --timestamps, --tail, and -f streams requests until the pod goes', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `${namespaceYaml('m3')}${serviceYaml('m3', 'web')}---\n${deploymentYaml('m3', 'web', { replicas: 1 })}`,
    );
    await ok(tc, ['-n', 'm3', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    await eventually(
      tc,
      ['get', '--raw', '/api/v1/namespaces/m3/services/web:http/proxy/first'],
      (x) => x.code === 0,
    );
    const stamped = await ok(tc, ['-n', 'm3', 'logs', 'deploy/web', '--timestamps', '--tail=1']);
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z GET \/first 200/);
    const pod = (await ok(tc, ['-n', 'm3', 'get', 'pods', '-o', 'name'])).trim();
    const follow = tc.kubectl(['-n', 'm3', 'logs', '-f', pod], { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 500));
    await ok(tc, ['get', '--raw', '/api/v1/namespaces/m3/services/web:http/proxy/second']);
    await new Promise((r) => setTimeout(r, 300));
    await ok(tc, ['-n', 'm3', 'delete', pod, '--wait=false']);
    const out = await follow;
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('starter app: pod');
    expect(out.stdout).toMatch(/GET \/second 200/);
  });

  it('deleting a pod is graceful: Killing, Terminating, then gone; the ReplicaSet replaces it', async () => {
    const yaml = deploymentYaml('m5', 'sleeper', {
      replicas: 1,
      image: 'busybox:1.36',
      extra: '        command: ["sh", "-c", "sleep 3600"]\n',
      podExtra: '      terminationGracePeriodSeconds: 150\n',
    });
    await ok(tc, ['apply', '-f', '-'], namespaceYaml('m5') + yaml);
    await ok(tc, ['-n', 'm5', 'rollout', 'status', 'deployment/sleeper', '--timeout=60s']);
    const pod = (await ok(tc, ['-n', 'm5', 'get', 'pods', '-o', 'name'])).trim();
    // busybox's shell ignores SIGTERM: the pod stays Terminating for its grace period (150 s × 0.02).
    await ok(tc, ['-n', 'm5', 'delete', pod, '--wait=false']);
    const during = await ok(tc, ['-n', 'm5', 'get', 'pods']);
    expect(during).toMatch(new RegExp(`${pod.replace('pod/', '')}\\s+1/1\\s+Terminating`));
    await ok(tc, ['-n', 'm5', 'wait', '--for=delete', pod, '--timeout=30s']);
    const events = await ok(tc, ['-n', 'm5', 'get', 'events']);
    expect(events).toMatch(/Normal\s+Killing\s+pod\/sleeper-\S+\s+Stopping container app/);
    await ok(tc, ['-n', 'm5', 'wait', '--for=condition=Available', 'deployment/sleeper', '--timeout=30s']);
    expect((await ok(tc, ['-n', 'm5', 'get', 'pods', '-o', 'name'])).trim()).not.toBe(pod);
  });

  it('practice load-image loads an image on every node, like kind load', async () => {
    const lines: string[] = [];
    const opts = { print: (l: string) => lines.push(l), lang: 'en' };
    const target = { url: tc.cluster.url, kubeconfigPath: tc.cluster.kubeconfigPath };
    expect(await loadImage(target, 'my-app:2.0', opts)).toBe(0);
    expect(lines.filter((l) => l.includes('not yet present on node'))).toHaveLength(3);
    lines.length = 0;
    expect(await loadImage(target, 'my-app:2.0', opts)).toBe(0);
    expect(lines[0]).toMatch(
      /^Image: "my-app:2.0" with ID "sha256:[0-9a-f]{64}" found to be already present on all nodes\.$/,
    );
    const names = await ok(tc, [
      'get',
      'node',
      'k8s-learn-worker',
      '-o',
      'jsonpath={.status.images[*].names[0]}',
    ]);
    expect(names).toContain('docker.io/library/my-app:2.0');
    await ok(
      tc,
      ['apply', '-f', '-'],
      namespaceYaml('m4') + deploymentYaml('m4', 'mine', { replicas: 1, image: 'my-app:2.0' }),
    );
    await ok(tc, ['-n', 'm4', 'rollout', 'status', 'deployment/mine', '--timeout=60s']);
    await expect(loadImage(target, 'Bad:Name', opts)).rejects.toThrow('is not a valid image reference');
    lines.length = 0;
    await loadImage(target, 'my-app', opts);
    expect(lines[0]).toContain('imagePullPolicy Always');
  });
});
