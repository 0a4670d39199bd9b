// End to end: the user's current-context points at another cluster (B). A whole run of the course's
// cluster work — writes through the kubectl module, every check type, the alerts reader, and the
// `alerts` CLI — happens on the course's cluster (A) and changes nothing on B, nor in the user's
// kubeconfig. Two practice clusters, the real kubectl.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { collectSnapshot } from '../../src/alerts/collect.js';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckContext, CheckType, ClusterTarget } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createKubectl } from '../../src/kubectl.js';
import { createRunner, type Runner } from '../../src/runner.js';
import { root } from '../helpers/cli.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let a: TestCluster;
let b: TestCluster;
let userKubeconfig: string;
let userEnv: Record<string, string | undefined>;

interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

/** fingerprint lists every object of B with its resourceVersion, through B's own kubeconfig. */
async function fingerprint(cluster: TestCluster): Promise<string[]> {
  const r = await cluster.kubectl([
    'get',
    'namespaces,configmaps,deployments,services,pods,endpointslices,horizontalpodautoscalers',
    '-A',
    '-o',
    'json',
  ]);
  expect(r.code).toBe(0);
  const items = (
    JSON.parse(r.stdout) as {
      items: { kind: string; metadata: { namespace?: string; name: string; resourceVersion: string } }[];
    }
  ).items;
  return items
    .map((i) => `${i.kind}/${i.metadata.namespace ?? ''}/${i.metadata.name}@${i.metadata.resourceVersion}`)
    .sort();
}

beforeAll(async () => {
  a = await startTestCluster({ plugins: [] });
  b = await startTestCluster({ plugins: [] });
  // The user's own kubeconfig: context "work" (B) is current; "course" is A.
  const ka = parse(readFileSync(a.cluster.kubeconfigPath, 'utf8')) as Kubeconfig;
  const kb = parse(readFileSync(b.cluster.kubeconfigPath, 'utf8')) as Kubeconfig;
  userKubeconfig = join(b.dataDir, 'user-kubeconfig.yaml');
  writeFileSync(
    userKubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'work', cluster: kb.clusters[0]!.cluster },
        { name: 'course', cluster: ka.clusters[0]!.cluster },
      ],
      users: [
        { name: 'work', user: kb.users[0]!.user },
        { name: 'course', user: ka.users[0]!.user },
      ],
      contexts: [
        { name: 'work', context: { cluster: 'work', user: 'work' } },
        { name: 'course', context: { cluster: 'course', user: 'course' } },
      ],
      'current-context': 'work',
    }),
    { mode: 0o600 },
  );
  userEnv = {
    PATH: process.env.PATH,
    HOME: b.dataDir,
    KUBECONFIG: userKubeconfig,
    KUBECACHEDIR: join(b.dataDir, 'cache'),
  };
  // Something to protect on B, including a broken pod the alerts command must not see.
  await b.kubectl(['create', 'namespace', 'k8s-test']);
  await b.kubectl(['-n', 'k8s-test', 'create', 'configmap', 'casc-network-config', '--from-literal=x=1']);
  await b.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'broken', namespace: 'k8s-test' },
      spec: { containers: [{ name: 'app', image: 'k8s-core:latest' }] },
    }),
  });
  await b.kubectl([
    '-n',
    'k8s-test',
    'patch',
    'pod',
    'broken',
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            image: 'k8s-core:latest',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ImagePullBackOff' } },
          },
        ],
      },
    }),
  ]);
}, 90_000);

