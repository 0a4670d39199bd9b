// kubectl exec, attach, run -it, cp and the busybox shell against the practice cluster, with the
// real kubectl (1.33 over websocket) and the bundled 1.27 (SPDY).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { eventually, ok, startWorkloadCluster } from '../practice-workloads/e2e.js';
import { bundledKubectl, hasScript, inTerminal, runWith } from './helpers.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
  await ok(
    tc,
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {GREETING: hallo, settings.yaml: "level: debug\\n"}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  containers:
  - name: box
    image: busybox:1.36
    command: [sleep, "3600"]
    envFrom: [{configMapRef: {name: app-config}}]
    env: [{name: MODE, value: practice}]
    volumeMounts: [{name: cfg, mountPath: /etc/app}]
  volumes: [{name: cfg, configMap: {name: app-config}}]
`,
  );
  await ok(tc, ['rollout', 'status', 'deployment/web', '--timeout=60s']);
  await ok(tc, ['wait', '--for=condition=Ready', 'pod/box', '--timeout=60s']);
});
afterAll(async () => tc?.stop());

describe('kubectl exec', () => {
  it('runs a command: env has the pod env, envFrom and the Service links', async () => {
    const env = await ok(tc, ['exec', 'box', '--', 'env']);
    expect(env).toMatch(/^PATH=/);
    expect(env).toContain('HOSTNAME=box\n');
    expect(env).toContain('MODE=practice\n');
    expect(env).toContain('GREETING=hallo\n');
    expect(env).toMatch(/WEB_SERVICE_HOST=10\.\d+\.\d+\.\d+\n/);
    expect(env).toContain('WEB_SERVICE_PORT_HTTP=80\n');
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
  });

  it('shows mounted ConfigMap files, /etc/hostname, resolv.conf and the service account', async () => {
    expect(await ok(tc, ['exec', 'box', '--', 'cat', '/etc/app/settings.yaml'])).toBe('level: debug\n');
    expect(await ok(tc, ['exec', 'box', '--', 'ls', '/etc/app'])).toBe('GREETING\nsettings.yaml\n');
    expect(await ok(tc, ['exec', 'box', '--', 'cat', '/etc/hostname'])).toBe('box\n');
    expect(await ok(tc, ['exec', 'box', '--', 'cat', '/etc/resolv.conf'])).toContain(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10',
    );
    expect(
      await ok(tc, ['exec', 'box', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace']),
    ).toBe('default');
    const ro = await tc.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo x > /etc/app/new']);
    expect(ro.stderr).toContain("sh: can't create /etc/app/new: Read-only file system");
  });

  it('honours a ServiceAccount without token automount (the pod may opt back in) and a read-only root filesystem', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: locked}
spec:
  serviceAccountName: quiet
  containers:
  - name: box
    image: busybox:1.36
    command: [sleep, "3600"]
    securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
---
apiVersion: v1
kind: Pod
metadata: {name: opted-in}
spec:
  serviceAccountName: quiet
  automountServiceAccountToken: true
  containers: [{name: box, image: "busybox:1.36", command: [sleep, "3600"]}]
`,
    );
    await ok(tc, ['wait', '--for=condition=Ready', 'pod/locked', 'pod/opted-in', '--timeout=60s']);
    const token = await tc.kubectl([
      'exec',
      'locked',
      '--',
      'ls',
      '/var/run/secrets/kubernetes.io/serviceaccount',
    ]);
    expect(token.code).toBe(1);
    expect(token.stderr).toContain('No such file or directory');
    expect(
      await ok(tc, ['exec', 'opted-in', '--', 'ls', '/var/run/secrets/kubernetes.io/serviceaccount']),
    ).toBe('ca.crt\nnamespace\ntoken\n');
    const write = await tc.kubectl(['exec', 'locked', '--', 'touch', '/tmp/x']);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('Read-only file system');
    // The runtime's /dev stays writable: redirections to /dev/null still work.
    expect(await ok(tc, ['exec', 'locked', '--', 'sh', '-c', 'echo x > /dev/null && echo fine'])).toBe(
      'fine\n',
    );
    expect(await ok(tc, ['exec', 'opted-in', '--', 'sh', '-c', 'touch /tmp/x && echo written'])).toBe(
      'written\n',
    );
  });

  it('passes the exit code and says what a missing binary is, as containerd does', async () => {
    const failed = await tc.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(failed.code).toBe(3);
    expect(failed.stdout).toBe('out\n');
    expect(failed.stderr).toContain('err\n');
    expect(failed.stderr).toContain('command terminated with exit code 3');
    const bash = await tc.kubectl(['exec', 'box', '--', 'bash']);
    expect(bash.code).toBe(1);
    expect(bash.stderr).toContain(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown',
    );
    const ps = await tc.kubectl(['exec', 'deploy/web', '--', 'ps']);
    expect(ps.stderr).toContain('exec: "ps": executable file not found in $PATH');
  });

  it('reaches Services by name, namespace and FQDN through kube-proxy; DNS answers nslookup', async () => {
    for (const host of ['web', 'web.default', 'web.default.svc.cluster.local']) {
      expect(await ok(tc, ['exec', 'box', '--', 'wget', '-qO-', `http://${host}/`])).toContain(
        'Welcome to nginx!',
      );
    }
    const ns = await ok(tc, ['exec', 'box', '--', 'nslookup', 'web']);
    expect(ns).toMatch(/Name:\tweb\.default\.svc\.cluster\.local\nAddress: 10\.\d+\.\d+\.\d+/);
    const missing = await tc.kubectl(['exec', 'box', '--', 'nslookup', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("** server can't find nope.default.svc.cluster.local: NXDOMAIN");
    const bad = await tc.kubectl(['exec', 'box', '--', 'wget', '-qO-', 'http://nope/']);
    expect(bad.stderr).toContain("wget: bad address 'nope'");
    const notFound = await tc.kubectl(['exec', 'box', '--', 'wget', '-qO-', 'http://web/missing']);
    expect(notFound.stderr).toContain('wget: server returned error: HTTP/1.1 404 Not Found');
    // nginx's image ships curl; a pod IP works too.
    const ip = await ok(tc, ['get', 'pod', 'box', '-o', 'jsonpath={.status.podIP}']);
    expect(ip).toMatch(/^10\.244\./);
    expect(await ok(tc, ['exec', 'deploy/web', '--', 'curl', '-s', 'web'])).toContain('Welcome to nginx!');
  });

  it('reads stdin (-i) line by line into sh', async () => {
    const r = await tc.kubectl(['exec', '-i', 'box', '--', 'sh'], {
      input: 'echo from-stdin\nhostname\nexit 4\n',
    });
    expect(r.stdout).toBe('from-stdin\nbox\n');
    expect(r.code).toBe(4);
  });

  it.skipIf(!hasScript)('runs an interactive shell with -ti (prompt, echo, exit code)', async () => {
    const { code, screen } = await inTerminal(
      tc,
      ['exec', '-ti', 'box', '--', 'sh'],
      ['echo hello $HOSTNAME', 'cd /etc/app && cat GREETING', 'exit 5'],
    );
    expect(screen).toContain('/ # ');
    expect(screen).toContain('hello box');
    expect(screen).toContain('/etc/app # ');
    expect(screen).toContain('hallo');
    expect(code).toBe(5);
  });

  it('kubectl 1.27 execs over SPDY', async () => {
    const bin = bundledKubectl(27);
    if (!existsSync(bin)) return;
    const r = await runWith(tc, bin, ['exec', 'box', '--', 'sh', '-c', 'hostname; exit 2']);
    expect(r.stdout).toBe('box\n');
    expect(r.code).toBe(2);
    const i = await runWith(tc, bin, ['exec', '-i', 'box', '--', 'cat'], 'piped\n');
    expect(i.stdout).toBe('piped\n');
  });
});

