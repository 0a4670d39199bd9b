// The kind path of a generated project's scripts/up.mjs and down.mjs, with the fake `kind` and
// `docker` (test/fakes/bin) on PATH: the argument lines they receive are asserted. As in
// test/backends/kind-e2e.test.ts, the fake kind's cluster is a practice cluster (it merges a
// `kind-NAME` context pointing there into the user's kubeconfig and makes it current), so the
// kubectl half — apply, rollout, smoke through the Service proxy — runs for real. No real kind or
// Docker is involved: what `kind load docker-image` does to the nodes is done by the test.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadImage } from '../../src/commands/practice-load-image.js';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';
import { generate, kubectl, machine, script } from './project.js';

let cluster: TestCluster;
const m = machine({ fakes: true });
const log = join(m.home, 'calls.jsonl');
const env = {
  FAKE_LOG: log,
  FAKE_STATE_DIR: join(m.home, 'fake-state'),
  FAKE_KIND_SERVER_KUBECONFIG: '',
};

/** calls returns the fake kind/docker calls since the last reset. */
function calls(): string[][] {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {}
  writeFileSync(log, '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);
}

/** shopDeployment reads one field of the shop Deployment through the project's kind context. */
const shopDeployment = (jsonpath: string) =>
  kubectl(m, [
    '--context',
    'kind-dev',
    'get',
    'deployment',
    'shop',
    '-n',
    'shop',
    '-o',
    `jsonpath=${jsonpath}`,
  ]);

const currentContext = () =>
  (parse(readFileSync(m.env.KUBECONFIG!, 'utf8')) as { 'current-context': string })['current-context'];

beforeAll(async () => {
  cluster = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
  env.FAKE_KIND_SERVER_KUBECONFIG = cluster.cluster.kubeconfigPath;
  // The user works on another cluster; kind must not leave them switched away from it.
  const server = parse(readFileSync(cluster.cluster.kubeconfigPath, 'utf8'));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(m.home, 'kube'), { recursive: true });
  writeFileSync(
    m.env.KUBECONFIG!,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'work', cluster: server.clusters[0].cluster }],
      users: [{ name: 'work', user: server.users[0].user }],
      contexts: [{ name: 'work', context: { cluster: 'work', user: 'work' } }],
      'current-context': 'work',
    }),
    { mode: 0o600 },
  );
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('scripts/up.mjs on kind (fake kind and docker)', () => {
  it('creates the cluster from kind-config.yaml, builds, loads, applies; down deletes the cluster it made', async () => {
    const project = generate(m, 'shop', ['--cluster-name', 'dev', '--no-ingress']);
    // What `kind load docker-image` would have put on the nodes.
    await loadImage(cluster.cluster, 'shop:0.1.0', { print: () => {}, lang: 'en' });
    calls();

    const up = await script(m, project, 'up', [], env);
    expect(up.out).toContain('• cluster: kind (Docker and kind are available)');
    expect(up.code, up.out).toBe(0);
    expect(calls()).toEqual([
      ['docker', 'info'],
      ['kind', 'get', 'clusters'],
      ['kind', 'create', 'cluster', '--name', 'dev', '--config', 'kind-config.yaml', '--wait', '2m'],
      ['docker', 'build', '-t', 'shop:0.1.0', 'app'],
      ['kind', 'load', 'docker-image', 'shop:0.1.0', '--name', 'dev'],
    ]);
    // kind read the project's config; the user's current context is theirs again.
    expect(readFileSync(join(env.FAKE_STATE_DIR, 'kind-config-seen.yaml'), 'utf8')).toBe(
      readFileSync(join(project, 'kind-config.yaml'), 'utf8'),
    );
    expect(currentContext()).toBe('work');
    expect(up.out).toContain('your current kubectl context stays "work"; this project uses "kind-dev"');
    expect(up.out).toContain('$ kubectl --context kind-dev apply -k k8s');
    expect(up.out).toMatch(/✓ shop answered 6 requests through its Service/);
    expect(up.out).toContain('port-forward service/shop 8080:80');
    const available = await shopDeployment('{.status.conditions[?(@.type=="Available")].status}');
    expect(available.stdout).toBe('True');

    // A new version: newTag in kustomization.yaml is the one place to change. The cluster is reused.
    const kustomization = join(project, 'k8s/kustomization.yaml');
    writeFileSync(
      kustomization,
      readFileSync(kustomization, 'utf8').replace('newTag: "0.1.0"', 'newTag: "0.2.0"'),
    );
    await loadImage(cluster.cluster, 'shop:0.2.0', { print: () => {}, lang: 'en' });
    calls();
    const again = await script(m, project, 'up', [], env);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('reusing the kind cluster "dev"');
    expect(calls()).toEqual([
      ['docker', 'info'],
      ['kind', 'get', 'clusters'],
      ['docker', 'build', '-t', 'shop:0.2.0', 'app'],
      ['kind', 'load', 'docker-image', 'shop:0.2.0', '--name', 'dev'],
    ]);
    const image = await shopDeployment('{.spec.template.spec.containers[0].image}');
    expect(image.stdout).toBe('shop:0.2.0');

    // up created the cluster, so down deletes it (which removes everything in it).
    const down = await script(m, project, 'down', [], env);
    expect(down.code).toBe(0);
    expect(calls()).toEqual([['kind', 'delete', 'cluster', '--name', 'dev']]);
    expect(currentContext()).toBe('work');
    await cluster.kubectl(['delete', 'namespace', 'shop', '--wait=true']);
  }, 120_000);

  it('reuses a cluster that was there, and down removes only the objects, not the cluster', async () => {
    // The learner's own kind cluster, made before the project.
    const { spawnSync } = await import('node:child_process');
    spawnSync('kind', ['create', 'cluster', '--name', 'mine'], { env: { ...m.env, ...env } });
    spawnSync('kubectl', ['config', 'use-context', 'work'], { env: { ...m.env, ...env } });
    const project = generate(m, 'web', ['--cluster-name', 'mine', '--template', 'python', '--no-hpa']);
    await loadImage(cluster.cluster, 'web:0.1.0', { print: () => {}, lang: 'en' });
    calls();

    const up = await script(m, project, 'up', ['--kind'], env);
    expect(up.out).toContain('• cluster: kind (asked for with --kind)');
    expect(up.code, up.out).toBe(0);
    expect(calls()).toEqual([
      ['kind', 'get', 'clusters'],
      ['docker', 'build', '-t', 'web:0.1.0', 'app'],
      ['kind', 'load', 'docker-image', 'web:0.1.0', '--name', 'mine'],
    ]);

    const down = await script(m, project, 'down', [], env);
    expect(down.code).toBe(0);
    expect(down.out).toMatch(/\$ kubectl --context kind-mine delete --ignore-not-found --wait=true -f -/);
    expect(down.out).toContain('namespace "web" deleted');
    expect(calls()).toEqual([]);
    const clusters = spawnSync('kind', ['get', 'clusters'], { env: { ...m.env, ...env }, encoding: 'utf8' });
    expect(clusters.stdout).toBe('mine\n');
  }, 120_000);
});
