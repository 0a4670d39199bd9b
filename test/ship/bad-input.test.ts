// The bad-input suite: every flag and argument given something wrong. Each case asserts the
// message, the exit code (2 for usage) and that nothing in the workspace changed; usage errors
// come in the learner's language.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { fixtureCourse, tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
let lab: string;
let brokenCourse: string;
let notACourse: string;
let aFile: string;
beforeAll(() => {
  ws = tempWorkspace();
  lab = join(ws.dir, 'lab');
  mkdirSync(join(lab, '.k8s-learn'), { recursive: true });
  writeFileSync(join(lab, 'README.md'), '# my own notes\n');
  writeFileSync(
    join(lab, '.k8s-learn', 'state.json'),
    `${JSON.stringify({
      _comment: 'seed',
      formatVersion: 1,
      course: { id: 'fixture', version: '1.0.0' },
      steps: { 'alpha/config': { status: 'done', attempts: 1, hintsShown: 0 } },
      files: {},
    })}\n`,
  );
  brokenCourse = join(ws.dir, 'broken-course');
  cpSync(fixtureCourse, brokenCourse, { recursive: true });
  writeFileSync(
    join(brokenCourse, 'beta', 'lesson.yaml'),
    'id: beta\ntitle: { en: Beta }\nsteps: [ { id: edit, title: { en: x }\n',
  );
  notACourse = join(ws.dir, 'empty');
  mkdirSync(notACourse);
  aFile = join(ws.dir, 'notes.txt');
  writeFileSync(aFile, 'mine');
});
afterAll(() => ws.cleanup());

