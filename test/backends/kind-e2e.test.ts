// The kind path end to end with the real kubectl: the fake `kind` plays kind's part on the
// machine (records the call, merges a `kind-k8s-learn` context into the user's kubeconfig and makes
// it current), and that context points at a practice cluster (A), so `kubectl wait --for=condition=
// Ready nodes --all`, the checks and the writes are real. The user's current-context is `work`
// (cluster B): it is put back after create, and nothing on B changes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cleanupCluster } from '../../src/backends/cleanup.js';
import { prepareCluster } from '../../src/backends/index.js';
import type { BackendEnv } from '../../src/backends/types.js';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckType } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createKubectl } from '../../src/kubectl.js';
import { createRunner } from '../../src/runner.js';
import { createScriptedUI } from '../../src/ui/scripted.js';
import { fakeMachine } from '../fakes/env.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string }[];
  'current-context': string;
}

const t = createTranslator('en');
let a: TestCluster;
let b: TestCluster;
let userKubeconfig: string;
const machine = fakeMachine();

async function objectsOf(cluster: TestCluster): Promise<string> {
  const r = await cluster.kubectl([
    'get',
    'namespaces,configmaps',
    '-A',
    '-o',
    'jsonpath={range .items[*]}{.kind}/{.metadata.name}@{.metadata.resourceVersion} {end}',
  ]);
  return r.stdout;
}

beforeAll(async () => {
  a = await startTestCluster({ plugins: [] });
  b = await startTestCluster({ plugins: [] });
  const kb = parse(readFileSync(b.cluster.kubeconfigPath, 'utf8')) as Kubeconfig;
  userKubeconfig = join(mkdtempSync(join(tmpdir(), 'k8s-learn-kind-e2e-')), 'config');
  writeFileSync(
    userKubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'work', cluster: kb.clusters[0]!.cluster }],
      users: [{ name: 'work', user: kb.users[0]!.user }],
      contexts: [{ name: 'work', context: { cluster: 'work', user: 'work' } }],
      'current-context': 'work',
    }),
    { mode: 0o600 },
  );
  await b.kubectl(['create', 'namespace', 'k8s-test']);
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

describe('kind backend end to end (fake kind, real kubectl)', () => {
  it('creates, restores the current-context, waits for nodes, runs checks, reuses and deletes', async () => {
    const env = {
      ...machine.env,
      KUBECONFIG: userKubeconfig,
      FAKE_KIND_SERVER_KUBECONFIG: a.cluster.kubeconfigPath,
    };
    const runner = createRunner({ env });
    const lines: string[] = [];
    const backendEnv: BackendEnv = {
      runner,
      ui: createScriptedUI({ write: (l) => lines.push(l) }),
      t,
      workspace: join(machine.dir, 'lab'),
      yes: true,
    };
    const before = await objectsOf(b);

    const { target } = await prepareCluster('kind', backendEnv);
    expect(target).toEqual({ backend: 'kind', context: 'kind-k8s-learn' });
    const config = parse(readFileSync(userKubeconfig, 'utf8')) as Kubeconfig;
    expect(config['current-context']).toBe('work');
    expect(config.contexts.map((c) => c.name).sort()).toEqual(['kind-k8s-learn', 'work']);
    expect(lines.join('\n')).toMatch(/All nodes are Ready/);
    expect(lines.join('\n')).toMatch(/switched it back to work/);

    const kubectl = createKubectl(runner, target);
    expect((await kubectl.run(['create', 'namespace', 'k8s-test'])).exitCode).toBe(0);
    expect(
      (
        await kubectl.run([
          '-n',
          'k8s-test',
          'create',
          'configmap',
          'casc-network-config',
          '--from-literal=CASC_NETWORK_CONFIG=["10.0.0.0/8"]',
        ])
      ).exitCode,
    ).toBe(0);
    const ctx = { runner, workspace: backendEnv.workspace, lang: 'en', t, vars: {}, cluster: target };
    const run = (name: string, spec: Record<string, unknown>) =>
      (kubeCheckTypes as CheckType[]).find((c) => c.name === name)!.run(spec, ctx);
    expect(await run('nodes-ready', { count: 3, timeout: 10 })).toMatchObject({ ok: true });
    expect(
      await run('configmap-cidrs', {
        name: 'casc-network-config',
        namespace: 'k8s-test',
        key: 'CASC_NETWORK_CONFIG',
      }),
    ).toMatchObject({ ok: true });
    expect(await objectsOf(b)).toBe(before);
    const onA = await a.kubectl(['-n', 'k8s-test', 'get', 'configmap', 'casc-network-config', '-o', 'name']);
    expect(onA.stdout.trim()).toBe('configmap/casc-network-config');

    await prepareCluster('kind', backendEnv);
    expect(machine.calls().filter((c) => c[1] === 'create')).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/Reusing the kind cluster "k8s-learn"/);

    const removed = await cleanupCluster({
      runner,
      ui: backendEnv.ui,
      t,
      workspace: backendEnv.workspace,
      cluster: 'kind',
      yes: true,
    });
    expect(removed).toEqual({ backend: 'kind', removed: true });
    const after = parse(readFileSync(userKubeconfig, 'utf8')) as Kubeconfig;
    expect(after.contexts.map((c) => c.name)).toEqual(['work']);
    expect(after['current-context']).toBe('work');
    expect(await objectsOf(b)).toBe(before);
  });
});
