// The image catalogue: the kubernetes.io "Learn Kubernetes Basics" tutorial as one command
// sequence (bootcamp v1, then v2 after `set image`), the docs' liveness examples (agnhost,
// exec probe through the shell), and images outside the catalogue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { eventually, ok, startWorkloadCluster } from '../practice-workloads/e2e.js';
import { background } from './helpers.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

describe('Learn Kubernetes Basics, as kubernetes.io runs it', () => {
  it('deploys the bootcamp app, explores it, exposes, scales and updates it (v=1 → v=2)', async () => {
    expect(await ok(tc, ['get', 'nodes'])).toContain('Ready');
    await ok(tc, [
      'create',
      'deployment',
      'kubernetes-bootcamp',
      '--image=gcr.io/google-samples/kubernetes-bootcamp:v1',
    ]);
    await ok(tc, ['rollout', 'status', 'deployment/kubernetes-bootcamp', '--timeout=60s']);
    expect(await ok(tc, ['get', 'deployments'])).toMatch(/kubernetes-bootcamp\s+1\/1\s+1\s+1/);
    // Module 3: kubectl proxy, then the pod through the API server's proxy.
    const proxy = background(tc, ['proxy', '--port=0']);
    try {
      const port = (await proxy.waitFor(/Starting to serve on 127\.0\.0\.1:(\d+)/))[1];
      const pod = await ok(tc, [
        'get',
        'pods',
        '-o',
        'go-template',
        '--template',
        '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}',
      ]);
      const podName = pod.trim();
      const viaProxy = await fetch(
        `http://127.0.0.1:${port}/api/v1/namespaces/default/pods/${podName}:8080/proxy/`,
      );
      expect(await viaProxy.text()).toBe(`Hello Kubernetes bootcamp! | Running on: ${podName} | v=1\n`);
      expect(await ok(tc, ['logs', podName])).toContain('Kubernetes Bootcamp App Started At:');
      expect(await ok(tc, ['exec', podName, '--', 'env'])).toContain(`HOSTNAME=${podName}\n`);
      expect(await ok(tc, ['exec', podName, '--', 'cat', 'server.js'])).toContain(
        'Hello Kubernetes bootcamp!',
      );
      expect(await ok(tc, ['exec', podName, '--', 'curl', '-s', 'http://localhost:8080'])).toBe(
        `Hello Kubernetes bootcamp! | Running on: ${podName} | v=1\n`,
      );
      // Module 4: a Service, labels.
      await ok(tc, ['expose', 'deployment/kubernetes-bootcamp', '--type=NodePort', '--port', '8080']);
      expect(await ok(tc, ['describe', 'services/kubernetes-bootcamp'])).toMatch(
        /NodePort:\s+<unset>\s+\d+\/TCP/,
      );
      await ok(tc, ['label', 'pods', podName, 'version=v1']);
      expect(await ok(tc, ['get', 'pods', '-l', 'version=v1'])).toContain(podName);
      // Module 5: scale to 4, the Service spreads requests.
      await ok(tc, ['scale', 'deployments/kubernetes-bootcamp', '--replicas=4']);
      await ok(tc, ['rollout', 'status', 'deployment/kubernetes-bootcamp', '--timeout=60s']);
      const seen = new Set<string>();
      for (let i = 0; i < 40 && seen.size < 2; i++) {
        const r = await fetch(
          `http://127.0.0.1:${port}/api/v1/namespaces/default/services/kubernetes-bootcamp/proxy/`,
        );
        seen.add((await r.text()).split(' | ')[1] ?? '');
      }
      expect(seen.size).toBeGreaterThan(1);
      // Module 6: rolling update to v2, then a bad tag and the undo.
      await ok(tc, [
        'set',
        'image',
        'deployments/kubernetes-bootcamp',
        'kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2',
      ]);
      await ok(tc, ['rollout', 'status', 'deployments/kubernetes-bootcamp', '--timeout=60s']);
      const v2 = await fetch(
        `http://127.0.0.1:${port}/api/v1/namespaces/default/services/kubernetes-bootcamp/proxy/`,
      );
      expect(await v2.text()).toMatch(
        /^Hello Kubernetes bootcamp! \| Running on: kubernetes-bootcamp-\w+-\w+ \| v=2\n$/,
      );
      await ok(tc, [
        'set',
        'image',
        'deployments/kubernetes-bootcamp',
        'kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10',
      ]);
      await eventually(tc, ['get', 'pods'], (r) => /ErrImagePull|ImagePullBackOff/.test(r.stdout));
      await ok(tc, ['rollout', 'undo', 'deployments/kubernetes-bootcamp']);
      await ok(tc, ['rollout', 'status', 'deployments/kubernetes-bootcamp', '--timeout=60s']);
      const back = await fetch(
        `http://127.0.0.1:${port}/api/v1/namespaces/default/services/kubernetes-bootcamp/proxy/`,
      );
      expect(await back.text()).toContain('| v=2\n');
    } finally {
      proxy.stop();
    }
  }, 120_000);
});

describe('probes of the docs examples', () => {
  it("agnhost liveness: /healthz fails after 10 s with kubelet's wording, the container restarts", async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Pod
metadata: {name: liveness-http}
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    args: [liveness]
    livenessProbe:
      httpGet: {path: /healthz, port: 8080}
      initialDelaySeconds: 3
      periodSeconds: 3
`,
    );
    const r = await eventually(
      tc,
      ['describe', 'pod', 'liveness-http'],
      (x) => /Restart Count:\s+[1-9]/.test(x.stdout),
      60_000,
    );
    expect(r.stdout).toContain('Liveness probe failed: HTTP probe failed with statuscode: 500');
  });

  it('exec liveness: the probe runs cat in the container and fails once the file is gone', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Pod
metadata: {name: liveness-exec}
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
`,
    );
    const r = await eventually(
      tc,
      ['describe', 'pod', 'liveness-exec'],
      (x) => /Restart Count:\s+[1-9]/.test(x.stdout),
      60_000,
    );
    expect(r.stdout).toContain(
      "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
    );
  });
});

describe('images outside the catalogue', () => {
  it('fail to pull as on kind until loaded with practice load-image', async () => {
    await ok(tc, ['run', 'mine', '--image=example.com/team/app:1.0']);
    const r = await eventually(
      tc,
      ['describe', 'pod', 'mine'],
      (x) => x.stdout.includes('ErrImagePull'),
      30_000,
    );
    expect(r.stdout).toContain('dial tcp: lookup example.com: no such host');
  });

  it('postgres without a password exits as the real image does', async () => {
    await ok(tc, ['run', 'db', '--image=postgres:17']);
    await eventually(
      tc,
      ['get', 'pod', 'db', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}'],
      (x) => x.stdout === '1',
      30_000,
    );
    expect(await ok(tc, ['logs', 'db', '--previous'])).toContain('You must specify POSTGRES_PASSWORD');
  });
});
