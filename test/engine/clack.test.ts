// Drives one interactive run through the real clack prompts with scripted keystrokes.
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { start } from '../../src/commands/start.js';
import { statePath } from '../../src/engine/state.js';
import { CancelledError } from '../../src/errors.js';
import { createClackUI } from '../../src/ui/clack.js';
import { args, fakeRunner, tempWorkspace } from '../helpers/engine.js';

const DOWN = '\x1b[B';
const ENTER = '\r';
const CTRL_C = '\x03';

/** terminal fakes a TTY: `when(text, keys)` types keys once the screen shows text. */
function terminal() {
  const input = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (m: boolean) => void };
  input.isTTY = true;
  input.setRawMode = () => {};
  const output = new PassThrough() as PassThrough & { columns: number; rows: number; isTTY: boolean };
  output.columns = 100;
  output.rows = 40;
  output.isTTY = true;
  let screen = '';
  // Each wait looks only at what was drawn after the previous one fired.
  let from = 0;
  const waits: { text: string; keys: string[] }[] = [];
  output.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    for (;;) {
      const plain = stripVTControlCharacters(screen);
      const next = waits[0];
      const at = next ? plain.indexOf(next.text, from) : -1;
      if (!next || at < 0) break;
      waits.shift();
      from = at + next.text.length;
      if (next.keys.length > 0) {
        setTimeout(() => {
          for (const k of next.keys) input.write(k);
        }, 5);
        break;
      }
    }
  });
  return {
    input,
    output,
    screen: () => stripVTControlCharacters(screen),
    /** Type keys when `text` appears (after what the previous wait matched). */
    when(text: string, keys: string[] = []) {
      waits.push({ text, keys });
    },
  };
}

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

it('runs the fixture course interactively through clack', async () => {
  const term = terminal();
  const { runner, calls } = fakeRunner((c) => (c === 'fake-tool check' ? { stdout: 'all good' } : {}));
  term.when('Ready?', [ENTER]);
  term.when('How do you want to run these commands?', [ENTER]);
  term.when('Edit step (EN)');
  term.when('Ready?', [ENTER]);
  // Step 3 fails its check (the note still says todo): choose "Solve it for me" (3rd option).
  term.when('What now?', [DOWN, DOWN, ENTER]);
  const ui = createClackUI({ input: term.input, output: term.output });
  const code = await start(args(ws.dir), { ui, runner });
  expect(code).toBe(0);
  expect(calls.map((c) => c.command)).toEqual(['fake-tool greet hello', 'fake-tool check']);
  expect(term.screen()).toContain('Step 3/3');
  expect(term.screen()).toContain('Course complete');
  const state = JSON.parse(readFileSync(statePath(ws.dir), 'utf8'));
  expect(state.steps['beta/edit']).toMatchObject({ status: 'done', solved: true });
});

it('Ctrl-C at a clack prompt saves progress and cancels', async () => {
  const term = terminal();
  const { runner } = fakeRunner();
  term.when('Ready?', [ENTER]);
  term.when('How do you want to run these commands?', [CTRL_C]);
  const ui = createClackUI({ input: term.input, output: term.output });
  await expect(start(args(ws.dir), { ui, runner })).rejects.toBeInstanceOf(CancelledError);
  expect(term.screen()).toContain('Progress saved');
  const state = JSON.parse(readFileSync(statePath(ws.dir), 'utf8'));
  expect(state.steps['alpha/config'].status).toBe('done');
});
