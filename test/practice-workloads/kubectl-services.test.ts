// Services, the API server proxy, logs, top and the HPA through the real kubectl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const CPU = '        resources:\n          requests: {cpu: 100m}\n';

describe('services, proxy, logs, top, HPA', () => {
  it('EndpointSlice follows pods and the service proxy reaches all 3 replicas', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `${namespaceYaml('s1')}${serviceYaml('s1', 'web')}---\n${deploymentYaml('s1', 'web', { replicas: 1 })}`,
    );
    await ok(tc, ['-n', 's1', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const count = (out: string) => (out.match(/10\.244\.\d+\.\d+/g) ?? []).length;
    await eventually(
      tc,
      [
        '-n',
        's1',
        'get',
        'endpointslices',
        '-l',
        'kubernetes.io/service-name=web',
        '-o',
        'jsonpath={.items[*].endpoints[*].addresses[*]}',
      ],
      (x) => count(x.stdout) === 1,
    );
    await ok(tc, ['-n', 's1', 'scale', 'deployment/web', '--replicas=3']);
    await ok(tc, ['-n', 's1', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    await eventually(
      tc,
      [
        '-n',
        's1',
        'get',
        'endpointslices',
        '-l',
        'kubernetes.io/service-name=web',
        '-o',
        'jsonpath={.items[*].endpoints[?(@.conditions.ready==true)].addresses[*]}',
      ],
      (x) => count(x.stdout) === 3,
    );
    const pods = new Set(
      (await ok(tc, ['-n', 's1', 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' '),
    );
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const body = JSON.parse(
        await ok(tc, ['get', '--raw', '/api/v1/namespaces/s1/services/web:http/proxy/']),
      );
      expect(body.path).toBe('/');
      seen.add(body.pod);
    }
    expect(seen).toEqual(pods);
    const logs = await ok(tc, ['-n', 's1', 'logs', [...seen][0] as string, '--tail=1']);
    expect(logs).toMatch(/^GET \/ 200/);
  });

  it('no ready endpoint: the proxy answers 503 with the real message', async () => {
    await ok(tc, ['apply', '-f', '-'], `${namespaceYaml('s2')}${serviceYaml('s2', 'nobody')}`);
    const r = await tc.kubectl(['get', '--raw', '/api/v1/namespaces/s2/services/nobody:http/proxy/']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no endpoints available for service \\"nobody\\"'.replace(/\\/g, ''));
  });

  it('kubectl top pods and nodes', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `${namespaceYaml('s3')}${deploymentYaml('s3', 'web', { replicas: 2, extra: CPU })}`,
    );
    await ok(tc, ['-n', 's3', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const top = await eventually(
      tc,
      ['-n', 's3', 'top', 'pods'],
      (x) => x.code === 0 && x.stdout.trim().split('\n').length === 3,
    );
    expect(top.stdout).toMatch(/NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    expect(top.stdout).toMatch(/web-\S+\s+\d+m\s+\d+Mi/);
    const nodes = await ok(tc, ['top', 'nodes']);
    expect(nodes).toContain('k8s-learn-worker2');
  });

  it('HPA scales 1 → more under load through the Service proxy, then back after the window', async () => {
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: s4}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 30}
`;
    await ok(
      tc,
      ['apply', '-f', '-'],
      `${namespaceYaml('s4')}${serviceYaml('s4', 'web')}---\n${deploymentYaml('s4', 'web', { replicas: 1, extra: CPU })}---\n${hpa}`,
    );
    await ok(tc, ['-n', 's4', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    let loading = true;
    const load = (async () => {
      while (loading) {
        await apiGet(tc, '/api/v1/namespaces/s4/services/web:http/proxy/burn?ms=200');
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      await eventually(
        tc,
        ['-n', 's4', 'get', 'hpa', 'web', '-o', 'jsonpath={.status.desiredReplicas}'],
        (x) => Number(x.stdout) > 1,
        60_000,
      );
    } finally {
      loading = false;
      await load;
    }
    const describe = await ok(tc, ['-n', 's4', 'describe', 'hpa', 'web']);
    expect(describe).toMatch(
      /SuccessfulRescale\s+.*New size: \d; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    await eventually(
      tc,
      ['-n', 's4', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'],
      (x) => x.stdout === '1',
      60_000,
    );
    const events = await ok(tc, ['-n', 's4', 'get', 'events']);
    expect(events).toContain('New size: 1; reason: All metrics below target');
  }, 120_000);
});
