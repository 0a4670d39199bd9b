import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../src/commands/start.js';
import { verify } from '../../src/commands/verify.js';
import { statePath } from '../../src/engine/state.js';
import { CancelledError } from '../../src/errors.js';
import { CANCEL } from '../../src/ui/scripted.js';
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
