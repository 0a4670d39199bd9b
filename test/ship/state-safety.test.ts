// Progress is never lost to another run: one writer per workspace (a lock with the holder's PID,
// taken over when stale), saves that merge instead of writing back a stale whole, a newer format
// refused untouched, SIGTERM saving what SIGINT saves, and no temp files left behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadState, saveState, statePath, stepRecord } from '../../src/engine/state.js';
import { cli, root } from '../helpers/cli.js';
import { fixtureCourse, tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
let sleeper: ChildProcess | undefined;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => {
  sleeper?.kill('SIGKILL');
  sleeper = undefined;
  ws.cleanup();
});

const course = { id: 'fixture', version: '1.0.0' };
const quiet = () => {};

/** snapshot lists every file under a folder with its content, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path] = entry.isFile() ? readFileSync(path, 'utf8') : '<dir>';
  }
  return out;
}

describe('saving progress', () => {
  it('merges: a command begun before another run does not put its steps back', () => {
    const early = loadState(ws.dir, course, quiet); // e.g. `verify`, started first
    const run = loadState(ws.dir, course, quiet); // e.g. `--yes`, finishing 14 steps meanwhile
    for (let i = 1; i <= 14; i++) stepRecord(run, `l/s${i}`).status = 'done';
    run.files['a.yaml'] = 'hash-a';
    saveState(ws.dir, run);
    stepRecord(early, 'l/s3').attempts += 1;
    saveState(ws.dir, early);
    const saved = JSON.parse(readFileSync(statePath(ws.dir), 'utf8'));
    expect(
      Object.values(saved.steps).filter((s) => (s as { status: string }).status === 'done'),
    ).toHaveLength(14);
    expect(saved.steps['l/s3'].attempts).toBe(1);
    expect(saved.files['a.yaml']).toBe('hash-a');
    // The early command now sees the others' work too.
    expect(early.steps['l/s14']?.status).toBe('done');
  });

  it('leaves no temp file when a write fails', () => {
    const state = loadState(ws.dir, course, quiet);
    mkdirSync(statePath(ws.dir), { recursive: true }); // a folder where the file goes: rename fails
    expect(() => saveState(ws.dir, state)).toThrow();
    expect(readdirSync(join(ws.dir, '.k8s-learn'))).toEqual(['state.json']);
  });

  it('refuses a progress file of a newer format and leaves it untouched, even for status', () => {
    mkdirSync(join(ws.dir, '.k8s-learn'));
    const newer = JSON.stringify({
      formatVersion: 2,
      course: { id: 'fixture' },
      steps: {},
      files: {},
      more: 1,
    });
    writeFileSync(statePath(ws.dir), newer);
    for (const argv of [['status'], ['verify'], ['--yes']]) {
      const r = cli([...argv, '--dir', ws.dir, '--course', fixtureCourse]);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toContain('was written by a newer k8s-learn (progress format 2');
      expect(readdirSync(join(ws.dir, '.k8s-learn'))).toEqual(['state.json']);
      expect(readFileSync(statePath(ws.dir), 'utf8')).toBe(newer);
    }
  });
});

describe('one writer per workspace', () => {
  it('refuses a second run with the first one’s PID; status still works; nothing changes', () => {
    sleeper = spawn('sleep', ['30']);
    mkdirSync(join(ws.dir, '.k8s-learn'));
    writeFileSync(
      join(ws.dir, '.k8s-learn', 'lock'),
      JSON.stringify({ pid: sleeper.pid, command: '--yes', at: new Date().toISOString() }),
    );
    const before = snapshot(ws.dir);
    const r = cli(['--yes', '--dir', ws.dir, '--course', fixtureCourse]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `another k8s-learn is using the workspace ${ws.dir} (PID ${sleeper.pid}: k8s-learn --yes)`,
    );
    expect(r.stderr).toContain(`kill ${sleeper.pid}`);
    expect(snapshot(ws.dir)).toEqual(before);
    const status = cli(['status', '--json', '--dir', ws.dir, '--course', fixtureCourse]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).steps.done).toBe(0);
  });

  it('takes over a lock whose process is gone, and releases it at the end', () => {
    mkdirSync(join(ws.dir, '.k8s-learn'));
    writeFileSync(
      join(ws.dir, '.k8s-learn', 'lock'),
      JSON.stringify({ pid: 2 ** 22 + 7, command: 'verify', at: '' }),
    );
    // The fixture's second step needs a tool that is not installed: the run gets that far.
    const r = cli(['--yes', '--dir', ws.dir, '--course', fixtureCourse]);
    expect(r.stderr).not.toContain('another k8s-learn');
    expect(r.stdout).toContain('Run the tool');
    expect(existsSync(join(ws.dir, '.k8s-learn', 'lock'))).toBe(false);
  });

  it('a refused or failed command leaves no folder behind in an empty workspace', () => {
    const dir = join(ws.dir, 'new');
    const r = cli(['verify', '999', '--dir', dir, '--course', fixtureCourse]);
    expect(r.code).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('SIGTERM', () => {
  it('saves what SIGINT saves (step records and file hashes) and leaves no process behind', async () => {
    const courseDir = join(ws.dir, 'course');
    mkdirSync(join(courseDir, 'one', 'en'), { recursive: true });
    writeFileSync(
      join(courseDir, 'course.yaml'),
      'formatVersion: 1\nid: slow\nversion: 1.0.0\ntitle: { en: Slow }\nlanguages: [en]\nlessons: [one]\n',
    );
    writeFileSync(
      join(courseDir, 'one', 'lesson.yaml'),
      `id: one
title: { en: One }
steps:
  - id: write
    title: { en: Write }
    files: [{ to: note.txt, content: "hi\\n" }]
    verify: [{ type: file, path: note.txt, contains: hi }]
    solve: [scaffold]
  - id: wait
    title: { en: Wait }
    files: [{ to: second.txt, content: "two\\n" }]
    run: [sleep 41.5]
    verify: [{ type: command, run: 'true' }]
    solve: [scaffold, commands]
`,
    );
    for (const id of ['write', 'wait']) writeFileSync(join(courseDir, 'one', 'en', `${id}.md`), `# ${id}\n`);
    const lab = join(ws.dir, 'lab');
    const child = spawn(process.execPath, [
      join(root, 'bin/k8s-learn.js'),
      '--yes',
      '--dir',
      lab,
      '--course',
      courseDir,
    ]);
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    for (let i = 0; i < 200 && !out.includes('sleep 41.5'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('sleep 41.5');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(143);
    const state = JSON.parse(readFileSync(join(lab, '.k8s-learn', 'state.json'), 'utf8'));
    expect(state.steps['one/write'].status).toBe('done');
    expect(Object.keys(state.files).sort()).toEqual(['note.txt', 'second.txt']);
    expect(existsSync(join(lab, '.k8s-learn', 'lock'))).toBe(false);
    const ps = spawn('ps', ['-eo', 'args']);
    let list = '';
    ps.stdout.on('data', (d) => {
      list += String(d);
    });
    await new Promise((r) => ps.on('exit', r));
    expect(list).not.toContain('sleep 41.5');
    expect(readdirSync(join(lab, '.k8s-learn')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
