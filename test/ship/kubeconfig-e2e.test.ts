// End to end with the built CLI and the practice cluster: a learner whose kubectl points at their
// own `work` cluster runs a course unattended, then cleans up. Their kubeconfig ends byte-identical;
// a broken or read-only kubeconfig is named, left alone, and the course still runs.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  offerContextSwitch,
  readSwitchRecord,
  restoreSwitchedContext,
} from '../../src/backends/context-switch.js';
import { createTranslator } from '../../src/i18n/index.js';
import { addContext, CONTEXT_NAME, currentContextOf } from '../../src/practice/kubeconfig.js';
import { createScriptedUI } from '../../src/ui/scripted.js';
import { cli } from '../helpers/cli.js';
import { fakeRunner, tempWorkspace } from '../helpers/engine.js';

const course = resolve(import.meta.dirname, '../fixtures/cluster-course');
const userConfig = `# mine
apiVersion: v1
kind: Config
clusters:
  - name: work
    cluster: { server: 'https://127.0.0.1:1' }
users:
  - name: work
    user: { token: abc } # keep
contexts:
  - name: work
    context: { cluster: work, user: work }
current-context: work
`;

let ws: ReturnType<typeof tempWorkspace>;
let kubeconfig: string;
let env: Record<string, string>;
beforeEach(() => {
  ws = tempWorkspace();
  mkdirSync(join(ws.dir, 'kube'));
  kubeconfig = join(ws.dir, 'kube', 'config');
  writeFileSync(kubeconfig, userConfig, { mode: 0o600 });
  env = { KUBECONFIG: kubeconfig, K8S_LEARN_PRACTICE_DIR: join(ws.dir, 'practice'), HOME: ws.dir };
});
afterEach(() => {
  cli(['practice', 'stop'], { env });
  ws.cleanup();
});

const run = (...argv: string[]) =>
  cli(['--yes', '--cluster', 'practice', '--course', course, '--dir', join(ws.dir, 'lab'), ...argv], {
    env,
    timeoutMs: 60_000,
  });

describe('the user kubeconfig through a whole course', () => {
  it('keeps the current context, says what keeps running, and cleanup leaves the file as it was', () => {
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The practice cluster keeps running in the background');
    expect(r.stdout).toContain('k8s-learn cleanup');
    expect(currentContextOf(kubeconfig)).toBe('work');
    expect(readFileSync(kubeconfig, 'utf8')).toContain('# keep');
    expect(parse(readFileSync(kubeconfig, 'utf8')).contexts).toHaveLength(2);
    const clean = cli(['cleanup', '--yes', '--dir', join(ws.dir, 'lab')], { env });
    expect(clean.code).toBe(0);
    expect(readFileSync(kubeconfig, 'utf8')).toBe(userConfig);
  }, 90_000);

  it('names a kubeconfig that does not parse, leaves it alone, and runs the course anyway', () => {
    const broken = `${userConfig}users: [oops\n`;
    writeFileSync(kubeconfig, broken);
    const r = run();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${kubeconfig}:`);
    expect(r.stdout).toContain('is not valid YAML');
    expect(r.stdout).toContain('uses its own kubeconfig');
    expect(`${r.stdout}${r.stderr}`).not.toContain('--fresh');
    expect(readFileSync(kubeconfig, 'utf8')).toBe(broken);
    const clean = cli(['cleanup', '--yes', '--dir', join(ws.dir, 'lab')], { env });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`${kubeconfig}:`);
    expect(readFileSync(kubeconfig, 'utf8')).toBe(broken);
  }, 90_000);

  it('leaves a read-only kubeconfig byte-identical and read-only', () => {
    chmodSync(kubeconfig, 0o444);
    const r = run();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${kubeconfig} is read-only`);
    expect(readFileSync(kubeconfig, 'utf8')).toBe(userConfig);
    expect(existsSync(`${kubeconfig}.lock`)).toBe(false);
  }, 90_000);
});

describe('switching kubectl to the course’s cluster', () => {
  const t = createTranslator('en');
  const backendEnv = (answers: unknown[], yes = false) => ({
    runner: fakeRunner().runner,
    ui: createScriptedUI({ answers, interactive: true, write: () => {} }),
    t,
    workspace: join(ws.dir, 'lab'),
    yes,
  });

  it('asks once, switches when the learner agrees, and cleanup switches back', async () => {
    process.env.KUBECONFIG = kubeconfig;
    addContext(kubeconfig, 'https://127.0.0.1:2', 'tok', 'CA');
    const first = backendEnv([true]);
    await offerContextSwitch(first, CONTEXT_NAME);
    expect(first.ui.prompts[0]).toContain('k8s-learn cleanup` switches back to work');
    expect(currentContextOf(kubeconfig)).toBe(CONTEXT_NAME);
    expect(readSwitchRecord(first.workspace)?.switched?.previous).toBe('work');
    // Asked once: no answer is queued, so a second question would throw.
    await offerContextSwitch(backendEnv([]), CONTEXT_NAME);
    const said: string[] = [];
    restoreSwitchedContext(first.workspace, { info: (m) => said.push(m), warn: (m) => said.push(m), t });
    expect(currentContextOf(kubeconfig)).toBe('work');
    expect(said.join('\n')).toContain("kubectl's current context is work again");
  });

  it('remembers a no, and never asks under --yes', async () => {
    process.env.KUBECONFIG = kubeconfig;
    const yes = backendEnv([], true);
    await offerContextSwitch(yes, CONTEXT_NAME);
    expect(yes.ui.prompts).toEqual([]);
    const no = backendEnv([false]);
    await offerContextSwitch(no, CONTEXT_NAME);
    expect(no.ui.prompts).toHaveLength(1);
    await offerContextSwitch(backendEnv([]), CONTEXT_NAME);
    expect(currentContextOf(kubeconfig)).toBe('work');
    expect(readFileSync(kubeconfig, 'utf8')).toBe(userConfig);
  });
});