describe('kubectl cp, run -it --rm, logs of a busybox loop', () => {
  it('cp copies a file into and out of a container', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-cp-'));
    writeFileSync(join(dir, 'notes.txt'), 'copied in\n');
    await ok(tc, ['cp', join(dir, 'notes.txt'), 'box:/tmp/notes.txt']);
    expect(await ok(tc, ['exec', 'box', '--', 'cat', '/tmp/notes.txt'])).toBe('copied in\n');
    await ok(tc, ['cp', 'box:/etc/app/settings.yaml', join(dir, 'out.yaml')]);
    expect(readFileSync(join(dir, 'out.yaml'), 'utf8')).toBe('level: debug\n');
  });

  it('the docs counter pod logs its loop', async () => {
    await ok(tc, [
      'run',
      'counter',
      '--image=busybox:1.36',
      '--',
      '/bin/sh',
      '-c',
      'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done',
    ]);
    const r = await eventually(tc, ['logs', 'counter'], (x) => /^2: \w{3} \w{3} /m.test(x.stdout));
    expect(r.stdout).toMatch(/^0: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n1: /);
  });

  it('a busybox command that exits is a crash loop, with its output in the logs', async () => {
    await ok(tc, ['run', 'quits', '--image=busybox:1.36', '--', 'sh', '-c', 'echo bye; exit 3']);
    await eventually(
      tc,
      ['get', 'pod', 'quits', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}'],
      (x) => x.stdout === '3',
    );
    expect(await ok(tc, ['logs', 'quits', '--previous'])).toBe('bye\n');
  });

  it.skipIf(!hasScript)('run -it --rm gives a shell in a new pod, then deletes it', async () => {
    const { code, screen } = await inTerminal(
      tc,
      ['run', '-it', '--rm', 'tmp-shell', '--image=busybox:1.36', '--restart=Never', '--', 'sh'],
      ['wget -qO- web | grep title', 'exit'],
    );
    expect(screen).toContain('<title>Welcome to nginx!</title>');
    expect(screen).toContain('pod "tmp-shell" deleted');
    expect(code).toBe(0);
    await eventually(tc, ['get', 'pod', 'tmp-shell'], (x) => x.code !== 0);
  });

  it('curlimages/curl runs curl with the arguments (its entrypoint), or sh when asked', async () => {
    await ok(tc, [
      'run',
      'fetch',
      '--image=curlimages/curl:8.11.1',
      '--restart=Never',
      '--',
      '-s',
      'http://web/',
    ]);
    await eventually(
      tc,
      ['get', 'pod', 'fetch', '-o', 'jsonpath={.status.phase}'],
      (x) => x.stdout === 'Succeeded',
    );
    expect(await ok(tc, ['logs', 'fetch'])).toContain('<title>Welcome to nginx!</title>');
    await ok(tc, [
      'run',
      'fetch-sh',
      '--image=curlimages/curl:8.11.1',
      '--restart=Never',
      '--',
      'sh',
      '-c',
      'whoami; exit 2',
    ]);
    await eventually(
      tc,
      ['get', 'pod', 'fetch-sh', '-o', 'jsonpath={.status.phase}'],
      (x) => x.stdout === 'Failed',
    );
    expect(await ok(tc, ['logs', 'fetch-sh'])).toBe('curl_user\n');
  });

  it('attach follows the main process output', async () => {
    await ok(tc, [
      'run',
      'ticker',
      '--image=busybox:1.36',
      '--',
      'sh',
      '-c',
      'while true; do echo tick; sleep 1; done',
    ]);
    await ok(tc, ['wait', '--for=condition=Ready', 'pod/ticker', '--timeout=60s']);
    const r = await tc.kubectl(['attach', 'ticker', '--pod-running-timeout=10s'], { timeoutMs: 1500 });
    expect(r.stdout).toContain('tick\n');
  });
});
