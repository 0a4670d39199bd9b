// `reset STEP` then replaying passes, for every step of the built-in course. The built CLI runs the
// whole course unattended on the practice cluster; then, from the last step back to the first,
// each step is reset with --yes (the cluster is put back as the step found it, undoing that step
// and the one after it, which was replayed last) and replayed with `solve` + `verify`. Back at the
// start, one `--yes` run replays the whole course after the cluster was rolled back to empty. An
// unrelated ConfigMap in another namespace must survive all of it, and `reset --all` at the end.
// (Replaying the whole tail after every reset costs ~7 course runs; this costs ~2.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/course/load.js';
import { stepNeedsCluster } from '../../src/engine/cluster.js';
import { type ClusterSnapshot, courseNamespaces, takeSnapshot } from '../../src/engine/snapshot.js';
import { createKubectl } from '../../src/kubectl.js';
import { builtinCourseDir } from '../../src/paths.js';
import { createRunner } from '../../src/runner.js';
import { cli } from '../helpers/cli.js';

const course = loadCourse(builtinCourseDir());
const steps = course.steps.map((s) => s.key);
const clusterSteps = course.steps.filter(stepNeedsCluster).map((s) => s.key);
const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-reset-'));
const lab = join(dir, 'lab');
const env = {
  K8S_LEARN_PRACTICE_DIR: join(dir, 'practice'),
  KUBECONFIG: join(dir, 'kubeconfig'),
  // Simulated time 50× faster: this file replays the course's tail once per step.
  K8S_LEARN_PRACTICE_TIME_SCALE: '0.02',
};

