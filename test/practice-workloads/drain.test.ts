// PodDisruptionBudgets and `kubectl drain`, which evicts (pods/eviction) and retries while a
// budget forbids it, as on a real cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { deploymentYaml, eventually, namespaceYaml, ok, startWorkloadCluster } from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

describe('disruption budgets and drain', () => {
  it('keeps PDB status, refuses an eviction that breaks it, and drain evicts the rest', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `${namespaceYaml('d1')}${deploymentYaml('d1', 'web', { replicas: 2 })}`,
    );
    await ok(tc, ['-n', 'd1', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    await ok(tc, ['-n', 'd1', 'create', 'pdb', 'web', '--selector=app=web', '--min-available=2']);
    await eventually(tc, ['-n', 'd1', 'get', 'pdb', 'web'], (r) =>
      /web\s+2\s+N\/A\s+0\s+\d+s/.test(r.stdout),
    );
    const pods = (
      await ok(tc, ['-n', 'd1', 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'])
    ).split(' ');
    const eviction = JSON.stringify({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: pods[0], namespace: 'd1' },
    });
    const refused = await tc.kubectl(
      ['create', '--raw', `/api/v1/namespaces/d1/pods/${pods[0]}/eviction`, '-f', '-'],
      {
        input: eviction,
      },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    // Loosen the budget: drain then evicts the pods on the node (Eviction, not DELETE).
    await ok(tc, ['-n', 'd1', 'patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
    const node = await ok(tc, ['-n', 'd1', 'get', 'pod', pods[0]!, '-o', 'jsonpath={.spec.nodeName}']);
    await eventually(
      tc,
      ['-n', 'd1', 'get', 'pdb', 'web', '-o', 'jsonpath={.status.disruptionsAllowed}'],
      (r) => r.stdout === '1',
    );
    const drain = await tc.kubectl(['drain', node, '--ignore-daemonsets', '--timeout=60s'], {
      timeoutMs: 90_000,
    });
    // As on kind: the node's kube-proxy and kindnet pods stay (kubectl names them on stderr).
    expect(drain.stderr).toMatch(
      /^Warning: ignoring DaemonSet-managed Pods: kube-system\/kindnet-[a-z0-9]{5}, kube-system\/kube-proxy-[a-z0-9]{5}\n$/,
    );
    expect(drain.stdout).toContain(`node/${node} cordoned`);
    expect(drain.stdout).toMatch(/evicting pod d1\/web-/);
    expect(drain.stdout).toMatch(/pod\/web-[a-z0-9-]+ evicted/);
    expect(drain.stdout).toContain(`node/${node} drained`);
    expect(await ok(tc, ['get', 'node', node])).toMatch(/Ready,SchedulingDisabled/);
    await ok(tc, ['uncordon', node]);
  });
});
