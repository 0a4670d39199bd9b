// The learner's side of a workshop on the practice cluster with the real kubectl: the course runs
// inside the learner's namespace (the namespace step explained, not run), progress reaches the
// facilitator's `workshop status`, failures show with their cause, a dead credential gets a clear
// message. The credentials here are the practice cluster's own token (no RBAC fence): what the
// fence itself refuses is tested in workshop-rbac.test.ts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkshopView } from '../../src/workshop/rows.js';
import { root } from '../helpers/cli.js';
import {
  cli,
  courseSteps,
  handMadeLearner,
  lastStep,
  learnerKubeconfigFile,
  startWorkshopCluster,
  statusJson,
  type WorkshopCluster,
} from './helpers.js';

let w: WorkshopCluster;
beforeAll(async () => {
  w = await startWorkshopCluster();
}, 60_000);
afterAll(async () => {
  await w?.tc.stop();
});

describe('learner mode', () => {
  it('two learners run the whole course in parallel, each inside its own namespace', async () => {
    const [k1, k2] = await Promise.all([handMadeLearner(w, 'learner-01'), handMadeLearner(w, 'learner-02')]);
    const [r1, r2] = await Promise.all([
      cli(w, ['--yes', '--kubeconfig', k1, '--dir', join(w.dir, 'lab-01')]),
      cli(w, ['--yes', '--kubeconfig', k2, '--dir', join(w.dir, 'lab-02')]),
    ]);
    for (const r of [r1, r2]) {
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout.slice(-2500)).toBe(0);
      // The namespace step changes the whole cluster: shown, not run.
      expect(r.stdout).toContain('Done by the facilitator');
      expect(r.stdout).toContain('$ kubectl apply -f k8s/namespace.yaml');
      // Draining the shared cluster's workers is the facilitator's; the step built on it is read too.
      expect(r.stdout).toContain('This step builds on autoscaling/availability, which your facilitator did');
      expect(r.stdout).toContain('Course complete');
    }
    expect(r1.stdout).toContain('-n learner-01');
    expect(r1.stdout).not.toContain('learner-02');
    expect(r2.stdout).not.toContain('learner-01');
    // The course's own namespace was never made; each learner's work is in their namespace.
    expect((await w.tc.kubectl(['get', 'namespace', 'k8s-test'])).stderr).toContain('NotFound');
    for (const ns of ['learner-01', 'learner-02']) {
      const d = await w.tc.kubectl(['get', 'deployments', '-n', ns, '-o', 'name']);
      expect(d.stdout.split('\n').filter(Boolean).sort()).toEqual([
        'deployment.apps/k8s-batch',
        'deployment.apps/k8s-core',
        'deployment.apps/k8s-employee',
        'deployment.apps/k8s-env',
        'deployment.apps/k8s-report',
        'deployment.apps/k8s-test',
      ]);
    }
    const view = await statusJson(w);
    const rows = Object.fromEntries(view.learners.map((l) => [l.learner, l]));
    for (const ns of ['learner-01', 'learner-02']) {
      expect(rows[ns]).toMatchObject({
        state: 'done',
        doneSteps: courseSteps.length,
        totalSteps: courseSteps.length,
        step: { number: courseSteps.length, key: lastStep.key },
      });
    }
  }, 300_000);

  it('a failing verification shows as failing with its cause, stuck first; passing clears it', async () => {
    const k3 = await handMadeLearner(w, 'learner-03');
    const lab = join(w.dir, 'lab-03');
    const failed = await cli(w, ['verify', 'configmap/network-config', '--kubeconfig', k3, '--dir', lab]);
    expect(failed.code).toBe(1);
    let view = await statusJson(w);
    expect(view.learners[0]).toMatchObject({ learner: 'learner-03', state: 'failing', attempts: 1 });
    expect(view.learners[0]!.lastFailure).toMatch(/^k8s\/configmap.yaml .*: no such file/);
    expect(view.failures[0]).toMatchObject({ count: 1, learners: ['learner-03'] });
    // A hint counts (and the learner stays failing).
    expect((await cli(w, ['hint', 'configmap/network-config', '--dir', lab])).code).toBe(0);
    view = await statusJson(w);
    expect(view.learners[0]).toMatchObject({ learner: 'learner-03', state: 'failing', hintsShown: 1 });
    // The text table says the same.
    const table = await cli(w, ['workshop', 'status', ...w.admin]);
    expect(table.stdout.split('\n')[1]).toMatch(/^learner-03\s+failing/);

    // Later commands find the workshop from the workspace, without the flag.
    const solved = await cli(w, ['solve', 'configmap/network-config', '--yes', '--dir', lab]);
    expect(solved.stderr).toBe('');
    expect(solved.stdout).not.toContain('practice cluster');
    expect(solved.code).toBe(0);
    expect((await w.tc.kubectl(['get', 'configmap', 'casc-network-config', '-n', 'learner-03'])).code).toBe(
      0,
    );
    const passed = await cli(w, ['verify', 'configmap/network-config', '--dir', lab]);
    // A learner's cleanup never touches the shared cluster.
    const cleanup = await cli(w, ['cleanup', '--yes', '--dir', lab]);
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toContain('This workspace belongs to a workshop (namespace learner-03)');
    expect((await w.tc.kubectl(['get', 'namespace', 'learner-03'])).code).toBe(0);
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    view = await statusJson(w);
    const row = view.learners.find((l) => l.learner === 'learner-03');
    expect(row?.state).not.toBe('failing');
    expect(row?.lastFailure).toBeUndefined();
  }, 120_000);

  it('a credential the cluster no longer accepts gets a clear message, not a raw 401', async () => {
    const file = learnerKubeconfigFile(w, 'learner-09', 'a-token-of-a-torn-down-workshop');
    const r = await cli(w, ['--yes', '--kubeconfig', file, '--dir', join(w.dir, 'lab-09')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Your workshop credential for the namespace learner-09 no longer works');
    expect(r.stderr).toContain('Ask the facilitator for a new kubeconfig file');
    expect(r.stderr).not.toContain('Unauthorized');
  }, 60_000);

  it('--namespace alone is a usage error; a kubeconfig without a namespace asks for one', async () => {
    const r = await cli(w, ['--yes', '--namespace', 'learner-01', '--dir', join(w.dir, 'lab-x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--namespace needs the workshop cluster');
    const noNs = await cli(w, [
      '--yes',
      '--kubeconfig',
      w.tc.cluster.kubeconfigPath,
      '--dir',
      join(w.dir, 'lab-y'),
    ]);
    expect(noNs.code).toBe(2);
    expect(noNs.stderr).toContain('names no namespace');
  }, 60_000);

  it('provision --dry-run prints every object and changes nothing', async () => {
    const before = await w.tc.kubectl(['get', 'namespaces,clusterroles,clusterrolebindings', '-o', 'name']);
    const r = await cli(w, [
      'workshop',
      'provision',
      ...w.admin,
      '--learners',
      '5',
      '--dry-run',
      '--out',
      join(w.dir, 'dry'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // learner-01..03 exist (labelled above): only 04 and 05 are new.
    expect(r.stdout).toContain('2 learners to create, 3 already there');
    for (const kind of [
      'Namespace',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'ClusterRoleBinding',
      'ResourceQuota',
      'LimitRange',
      'ClusterRole',
    ]) {
      expect(r.stdout).toContain(`kind: ${kind}\n`);
    }
    expect(r.stdout).toContain('name: learner-05');
    expect(r.stdout).not.toContain('name: learner-01\n');
    expect(r.stdout).toContain('kubectl create token learner -n learner-04 --duration 8h');
    const after = await w.tc.kubectl(['get', 'namespaces,clusterroles,clusterrolebindings', '-o', 'name']);
    expect(after.stdout).toBe(before.stdout);
  }, 60_000);

  it('status --watch --json prints the view again when a learner moves on, until Ctrl-C', async () => {
    const k4 = await handMadeLearner(w, 'learner-04');
    const watch = spawn(
      process.execPath,
      [join(root, 'bin/k8s-learn.js'), 'workshop', 'status', ...w.admin, '--watch', '--json'],
      {
        env: w.env as NodeJS.ProcessEnv,
      },
    );
    const views: WorkshopView[] = [];
    let buffer = '';
    watch.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const l of lines) if (l) views.push(JSON.parse(l) as WorkshopView);
    });
    const row = (v: WorkshopView | undefined) => v?.learners.find((l) => l.learner === 'learner-04');
    await expect.poll(() => row(views.at(-1))?.state, { timeout: 20_000 }).toBe('not-started');
    const solved = await cli(w, [
      'solve',
      'welcome/tour',
      '--yes',
      '--kubeconfig',
      k4,
      '--dir',
      join(w.dir, 'lab-04'),
    ]);
    expect(solved.code).toBe(0);
    await expect.poll(() => row(views.at(-1))?.step?.key, { timeout: 20_000 }).toBe('welcome/kubectl');
    const exited = new Promise<number | null>((r) => watch.once('exit', (code) => r(code)));
    watch.kill('SIGINT');
    expect(await exited).toBe(130);
  }, 90_000);

  it('workshop commands need --context', async () => {
    const r = await cli(w, ['workshop', 'status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--context NAME');
  });
});
