// The built CLI's caches (src/course/cache.ts, src/engine/render-cache.ts): a cached course or a
// remembered rendering must never show the learner anything but what the files say now.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
let course: string;
let lab: string;
let env: Record<string, string>;

function writeCourse(target: string, lessonTitle: string): void {
  writeFileSync(
    join(course, 'course.yaml'),
    `formatVersion: 1\nid: cache-fixture\nversion: 1.0.0\ntitle: { en: Cache fixture }\nlanguages: [en]\nvars: { target: ${target} }\nlessons: [files]\n`,
  );
  writeFileSync(
    join(course, 'files', 'lesson.yaml'),
    [
      'id: files',
      `title: { en: ${lessonTitle} }`,
      'steps:',
      '  - id: one',
      '    title: { en: One file }',
      '    verify:',
      "      - { type: file, path: '{{target}}', title: { en: 'the file {{target}} is there' } }",
      '    solve: [commands]',
      '',
    ].join('\n'),
  );
  writeFileSync(join(course, 'files', 'en', 'one.md'), 'Write the file.\n');
}

beforeEach(() => {
  ws = tempWorkspace();
  course = join(ws.dir, 'course');
  lab = join(ws.dir, 'lab');
  mkdirSync(join(course, 'files', 'en'), { recursive: true });
  mkdirSync(lab);
  writeFileSync(join(lab, 'a.txt'), 'a\n');
  env = { K8S_LEARN_CACHE_DIR: join(ws.dir, 'cache') };
  writeCourse('a.txt', 'Files');
});
afterEach(() => ws.cleanup());

const verify = () => cli(['verify', 'files/one', '--course', course, '--dir', lab], { env });

describe('the caches of the built CLI', () => {
  it('remembers rendered checks, and renders again when a variable changes', () => {
    const first = verify();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('the file a.txt is there');
    const memo = JSON.parse(readFileSync(join(ws.dir, 'cache', 'renders.json'), 'utf8'));
    expect(Object.values(memo.entries)).toContain('a.txt');

    // The same inputs again: the same answer (now from the memo).
    const again = verify();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('the file a.txt is there');

    // A changed course variable is a new rendering, never the remembered one.
    writeCourse('b.txt', 'Files');
    const changed = verify();
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('the file b.txt is there');
    expect(changed.stdout).not.toContain('a.txt');
  });

  it('renders afresh when the memo is damaged, and repairs it', () => {
    mkdirSync(join(ws.dir, 'cache'));
    writeFileSync(join(ws.dir, 'cache', 'renders.json'), '{"build":');
    const r = verify();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('the file a.txt is there');
    const memo = JSON.parse(readFileSync(join(ws.dir, 'cache', 'renders.json'), 'utf8'));
    expect(Object.values(memo.entries)).toContain('a.txt');
  });

  it('loads the course afresh when a lesson file changes', () => {
    expect(cli(['list', '--course', course, '--dir', lab], { env }).stdout).toContain('Files');
    expect(existsSync(join(ws.dir, 'cache'))).toBe(true);
    writeCourse('a.txt', 'Renamed lesson');
    const r = cli(['list', '--course', course, '--dir', lab], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Renamed lesson');
  });
});