/** snapshot lists every file under the temp folder with its content. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(ws.dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path] = entry.isFile() ? readFileSync(path, 'utf8') : '<dir>';
  }
  return out;
}

type Case = [
  name: string,
  argv: () => string[],
  code: number,
  says: string | RegExp,
  env?: Record<string, string>,
];
const inLab = (...argv: string[]) => ['--dir', lab, '--course', fixtureCourse, ...argv];
const zh = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const en = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

const cases: Case[] = [
  ['unknown command', () => inLab('stauts'), 2, 'unknown command "stauts"'],
  ['unknown subcommand', () => ['course', 'chek'], 2, 'unknown command "course chek"'],
  ['a command that needs a subcommand', () => ['course'], 2, 'Usage: k8s-learn course'],
  ['unknown flag', () => inLab('list', '--bogus'), 2, 'unknown option --bogus'],
  ['unknown short flag', () => inLab('list', '-q'), 2, 'unknown option -q'],
  ['--dir without a value', () => ['status', '--dir'], 2, 'option --dir needs a value'],
  ["--dir ''", () => ['status', '--dir', '', '--course', fixtureCourse], 2, '--dir is empty'],
  ['--dir of spaces', () => ['status', '--dir', '   ', '--course', fixtureCourse], 2, '--dir is empty'],
  ["--course ''", () => ['list', '--dir', lab, '--course', ''], 2, '--course is empty'],
  ["--lang ''", () => inLab('list', '--lang', ''), 2, '--lang is empty'],
  ['--lang xx', () => inLab('list', '--lang', 'xx'), 2, 'unsupported language "xx"'],
  [
    '--cluster nonsense',
    () => inLab('status', '--cluster', 'nonsense'),
    2,
    'invalid --cluster value "nonsense"',
  ],
  [
    '--cluster context:',
    () => inLab('status', '--cluster', 'context:'),
    2,
    '--cluster context: needs the name',
  ],
  ["--cluster ''", () => inLab('status', '--cluster', ''), 2, '--cluster is empty'],
  [
    '--cluster with a space for a name',
    () => inLab('status', '--cluster', 'context: x'),
    2,
    'invalid --cluster value',
  ],
  ['verify 999', () => inLab('verify', '999'), 2, 'unknown step "999"'],
  ['verify 0', () => inLab('verify', '0'), 2, 'unknown step "0"'],
  ['verify an unknown id', () => inLab('verify', 'nope/nope'), 2, 'unknown step "nope/nope"'],
  ['verify two steps', () => inLab('verify', '1', '2'), 2, 'too many arguments for "verify": 1 2'],
  ['verify a non-ASCII id', () => inLab('verify', '第一步'), 2, 'unknown step "第一步"'],
  ['verify a very long id', () => inLab('verify', 'x'.repeat(5000)), 2, /unknown step "x{60}…"/],
  ['hint 999', () => inLab('hint', '999'), 2, 'unknown step "999"'],
  ['hint -1', () => inLab('hint', '--', '-1'), 2, 'unknown step "-1"'],
  ['solve without STEP', () => inLab('solve'), 2, 'missing STEP'],
  ['solve 999', () => inLab('solve', '999'), 2, 'unknown step "999"'],
  ['reset without STEP or --all', () => inLab('reset'), 2, 'missing STEP or --all'],
  ['reset STEP and --all', () => inLab('reset', '1', '--all'), 2, 'give either STEP or --all, not both'],
  ['reset 999', () => inLab('reset', '999'), 2, 'unknown step "999"'],
  ['status with an argument', () => inLab('status', 'extra'), 2, 'too many arguments for "status": extra'],
  ['list with a value for a boolean', () => inLab('status', '--json=yes'), 2, '--json'],
  [
    '--dir is a file',
    () => ['status', '--dir', aFile, '--course', fixtureCourse],
    2,
    /--dir \S+notes\.txt is a file, not a folder/,
  ],
  [
    '--dir below a file',
    () => ['status', '--dir', join(aFile, 'sub'), '--course', fixtureCourse],
    2,
    `which is a file`,
  ],
  [
    '--dir in /proc',
    () => ['--yes', '--dir', '/proc/k8s-learn-x', '--course', fixtureCourse],
    2,
    'is inside /proc',
  ],
  [
    '--dir in /sys',
    () => ['status', '--dir', '/sys/k8s-learn', '--course', fixtureCourse],
    2,
    'is inside /sys',
  ],
  [
    '--dir with an overlong name',
    () => ['status', '--dir', join(ws.dir, 'd'.repeat(300))],
    2,
    'longer than 255 bytes',
  ],
  ['--course that is no course', () => ['list', '--dir', lab, '--course', notACourse], 2, 'no course at'],
  [
    '--course with a YAML error: list',
    () => ['list', '--dir', lab, '--course', brokenCourse],
    2,
    /beta\/lesson\.yaml:\d+:\d+: /,
  ],
  [
    '--course with a YAML error: start',
    () => ['--yes', '--dir', lab, '--course', brokenCourse],
    2,
    /beta\/lesson\.yaml:\d+:\d+: /,
  ],
  ['check --format xml', () => ['check', '--format', 'xml', aFile], 2, 'invalid --format value "xml"'],
  ['check without a path', () => ['check'], 2, 'check needs at least one PATH'],
  [
    'practice start --port abc',
    () => ['practice', 'start', '--port', 'abc'],
    2,
    '--port needs a whole number',
  ],
  [
    'practice start --port 70000',
    () => ['practice', 'start', '--port', '70000'],
    2,
    '--port needs a whole number',
  ],
  [
    'practice start --nodes 99',
    () => ['practice', 'start', '--nodes', '99'],
    2,
    '--nodes needs a whole number',
  ],
  ['practice load-image without IMAGE', () => ['practice', 'load-image'], 2, 'needs one IMAGE'],
  ["alerts -n ''", () => inLab('alerts', '-n', ''), 2, '--namespace is empty'],
  ['cleanup without a terminal or --yes', () => inLab('cleanup'), 2, '--yes'],
  ['start without a terminal or --yes', () => inLab('start'), 2, '--yes'],
  ['zh-CN: unknown command', () => inLab('stauts', '--lang', 'zh-CN'), 2, '未知命令 "stauts"'],
  ['zh-CN: unknown step', () => inLab('verify', '999', '--lang', 'zh-CN'), 2, '未知步骤 "999"'],
  [
    'zh-CN: bad --cluster',
    () => inLab('list', '--cluster', 'x', '--lang', 'zh'),
    2,
    '无效的 --cluster 值 "x"',
  ],
  ['zh-CN from LANG: unknown flag', () => inLab('list', '--bogus'), 2, '未知选项 --bogus', zh],
  ['zh-CN from LANG: empty --dir', () => ['list', '--dir', ''], 2, '--dir 的值为空', zh],
];

describe('bad input', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', (_name, argv, code, says, env) => {
    const before = snapshot();
    const r = cli(argv(), { env: env ?? en });
    expect(r.code, r.stderr).toBe(code);
    if (typeof says === 'string') expect(`${r.stderr}${r.stdout}`).toContain(says);
    else expect(`${r.stderr}${r.stdout}`).toMatch(says);
    expect(r.stderr).not.toContain('bug in k8s-learn');
    expect(r.stderr.length).toBeLessThan(3000);
    expect(snapshot()).toEqual(before);
    expect(existsSync('/proc/k8s-learn-x')).toBe(false);
  });
});
