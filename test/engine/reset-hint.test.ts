import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { hint } from '../../src/commands/hint.js';
import { reset } from '../../src/commands/reset.js';
import { start } from '../../src/commands/start.js';
import { statePath } from '../../src/engine/state.js';
import { UsageError } from '../../src/errors.js';
import { args, fakeRunner, scripted, tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
const toolOk = (c: string) => (c === 'fake-tool check' ? { stdout: 'all good' } : {});
beforeEach(async () => {
  ws = tempWorkspace();
  await start(args(ws.dir, { yes: true }), { ui: scripted().ui, runner: fakeRunner(toolOk).runner });
});
afterEach(() => ws.cleanup());
const state = () => JSON.parse(readFileSync(statePath(ws.dir), 'utf8'));

it('reset STEP forgets the step and restores its files, backing up the learner’s version', async () => {
  writeFileSync(join(ws.dir, 'config.yaml'), 'greeting: mine\n');
  expect(await reset(args(ws.dir, {}, { positionals: ['alpha/config'] }), { ui: scripted().ui })).toBe(0);
  expect(state().steps['alpha/config'].status).toBe('todo');
  expect(state().steps['alpha/tool'].status).toBe('done');
  expect(readFileSync(join(ws.dir, 'config.yaml'), 'utf8')).toContain('greeting: hello');
  const backups = readdirSync(join(ws.dir, '.k8s-learn/backup'));
  expect(backups.map((b) => readFileSync(join(ws.dir, '.k8s-learn/backup', b), 'utf8'))).toContain(
    'greeting: mine\n',
  );
});

it('reset --all moves the progress file aside (nothing is lost) and keeps the files', async () => {
  expect(await reset(args(ws.dir, { yes: true }, { flags: { all: true } }), { ui: scripted().ui })).toBe(0);
  expect(existsSync(statePath(ws.dir))).toBe(false);
  expect(JSON.parse(readFileSync(`${statePath(ws.dir)}.bak`, 'utf8')).steps['beta/edit'].status).toBe('done');
  expect(existsSync(join(ws.dir, 'note.txt'))).toBe(true);
});

it('reset needs exactly one of STEP and --all', async () => {
  await expect(reset(args(ws.dir), { ui: scripted().ui })).rejects.toBeInstanceOf(UsageError);
  await expect(
    reset(args(ws.dir, {}, { flags: { all: true }, positionals: ['alpha/config'] }), { ui: scripted().ui }),
  ).rejects.toBeInstanceOf(UsageError);
});

it('hint counts per step and persists', async () => {
  const { ui, text } = scripted();
  await hint(args(ws.dir, {}, { positionals: ['alpha/config'] }), { ui });
  await hint(args(ws.dir, {}, { positionals: ['1'] }), { ui });
  expect(text()).toContain('First hint');
  expect(text()).toContain('hint 2/2');
  expect(state().steps['alpha/config'].hintsShown).toBe(2);
});

it('reset --all also stops the practice cluster the workspace used (after confirmation)', async () => {
  const file = statePath(ws.dir);
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...saved, backend: 'practice', context: 'k8s-learn-practice' }));
  const { runner, calls } = fakeRunner();
  expect(
    await reset(args(ws.dir, { yes: true }, { flags: { all: true } }), { ui: scripted().ui, runner }),
  ).toBe(0);
  expect(calls.some((c) => c.command.endsWith('practice stop'))).toBe(true);
  expect(existsSync(file)).toBe(false);
});
