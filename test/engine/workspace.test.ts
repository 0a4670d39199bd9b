// Workspace discovery: commands run from inside a workspace (or a subfolder of it) use that
// workspace, never a new nested one; a folder that looks like a workspace without its progress is
// refused instead of silently getting a second workspace inside it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseWorkspace, findWorkspace, refuseNestedWorkspace } from '../../src/engine/workspace.js';
import { cli } from '../helpers/cli.js';
import { fixtureCourse, tempWorkspace } from '../helpers/engine.js';

let tmp: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  tmp = tempWorkspace();
});
afterEach(() => tmp.cleanup());

describe('workspace discovery', () => {
  it('finds the nearest .k8s-learn/ at or above the working directory; --dir wins', () => {
    const ws = join(tmp.dir, 'lab');
    const sub = join(ws, 'k8s', 'deep');
    mkdirSync(join(ws, '.k8s-learn'), { recursive: true });
    mkdirSync(sub, { recursive: true });
    expect(findWorkspace(sub)).toBe(ws);
    expect(chooseWorkspace(undefined, sub)).toEqual({ dir: ws, source: 'found' });
    expect(chooseWorkspace(undefined, ws)).toEqual({ dir: ws, source: 'found' });
    expect(chooseWorkspace('other', sub)).toEqual({ dir: join(sub, 'other'), source: 'flag' });
    expect(chooseWorkspace(undefined, tmp.dir)).toEqual({
      dir: join(tmp.dir, 'k8s-learn-lab'),
      source: 'default',
    });
  });

  it('refuses to create a workspace nested in a folder that looks like one', () => {
    const looks = join(tmp.dir, 'old-lab');
    mkdirSync(join(looks, 'k8s'), { recursive: true });
    writeFileSync(join(looks, 'k8s', 'namespace.yaml'), 'kind: Namespace\n');
    const choice = chooseWorkspace(undefined, looks);
    expect(() => refuseNestedWorkspace(choice, looks)).toThrow(/looks like a k8s-learn workspace/);
    // An ordinary folder is fine.
    expect(() => refuseNestedWorkspace(chooseWorkspace(undefined, tmp.dir), tmp.dir)).not.toThrow();
  });

  it('status run from a subfolder of a workspace reports that workspace, creating nothing nested', () => {
    const started = cli(['--yes', '--course', fixtureCourse, '--dir', 'lab', 'status', '--json'], {
      cwd: tmp.dir,
    });
    expect(started.code).toBe(0);
    mkdirSync(join(tmp.dir, 'lab', '.k8s-learn'), { recursive: true });
    const sub = join(tmp.dir, 'lab', 'k8s');
    mkdirSync(sub, { recursive: true });
    const r = cli(['--course', fixtureCourse, 'status', '--json'], { cwd: sub });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).workspace).toBe(join(tmp.dir, 'lab'));
    expect(existsSync(join(sub, 'k8s-learn-lab'))).toBe(false);
  });

  it('the CLI refuses a nested workspace with exit 2 and says what to do', () => {
    const looks = join(tmp.dir, 'copied');
    mkdirSync(looks);
    writeFileSync(join(looks, 'README.md'), '# Your Kubernetes lab\n');
    const r = cli(['--course', fixtureCourse, 'status'], { cwd: looks });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looks like a k8s-learn workspace');
    expect(r.stderr).toContain('--dir .');
    expect(existsSync(join(looks, 'k8s-learn-lab'))).toBe(false);
  });
});
