// The packed tarball, proven as a user gets it: `npm pack`, install into an empty folder, then
// `npx --package <tgz> k8s-learn` for --version, --help and doctor --json; from the installed
// package, the first lessons of the built-in course solved unattended on the practice cluster,
// `course check`, and a small course whose `script` check runs under zx resolved from the
// install (zx is a runtime dependency, not only a devDependency).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { root } from '../helpers/cli.js';

let dir: string;
let tgz: string;
let app: string;
const npmEnv = {
  ...process.env,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  FORCE_COLOR: '0',
};
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8s-learn-tarball-'));
  if (!existsSync(join(root, 'dist', 'cli.js'))) {
    const built = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(built.stderr);
  }
  // The suite builds before the tests run (npm test, release:check), so packing skips prepack.
  const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
    cwd: root,
    env: npmEnv,
    encoding: 'utf8',
  });
  if (packed.status !== 0) throw new Error(packed.stderr);
  tgz = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
  const installed = spawnSync('npm', ['install', tgz], { cwd: app, env: npmEnv, encoding: 'utf8' });
  if (installed.status !== 0) throw new Error(installed.stderr);
  env = {
    ...npmEnv,
    K8S_LEARN_PRACTICE_DIR: join(dir, 'practice'),
    KUBECONFIG: join(dir, 'kubeconfig'),
    K8S_LEARN_PRACTICE_TIME_SCALE: '0.1',
    K8S_LEARN_CACHE_DIR: join(dir, 'cache'),
  };
}, 180_000);

afterAll(() => {
  if (app) installed(['practice', 'stop']);
  rmSync(dir, { recursive: true, force: true });
});

const npx = (args: string[]) =>
  spawnSync('npx', ['--yes', '--package', tgz, 'k8s-learn', ...args], {
    cwd: app,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
/** installed runs the package's bin as npm linked it into the empty folder. */
function installed(args: string[], cwd = app) {
  return spawnSync(join(app, 'node_modules', '.bin', 'k8s-learn'), args, {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('the packed tarball', () => {
  it('holds what a user needs and nothing of the sources', () => {
    const list = spawnSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).stdout.split('\n');
    expect(list).toContain('package/dist/cli.js');
    expect(list).toContain('package/dist/script-api.js');
    expect(list).toContain('package/lessons/course.yaml');
    expect(list.some((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toBe(false);
    // No schema compiler at run time: ajv is not installed with the package.
    expect(existsSync(join(app, 'node_modules', 'ajv'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'zx'))).toBe(true);
  });

  it('answers npx --version, --help and doctor --json', () => {
    const version = npx(['--version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = npx(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage:\s+k8s-learn \[command\]/);
    const doctor = npx(['doctor', '--json']);
    const report = JSON.parse(doctor.stdout);
    expect(report).toMatchObject({ practiceUsable: true });
    expect(doctor.status).toBe(0);
  }, 120_000);

  it('checks the built-in course and runs its first lessons unattended on the practice cluster', () => {
    expect(installed(['course', 'check']).status).toBe(0);
    // The built-in course as installed, cut after its first four lessons (eight steps: welcome 3,
    // prerequisites 1, cluster 3, namespace 1).
    const first = join(dir, 'first-lessons');
    cpSync(join(app, 'node_modules', 'k8s-learn', 'lessons'), first, { recursive: true });
    const manifest = parse(readFileSync(join(first, 'course.yaml'), 'utf8'));
    manifest.lessons = manifest.lessons.slice(0, 4);
    writeFileSync(join(first, 'course.yaml'), stringify(manifest));
    const lab = join(dir, 'lab');
    const r = installed(['--yes', '--cluster', 'practice', '--course', first, '--dir', lab]);
    expect(r.stderr).toBe('');
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('Course complete');
    const status = JSON.parse(installed(['status', '--json', '--course', first, '--dir', lab]).stdout);
    expect(status).toMatchObject({ backend: 'practice', complete: true, steps: { total: 8, done: 8 } });
  }, 150_000);

  it('runs a facilitator’s course with a script check (zx from the installed package)', () => {
    const course = join(dir, 'course');
    mkdirSync(join(course, 'one', 'en'), { recursive: true });
    mkdirSync(join(course, 'checks'));
    writeFileSync(
      join(course, 'course.yaml'),
      'formatVersion: 1\nid: small\nversion: 1.0.0\ntitle: { en: Small }\nlanguages: [en]\nlessons: [one]\n',
    );
    writeFileSync(
      join(course, 'one', 'lesson.yaml'),
      `id: one
title: { en: One }
steps:
  - id: note
    title: { en: Write a note }
    files: [{ to: note.txt, content: "ready\\n" }]
    verify: [{ type: script, script: checks/note.mjs }]
    solve: [scaffold]
`,
    );
    writeFileSync(join(course, 'one', 'en', 'note.md'), '# A note\n');
    writeFileSync(
      join(course, 'checks', 'note.mjs'),
      `const node = await $\`node --version\`;
if (!node.stdout.startsWith('v')) k8s.fail({ expected: 'zx runs commands', saw: node.stdout });
if (fs.readFileSync(path.join(k8s.workspace, 'note.txt'), 'utf8') !== 'ready\\n')
  k8s.fail({ expected: 'note.txt says ready', saw: 'something else' });
k8s.pass();
`,
    );
    expect(installed(['course', 'check', course]).status).toBe(0);
    const r = installed(['--yes', '--course', course, '--dir', join(dir, 'small')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Course complete');
  }, 60_000);
});
