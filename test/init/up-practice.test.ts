// A generated project brought up on the practice cluster by its own scripts/up.mjs, on a machine
// without Docker: the Deployment becomes Available, the smoke test's requests are answered through
// the Service proxy, and scripts/down.mjs leaves the cluster as it found it — stopped when it was
// stopped, and with a namespace that was there before kept, with what else lived in it.
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { generate, kubectl, machine, script } from './project.js';

const m = machine();
const practice = (args: string[]) => cli(['practice', ...args], { env: m.env, timeoutMs: 30_000 });

afterAll(() => {
  practice(['stop']);
});

/** snapshot lists the objects a project could touch, with their resourceVersions. */
async function snapshot(): Promise<string> {
  const r = await kubectl(m, [
    '--context',
    'k8s-learn-practice',
    'get',
    'namespaces,deployments,replicasets,pods,services,configmaps,serviceaccounts,poddisruptionbudgets,horizontalpodautoscalers,ingresses',
    '-A',
    '-o',
    'jsonpath={range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}@{.metadata.resourceVersion}{"\\n"}{end}',
  ]);
  expect(r.stderr).toBe('');
  // kube-system and local-path-storage are the cluster's own (their pods' status moves on by itself,
  // as on kind): no project touches them.
  return r.stdout
    .split('\n')
    .filter((line) => line && !/^\w+\/(kube-system|local-path-storage)\//.test(line))
    .sort()
    .join('\n');
}

describe('scripts/up.mjs and down.mjs on the practice cluster', () => {
  it('starts the stopped practice cluster, brings the app up, and down stops it again', async () => {
    const project = generate(m, 'shop', ['--template', 'python']);
    expect(practice(['status']).code).toBe(1);

    const up = await script(m, project, 'up');
    expect(up.out).toContain('• cluster: practice (Docker is not installed)');
    expect(up.out).toContain('$ k8s-learn practice start');
    expect(up.out).toContain('$ k8s-learn practice load-image shop:0.1.0');
    expect(up.out).toMatch(/\$ kubectl --context k8s-learn-practice --kubeconfig \S+ apply -k k8s/);
    expect(up.out).toContain('deployment "shop" successfully rolled out');
    expect(up.out).toMatch(/✓ shop answered 6 requests through its Service, from [12] pod\(s\): shop-/);
    expect(up.code).toBe(0);

    // Seen by a plain kubectl: Available, and the app answers through the Service proxy.
    const ctx = ['--context', 'k8s-learn-practice'];
    const available = await kubectl(m, [
      ...ctx,
      'wait',
      '--for=condition=Available',
      'deployment/shop',
      '-n',
      'shop',
      '--timeout=30s',
    ]);
    expect(available.stdout).toContain('condition met');
    const reply = await kubectl(m, [
      ...ctx,
      'get',
      '--raw',
      '/api/v1/namespaces/shop/services/shop:http/proxy/',
    ]);
    expect(JSON.parse(reply.stdout)).toMatchObject({
      pod: expect.stringMatching(/^shop-/),
      namespace: 'shop',
    });
    expect((await script(m, project, 'smoke')).code).toBe(0);

    // Running up again reuses everything and still remembers that it started the cluster.
    const again = await script(m, project, 'up');
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('practice start');

    const down = await script(m, project, 'down');
    expect(down.out).toContain('namespace "shop" deleted');
    expect(down.out).toContain('$ k8s-learn practice stop');
    expect(down.code).toBe(0);
    expect(practice(['status']).code).toBe(1);
    // Started again, the cluster holds nothing of the project.
    expect(practice(['start']).code).toBe(0);
    expect((await kubectl(m, [...ctx, 'get', 'namespace', 'shop'])).stderr).toContain(
      'namespaces "shop" not found',
    );
    expect(practice(['stop']).code).toBe(0);
    expect((await script(m, project, 'down')).out).toContain('Nothing to remove');
  }, 180_000);

  it('on a running cluster, down removes only what up made and keeps a namespace that was there', async () => {
    expect(practice(['start']).code).toBe(0);
    const ctx = ['--context', 'k8s-learn-practice'];
    expect((await kubectl(m, [...ctx, 'create', 'namespace', 'team'])).code).toBe(0);
    expect(
      (await kubectl(m, [...ctx, 'create', 'configmap', 'keep-me', '-n', 'team', '--from-literal=a=b'])).code,
    ).toBe(0);
    const before = await snapshot();

    const project = generate(m, 'web', ['--namespace', 'team', '--ingress', '--replicas', '3', '--no-hpa']);
    const up = await script(m, project, 'up');
    expect(up.out).not.toContain('practice start');
    expect(up.out).toContain('ingress.networking.k8s.io/web created');
    expect(up.out).toContain(
      'there before the first `npm run up`, so kept by `npm run down`: namespace/team',
    );
    expect(up.out).toMatch(/from [23] pod\(s\)/);
    expect(up.code).toBe(0);
    const ready = await kubectl(m, [
      ...ctx,
      'get',
      'deployment',
      'web',
      '-n',
      'team',
      '-o',
      'jsonpath={.status.readyReplicas}',
    ]);
    expect(ready.stdout).toBe('3');

    const down = await script(m, project, 'down');
    expect(down.code).toBe(0);
    expect(down.out).not.toContain('namespace "team" deleted');
    expect(down.out).not.toContain('practice stop');
    // Pods go away gracefully after their Deployment; wait for them before comparing.
    await kubectl(m, [...ctx, 'wait', '--for=delete', 'pod', '-l', 'app=web', '-n', 'team', '--timeout=30s']);
    expect(await snapshot()).toBe(before);
    expect(practice(['status']).code).toBe(0);
  }, 180_000);
});
