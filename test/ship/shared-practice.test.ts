// Two workspaces on one practice cluster: the second is refused with a clear way out instead of
// silently overwriting the first one's objects; `reset --all` in the first gives the cluster up.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { tempWorkspace } from '../helpers/engine.js';

const course = resolve(import.meta.dirname, '../fixtures/cluster-course');
let ws: ReturnType<typeof tempWorkspace>;
let env: Record<string, string>;
beforeEach(() => {
  ws = tempWorkspace();
  env = { K8S_LEARN_PRACTICE_DIR: join(ws.dir, 'practice'), KUBECONFIG: join(ws.dir, 'kubeconfig') };
});
afterEach(() => {
  cli(['practice', 'stop'], { env });
  ws.cleanup();
});

const run = (dir: string, ...argv: string[]) =>
  cli(['--yes', '--cluster', 'practice', '--course', course, '--dir', join(ws.dir, dir), ...argv], {
    env,
    timeoutMs: 60_000,
  });

describe('workspaces sharing the practice cluster', () => {
  it('refuses the second one while the first has progress, and lets it in after reset --all', () => {
    expect(run('first').code).toBe(0);
    const second = run('second');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `the practice cluster already serves the workspace ${join(ws.dir, 'first')}`,
    );
    expect(second.stderr).toContain(`--dir ${join(ws.dir, 'first')}`);
    const state = JSON.parse(readFileSync(join(ws.dir, 'second', '.k8s-learn', 'state.json'), 'utf8'));
    expect(state.steps['ns/create']?.status).not.toBe('done');
    expect(
      cli(['reset', '--all', '--yes', '--course', course, '--dir', join(ws.dir, 'first')], { env }).code,
    ).toBe(0);
    // Let in: it now reaches the cluster (whose objects from the first workspace are still there).
    const again = run('second');
    expect(again.stderr).not.toContain('already serves');
    expect(again.stdout).toContain('Create a namespace');
  }, 120_000);
});
