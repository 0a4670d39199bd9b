import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../src/commands/start.js';
import { verify } from '../../src/commands/verify.js';
import { statePath } from '../../src/engine/state.js';
import { CancelledError } from '../../src/errors.js';
import { CANCEL } from '../../src/ui/scripted.js';
import { cli } from '../helpers/cli.js';
import { args, fakeRunner, fixtureCourse, scripted, tempWorkspace } from '../helpers/engine.js';

const toolOk = (command: string) => (command === 'fake-tool check' ? { stdout: 'all good\n' } : {});
const readState = (dir: string) => JSON.parse(readFileSync(statePath(dir), 'utf8'));

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe('a full --yes run', () => {
  it('solves and verifies every step and records progress', async () => {
    const { runner, calls } = fakeRunner(toolOk);
    const { ui, text } = scripted();
    const code = await start(args(ws.dir, { yes: true }), { ui, runner });
    expect(code).toBe(0);
    expect(calls.map((c) => c.command)).toEqual(['fake-tool greet hello', 'fake-tool check']);
    const state = readState(ws.dir);
    expect(Object.values(state.steps).map((s) => (s as { status: string }).status)).toEqual([
      'done',
      'done',
      'done',
    ]);
    expect(readFileSync(join(ws.dir, 'config.yaml'), 'utf8')).toContain('greeting: hello');
    expect(readFileSync(join(ws.dir, 'note.txt'), 'utf8')).toBe('status: done\n');
    expect(text()).toContain('Step 3/3');
    expect(text()).toContain('Course complete');
  });

  it('stops with exit 1 when a step does not verify', async () => {
    const { runner } = fakeRunner((c) => (c === 'fake-tool check' ? { stdout: 'broken' } : {}));
    const { ui, text } = scripted();
    expect(await start(args(ws.dir, { yes: true }), { ui, runner })).toBe(1);
    expect(text()).toContain('stdout matching /all good/');
    expect(readState(ws.dir).steps['alpha/tool'].status).toBe('todo');
    expect(readState(ws.dir).steps['alpha/config'].status).toBe('done');
  });
});

describe('Ctrl-C and resume', () => {
  it('keeps progress when cancelled mid-course and resumes at the same step', async () => {
    const { runner } = fakeRunner(toolOk);
    // Step 1 verifies; at step 2 the learner presses Ctrl-C at the run prompt.
    const first = scripted(['verify', CANCEL]);
    await expect(start(args(ws.dir), { ui: first.ui, runner })).rejects.toBeInstanceOf(CancelledError);
    expect(first.text()).toContain('Progress saved — run `npx k8s-learn` to continue.');
    expect(readState(ws.dir).steps['alpha/config'].status).toBe('done');
    expect(readState(ws.dir).steps['alpha/tool']?.status ?? 'todo').toBe('todo');

    const second = scripted(['run', 'verify', 'solve']);
    expect(await start(args(ws.dir), { ui: second.ui, runner })).toBe(0);
    expect(second.text()).toContain('Welcome back');
    expect(second.text()).not.toContain('Step 1/3');
    expect(second.text()).toContain('Step 2/3');
  });
});

describe('verify failure, then retry', () => {
  it('offers retry and passes on the second attempt', async () => {
    const { runner } = fakeRunner((c, n) =>
      c === 'fake-tool check' ? { stdout: n === 1 ? 'not yet' : 'all good' } : {},
    );
    // step 1 verifies; step 2: run it for me → fails → retry → passes; step 3: fails → solve.
    const { ui, text } = scripted(['verify', 'run', 'retry', 'verify', 'solve']);
    expect(await start(args(ws.dir), { ui, runner })).toBe(0);
    const state = readState(ws.dir);
    expect(state.steps['alpha/tool']).toMatchObject({ status: 'done', attempts: 2 });
    expect(state.steps['beta/edit']).toMatchObject({ status: 'done', solved: true });
    expect(text()).toContain('Not yet');
  });

  it('reveals hints one tier at a time and remembers how many', async () => {
    const { runner } = fakeRunner();
    const { ui, text } = scripted([false, 'verify', 'hint', 'hint', 'hint', 'quit']);
    // Make step 1 fail: its file exists with other content the learner wrote.
    writeFileSync(join(ws.dir, 'config.yaml'), 'greeting: bye\n');
    expect(await start(args(ws.dir), { ui, runner })).toBe(0);
    expect(text()).toContain('First hint');
    expect(text()).toContain('Second hint');
    expect(text()).toContain('No more hints');
    expect(readState(ws.dir).steps['alpha/config'].hintsShown).toBe(2);
  });
});

