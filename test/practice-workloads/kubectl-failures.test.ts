// The alerts lesson's failures through the real kubectl: ImagePullBackOff (loaded :latest and an
// unknown image) recovered by undo, CreateContainerConfigError recovered by the ConfigMap,
// CrashLoopBackOff from an invalid CIDR with growing restarts and `logs --previous`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { deploymentYaml, eventually, namespaceYaml, ok, startWorkloadCluster } from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

const reasons = (tc: TestCluster, ns: string) =>
  tc.kubectl([
    '-n',
    ns,
    'get',
    'pods',
    '-o',
    'jsonpath={range .items[*]}{.status.containerStatuses[0].state.waiting.reason}{"\\n"}{end}',
  ]);

describe('failures and recovery', () => {
  it('a Deployment created with a loaded :latest image pulls anyway (Always) and backs off', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      namespaceYaml('f0') + deploymentYaml('f0', 'web', { replicas: 1, image: 'k8s-core:latest' }),
    );
    const policy = await ok(tc, [
      '-n',
      'f0',
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].imagePullPolicy}',
    ]);
    expect(policy).toBe('Always');
    await eventually(tc, ['-n', 'f0', 'get', 'pods'], (x) => /\s0\/1\s+ImagePullBackOff\s/.test(x.stdout));
    const events = await ok(tc, ['-n', 'f0', 'get', 'events']);
    expect(events).toContain('Pulling image "k8s-core:latest"');
    expect(events).toContain('Failed to pull image "k8s-core:latest": rpc error:');
    expect(events).toMatch(/Warning\s+Failed\s+pod\/\S+\s+Error: ErrImagePull/);
    expect(events).toMatch(/Normal\s+BackOff\s+pod\/\S+\s+Back-off pulling image "k8s-core:latest"/);
    expect(events).toMatch(/Warning\s+Failed\s+pod\/\S+\s+Error: ImagePullBackOff/);
  });

  // Updating only the image keeps the pull policy defaulted at creation (as on a real cluster), so
  // the broken revision sets both, as a manifest written for `:latest` would.
  for (const [ns, image, policy] of [
    ['f1', 'k8s-core:latest', 'Always'],
    ['f2', 'no-such-image:1.0', 'IfNotPresent'],
  ] as const) {
    it(`ImagePullBackOff for ${image}, recovered by rollout undo`, async () => {
      await ok(tc, ['apply', '-f', '-'], namespaceYaml(ns) + deploymentYaml(ns, 'web', { replicas: 2 }));
      await ok(tc, ['-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s']);
      const patch = JSON.stringify({
        spec: { template: { spec: { containers: [{ name: 'app', image, imagePullPolicy: policy }] } } },
      });
      await ok(tc, ['-n', ns, 'patch', 'deployment/web', '-p', patch]);
      await eventually(tc, ['-n', ns, 'get', 'events'], (x) =>
        x.stdout.includes(`Back-off pulling image "${image}"`),
      );
      expect(await ok(tc, ['-n', ns, 'get', 'pods'])).toMatch(/ImagePullBackOff|ErrImagePull/);
      const status = await tc.kubectl(['-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=2s']);
      expect(status.code).not.toBe(0);
      await ok(tc, ['-n', ns, 'rollout', 'undo', 'deployment/web']);
      await ok(tc, ['-n', ns, 'rollout', 'status', 'deployment/web', '--timeout=60s']);
      await eventually(tc, ['-n', ns, 'get', 'pods'], (x) => !/ImagePullBackOff|ErrImagePull/.test(x.stdout));
    });
  }

  it('CreateContainerConfigError until the ConfigMap appears', async () => {
    const extra =
      '        env:\n        - name: NETWORK\n          valueFrom: {configMapKeyRef: {name: casc-network-config, key: cidr}}\n';
    await ok(
      tc,
      ['apply', '-f', '-'],
      namespaceYaml('f3') + deploymentYaml('f3', 'web', { replicas: 1, extra }),
    );
    await eventually(tc, ['-n', 'f3', 'get', 'pods'], (x) => x.stdout.includes('CreateContainerConfigError'));
    const events = await ok(tc, ['-n', 'f3', 'get', 'events']);
    expect(events).toContain('Error: configmap "casc-network-config" not found');
    await ok(tc, [
      '-n',
      'f3',
      'create',
      'configmap',
      'casc-network-config',
      '--from-literal=cidr=10.0.0.0/8',
    ]);
    await ok(tc, ['-n', 'f3', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
  });

  it('CrashLoopBackOff from an invalid CIDR: restarts grow, logs --previous shows why', async () => {
    const cm =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: net, namespace: f4}\ndata:\n  network.yaml: "cidr: 20.0.0.0/4"\n---\n';
    const extra = '        volumeMounts:\n        - {name: config, mountPath: /etc/casc}\n';
    const podExtra = '      volumes:\n      - name: config\n        configMap: {name: net}\n';
    await ok(
      tc,
      ['apply', '-f', '-'],
      namespaceYaml('f4') + cm + deploymentYaml('f4', 'web', { replicas: 1, extra, podExtra }),
    );
    const first = await eventually(
      tc,
      ['-n', 'f4', 'get', 'pods', '-o', 'jsonpath={.items[0].status.containerStatuses[0].restartCount}'],
      (x) => Number(x.stdout) >= 2,
    );
    await eventually(
      tc,
      ['-n', 'f4', 'get', 'pods', '-o', 'jsonpath={.items[0].status.containerStatuses[0].restartCount}'],
      (x) => Number(x.stdout) > Number(first.stdout),
    );
    await eventually(tc, ['-n', 'f4', 'get', 'pods'], (x) => x.stdout.includes('CrashLoopBackOff'));
    const pod = (await ok(tc, ['-n', 'f4', 'get', 'pods', '-o', 'name'])).trim();
    const previous = await ok(tc, ['-n', 'f4', 'logs', pod, '--previous']);
    expect(previous).toContain(
      'config error: 20.0.0.0/4 in /etc/casc/network.yaml: host bits set (the /4 network is 16.0.0.0/4)',
    );
    const last = await ok(tc, [
      '-n',
      'f4',
      'get',
      pod,
      '-o',
      'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}',
    ]);
    expect(last).toBe('1');
    const r = await reasons(tc, 'f4');
    expect(r.stdout).toMatch(/CrashLoopBackOff|^$/m);
  });
});
