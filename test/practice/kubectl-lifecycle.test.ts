// Changing objects over time with the real kubectl: scale (PATCH and the --current-replicas PUT),
// patch flavours, status and wait, get -w, delete with wait, garbage collection, namespace
// cascade, and restart keeping objects.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlPath, startTestCluster, type TestCluster } from '../helpers/practice.js';

const app = join(import.meta.dirname, '..', 'fixtures', 'practice', 'app.yaml');
// Every test runs twice: with the OpenAPI schemas served (kubectl explain works) and without
// them, to show that kubectl builds the same patches either way (server/openapi.ts).
describe.each([true, false])('OpenAPI schemas served: %s', (schemas) => {
  let t: TestCluster;

  beforeAll(async () => {
    // No controllers (part 2): these tests pin down the API server alone, status written by hand.
    t = await startTestCluster({ plugins: [], openapiSchemas: schemas });
    const r = await t.kubectl(['apply', '-f', app]);
    if (r.code !== 0) throw new Error(r.stderr);
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** until polls a condition (kubectl start-up is slow on a loaded machine; no fixed sleeps). */
  async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const jsonpath = async (args: string[], path: string) =>
    (await t.kubectl(['-n', 'demo', 'get', ...args, '-o', `jsonpath=${path}`])).stdout;

  describe('changing objects', () => {
    it('scales through deployments/scale, with and without --current-replicas', async () => {
      expect((await t.kubectl(['-n', 'demo', 'scale', 'deployment', 'web', '--replicas=3'])).stdout).toBe(
        'deployment.apps/web scaled\n',
      );
      const put = await t.kubectl([
        '-n',
        'demo',
        'scale',
        'deployment',
        'web',
        '--replicas=2',
        '--current-replicas=3',
      ]);
      expect(put.stdout).toBe('deployment.apps/web scaled\n');
      const stale = await t.kubectl([
        '-n',
        'demo',
        'scale',
        'deployment',
        'web',
        '--replicas=5',
        '--current-replicas=3',
      ]);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toBe('error: Expected replicas to be 3, was 2\n');
      expect(await jsonpath(['deploy', 'web'], '{.spec.replicas} {.metadata.generation}')).toBe('2 3');
    });

    it('patches with merge, JSON and strategic merge patches', async () => {
      await t.kubectl([
        '-n',
        'demo',
        'patch',
        'deploy',
        'web',
        '--type=merge',
        '-p',
        '{"metadata":{"labels":{"tier":"front"}}}',
      ]);
      await t.kubectl([
        '-n',
        'demo',
        'patch',
        'deploy',
        'web',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/replicas","value":4}]',
      ]);
      const smp = await t.kubectl([
        '-n',
        'demo',
        'patch',
        'deploy',
        'web',
        '-p',
        '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28","env":[{"name":"C","value":"3"}]}]}}}}',
      ]);
      expect(smp.stdout).toBe('deployment.apps/web patched\n');
      const d = JSON.parse((await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'json'])).stdout);
      expect(d.metadata.labels).toEqual({ app: 'web', tier: 'front' });
      expect(d.spec.replicas).toBe(4);
      expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.28');
      expect(d.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).toEqual([
        'A',
        'B',
        'C',
      ]);
      const bad = await t.kubectl([
        '-n',
        'demo',
        'patch',
        'deploy',
        'web',
        '--type=json',
        '-p',
        '[{"op":"remove","path":"/spec/nothing"}]',
      ]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Unable to remove nonexistent key: nothing');
    });

    it('waits for a condition and a jsonpath written through the status subresource', async () => {
      const gen = await jsonpath(['deploy', 'web'], '{.metadata.generation}');
      const waiter = t.kubectl([
        '-n',
        'demo',
        'wait',
        '--for=condition=Available',
        'deploy/web',
        '--timeout=20s',
      ]);
      await new Promise((r) => setTimeout(r, 300));
      const status = JSON.stringify({
        status: {
          observedGeneration: Number(gen),
          readyReplicas: 4,
          conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
        },
      });
      const patched = await t.kubectl([
        '-n',
        'demo',
        'patch',
        'deploy',
        'web',
        '--subresource=status',
        '--type=merge',
        '-p',
        status,
      ]);
      expect(patched.stderr).toBe('');
      const waited = await waiter;
      expect(waited.stdout).toBe('deployment.apps/web condition met\n');
      const byPath = await t.kubectl([
        '-n',
        'demo',
        'wait',
        '--for=jsonpath={.status.readyReplicas}=4',
        'deploy/web',
        '--timeout=5s',
      ]);
      expect(byPath.stdout).toBe('deployment.apps/web condition met\n');
      expect(await jsonpath(['deploy', 'web'], '{.metadata.generation}')).toBe(gen);
      expect((await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web'])).stdout).toMatch(/web\s+4\/4\s+0\s+0/);
    });

    it('streams changes to get -w', async () => {
      const child = spawn(kubectlPath, ['-n', 'demo', 'get', 'configmaps', '-w'], {
        env: {
          ...process.env,
          KUBECONFIG: t.cluster.kubeconfigPath,
          KUBECACHEDIR: join(t.dataDir, 'kubectl-cache'),
        },
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      const until = async (re: RegExp) => {
        for (let i = 0; i < 300 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      };
      await until(/web-config/);
      await t.kubectl(['-n', 'demo', 'create', 'configmap', 'watched', '--from-literal=a=1']);
      await until(/watched/);
      child.kill();
      expect(out).toMatch(/^NAME\s+DATA\s+AGE\n/);
      expect(out).toMatch(/\nwatched\s+1\s+\d+s\n/);
    });
  });

  describe('deleting', () => {
    it('deletes and waits, and --for=delete returns once the object is gone', async () => {
      await t.kubectl(['-n', 'demo', 'create', 'configmap', 'doomed']);
      const waiter = t.kubectl(['-n', 'demo', 'wait', '--for=delete', 'configmap/doomed', '--timeout=20s']);
      await until(() => t.cluster.store.watchers('configmaps') > 0);
      const del = await t.kubectl(['-n', 'demo', 'delete', 'configmap', 'doomed']);
      expect(del.stdout).toBe('configmap "doomed" deleted\n');
      const waited = await waiter;
      expect(waited.code).toBe(0);
    });

    it('collects dependents through ownerReferences', async () => {
      const uid = await jsonpath(['deploy', 'web'], '{.metadata.uid}');
      const rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-abc',
          namespace: 'demo',
          labels: { app: 'web' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'web',
              uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] },
          },
        },
      };
      const created = await t.kubectl(['create', '-f', '-'], { input: JSON.stringify(rs) });
      expect(created.stdout).toBe('replicaset.apps/web-abc created\n');
      const del = await t.kubectl(['-n', 'demo', 'delete', 'deploy', 'web']);
      expect(del.stdout).toBe('deployment.apps "web" deleted\n');
      await until(() => !t.cluster.store.get('replicasets.apps', 'demo', 'web-abc'));
      const gone = await t.kubectl(['-n', 'demo', 'get', 'rs', 'web-abc']);
      expect(gone.stderr).toBe('Error from server (NotFound): replicasets.apps "web-abc" not found\n');
    });

    it('deletes a namespace with everything in it', async () => {
      const del = await t.kubectl(['delete', 'ns', 'demo']);
      expect(del.stdout).toBe('namespace "demo" deleted\n');
      expect((await t.kubectl(['get', 'ns', 'demo'])).code).toBe(1);
      expect(t.cluster.store.list('configmaps', { namespace: 'demo' }).items).toEqual([]);
      expect(t.cluster.store.list('services', { namespace: 'demo' }).items).toEqual([]);
      const create = await t.kubectl(['-n', 'demo', 'create', 'configmap', 'late']);
      expect(create.stderr).toBe('error: failed to create configmap: namespaces "demo" not found\n');
    });

    it('refuses to delete the default namespace', async () => {
      const r = await t.kubectl(['delete', 'ns', 'default']);
      expect(r.stderr).toBe(
        'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n',
      );
    });
  });
});
