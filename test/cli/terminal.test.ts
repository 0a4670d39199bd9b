// A person at a real terminal: the built CLI runs inside tmux; keys are typed with send-keys and
// the screen is read with capture-pane. .ci/run installs tmux.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { tempWorkspace } from '../helpers/engine.js';

// Each launch gets a tmux server of its own (-L): no test shares a server with another, or with
// the developer's own tmux, and a server that is shutting down is never reused.
let socket = '';
const sockets: string[] = [];
const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
let ws: ReturnType<typeof tempWorkspace>;
const session = 'k8s-learn';

beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => {
  for (const s of sockets.splice(0)) {
    try {
      execFileSync('tmux', ['-L', s, 'kill-server'], { stdio: 'ignore' });
    } catch {}
  }
  ws.cleanup();
});

function launch() {
  socket = `k8s-learn-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  sockets.push(socket);
  const course = join(root, 'test/fixtures/tty-course');
  const cmd = `node ${join(root, 'bin/k8s-learn.js')} --dir ${ws.dir} --course ${course} --lang en; echo EXIT=$?; sleep 30`;
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '50', cmd);
}
const screen = () => tmux('capture-pane', '-t', session, '-p', '-S', '-200');
async function waitFor(text: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (s.includes(text)) return s;
    if (Date.now() > until) throw new Error(`"${text}" never appeared; the screen shows:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);

it('goes through a course at a real terminal, editing a file like a learner', async () => {
  launch();
  await waitFor('Ready? Edit the files');
  keys('Enter');
  await waitFor('How do you want to run these commands?');
  keys('Enter');
  await waitFor('created checklist.yaml');
  await waitFor('Ready? Edit the files', 15_000);
  // The learner edits the file in their editor, then verifies.
  const file = join(ws.dir, 'checklist.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('ready: false', 'ready: true'));
  keys('Enter');
  const end = await waitFor('EXIT=');
  expect(end).toContain('Course complete');
  expect(end).toContain('EXIT=0');
});

it('Ctrl-C at a prompt saves progress, exits 130, and the next run resumes there', async () => {
  launch();
  await waitFor('Ready? Edit the files');
  keys('Enter');
  await waitFor('How do you want to run these commands?');
  keys('C-c');
  const after = await waitFor('EXIT=');
  expect(after).toContain('Progress saved');
  expect(after).toContain('EXIT=130');
  launch();
  const again = await waitFor('How do you want to run these commands?');
  expect(again).toContain('Welcome back');
  expect(again).toContain('Step 2/3');
  expect(again).not.toContain('Step 1/3');
});