function kubectl(args: string[]) {
  return spawnSync('kubectl', ['--context', 'k8s-learn-practice', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}
const status = () => JSON.parse(cli(['status', '--json', '--dir', lab], { env }).stdout);
const state = () => JSON.parse(readFileSync(join(lab, '.k8s-learn/state.json'), 'utf8'));

// Whether a step changed the course's objects, from the first run: the snapshot its next cluster
// step found (or the cluster at the end) against the one it found. Some steps only read the
// cluster (the nodes, contexts, the default token, the tree); resetting the step before one of
// them finds nothing to undo when neither changed anything.
const changedCluster = new Map<string, boolean>();

beforeAll(async () => {
  const r = cli(['--yes', '--cluster', 'practice', '--dir', lab], { env, timeoutMs: 240_000 });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Course complete');
  const kubectlHere = createKubectl(createRunner({ env: { ...process.env, ...env } }), {
    backend: 'practice',
    context: 'k8s-learn-practice',
  });
  const end = await takeSnapshot(kubectlHere, courseNamespaces(course));
  if (!end.ok) throw new Error(end.error);
  const found = (key: string) => state().steps[key].clusterBefore as ClusterSnapshot;
  clusterSteps.forEach((key, i) => {
    const after = i + 1 < clusterSteps.length ? found(clusterSteps[i + 1]!) : end.snapshot;
    changedCluster.set(key, JSON.stringify(found(key).objects) !== JSON.stringify(after.objects));
  });
  // The learner's own things, outside the course's namespace.
  expect(kubectl(['create', 'namespace', 'bystander']).status).toBe(0);
  expect(kubectl(['create', 'configmap', 'keep-me', '-n', 'bystander', '--from-literal=a=b']).status).toBe(0);
}, 300_000);

afterAll(() => {
  cli(['practice', 'stop'], { env });
  rmSync(dir, { recursive: true, force: true });
});

describe('reset STEP --yes, then replay from that step', () => {
  it('records the cluster as each cluster step found it', () => {
    const records = state().steps;
    expect(records['welcome/tour'].clusterBefore).toBeUndefined();
    expect(records['namespace/create'].clusterBefore.objects).toEqual([]);
    expect(records['scaling/scale-down'].clusterBefore.objects).toContainEqual(
      expect.objectContaining({
        kind: 'Deployment',
        name: 'k8s-employee',
        namespace: 'k8s-test',
        replicas: 5,
      }),
    );
  });

  it('shows the plan and changes nothing under --dry-run, or without a terminal and --yes', () => {
    const k8sTestExists = () => kubectl(['get', 'deployment', 'k8s-test', '-n', 'k8s-test']).status === 0;
    const dry = cli(['reset', 'scaling/scale-down', '--dry-run', '--dir', lab], { env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('To put the cluster back as scaling/scale-down found it');
    expect(dry.stdout).toContain('delete deployment/k8s-test (namespace k8s-test)');
    expect(dry.stdout).toContain('deployment/k8s-employee: replicas 2 → 5');
    expect(dry.stdout).toContain(
      'deployment/k8s-employee: volume network-config mounts employee-config → casc-network-config',
    );
    expect(dry.stdout).toContain(
      `Later steps you will redo (marked to do again): ${steps.slice(steps.indexOf('scaling/scale-down') + 1).join(', ')}`,
    );
    expect(dry.stdout).toContain('Dry run: the cluster was not changed.');
    expect(k8sTestExists()).toBe(true);
    expect(status()).toMatchObject({ complete: true });
    const zh = cli(['reset', 'scaling/scale-down', '--dry-run', '--lang', 'zh-CN', '--dir', lab], { env });
    expect(zh.stdout).toContain('把集群恢复成 scaling/scale-down 开始时的样子需要');
    expect(zh.stdout).toContain('deployment/k8s-employee：副本数 2 → 5');

    const asked = cli(['reset', 'alerts/image-pull', '--dir', lab], { env });
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain('delete deployment/k8s-test (namespace k8s-test)');
    expect(asked.stdout).toMatch(/Run `(npx |npm start -- )?k8s-learn reset alerts\/image-pull --yes`/);
    expect(k8sTestExists()).toBe(true);
    expect(state().steps['alerts/crash-loop'].status).toBe('done');
  });

  it.each([...steps].reverse())(
    '%s',
    (step) => {
      const recorded = state().steps[step].clusterBefore !== undefined;
      const statusOf = (key: string) => state().steps[key]?.status ?? 'todo';
      const laterBefore = steps.slice(steps.indexOf(step) + 1).map(statusOf);
      const reset = cli(['reset', step, '--yes', '--dir', lab], { env, timeoutMs: 240_000 });
      expect(reset.stderr).toBe('');
      expect(reset.code).toBe(0);
      expect(reset.stdout).toContain(`Step ${step} reset.`);
      const later = steps.slice(steps.indexOf(step) + 1);
      // The cluster now is as the next step's replay left it: the reset undoes something when this
      // step or that one changed the course's objects.
      const next = clusterSteps[clusterSteps.indexOf(step) + 1];
      const undoes = recorded && next !== undefined && (changedCluster.get(step) || changedCluster.get(next));
      if (recorded && later.length > 0 && !undoes) {
        // Nothing undone, so no later step is marked to do again.
        expect(reset.stdout).toContain(`The cluster is already as ${step} found it.`);
        expect(reset.stdout).not.toContain('marked to do again');
        expect(later.map(statusOf)).toEqual(laterBefore);
      }
      if (recorded && later.length > 0 && undoes) {
        // The next step (replayed last) changed the cluster after this one started: undone, to redo.
        expect(reset.stdout).toContain('The cluster is back as');
        expect(later.filter((key) => state().steps[key]?.status === 'todo')).toEqual(later);
        expect(reset.stdout).toContain(`marked to do again: ${later[0]}`);
      }
      const solve = cli(['solve', step, '--yes', '--dir', lab], { env, timeoutMs: 240_000 });
      expect(solve.code, solve.stdout + solve.stderr).toBe(0);
      const verify = cli(['verify', step, '--dir', lab], { env, timeoutMs: 240_000 });
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(state().steps[step].status).toBe('done');
      expect(kubectl(['get', 'configmap', 'keep-me', '-n', 'bystander', '-o', 'name']).stdout).toContain(
        'keep-me',
      );
    },
    300_000,
  );

  it('after the reset of the first cluster step, a --yes run replays the rest of the course', () => {
    expect(kubectl(['get', 'namespace', 'k8s-test']).status).not.toBe(0);
    const replay = cli(['--yes', '--dir', lab], { env, timeoutMs: 240_000 });
    expect(replay.stderr).toBe('');
    expect(replay.code, replay.stdout).toBe(0);
    expect(replay.stdout).toContain('Course complete');
    expect(status()).toMatchObject({ complete: true });
  }, 300_000);

  it('reset --all says what it keeps, removes the course namespace and never the learner’s files', () => {
    writeFileSync(join(lab, 'k8s/k8s-core.yaml'), '# mine\n');
    const r = cli(['reset', '--all', '--yes', '--dir', lab], { env, timeoutMs: 240_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Files you edited (never deleted): k8s/k8s-core.yaml');
    expect(r.stdout).toContain('delete namespace k8s-test and everything in it: ');
    expect(r.stdout).toContain("The course's objects are removed from the cluster.");
    expect(readFileSync(join(lab, 'k8s/k8s-core.yaml'), 'utf8')).toBe('# mine\n');
    expect(existsSync(join(lab, 'k8s/configmap.yaml'))).toBe(true);
    // reset --all --yes stopped the practice cluster; start it again to look.
    expect(cli(['practice', 'start'], { env, timeoutMs: 60_000 }).code).toBe(0);
    expect(kubectl(['get', 'namespace', 'k8s-test']).status).not.toBe(0);
    expect(kubectl(['get', 'configmap', 'keep-me', '-n', 'bystander', '-o', 'name']).stdout).toContain(
      'keep-me',
    );
  }, 300_000);
});
