// The other kinds the course touches (pods, EndpointSlices, events in both groups, HPA v2,
// NetworkPolicy, RBAC), kubectl edit, cascading deletes, rollout status, and older kubectl
// releases that send JSON instead of protobuf.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../src/runner.js';
import { kubectlPath, startTestCluster, type TestCluster } from '../helpers/practice.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'practice');
let t: TestCluster;

beforeAll(async () => {
  // No controllers (part 2): these tests pin down the API server alone, status written by hand.
  t = await startTestCluster({ plugins: [] });
  for (const file of ['app.yaml', 'more-kinds.yaml']) {
    const r = await t.kubectl(['apply', '-f', join(fixtures, file)]);
    if (r.code !== 0) throw new Error(r.stderr);
  }
});

afterAll(async () => {
  await t?.stop();
});

describe('tables for every kind', () => {
  it('prints pods, EndpointSlices, events, HPAs, NetworkPolicies, Roles and ServiceAccounts like a real cluster', async () => {
    const r = await t.kubectl([
      '-n',
      'demo',
      'get',
      'pods,endpointslices,events,hpa,netpol,roles,sa,cm',
      '-o',
      'wide',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\npod\/p1\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>/,
    );
    expect(r.stdout).toMatch(/endpointslice\.discovery\.k8s\.io\/web-abc\s+IPv4\s+80\s+10\.244\.1\.5/);
    expect(r.stdout).toMatch(/LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE/);
    expect(r.stdout).toMatch(
      /Normal\s+Pulling\s+pod\/p1\s+kubelet, k8s-learn-worker\s+Pulling image "busybox:1\.36"/,
    );
    expect(r.stdout).toMatch(
      /horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web\s+cpu: <unknown>\/60%\s+1\s+4\s+0/,
    );
    expect(r.stdout).toMatch(/networkpolicy\.networking\.k8s\.io\/deny\s+app=web/);
    expect(r.stdout).toMatch(/role\.rbac\.authorization\.k8s\.io\/reader\s+\d{4}-\d\d-\d\dT/);
    expect(r.stdout).toMatch(/serviceaccount\/default\s+0/);
    expect(r.stdout).toMatch(/configmap\/kube-root-ca\.crt\s+1/);
    const ep = await t.kubectl(['-n', 'demo', 'get', 'endpoints']);
    expect(ep.stderr).toBe(
      'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\nNo resources found in demo namespace.\n',
    );
    const v1events = await t.kubectl(['-n', 'demo', 'get', 'events.v1.events.k8s.io']);
    expect(v1events.stdout).toMatch(/Normal\s+Pulling\s+pod\/p1\s+Pulling image/);
  });

  it('defaults pods and HPA v2 behavior as the API server does', async () => {
    const pod = JSON.parse((await t.kubectl(['-n', 'demo', 'get', 'pod', 'p1', '-o', 'json'])).stdout);
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
    });
    expect(pod.status).toMatchObject({ phase: 'Pending', qosClass: 'BestEffort' });
    const hpa = JSON.parse((await t.kubectl(['-n', 'demo', 'get', 'hpa', 'web', '-o', 'json'])).stdout);
    expect(hpa.spec.behavior.scaleDown).toMatchObject({
      stabilizationWindowSeconds: 30,
      selectPolicy: 'Max',
    });
    expect(hpa.spec.behavior.scaleUp.policies).toHaveLength(2);
  });
});

describe('editing and deleting', () => {
  it('kubectl edit sends a patch built from the edited file', async () => {
    const runner = createRunner();
    const r = await runner.run(kubectlPath, ['-n', 'demo', 'edit', 'deployment', 'web'], {
      env: {
        KUBECONFIG: t.cluster.kubeconfigPath,
        KUBECACHEDIR: join(t.dataDir, 'kubectl-cache'),
        KUBE_EDITOR: `sed -i 's/replicas: 2/replicas: 6/'`,
        EDITOR: '',
      },
      timeoutMs: 30_000,
    });
    expect(r.stdout).toBe('deployment.apps/web edited\n');
    expect(
      (await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout,
    ).toBe('6');
  });

  it('rollout status follows observedGeneration and the replica counts', async () => {
    const gen = Number(
      (await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}']))
        .stdout,
    );
    const status = {
      status: {
        observedGeneration: gen,
        replicas: 6,
        updatedReplicas: 6,
        readyReplicas: 6,
        availableReplicas: 6,
      },
    };
    await t.kubectl([
      '-n',
      'demo',
      'patch',
      'deploy',
      'web',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify(status),
    ]);
    const r = await t.kubectl(['-n', 'demo', 'rollout', 'status', 'deployment/web', '--timeout=10s']);
    expect(r.stdout).toBe('deployment "web" successfully rolled out\n');
  });

  it('cascades: orphan keeps dependents (without the owner reference), foreground removes them', async () => {
    const uid = (await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}']))
      .stdout;
    const rs = (name: string) =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace: 'demo',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid, controller: true },
          ],
        },
        spec: {
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
          },
        },
      });
    await t.kubectl(['create', '-f', '-'], { input: rs('kept') });
    const orphan = await t.kubectl(['-n', 'demo', 'delete', 'deploy', 'web', '--cascade=orphan']);
    expect(orphan.stdout).toBe('deployment.apps "web" deleted\n');
    const kept = JSON.parse((await t.kubectl(['-n', 'demo', 'get', 'rs', 'kept', '-o', 'json'])).stdout);
    expect(kept.metadata.ownerReferences).toBeUndefined();
    await t.kubectl(['apply', '-f', join(fixtures, 'app.yaml')]);
    const uid2 = (await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}']))
      .stdout;
    await t.kubectl(['create', '-f', '-'], { input: rs('owned').replace(uid, uid2) });
    const fg = await t.kubectl(['-n', 'demo', 'delete', 'deploy', 'web', '--cascade=foreground']);
    expect(fg.stdout).toBe('deployment.apps "web" deleted\n');
    expect((await t.kubectl(['-n', 'demo', 'get', 'rs', 'owned'])).code).toBe(1);
    expect((await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web'])).code).toBe(1);
  });
});

