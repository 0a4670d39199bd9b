import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, root } from '../helpers/cli.js';
import { fixtureCourse, tempWorkspace } from '../helpers/engine.js';

const ESC = '\x1b[';
let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe('the built CLI', () => {
  it('prints help with every command and exits 0', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['start', 'list', 'status', 'verify', 'hint', 'solve', 'reset', 'course'])
      expect(r.stdout).toContain(`  ${c}`);
    expect(r.stdout).toContain('--dry-run');
  });

  it('has --help on every command', () => {
    for (const c of [
      ['list'],
      ['status'],
      ['verify'],
      ['hint'],
      ['solve'],
      ['reset'],
      ['course', 'check'],
      ['start'],
    ]) {
      const r = cli([...c, '--help']);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: k8s-learn ${c.join(' ')}`);
    }
  });

  it('prints the package version with --version and -v', () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    expect(cli(['--version']).stdout.trim()).toBe(version);
    expect(cli(['-v']).stdout.trim()).toBe(version);
  });

  it('rejects an unknown command with exit 2, a hint and the help command', () => {
    const r = cli(['stauts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "stauts"');
    expect(r.stderr).toContain('Did you mean "k8s-learn status"?');
    expect(r.stderr).toContain("Run 'k8s-learn --help'");
  });

  it('rejects an unknown flag and a bad value with exit 2', () => {
    expect(cli(['list', '--bogus']).code).toBe(2);
    const bad = cli(['--cluster', 'minikube', 'status']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --cluster value "minikube"');
    expect(cli(['--lang', 'fr', 'status']).code).toBe(2);
  });

  it('stops quietly when its reader goes away (| head)', () => {
    // Enough findings to overflow the pipe, so writes continue after `head` has exited.
    const doc =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p%}\nspec: {containers: [{name: c, image: app}]}\n';
    const file = join(ws.dir, 'many.yaml');
    writeFileSync(file, Array.from({ length: 800 }, (_, i) => doc.replace('%', String(i))).join('---\n'));
    const r = spawnSync('sh', ['-c', `node ${join(root, 'bin/k8s-learn.js')} check ${file} | head -1`], {
      encoding: 'utf8',
    });
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('exits 2 at once without a terminal and without --yes', () => {
    const r = cli(['--dir', ws.dir, '--course', fixtureCourse]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
  });

  it('prints no escape codes under NO_COLOR, even when colour is forced', () => {
    const env = { NO_COLOR: '1', FORCE_COLOR: '1' };
    for (const argv of [
      ['--help'],
      ['list', '--dir', ws.dir],
      ['--yes', '--dir', ws.dir, '--course', fixtureCourse, '--dry-run'],
    ]) {
      const r = cli(argv, { env });
      expect(r.stdout + r.stderr).not.toContain(ESC);
    }
    // and the same list does colour when forced, so the assertion above can fail.
    expect(cli(['list', '--dir', ws.dir], { env: { FORCE_COLOR: '1' } }).stdout).toContain(ESC);
  });

  it('uses zh-CN from LANG=zh_CN.UTF-8', () => {
    const r = cli(['list', '--dir', ws.dir, '--course', fixtureCourse], {
      env: { LANG: 'zh_CN.UTF-8', LC_ALL: undefined, LC_MESSAGES: undefined },
    });
    expect(r.stdout).toContain('测试课程');
    expect(r.stdout).toContain('当前');
  });

  it('runs the fixture course unattended, then reports status as JSON', () => {
    const run = cli(['--yes', '--dir', ws.dir, '--course', fixtureCourse]);
    // The fixture's second step runs `fake-tool`, which does not exist: the step fails with exit 1.
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('fake-tool');
    const status = JSON.parse(cli(['status', '--json', '--dir', ws.dir, '--course', fixtureCourse]).stdout);
    expect(status.steps).toEqual({ total: 3, done: 1, skipped: 0 });
    expect(status.current.key).toBe('alpha/tool');
  });

  it('verify exits 1 for a failing step and hint reveals hints in order', () => {
    expect(cli(['verify', 'alpha/config', '--dir', ws.dir, '--course', fixtureCourse]).code).toBe(1);
    expect(cli(['hint', '--dir', ws.dir, '--course', fixtureCourse]).stdout).toContain('First hint');
    expect(cli(['hint', '--dir', ws.dir, '--course', fixtureCourse]).stdout).toContain('Second hint');
    expect(cli(['hint', '--dir', ws.dir, '--course', fixtureCourse]).stdout).toContain('No more hints');
    expect(cli(['solve', 'config', '--dir', ws.dir, '--course', fixtureCourse]).code).toBe(0);
    expect(cli(['solve', 'nope', '--dir', ws.dir, '--course', fixtureCourse]).code).toBe(2);
  });
});

describe('bad input', () => {
  it('says what to do when --dir is a file or --course is not a course, and keeps the file', () => {
    const file = join(ws.dir, 'notes.txt');
    writeFileSync(file, 'mine');
    const r = cli(['--yes', '--dir', file]);
    expect(r.code).toBe(2); // a bad --dir is a usage error
    expect(r.stderr).toContain('is a file, not a folder');
    expect(r.stderr).not.toContain('bug');
    expect(readFileSync(file, 'utf8')).toBe('mine');
    const c = cli(['list', '--dir', ws.dir, '--course', join(ws.dir, 'nowhere')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('no course at');
  });

  it('moves a corrupt progress file aside and says so', () => {
    mkdirSync(join(ws.dir, '.k8s-learn'));
    writeFileSync(join(ws.dir, '.k8s-learn/state.json'), '{ not json');
    const r = cli(['status', '--dir', ws.dir, '--course', fixtureCourse]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('state.json.bak');
    expect(readFileSync(join(ws.dir, '.k8s-learn/state.json.bak'), 'utf8')).toBe('{ not json');
  });
});

describe('course check', () => {
  it('accepts the built-in course and the fixture course', () => {
    expect(cli(['course', 'check']).code).toBe(0);
    expect(cli(['course', 'check', fixtureCourse]).code).toBe(0);
  });

  it('rejects a step lacking solve, naming the file, line and step', () => {
    const r = cli(['course', 'check', join(root, 'test/fixtures/broken-course')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /test\/fixtures\/broken-course\/one\/lesson\.yaml:1[0-9]:\d+: steps\.1: missing required field "solve"/,
    );
  });
});

describe('the built-in course', () => {
  it('runs unattended from start to end on the practice cluster, pinned to its context', () => {
    // The practice cluster's state and the kubeconfig it writes stay inside the test's folder.
    const env = {
      K8S_LEARN_PRACTICE_DIR: join(ws.dir, 'practice'),
      KUBECONFIG: join(ws.dir, 'kubeconfig'),
      // Simulated time runs 10× faster: pulls, probes and rollouts take a tenth of their real time.
      K8S_LEARN_PRACTICE_TIME_SCALE: '0.1',
    };
    try {
      const r = cli(['--yes', '--cluster', 'practice', '--dir', join(ws.dir, 'lab')], {
        env,
        timeoutMs: 150_000,
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Course complete');
      expect(readFileSync(join(ws.dir, 'lab/welcome/checklist.yaml'), 'utf8')).toContain('ready: true');
      const status = JSON.parse(cli(['status', '--json', '--dir', join(ws.dir, 'lab')], { env }).stdout);
      expect(status).toMatchObject({ backend: 'practice', context: 'k8s-learn-practice', complete: true });
      // What the course did is really in the cluster, seen by a plain kubectl.
      const cm = spawnSync(
        'kubectl',
        [
          '--context',
          'k8s-learn-practice',
          'get',
          'configmap',
          'casc-network-config',
          '-n',
          'k8s-test',
          '-o',
          'jsonpath={.data.CASC_NETWORK_CONFIG}',
        ],
        { env: { ...process.env, ...env }, encoding: 'utf8' },
      );
      expect(cm.stdout).toContain('16.0.0.0/4');
      const pods = spawnSync(
        'kubectl',
        [
          '--context',
          'k8s-learn-practice',
          'get',
          'pods',
          '-n',
          'k8s-test',
          '-l',
          'app=k8s-employee',
          '-o',
          'name',
        ],
        { env: { ...process.env, ...env }, encoding: 'utf8' },
      );
      expect(pods.stdout.trim().split('\n')).toHaveLength(2);
      // Autoscaling: the HPA went above its minimum under load and came back (its events), then
      // kept two pods of k8s-core with a budget that allows one eviction (errata §5.1).
      const kube = (...a: string[]) =>
        spawnSync('kubectl', ['--context', 'k8s-learn-practice', '-n', 'k8s-test', ...a], {
          env: { ...process.env, ...env },
          encoding: 'utf8',
        }).stdout;
      const rescales = kube(
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=k8s-core,reason=SuccessfulRescale',
        '-o',
        'jsonpath={.items[*].message}',
      );
      expect(rescales).toMatch(
        /New size: [2-5]; reason: cpu resource utilization \(percentage of request\) above target/,
      );
      expect(rescales).toContain('New size: 1; reason: All metrics below target');
      expect(kube('get', 'hpa', 'k8s-core', '-o', 'jsonpath={.spec.minReplicas}')).toBe('2');
      expect(kube('get', 'deployment', 'k8s-core', '-o', 'jsonpath={.status.readyReplicas}')).toBe('2');
      expect(kube('get', 'pdb', 'k8s-core', '-o', 'jsonpath={.status.disruptionsAllowed}')).toBe('1');
      // The drain's cordon was undone, and --fast gave the autoscaling clock back.
      expect(kube('get', 'nodes', '-o', 'jsonpath={.items[*].spec.unschedulable}')).toBe('');
      expect(kube('get', 'configmap', 'k8s-learn-practice-clock', '-n', 'kube-system', '-o', 'name')).toBe(
        '',
      );
      // service/dns: asked from a k8s-employee pod, k8s-core's DNS name answers from k8s-core's pod
      // (the check said so during the run; a plain kubectl asks again now).
      expect(r.stdout).toMatch(
        /✓ from deployment\/k8s-employee, k8s-core resolves to [\d.]+ and answers from k8s-core-/,
      );
      expect(r.stdout).toMatch(/✓ kubectl port-forward svc\/k8s-core reaches k8s-core-/);
      const kubectl = (...a: string[]) =>
        spawnSync('kubectl', ['--context', 'k8s-learn-practice', ...a], {
          env: { ...process.env, ...env },
          encoding: 'utf8',
        });
      const corePods = kubectl('get', 'pods', '-n', 'k8s-test', '-l', 'app=k8s-core', '-o', 'name')
        .stdout.trim()
        .split('\n')
        .map((l) => l.replace('pod/', ''));
      const fromPod = kubectl(
        'exec',
        'deploy/k8s-employee',
        '-n',
        'k8s-test',
        '--',
        'wget',
        '-qO-',
        'http://k8s-core.k8s-test',
      );
      expect(fromPod.status, fromPod.stderr).toBe(0);
      expect(corePods).toContain(JSON.parse(fromPod.stdout).pod);
      // service/see-balancing: the balance view ran for the learner, every ready pod answered.
      expect(r.stdout).toMatch(/✓ every ready pod answered: 3 pod\(s\) shared 30 answers/);
      expect(r.stdout).toMatch(/✓ every ready pod of k8s-employee answers \(within 30 requests\)/);
      const state = JSON.parse(readFileSync(join(ws.dir, 'lab/.k8s-learn/state.json'), 'utf8'));
      expect(state.steps['service/dns'].status).toBe('done');
      expect(state.steps['service/see-balancing'].status).toBe('done');
    } finally {
      cli(['practice', 'stop'], { env });
    }
  }, 180_000);
});