/** cli runs the built CLI without blocking this process (the clusters live in it). */
async function cli(argv: string[], options: { env: Record<string, string | undefined> }) {
  const r = await createRunner({ env: options.env as NodeJS.ProcessEnv }).run(
    process.execPath,
    [join(root, 'bin/k8s-learn.js'), ...argv],
    { timeoutMs: 30_000 },
  );
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

async function wholeRun(runner: Runner, target: ClusterTarget) {
  const kubectl = createKubectl(runner, target);
  const ns = target.kubeconfig ? 'safety-own-kubeconfig' : 'safety-named-context';
  const steps: string[][] = [
    ['create', 'namespace', ns],
    [
      '-n',
      ns,
      'create',
      'configmap',
      'casc-network-config',
      '--from-literal=CASC_NETWORK_CONFIG=["10.0.0.0/8"]',
    ],
    ['-n', ns, 'create', 'deployment', 'k8s-core', '--image=k8s-core:1.0', '--replicas=2'],
    ['-n', ns, 'scale', 'deployment', 'k8s-core', '--replicas=3'],
    ['-n', ns, 'label', 'configmap', 'casc-network-config', 'course=k8s-learn'],
  ];
  for (const args of steps) {
    const r = await kubectl.run(args);
    expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  const ctx: CheckContext = {
    runner,
    workspace: b.dataDir,
    lang: 'en',
    t: createTranslator('en'),
    vars: {},
    cluster: target,
  };
  // apply-keeps reads the learner's file, then asks the API server for a dry run of its apply.
  writeFileSync(
    join(ctx.workspace, 'k8s-core.yaml'),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: k8s-core, namespace: ${ns} }\nspec:\n  selector: { matchLabels: { app: k8s-core } }\n  template:\n    metadata: { labels: { app: k8s-core } }\n    spec: { containers: [{ name: k8s-core, image: 'k8s-core:1.0' }] }\n`,
  );
  const specs: Record<string, Record<string, unknown>> = {
    'resource-exists': { kind: 'configmap', name: 'casc-network-config', namespace: ns },
    'resource-absent': { kind: 'configmap', name: 'nothing', namespace: ns },
    condition: { kind: 'namespace', name: ns, condition: 'NotAThing', timeout: 1 },
    rollout: { name: 'k8s-core', namespace: ns, timeout: 1 },
    'jsonpath-equals': {
      kind: 'deployment',
      name: 'k8s-core',
      namespace: ns,
      path: '.spec.replicas',
      value: 3,
      timeout: 1,
    },
    'jsonpath-at-least': {
      kind: 'deployment',
      name: 'k8s-core',
      namespace: ns,
      path: '.spec.replicas',
      min: 3,
      timeout: 1,
    },
    'ready-replicas': { name: 'k8s-core', namespace: ns, replicas: 3, timeout: 1 },
    'endpoints-ready': { service: 'k8s-core', namespace: ns, timeout: 0 },
    'load-balanced': { service: 'k8s-core', namespace: ns, requests: 2, timeout: 5 },
    'service-dns': { service: 'k8s-core', namespace: ns, from: 'deployment/k8s-core' },
    'port-forward': { service: 'k8s-core', namespace: ns },
    'nodes-ready': { timeout: 5 },
    'pods-on-node': { name: 'k8s-core', namespace: ns, node: 'k8s-learn-worker2', timeout: 1 },
    'apply-keeps': {
      path: 'k8s-core.yaml',
      kind: 'deployment',
      name: 'k8s-core',
      namespace: ns,
      field: 'spec.replicas',
    },
    'hpa-replicas': { name: 'k8s-core', namespace: ns, above: 1, timeout: 0 },
    'configmap-json': { name: 'casc-network-config', namespace: ns, key: 'CASC_NETWORK_CONFIG' },
    'configmap-cidrs': { name: 'casc-network-config', namespace: ns, key: 'CASC_NETWORK_CONFIG' },
    'no-alerts': { namespace: ns },
    'image-on-nodes': { image: 'k8s-core:1.0' },
    'can-i': {
      verb: 'list',
      resource: 'secrets',
      namespace: ns,
      as: `system:serviceaccount:${ns}:x`,
      allowed: false,
    },
    // The learner's answer file does not exist here: the check still asks A's nodes, never B's.
    'cluster-answer': {
      file: 'answers.yaml',
      key: 'nodes',
      kind: 'nodes',
      jsonpath: '{.items[*].metadata.name}',
      compare: 'count',
    },
  };
  const passed: string[] = [];
  for (const type of kubeCheckTypes as CheckType[]) {
    const r = await type.run(specs[type.name]!, ctx);
    if (r.ok) passed.push(type.name);
  }
  // The ones that can pass on A without controllers did pass: they read A, not B.
  expect(passed).toEqual(
    expect.arrayContaining([
      'resource-exists',
      'resource-absent',
      'jsonpath-equals',
      'jsonpath-at-least',
      'nodes-ready',
      'configmap-json',
      'configmap-cidrs',
      'no-alerts',
    ]),
  );
  await collectSnapshot(kubectl, undefined);
  return ns;
}

describe('context safety', () => {
  it('a whole run pinned to A (own kubeconfig, or context:NAME in the user file) changes nothing on B', async () => {
    const before = await fingerprint(b);
    const kubeconfigBefore = readFileSync(userKubeconfig, 'utf8');
    const runner = createRunner({ env: userEnv });
    const ns1 = await wholeRun(runner, {
      backend: 'practice',
      context: a.cluster.context,
      kubeconfig: a.cluster.kubeconfigPath,
    });
    const ns2 = await wholeRun(runner, { backend: 'context', context: 'course' });
    expect(await fingerprint(b)).toEqual(before);
    expect(readFileSync(userKubeconfig, 'utf8')).toBe(kubeconfigBefore);
    // And the work did land on A.
    const onA = await a.kubectl(['get', 'deployments', '-A', '-o', 'name']);
    expect(onA.stdout.trim().split('\n').sort()).toEqual([
      'deployment.apps/k8s-core',
      'deployment.apps/k8s-core',
    ]);
    const nsOnA = await a.kubectl(['get', 'ns', ns1, ns2, '-o', 'name']);
    expect(nsOnA.code).toBe(0);
    // Every check type runs against A: on a loaded 2-core machine that takes over 30 s.
  }, 60_000);

  it('the alerts command with --cluster context:course reads A, not the current context B', async () => {
    const before = await fingerprint(b);
    const r = await cli(['alerts', '--cluster', 'context:course', '-n', 'k8s-test'], { env: userEnv });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/No active alerts/);
    expect(r.code).toBe(0);
    // The same command against B itself finds B's broken pod: the test can fail.
    const onB = await cli(['alerts', '--cluster', 'context:work', '-n', 'k8s-test', '--json'], {
      env: userEnv,
    });
    expect(onB.code).toBe(1);
    expect(JSON.parse(onB.stdout)[0]).toMatchObject({ object: 'Pod/broken', reason: 'ImagePullBackOff' });
    expect(await fingerprint(b)).toEqual(before);
  });

  it('a whole unattended course run (`k8s-learn --yes --cluster context:course`) lands on A only', async () => {
    const before = await fingerprint(b);
    const kubeconfigBefore = readFileSync(userKubeconfig, 'utf8');
    const workspace = join(b.dataDir, 'lab');
    const course = join(import.meta.dirname, 'fixtures', 'cluster-course');
    const r = await cli(
      ['start', '--yes', '--course', course, '--dir', workspace, '--cluster', 'context:course'],
      { env: userEnv },
    );
    expect(r.stderr, r.stdout).toBe('');
    expect(r.code, r.stdout).toBe(0);
    expect(await fingerprint(b)).toEqual(before);
    expect(readFileSync(userKubeconfig, 'utf8')).toBe(kubeconfigBefore);
    const onA = await a.kubectl([
      '-n',
      'k8s-test',
      'get',
      'configmap/casc-network-config',
      'deployment/k8s-core',
      '-o',
      'name',
    ]);
    expect(onA.stdout.trim().split('\n')).toEqual([
      'configmap/casc-network-config',
      'deployment.apps/k8s-core',
    ]);
    const state = JSON.parse(readFileSync(join(workspace, '.k8s-learn', 'state.json'), 'utf8')) as {
      backend: string;
      context: string;
    };
    expect(state).toMatchObject({ backend: 'context', context: 'course' });
    // The learner saw the commands as they would type them, and the context named once.
    expect(r.stdout).toMatch(/kubectl -n k8s-test create deployment k8s-core/);
    expect(r.stdout).not.toMatch(/--context course create/);
    expect(r.stdout.match(/Commands run against the context course/g)).toHaveLength(1);
  });
});