describe('--dry-run', () => {
  it('writes no file and runs no command', async () => {
    const { runner, calls } = fakeRunner(toolOk, true);
    const { ui, text } = scripted();
    expect(await start(args(ws.dir, { yes: true, dryRun: true }), { ui, runner })).toBe(0);
    expect(calls).toEqual([]);
    expect(readdirSync(ws.dir)).toEqual([]);
    expect(text()).toContain('would write config.yaml');
    expect(text()).toContain('would run: fake-tool greet hello');
  });
});

describe('corrupt progress file', () => {
  it('moves it aside to .bak with a message and starts over', async () => {
    const file = statePath(ws.dir);
    const { runner } = fakeRunner(toolOk);
    await start(args(ws.dir, { yes: true }), { ui: scripted().ui, runner });
    writeFileSync(file, '{"formatVersion": 1, "course": ');
    const { ui, text } = scripted();
    expect(await verify(args(ws.dir), { ui, runner })).toBe(0);
    expect(existsSync(`${file}.bak`)).toBe(true);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe('{"formatVersion": 1, "course": ');
    expect(text()).toContain(`moved to ${file}.bak`);
    expect(readState(ws.dir).steps['alpha/config'].status).toBe('done');
  });
});

describe('a file the learner edited', () => {
  it('is kept under --yes, with the difference shown', async () => {
    writeFileSync(join(ws.dir, 'config.yaml'), 'greeting: hello\n# my own note\n');
    const { runner } = fakeRunner(toolOk);
    const { ui, text } = scripted();
    await start(args(ws.dir, { yes: true }), { ui, runner });
    // solve for step 1 is "scaffold" with force: the learner's version is backed up first.
    const backups = readdirSync(join(ws.dir, '.k8s-learn', 'backup'));
    expect(backups.some((f) => f.startsWith('config.yaml.'))).toBe(true);
    expect(text()).toMatch(/your version is saved at/);
  });

  it('is kept when the learner chooses to keep it', async () => {
    writeFileSync(join(ws.dir, 'config.yaml'), 'greeting: hi\n# mine\n');
    const { runner } = fakeRunner(toolOk);
    const { ui, text } = scripted([false, 'verify', 'quit']);
    await start(args(ws.dir), { ui, runner });
    expect(readFileSync(join(ws.dir, 'config.yaml'), 'utf8')).toBe('greeting: hi\n# mine\n');
    expect(text()).toContain('You changed config.yaml');
    expect(text()).toContain('+# written by the fixture course');
  });
});

describe('languages', () => {
  it('shows zh-CN text with --lang zh-CN', async () => {
    const { runner } = fakeRunner(toolOk);
    const { ui, text } = scripted();
    await start(args(ws.dir, { yes: true, lang: 'zh-CN' }), { ui, runner });
    expect(text()).toContain('配置步骤（中文）');
    expect(text()).toContain('第 1/3 步');
    expect(text()).not.toContain('Config step (EN)');
  });
});

describe('a missing translation', () => {
  it('falls back to English with one notice', async () => {
    const { cpSync, rmSync } = await import('node:fs');
    const course = join(ws.dir, 'course');
    cpSync(fixtureCourse, course, { recursive: true });
    rmSync(join(course, 'alpha/zh-CN/tool.md'));
    rmSync(join(course, 'beta/zh-CN/edit.md'));
    const { runner } = fakeRunner(toolOk);
    const { ui, text } = scripted();
    await start(args(join(ws.dir, 'lab'), { yes: true, lang: 'zh-CN', course }), { ui, runner });
    expect(text()).toContain('配置步骤（中文）');
    expect(text()).toContain('Tool step (EN)');
    expect(text()).toContain('Edit step (EN)');
    expect(text().split('将以英文显示').length - 1).toBe(1);
  });
});

