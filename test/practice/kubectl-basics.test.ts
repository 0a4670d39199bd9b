// The real kubectl against an in-process practice cluster: discovery, tables, imperative
// create (protobuf bodies on kubectl ≥ 1.32), JSON output, describe, auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let t: TestCluster;

beforeAll(async () => {
  // No controllers (part 2): these tests pin down the API server alone, status written by hand.
  t = await startTestCluster({ plugins: [] });
});

afterAll(async () => {
  await t?.stop();
});

describe('kubectl against the practice cluster', () => {
  it('reports a 1.33 server, so the dispatcher runs kubectl 1.33', async () => {
    const r = await t.kubectl(['version']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Server Version: v1\.33\.\d/);
  });

  it('lists namespaces and kind-like nodes as tables, with -o wide columns', async () => {
    const ns = await t.kubectl(['get', 'ns']);
    expect(ns.stdout).toMatch(/^NAME\s+STATUS\s+AGE\n/);
    expect(ns.stdout).toMatch(/\ndefault\s+Active\s+\d+s\n/);
    const nodes = await t.kubectl(['get', 'nodes', '-o', 'wide']);
    expect(nodes.stdout).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE/,
    );
    expect(nodes.stdout).toMatch(/k8s-learn-control-plane\s+Ready\s+control-plane/);
    expect(nodes.stdout).toMatch(/k8s-learn-worker2\s+Ready\s+<none>/);
  });

  it('creates with the imperative generators (protobuf request bodies) and shows them', async () => {
    for (const args of [
      ['create', 'namespace', 'demo'],
      ['-n', 'demo', 'create', 'configmap', 'web-config', '--from-literal=GREETING=hello'],
      ['-n', 'demo', 'create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret'],
      ['-n', 'demo', 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80'],
      ['-n', 'demo', 'expose', 'deployment', 'web', '--port=80', '--target-port=8080'],
      ['-n', 'demo', 'create', 'service', 'nodeport', 'np', '--tcp=80:8080'],
      ['-n', 'demo', 'autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=50'],
    ]) {
      const r = await t.kubectl(args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code).toBe(0);
    }
    const wide = await t.kubectl(['-n', 'demo', 'get', 'deploy,svc,cm,secret,hpa', '-o', 'wide']);
    expect(wide.stdout).toMatch(
      /deployment\.apps\/web\s+0\/3\s+0\s+0\s+\d+s\s+nginx\s+nginx:1\.27\s+app=web/,
    );
    expect(wide.stdout).toMatch(
      /service\/web\s+ClusterIP\s+10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s\s+app=web/,
    );
    expect(wide.stdout).toMatch(/service\/np\s+NodePort\s+[\d.]+\s+<none>\s+80:3\d{4}\/TCP/);
    expect(wide.stdout).toMatch(/configmap\/web-config\s+1\s+\d+s/);
    expect(wide.stdout).toMatch(/secret\/pw\s+Opaque\s+1\s+\d+s/);
    expect(wide.stdout).toMatch(
      /horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+2\s+5\s+0/,
    );
  });

  it('serves plain objects with defaults for -o json and jsonpath', async () => {
    const r = await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'json']);
    const d = JSON.parse(r.stdout);
    expect(d.metadata.generation).toBe(1);
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    const c = d.spec.template.spec.containers[0];
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.terminationMessagePath).toBe('/dev/termination-log');
    expect(c.ports[0]).toEqual({ containerPort: 80, protocol: 'TCP' });
    const svc = await t.kubectl([
      '-n',
      'demo',
      'get',
      'svc',
      'web',
      '-o',
      'jsonpath={.spec.ports[0].targetPort} {.spec.type} {.spec.sessionAffinity}',
    ]);
    expect(svc.stdout).toBe('8080 ClusterIP None');
    const v1 = await t.kubectl([
      'get',
      '--raw',
      '/apis/autoscaling/v1/namespaces/demo/horizontalpodautoscalers/web',
    ]);
    expect(JSON.parse(v1.stdout).spec).toEqual({
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 2,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 50,
    });
    const v2 = await t.kubectl([
      '-n',
      'demo',
      'get',
      'hpa',
      'web',
      '-o',
      'jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}',
    ]);
    expect(v2.stdout).toBe('autoscaling/v2 50');
  });

  it('describes a deployment', async () => {
    const r = await t.kubectl(['-n', 'demo', 'describe', 'deployment', 'web']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Name:\s+web\n/);
    expect(r.stdout).toMatch(/Replicas:\s+3 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable/);
    expect(r.stdout).toMatch(/StrategyType:\s+RollingUpdate/);
  });

  it('answers unknown kinds and missing objects the way kubectl expects', async () => {
    const missing = await t.kubectl(['-n', 'demo', 'get', 'deploy', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    const unknown = await t.kubectl(['get', 'widgets']);
    expect(unknown.stderr).toContain(`error: the server doesn't have a resource type "widgets"`);
    const exists = await t.kubectl(['create', 'namespace', 'demo']);
    expect(exists.stderr).toBe('Error from server (AlreadyExists): namespaces "demo" already exists\n');
  });

  it('requires the bearer token', async () => {
    const { request } = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.cluster.url}/api/v1/namespaces`, { ca: t.cluster.caCert }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
    const bad = await t.kubectl(['--token=wrong', 'get', 'ns']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('You must be logged in to the server');
  });

  it('answers kubectl auth can-i, cluster-info and wait on nodes', async () => {
    expect((await t.kubectl(['auth', 'can-i', 'create', 'deployments'])).stdout).toBe('yes\n');
    expect((await t.kubectl(['cluster-info'])).stdout).toContain(
      `Kubernetes control plane is running at ${t.cluster.url}`,
    );
    const wait = await t.kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=10s']);
    expect(wait.stdout).toBe(
      'node/k8s-learn-control-plane condition met\nnode/k8s-learn-worker condition met\nnode/k8s-learn-worker2 condition met\n',
    );
  });
});
