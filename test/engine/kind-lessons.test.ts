// The cluster and wrap-up lessons on the kind path, unattended: the fake `kind` plays kind (records
// each call, adds a `kind-k8s-learn` context that points at a practice cluster, so kubectl and the
// checks are real), and the learner's current context `work` must survive it all. What is checked
// here is the command lines the kind path runs; no real kind cluster is involved (docs/backends.md).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { start } from '../../src/commands/start.js';
import { builtinCourseDir } from '../../src/paths.js';
import { createRunner } from '../../src/runner.js';
import { fakeMachine } from '../fakes/env.js';
import { args, scripted } from '../helpers/engine.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let cluster: TestCluster;
const machine = fakeMachine();
const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-kind-lessons-'));
const course = join(dir, 'course');
const lab = join(dir, 'lab');
const userKubeconfig = join(dir, 'kubeconfig');

beforeAll(async () => {
  cluster = await startTestCluster();
  // The built-in course cut to the lessons under test; wrap-up without its tree of k8s-core (the
  // objects of the earlier lessons are not made here).
  cpSync(builtinCourseDir(), course, { recursive: true });
  const manifest = parse(readFileSync(join(course, 'course.yaml'), 'utf8'));
  writeFileSync(join(course, 'course.yaml'), stringify({ ...manifest, lessons: ['cluster', 'wrap-up'] }));
  const wrapUp = parse(readFileSync(join(course, 'wrap-up/lesson.yaml'), 'utf8'));
  wrapUp.steps = wrapUp.steps.filter((s: { id: string }) => s.id === 'next');
  writeFileSync(join(course, 'wrap-up/lesson.yaml'), stringify(wrapUp));
  writeFileSync(
    userKubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'work', cluster: { server: 'https://work.example:6443' } }],
      users: [{ name: 'work', user: { token: 'mine' } }],
      contexts: [{ name: 'work', context: { cluster: 'work', user: 'work' } }],
      'current-context': 'work',
    }),
    { mode: 0o600 },
  );
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

it('creates the cluster from the template, reads its nodes and shape, and only shows the way out', async () => {
  const runner = createRunner({
    env: {
      ...machine.env,
      KUBECONFIG: userKubeconfig,
      KUBECACHEDIR: join(dir, 'kubectl-cache'),
      FAKE_KIND_SERVER_KUBECONFIG: cluster.cluster.kubeconfigPath,
    },
  });
  const { ui, text } = scripted();
  const code = await start(args(lab, { course, yes: true, cluster: 'kind' }), { ui, runner });
  expect(code, text().slice(-3000)).toBe(0);

  const kind = machine.calls().filter((c) => c[0] === 'kind');
  const configFile = join(lab, '.k8s-learn', 'kind-cluster.yaml');
  expect(kind).toContainEqual([
    'kind',
    'create',
    'cluster',
    '--name',
    'k8s-learn',
    '--config',
    configFile,
    '--wait',
    '2m',
  ]);
  // What kind read: one control-plane node and two workers, from templates/kind-cluster.yaml.hbs.
  const seen = parse(readFileSync(join(machine.stateDir, 'kind-config-seen.yaml'), 'utf8'));
  expect(seen.nodes.map((n: { role: string }) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
  expect(kind).toContainEqual(['kind', 'get', 'nodes', '--name', 'k8s-learn']);
  expect(kind).toContainEqual(['kind', 'get', 'clusters']);
  // Nothing was deleted: cleanup ran as a dry run only.
  expect(kind.filter((c) => c[1] === 'delete')).toEqual([]);
  expect(text()).toContain('[dry-run] kind delete cluster --name k8s-learn');

  expect(text()).toContain('✓ kind runs the node k8s-learn-control-plane as a Docker container');
  expect(text()).toContain('✓ `kubectl cluster-info` finds the control plane');
  expect(text()).toContain("✓ `taint` is the control-plane node's taint, as key:effect");
  expect(readFileSync(join(lab, 'cluster/answers.yaml'), 'utf8')).toContain(
    'taint: node-role.kubernetes.io/control-plane:NoSchedule',
  );
  // Every kubectl call was pinned to the course's context; the learner's stays current.
  expect(parse(readFileSync(userKubeconfig, 'utf8'))['current-context']).toBe('work');
  const state = JSON.parse(readFileSync(join(lab, '.k8s-learn', 'state.json'), 'utf8'));
  expect(state).toMatchObject({ backend: 'kind', context: 'kind-k8s-learn' });
  for (const key of ['cluster/nodes', 'cluster/contexts', 'cluster/taints', 'wrap-up/next'])
    expect(state.steps[key].status, key).toBe('done');
}, 180_000);