// The built-in course, unattended on the practice cluster with the built CLI, as a learner would
// start it: every step solved and verified, every erratum met. Then the state it leaves behind is
// asked of the cluster with the real kubectl, and the learner's kubeconfig is checked to be theirs.
describe('the built-in course on the practice cluster (--yes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-course-run-'));
  const lab = join(dir, 'lab');
  const kubeconfig = join(dir, 'kubeconfig');
  const env = { K8S_LEARN_PRACTICE_DIR: join(dir, 'practice'), KUBECONFIG: kubeconfig };
  const ns = 'k8s-test';
  const core = `system:serviceaccount:${ns}:k8s-core`;
  const kubectl = (argv: string[]) =>
    spawnSync('kubectl', ['--context', 'k8s-learn-practice', ...argv], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
  const userContext = () =>
    spawnSync('kubectl', ['config', 'current-context'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }).stdout.trim();
  let run: ReturnType<typeof cli>;

  beforeAll(() => {
    // The learner's own kubeconfig, with their own current context.
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: work\n  cluster:\n    server: https://work.example:6443\ncontexts:\n- name: work\n  context:\n    cluster: work\n    user: work\nusers:\n- name: work\n  user:\n    token: mine\ncurrent-context: work\n',
      { mode: 0o600 },
    );
    run = cli(['--yes', '--cluster', 'practice', '--dir', lab], { env, timeoutMs: 280_000 });
  }, 300_000);

  afterAll(() => {
    cli(['practice', 'stop'], { env });
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes every step', () => {
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    expect(run.stdout).toContain('Course complete');
    const steps = readState(lab).steps as Record<string, { status: string; met?: number }>;
    for (const key of [
      'scaling/pin',
      'cluster/nodes',
      'cluster/contexts',
      'cluster/taints',
      'security/default-token',
      'security/least-privilege',
      'security/locked-down',
      'wrap-up/what-you-built',
      'wrap-up/next',
    ])
      expect(steps[key]?.status, key).toBe('done');
    // The article's role was applied as written and its answer met before it was narrowed.
    expect(steps['security/least-privilege']?.met).toBe(2);
    // The pinning drill met its Pending pods, explained from the nodes' labels, before it was fixed.
    expect(steps['scaling/pin']?.met).toBe(1);
    expect(run.stdout).toContain(
      "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(run.stdout).toContain(
      "Likely cause: The pod's nodeSelector asks for disktype=SSD, but the nodes carry k8s-learn-worker2: disktype=ssd.",
    );
    expect(run.stdout).toContain(`$ kubectl auth can-i list secrets -n ${ns} --as=${core}\n  yes`);
  });

  it('leaves k8s-core with its own account, one-ConfigMap role and a locked-down container', () => {
    const canI = (...argv: string[]) => kubectl(['auth', 'can-i', ...argv, '-n', ns, `--as=${core}`]);
    expect(canI('get', 'configmap/casc-network-config').stdout.trim()).toBe('yes');
    for (const denied of [
      ['get', 'configmap/employee-config'],
      ['list', 'secrets'],
      ['create', 'pods'],
    ]) {
      const r = canI(...denied);
      expect(r.stdout.trim(), denied.join(' ')).toBe('no');
      expect(r.status).toBe(1);
    }
    expect(
      kubectl([
        'get',
        'serviceaccount',
        'k8s-core',
        '-n',
        ns,
        '-o',
        'jsonpath={.automountServiceAccountToken}',
      ]).stdout,
    ).toBe('false');
    const spec = JSON.parse(
      kubectl(['get', 'deployment', 'k8s-core', '-n', ns, '-o', 'jsonpath={.spec.template.spec}']).stdout,
    );
    expect(spec.serviceAccountName).toBe('k8s-core');
    expect(spec.containers[0].securityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    // In the running pod: no token to steal, and the image's files cannot be changed.
    const token = kubectl([
      'exec',
      'deploy/k8s-core',
      '-n',
      ns,
      '--',
      'ls',
      '/var/run/secrets/kubernetes.io/serviceaccount',
    ]);
    expect(token.status).not.toBe(0);
    expect(token.stderr).toContain('No such file or directory');
    const write = kubectl([
      'exec',
      'deploy/k8s-core',
      '-n',
      ns,
      '--',
      'touch',
      '/app/written-by-an-intruder',
    ]);
    expect(write.status).not.toBe(0);
    expect(write.stderr).toContain('Read-only file system');
  });

  it('rolled k8s-core back from a release nobody built: revisions, and no pod of it left', () => {
    const steps = readState(lab).steps as Record<string, { status: string; met?: number }>;
    // The drill's own commands broke the rollout, the cluster said image-pull, then the undo.
    expect(steps['alerts/roll-back']).toMatchObject({ status: 'done', met: 1 });
    expect(run.stdout).toContain(`kubectl set image deployment/k8s-core app=k8s-core:1.1 -n ${ns}`);
    expect(run.stdout).toContain('deployment.apps/k8s-core rolled back');
    // The 1.1 template is kept as a revision of its own, scaled to 0; k8s-core runs 1.0.
    const sets = kubectl([
      'get',
      'replicasets',
      '-n',
      ns,
      '-l',
      'app=k8s-core',
      '-o',
      'jsonpath={range .items[*]}{.spec.template.spec.containers[0].image} {.spec.replicas}{"\\n"}{end}',
    ]).stdout;
    expect(sets).toContain('k8s-core:1.1 0');
    const images = kubectl([
      'get',
      'pods',
      '-n',
      ns,
      '-l',
      'app=k8s-core',
      '-o',
      'jsonpath={.items[*].spec.containers[0].image}',
    ]);
    expect([...new Set(images.stdout.split(' ').filter(Boolean))]).toEqual(['k8s-core:1.0']);
  });

  it('leaves k8s-reports pinned to the labelled worker, through the drain and uncordon of the workers', () => {
    // Only worker2 carries the label the pods ask for, and both pods run there.
    expect(kubectl(['get', 'nodes', '-l', 'disktype=ssd', '-o', 'name']).stdout.trim()).toBe(
      'node/k8s-learn-worker2',
    );
    expect(
      kubectl([
        'get',
        'deployment',
        'k8s-reports',
        '-n',
        ns,
        '-o',
        'jsonpath={.spec.template.spec.nodeSelector.disktype} {.status.readyReplicas}',
      ]).stdout,
    ).toBe('ssd 2');
    const placed = kubectl([
      'get',
      'pods',
      '-n',
      ns,
      '-l',
      'app=k8s-reports',
      '-o',
      'jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{"\\n"}{end}',
    ]).stdout;
    expect(placed.trim().split('\n')).toEqual(['k8s-learn-worker2 Running', 'k8s-learn-worker2 Running']);
    expect(run.stdout).toMatch(/│ {2}│ {2}├─ Pod\/k8s-reports-\S+ {2}Running 1\/1 on k8s-learn-worker2\n/);
  });

  it('leaves k8s-core’s replica count to its HPA; met an HPA without a CPU request and a refused drain', () => {
    const steps = readState(lab).steps as Record<string, { status: string; met?: number }>;
    // The drill broke as its lesson says (missing-cpu-request), and apply's fight was met: the diff,
    // the apply, and the Deployment's scale-down to 1 under the HPA.
    expect(steps['autoscaling/request']).toMatchObject({ status: 'done', met: 1 });
    expect(steps['autoscaling/replicas']).toMatchObject({ status: 'done', met: 3 });
    // … and a budget over the single pod refused the drain (stopped once it had answered).
    expect(steps['autoscaling/availability']).toMatchObject({ status: 'done', met: 7 });
    expect(run.stdout).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(run.stdout).toContain('The cluster answered as the drill expects: missing-cpu-request.');
    expect(run.stdout).toMatch(/Scaled down replica set k8s-core-\S+ from 2 to 1/);
    const rescales = kubectl([
      'get',
      'events',
      '-n',
      ns,
      '--field-selector',
      'involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=k8s-core,reason=SuccessfulRescale',
      '-o',
      'jsonpath={.items[*].message}',
    ]).stdout;
    expect(rescales).toContain('New size: 2; reason: Current number of replicas below Spec.MinReplicas');
    // The learner's file (after the security lesson rewrote it) names no replica count, and an apply
    // of it now leaves the HPA's count alone (the API server's dry run of kubectl's own patch).
    const file = join(lab, 'k8s', 'k8s-core.yaml');
    expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*replicas:/m);
    expect(kubectl(['apply', '-f', file, '--dry-run=server', '-o', 'jsonpath={.spec.replicas}']).stdout).toBe(
      '2',
    );
    expect(
      kubectl([
        'get',
        'hpa',
        'k8s-report',
        '-n',
        ns,
        '-o',
        'jsonpath={.status.conditions[?(@.type=="ScalingActive")].status}',
      ]).stdout,
    ).toBe('True');
    // Each fast-clock step put the practice cluster's autoscaling clock back (none was there).
    expect(kubectl(['get', 'configmap', 'k8s-learn-practice-clock', '-n', 'kube-system']).status).not.toBe(0);
  });

  it('draws the tree of what was built, and leaves the learner’s kubeconfig as it was', () => {
    // The HPA (min 2) owns k8s-core's replicas, and no apply of the learner's file resets them.
    expect(run.stdout).toMatch(/├─ Deployment\/k8s-core {2}2\/2 ready/);
    expect(run.stdout).toMatch(/│ {2}│ {2}└─ Pod\/k8s-core-\S+ {2}Running 1\/1 on k8s-learn-worker2?/);
    expect(run.stdout).toContain('├─ ServiceAccount/k8s-core  no token mounted');
    expect(run.stdout).toContain('Role/k8s-core  get configmaps/casc-network-config');
    expect(userContext()).toBe('work');
    const cleanup = cli(['cleanup', '--yes', '--dir', lab], { env, timeoutMs: 60_000 });
    expect(cleanup.code).toBe(0);
    expect(userContext()).toBe('work');
    expect(readFileSync(kubeconfig, 'utf8')).not.toContain('k8s-learn-practice');
  });
});
