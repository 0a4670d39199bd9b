// The engine's cluster: prepared lazily by the first step that needs it, recorded in progress,
// and every kubectl call that talks to a server is pinned to it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { start } from '../../src/commands/start.js';
import { verify } from '../../src/commands/verify.js';
import { statePath } from '../../src/engine/state.js';
import { args, fakeRunner, scripted, tempWorkspace } from '../helpers/engine.js';

const course = resolve(import.meta.dirname, '../fixtures/cluster-course');
// What kubectl prints: checks accept an exit 0 only with the output of a success.
const answer = (c: string) =>
  c.includes('version --client')
    ? { stdout: 'Client Version: v1.32.4' }
    : c.endsWith('get namespace demo -o name')
      ? { stdout: 'namespace/demo\n' }
      : {};
let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

it('prepares the named context at the first cluster step and pins every kubectl call to it', async () => {
  const { runner, calls } = fakeRunner(answer);
  const { ui } = scripted();
  const code = await start(args(ws.dir, { course, yes: true, cluster: 'context:lab' }), { ui, runner });
  expect(code).toBe(0);
  const kubectl = calls.map((c) => c.command).filter((c) => c.startsWith('kubectl'));
  // The client-only step ran before any cluster was prepared, unpinned (it dials nothing) …
  expect(kubectl[0]).toBe('kubectl version --client');
  // … and everything after talks to the named context only.
  const serverCalls = kubectl.filter((c) => !c.includes('--client'));
  expect(serverCalls.length).toBeGreaterThanOrEqual(3);
  for (const c of serverCalls) expect(c.startsWith('kubectl --context lab ')).toBe(true);
  expect(serverCalls).toContain('kubectl --context lab create namespace demo');
  const state = JSON.parse(readFileSync(statePath(ws.dir), 'utf8'));
  expect(state).toMatchObject({ backend: 'context', context: 'lab' });
});

it('verify pins to the recorded cluster, and refuses to verify a cluster step before one exists', async () => {
  const { runner, calls } = fakeRunner(answer);
  const before = await verify(args(ws.dir, { course }, { positionals: ['ns/create'] }), {
    ui: scripted().ui,
    runner,
  }).catch((e: Error) => e);
  expect(before).toBeInstanceOf(Error);
  expect(String(before)).toContain('none has been set up');
  expect(calls).toEqual([]);

  await start(args(ws.dir, { course, yes: true, cluster: 'context:lab' }), { ui: scripted().ui, runner });
  calls.length = 0;
  expect(
    await verify(args(ws.dir, { course }, { positionals: ['ns/create'] }), { ui: scripted().ui, runner }),
  ).toBe(0);
  expect(calls.map((c) => c.command)).toEqual(['kubectl --context lab get namespace demo -o name']);
});
