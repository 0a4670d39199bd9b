// `kubectl debug` with ephemeral containers, with the real kubectl: it patches
// pods/<name>/ephemeralcontainers, the simulated kubelet pulls and starts the container (never
// restarted, reported in ephemeralContainerStatuses), and `-it` attaches to its shell; with
// --target the shell sees the target container's processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { eventually, ok, startWorkloadCluster } from '../practice-workloads/e2e.js';
import { hasScript, inTerminal } from './helpers.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
  await ok(tc, ['run', 'web', '--image=nginx:1.27', '--port=80']);
  await ok(tc, ['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
});
afterAll(async () => tc?.stop());

describe('kubectl debug (ephemeral containers)', () => {
  it('adds an ephemeral container through the ephemeralcontainers subresource; it runs and logs', async () => {
    const r = await tc.kubectl([
      'debug',
      'web',
      '--profile=general',
      '--image=busybox:1.36',
      '-c',
      'probe',
      '--',
      'sh',
      '-c',
      'echo hello from $HOSTNAME',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await eventually(
      tc,
      ['get', 'pod', 'web', '-o', 'jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.reason}'],
      (x) => x.stdout === 'Completed',
    );
    expect(await ok(tc, ['logs', 'web', '-c', 'probe'])).toBe('hello from web\n');
    const spec = JSON.parse(
      await ok(tc, ['get', 'pod', 'web', '-o', 'jsonpath={.spec.ephemeralContainers[0]}']),
    );
    expect(spec).toMatchObject({
      name: 'probe',
      image: 'busybox:1.36',
      command: ['sh', '-c', 'echo hello from $HOSTNAME'],
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePolicy: 'File',
    });
    // The pod stays Ready: an ephemeral container is not one of its containers.
    expect(await ok(tc, ['get', 'pod', 'web', '-o', 'jsonpath={.status.containerStatuses[*].name}'])).toBe(
      'web',
    );
    expect(await ok(tc, ['get', 'pod', 'web', '-o', 'jsonpath={.status.phase}'])).toBe('Running');
  });

  it('refuses to change or reuse an ephemeral container, as the API server does', async () => {
    const r = await tc.kubectl(['debug', 'web', '--image=busybox:1.36', '-c', 'web']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('spec.ephemeralContainers[1].name: Duplicate value: "web"');
    const ports = await tc.kubectl([
      'patch',
      'pod',
      'web',
      '--subresource=ephemeralcontainers',
      '--type=strategic',
      '-p',
      '{"spec":{"ephemeralContainers":[{"name":"p2","image":"busybox:1.36","ports":[{"containerPort":80}]}]}}',
    ]);
    expect(ports.stderr).toContain(
      'spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an Ephemeral Container',
    );
  });

  it.skipIf(!hasScript)('-it --target attaches to a shell that sees the target’s processes', async () => {
    const { screen } = await inTerminal(
      tc,
      ['debug', '-it', 'web', '--image=busybox:1.36', '--target=web', '-c', 'shell'],
      ['ps', 'hostname', 'exit'],
    );
    expect(screen).toContain('Targeting container "web". If you don\'t see processes from this container');
    expect(screen).toMatch(/PID\s+USER\s+TIME\s+COMMAND/);
    expect(screen).toMatch(/\n\s*1 root\s+0:00 .*nginx/);
    expect(screen).toMatch(/web\r?\n/);
    await eventually(
      tc,
      ['get', 'pod', 'web', '-o', 'jsonpath={.status.ephemeralContainerStatuses[?(@.name=="shell")].state}'],
      (x) => x.stdout.includes('terminated'),
    );
  });

  it('--copy-to makes a copy of the pod with the debug container beside the others', async () => {
    const r = await tc.kubectl([
      'debug',
      'web',
      '--profile=general',
      '--image=busybox:1.36',
      '--copy-to=web-copy',
      '-c',
      'dbg',
      '--',
      'sh',
      '-c',
      'hostname; sleep 3600',
    ]);
    expect(r.code).toBe(0);
    await ok(tc, ['wait', '--for=condition=Ready', 'pod/web-copy', '--timeout=60s']);
    expect(await ok(tc, ['get', 'pod', 'web-copy', '-o', 'jsonpath={.spec.containers[*].name}'])).toBe(
      'web dbg',
    );
    expect(await ok(tc, ['logs', 'web-copy', '-c', 'dbg'])).toBe('web-copy\n');
  });

  it('debug node/NAME runs a hostNetwork pod on that node with the node at /host', async () => {
    const r = await tc.kubectl([
      'debug',
      'node/k8s-learn-worker',
      '--profile=general',
      '--image=busybox:1.36',
      '--',
      'sh',
      '-c',
      'cat /host/etc/hostname; grep PRETTY /host/etc/os-release',
    ]);
    expect(r.code).toBe(0);
    const pod =
      /Creating debugging pod (node-debugger-k8s-learn-worker-\w+) with container debugger on node k8s-learn-worker\./.exec(
        r.stdout + r.stderr,
      )?.[1];
    expect(pod).toBeDefined();
    await eventually(
      tc,
      ['get', 'pod', pod!, '-o', 'jsonpath={.status.phase}'],
      (x) => x.stdout === 'Succeeded',
    );
    expect(await ok(tc, ['logs', pod!])).toBe(
      'k8s-learn-worker\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    );
    const ips = await ok(tc, ['get', 'pod', pod!, '-o', 'jsonpath={.status.podIP} {.status.hostIP}']);
    const [podIP, hostIP] = ips.split(' ');
    expect(podIP).toBe(hostIP);
  });
});
