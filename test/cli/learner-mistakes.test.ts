// A scripted learner at a real terminal (tmux) makes the mistakes beginners make, on the practice
// cluster with the real kubectl, and the test reads the feedback on the screen — in English and
// Chinese. The course is first run unattended, so every step has a cluster to be checked against.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, root } from '../helpers/cli.js';
import { tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
let env: Record<string, string>;
let lab = '';
const socket = `k8s-learn-mistakes-${process.pid}`;
const session = 'learner';
const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
const bin = join(root, 'bin/k8s-learn.js');

function kubectl(...args: string[]) {
  return spawnSync('kubectl', ['--context', 'k8s-learn-practice', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

let marks = 0;
/** typed runs a line in the learner's shell and returns what it printed (until its end mark). */
async function typed(line: string, timeoutMs = 40_000): Promise<string> {
  fresh();
  const n = ++marks;
  // The mark is quoted apart in the typed line, so only the shell's output contains it whole.
  tmux('send-keys', '-t', session, `${line}; echo END-"${n}" EXIT=$?`, 'Enter');
  return waitFor(`END-${n} EXIT=`, timeoutMs);
}
/** fresh clears the screen and its history, so a wait sees only what comes next. */
function fresh() {
  tmux('send-keys', '-t', session, 'clear', 'Enter');
  execFileSync('sleep', ['0.2']);
  tmux('clear-history', '-t', session);
}
async function waitFor(text: string, timeoutMs = 40_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = tmux('capture-pane', '-t', session, '-p', '-S', '-300', '-J');
    if (s.includes(text)) return s;
    if (Date.now() > until) throw new Error(`"${text}" never appeared; the screen shows:\n${s}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);
const edit = (file: string, from: RegExp | string, to: string) => {
  const path = join(lab, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
};

beforeAll(() => {
  ws = tempWorkspace();
  lab = join(ws.dir, 'lab');
  env = {
    K8S_LEARN_PRACTICE_DIR: join(ws.dir, 'practice'),
    KUBECONFIG: join(ws.dir, 'kubeconfig'),
    K8S_LEARN_PRACTICE_TIME_SCALE: '0.1',
    // The learner started the course with npx: every k8s-learn line shown must say so.
    K8S_LEARN_INVOCATION: 'npx k8s-learn',
  };
  const r = cli(['--yes', '--cluster', 'practice', '--dir', lab], { env, timeoutMs: 150_000 });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}="${v}"`)
    .join('; ');
  // The learner's shell: inside the workspace, where the README says to run the commands.
  tmux(
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '160',
    '-y',
    '60',
    `bash --norc --noprofile -c 'cd ${lab}; ${exports}; exec bash --norc --noprofile -i'`,
  );
  tmux('send-keys', '-t', session, `alias k8s-learn="node ${bin}"; PS1='$ '`, 'Enter');
}, 180_000);

afterAll(() => {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {}
  cli(['practice', 'stop'], { env });
  ws.cleanup();
});

describe('a learner makes the usual mistakes', () => {
  it('kind: Namspace — the checker points at the typo (en, zh-CN)', async () => {
    writeFileSync(
      join(lab, 'k8s/namespace.yaml'),
      'apiVersion: v1\nkind: Namspace\nmetadata:\n  name: k8s-test\n',
    );
    const en = await typed('k8s-learn verify namespace/create');
    expect(en).toContain('did you mean "Namespace"?');
    // Commands shown to the learner run as shown: they started with npx.
    expect(en).toContain('passes `npx k8s-learn check`');
    expect(en).toContain('EXIT=1');
    const zh = await typed('k8s-learn verify namespace/create --lang zh-CN');
    expect(zh).toContain('你是不是想写 "Namespace"？');
    expect(zh).toContain('EXIT=1');
    edit('k8s/namespace.yaml', 'Namspace', 'Namespace');
    expect(await typed('k8s-learn verify namespace/create')).toContain('EXIT=0');
  }, 90_000);

  it('a ConfigMap without its namespace line — "it is in default"', async () => {
    kubectl('delete', 'configmap', 'casc-network-config', '-n', 'k8s-test');
    edit('k8s/configmap.yaml', /\n {2}namespace: k8s-test/, '');
    const applied = await typed('kubectl --context k8s-learn-practice apply -f k8s/configmap.yaml');
    expect(applied).toContain('configmap/casc-network-config created');
    const en = await typed('k8s-learn verify configmap/network-config');
    expect(en).toContain('configmap/casc-network-config exists, but in namespace default');
    expect(en).toContain('Add `namespace: k8s-test` under `metadata:`');
    const zh = await typed('k8s-learn verify configmap/network-config --lang zh-CN');
    expect(zh).toContain('configmap/casc-network-config 存在，但在命名空间 default 里');
    // Hints read that failure: no kubectl runs for a hint.
    const before = readFileSync(join(lab, '.k8s-learn/transcript.log'), 'utf8');
    await typed('k8s-learn hint configmap/network-config');
    expect(readFileSync(join(lab, '.k8s-learn/transcript.log'), 'utf8')).toBe(before);
    kubectl('delete', 'configmap', 'casc-network-config', '-n', 'default');
    edit('k8s/configmap.yaml', /metadata:\n/, 'metadata:\n  namespace: k8s-test\n');
    await typed('kubectl --context k8s-learn-practice apply -f k8s/configmap.yaml');
    expect(await typed('k8s-learn verify configmap/network-config')).toContain('EXIT=0');
  }, 90_000);

  it('an image tag that does not exist — the rollout check fails at once with the pull error, not a timeout', async () => {
    edit('k8s/k8s-core.yaml', /image: "?k8s-core:[\w.]+"?/, 'image: k8s-core:9.9');
    expect(readFileSync(join(lab, 'k8s/k8s-core.yaml'), 'utf8')).toContain('image: k8s-core:9.9');
    await typed('kubectl --context k8s-learn-practice apply -f k8s/k8s-core.yaml');
    const started = Date.now();
    const en = await typed('k8s-learn verify deployment/rollout', 60_000);
    expect(en).toContain('EXIT=1');
    expect(en).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(en).toContain('k8s-core:9.9');
    expect(en).not.toMatch(/timed out|exceeded its progress deadline/);
    // The check's own limit is 120 s: far less means it did not wait it out.
    expect(Date.now() - started).toBeLessThan(60_000);
    const hint = await typed('k8s-learn hint deployment/rollout');
    expect(hint).toContain('k8s-core:1.0');
    edit('k8s/k8s-core.yaml', 'image: k8s-core:9.9', 'image: k8s-core:1.0');
    await typed('kubectl --context k8s-learn-practice apply -f k8s/k8s-core.yaml');
    expect(await typed('k8s-learn verify deployment/rollout', 90_000)).toContain('EXIT=0');
  }, 180_000);

  it('`kubectl scale --replicas=5` without -n — "nothing will change", and the hint names the -n', async () => {
    expect(cli(['reset', 'scaling/scale-up', '--yes', '--dir', lab], { env }).code).toBe(0);
    kubectl('scale', 'deployment/k8s-employee', '-n', 'k8s-test', '--replicas=3');
    const typedScale = await typed(
      'kubectl --context k8s-learn-practice scale deployment/k8s-employee --replicas=5',
    );
    expect(typedScale).toContain('deployments.apps "k8s-employee" not found');
    const en = await typed('k8s-learn verify scaling/scale-up', 60_000);
    expect(en).toContain('EXIT=1');
    expect(en).not.toMatch(/timed out/);
    const zh = await typed('k8s-learn verify scaling/scale-up --lang zh-CN', 60_000);
    expect(zh).toContain('EXIT=1');
    const hint = await typed('k8s-learn hint scaling/scale-up');
    expect(hint).toContain('-n k8s-test');
    expect(hint).toContain('default');
  }, 180_000);

  it('a Service selector typo — no endpoints, named at once with the labels the pods do have', async () => {
    edit('k8s/k8s-core-service.yaml', /app: k8s-core\b/, 'app: k8s-cor');
    await typed('kubectl --context k8s-learn-practice apply -f k8s/k8s-core-service.yaml');
    const en = await typed('k8s-learn verify service/expose', 60_000);
    expect(en).toContain('EXIT=1');
    expect(en).toContain('k8s-cor');
    expect(en).not.toMatch(/timed out/);
    const hint = await typed('k8s-learn hint service/expose');
    expect(hint).toContain('app: k8s-core');
    const zh = await typed('k8s-learn hint service/expose --lang zh-CN');
    expect(zh).toMatch(/提示|selector/);
    edit('k8s/k8s-core-service.yaml', 'app: k8s-cor', 'app: k8s-core');
    await typed('kubectl --context k8s-learn-practice apply -f k8s/k8s-core-service.yaml');
    expect(await typed('k8s-learn verify service/expose', 90_000)).toContain('EXIT=0');
  }, 180_000);

  it('Ctrl-C while a check waits: progress saved, exit 130, nothing left running', async () => {
    // A readiness probe on a port nothing listens on: not stuck (it may yet pass), so the check waits.
    const file = join(lab, 'k8s/k8s-core.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      good.replace(/(readinessProbe:\n\s+httpGet:\n\s+path: \/readyz\n\s+port: )http/, '$19999'),
    );
    expect(readFileSync(file, 'utf8')).toContain('port: 9999');
    await typed('kubectl --context k8s-learn-practice apply -f k8s/k8s-core.yaml');
    fresh();
    keys('k8s-learn verify deployment/rollout; echo WAIT-"1" EXIT=$?', 'Enter');
    await waitFor('of 120 s', 20_000); // the rollout check is waiting, with its clock
    const ours = `${ws.dir}/practice/kubeconfig rollout status`;
    // While it waits, its kubectl is there to be found (so the check below can fail).
    expect(spawnSync('pgrep', ['-f', ours], { encoding: 'utf8' }).stdout.trim()).not.toBe('');
    keys('C-c');
    const end = await waitFor('WAIT-1 EXIT=');
    expect(end).toContain('WAIT-1 EXIT=130');
    expect(end).toContain('Progress saved');
    // The wait was stopped with it: no kubectl of ours is left behind.
    await new Promise((r) => setTimeout(r, 500));
    const left = spawnSync('pgrep', ['-f', ours], { encoding: 'utf8' });
    expect(left.stdout.trim()).toBe('');
    writeFileSync(file, good);
    await typed('kubectl --context k8s-learn-practice apply -f k8s/k8s-core.yaml');
  }, 120_000);

  for (const lang of ['en', 'zh-CN'] as const) {
    it(`the article's apiVersion: v1 Deployment applied as written: the cluster's error, then the errata (${lang})`, async () => {
      expect(cli(['reset', 'deployment/rollout', '--yes', '--dir', lab], { env }).code).toBe(0);
      fresh();
      keys(`k8s-learn --lang ${lang}; echo MEET-"${lang}" EXIT=$?`, 'Enter');
      // Asked once per workspace: leave the learner's current kubectl context alone (No).
      if (lang === 'en') {
        await waitFor("kubectl's current context?");
        keys('Enter');
      }
      await waitFor(lang === 'en' ? 'Apply it as written:' : '原样应用：');
      keys('Enter'); // "Run it for me"
      const met = await waitFor(lang === 'en' ? 'You just met the article' : '你刚刚遇到了原文的错误');
      const error = met.indexOf('no matches for kind "Deployment"');
      const box = met.indexOf(lang === 'en' ? 'You just met the article' : '你刚刚遇到了原文的错误');
      expect(error).toBeGreaterThan(0);
      expect(error, met).toBeLessThan(box);
      // Nothing of the errata was on the screen before the learner met the error.
      expect(met.slice(0, error)).not.toContain(lang === 'en' ? 'The article wrote' : '原文写的是');
      await waitFor('2/2'); // the second stage's prompt (zh-CN writes （2/2）)
      keys('C-c');
      const end = await waitFor(`MEET-${lang} EXIT=`);
      expect(end).toContain(`MEET-${lang} EXIT=130`);
    }, 90_000);
  }
});