const bundled = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

describe('older kubectl releases (JSON request bodies)', () => {
  for (const minor of [27, 29, 31]) {
    it.skipIf(!existsSync(bundled(minor)))(`kubectl 1.${minor} creates, applies and lists`, async () => {
      const runner = createRunner();
      const env = { KUBECONFIG: t.cluster.kubeconfigPath, KUBECACHEDIR: join(t.dataDir, `cache-${minor}`) };
      const run = (args: string[]) => runner.run(bundled(minor), args, { env, timeoutMs: 30_000 });
      const ns = `old-${minor}`;
      expect((await run(['create', 'namespace', ns])).stdout).toBe(`namespace/${ns} created\n`);
      expect((await run(['-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.27'])).stdout).toBe(
        'deployment.apps/web created\n',
      );
      expect((await run(['-n', ns, 'create', 'configmap', 'c', '--from-literal=a=b'])).stderr).toBe('');
      expect((await run(['-n', ns, 'scale', 'deployment', 'web', '--replicas=2'])).stdout).toBe(
        'deployment.apps/web scaled\n',
      );
      await run(['create', 'namespace', 'k8s-test']);
      const bad = await run(['apply', '-f', join(fixtures, 'cluster-ip-in-deployment.yaml')]);
      expect(bad.stderr).toContain('strict decoding error: unknown field "spec.clusterIP"');
      const get = await run(['-n', ns, 'get', 'deploy']);
      expect(get.stdout).toMatch(/web\s+0\/2\s+0\s+0/);
    });
  }
});

describe('services and requests options', () => {
  it('allocates NodePorts, rejects taken and out-of-range ones, and keeps clusterIP immutable', async () => {
    const r = await t.kubectl(['apply', '-f', join(fixtures, 'nodeports.yaml')]);
    expect(r.stdout).toBe('service/np1 created\n');
    expect(r.stderr).toContain(
      'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    expect(r.stderr).toContain(
      'Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    const ip = await t.kubectl([
      'patch',
      'svc',
      'np1',
      '--type=merge',
      '-p',
      '{"spec":{"clusterIP":"10.96.5.5"}}',
    ]);
    expect(ip.stderr).toBe(
      'The Service "np1" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.5.5": may not change once set\n',
    );
  });

  it('honours --dry-run=server, field selectors and delete --all (with kube-root-ca.crt coming back)', async () => {
    expect((await t.kubectl(['create', 'configmap', 'dry', '--dry-run=server', '-o', 'name'])).stdout).toBe(
      'configmap/dry\n',
    );
    expect((await t.kubectl(['get', 'configmap', 'dry'])).code).toBe(1);
    // A dry run of a name already taken is refused as the real create would be.
    await t.kubectl(['create', 'configmap', 'taken']);
    const taken = await t.kubectl(['create', 'configmap', 'taken', '--dry-run=server']);
    expect(taken.code).toBe(1);
    // kubectl's own words around the server's 409 AlreadyExists.
    expect(taken.stderr).toBe('error: failed to create configmap: configmaps "taken" already exists\n');
    await t.kubectl(['delete', 'configmap', 'taken']);
    await t.kubectl(['run', 'solo', '--image=nginx:1.27']);
    expect(
      (await t.kubectl(['get', 'pods', '--field-selector=status.phase=Pending', '-o', 'name'])).stdout,
    ).toBe('pod/solo\n');
    expect((await t.kubectl(['get', 'pods', '--field-selector=status.phase=Running'])).stderr).toBe(
      'No resources found in default namespace.\n',
    );
    const del = await t.kubectl(['delete', 'configmap', '--all']);
    expect(del.stdout).toBe('configmap "kube-root-ca.crt" deleted\n');
    for (let i = 0; i < 200 && !t.cluster.store.get('configmaps', 'default', 'kube-root-ca.crt'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await t.kubectl(['get', 'configmap', '-o', 'name'])).stdout).toBe('configmap/kube-root-ca.crt\n');
  });
});
