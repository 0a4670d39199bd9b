// `kubectl rollout restart` after a ConfigMap turned bad: with 2 replicas the default strategy
// allows 0 unavailable (25 % rounds down), so the old pods stay Ready while the new one crashes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { deploymentYaml, eventually, namespaceYaml, ok, startWorkloadCluster } from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

describe('rollout restart with a bad ConfigMap', () => {
  it('keeps the old pods ready under maxUnavailable 0', async () => {
    const cm = (cidr: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: rr\ndata:\n  ALLOWED: "${cidr}"\n---\n`;
    await ok(
      tc,
      ['apply', '-f', '-'],
      `${namespaceYaml('rr')}${cm('10.0.0.0/8')}${deploymentYaml('rr', 'web', {
        replicas: 2,
        extra: '        envFrom:\n        - configMapRef: {name: cfg}\n',
      })}`,
    );
    await ok(tc, ['-n', 'rr', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const before = (
      await ok(tc, ['-n', 'rr', 'get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'])
    ).split(' ');
    await ok(tc, ['apply', '-f', '-'], cm('20.0.0.0/4'));
    await ok(tc, ['-n', 'rr', 'rollout', 'restart', 'deployment/web']);
    await eventually(tc, ['-n', 'rr', 'get', 'pods'], (r) => /CrashLoopBackOff|Error/.test(r.stdout));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pods = await ok(tc, ['-n', 'rr', 'get', 'pods', '-o', 'json']);
    const items = JSON.parse(pods).items as {
      metadata: { name: string };
      status: { conditions?: { type: string; status: string }[] };
    }[];
    const ready = items.filter((p) =>
      p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(ready.map((p) => p.metadata.name).sort()).toEqual([...before].sort());
    expect(await ok(tc, ['-n', 'rr', 'get', 'deploy', 'web'])).toMatch(/web\s+2\/2\s+1\s+2\s+/);
  });
});
