// Deployments through the real kubectl: rollout status, wait, scale and spread, rolling update
// and undo, history, describe events, FailedScheduling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { deploymentYaml, eventually, namespaceYaml, ok, startWorkloadCluster } from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

describe('kubectl against workloads', () => {
  it('rollout status completes; wait Available returns, and times out for a broken image', async () => {
    await ok(tc, ['apply', '-f', '-'], namespaceYaml('r1') + deploymentYaml('r1', 'web'));
    expect(await ok(tc, ['-n', 'r1', 'rollout', 'status', 'deployment/web', '--timeout=60s'])).toContain(
      'deployment "web" successfully rolled out',
    );
    expect(
      await ok(tc, ['-n', 'r1', 'wait', '--for=condition=Available', 'deployment/web', '--timeout=30s']),
    ).toContain('deployment.apps/web condition met');
    const ready = await ok(tc, [
      '-n',
      'r1',
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.status.readyReplicas}/{.status.updatedReplicas}/{.status.availableReplicas}',
    ]);
    expect(ready).toBe('3/3/3');
    await ok(
      tc,
      ['apply', '-f', '-'],
      deploymentYaml('r1', 'broken', { image: 'nowhere-registry.example/app:9' }),
    );
    const r = await tc.kubectl([
      '-n',
      'r1',
      'wait',
      '--for=condition=Available',
      'deployment/broken',
      '--timeout=2s',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('timed out waiting for the condition');
  });

  it('scale 1 → 5 → 2 spreads pods over the workers, never the control plane', async () => {
    await ok(tc, ['apply', '-f', '-'], namespaceYaml('r2') + deploymentYaml('r2', 'web', { replicas: 1 }));
    await ok(tc, ['-n', 'r2', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    await ok(tc, ['-n', 'r2', 'scale', 'deployment/web', '--replicas=5']);
    await ok(tc, ['-n', 'r2', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const wide = await ok(tc, ['-n', 'r2', 'get', 'pods', '-o', 'wide']);
    const rows = wide.trim().split('\n').slice(1);
    expect(rows).toHaveLength(5);
    const nodes = rows.map((r) => r.split(/\s+/)[6]);
    expect(new Set(nodes)).toEqual(new Set(['k8s-learn-worker', 'k8s-learn-worker2']));
    for (const r of rows) expect(r).toMatch(/\s1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s/);
    await ok(tc, ['-n', 'r2', 'scale', 'deployment/web', '--replicas=2']);
    await eventually(
      tc,
      ['-n', 'r2', 'get', 'pods', '-o', 'name'],
      (x) => x.stdout.trim().split('\n').length === 2,
    );
    await ok(tc, [
      '-n',
      'r2',
      'wait',
      '--for=jsonpath={.status.availableReplicas}=2',
      'deployment/web',
      '--timeout=30s',
    ]);
  });

  it('rolling update of the image, history, undo, and describe shows ScalingReplicaSet events', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      namespaceYaml('r3') + deploymentYaml('r3', 'web', { image: 'nginx:1.27' }),
    );
    await ok(tc, ['-n', 'r3', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    await ok(tc, ['-n', 'r3', 'set', 'image', 'deployment/web', 'app=nginx:1.28']);
    await ok(tc, ['-n', 'r3', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const history = await ok(tc, ['-n', 'r3', 'rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    await ok(tc, ['-n', 'r3', 'rollout', 'undo', 'deployment/web']);
    await ok(tc, ['-n', 'r3', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const image = await ok(tc, [
      '-n',
      'r3',
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    ]);
    expect(image).toBe('nginx:1.27');
    await eventually(
      tc,
      ['-n', 'r3', 'get', 'pods', '-o', 'jsonpath={.items[*].spec.containers[0].image}'],
      (x) => x.stdout.trim() === 'nginx:1.27 nginx:1.27 nginx:1.27',
    );
    const describe = await ok(tc, ['-n', 'r3', 'describe', 'deployment', 'web']);
    expect(describe).toMatch(
      /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-[a-z0-9]+ from 0 to 3/,
    );
    expect(describe).toMatch(/Scaled down replica set web-[a-z0-9]+ from \d to \d/);
    expect(describe).toMatch(/NewReplicaSet:\s+web-[a-z0-9]+ \(3\/3 replicas created\)/);
    const restart = await ok(tc, ['-n', 'r3', 'rollout', 'restart', 'deployment/web']);
    expect(restart).toContain('deployment.apps/web restarted');
    await ok(tc, ['-n', 'r3', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
  });

  it('a CPU request no node can hold: Pending with FailedScheduling', async () => {
    const extra = '        resources:\n          requests: {cpu: "64"}\n';
    await ok(
      tc,
      ['apply', '-f', '-'],
      namespaceYaml('r4') + deploymentYaml('r4', 'huge', { replicas: 1, extra }),
    );
    const ev = await eventually(tc, ['-n', 'r4', 'get', 'events'], (x) =>
      x.stdout.includes('FailedScheduling'),
    );
    expect(ev.stdout).toContain(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.',
    );
    const pods = await ok(tc, ['-n', 'r4', 'get', 'pods']);
    expect(pods).toMatch(/huge-\S+\s+0\/1\s+Pending/);
  });
});
