// Inputs that used to hang or mislead `k8s-learn check` (issue 14): FIFOs, broken links, binary,
// Latin-1 and UTF-16 files, empty files, alias bombs, deep nesting, duplicate keys, control bytes.
// Each gets one clear finding and the exit code below, and the files beside it are still checked.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const env = { LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined };
const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: menu\ndata:\n  dish: soup\n';

interface JsonReport {
  summary: { errors: number; warnings: number; infos: number };
  findings: { file: string; line: number; column: number; severity: string; rule: string; message: string }[];
}

function json(args: string[], input?: string) {
  const r = cli(['check', '--format', 'json', ...args], {
    env,
    ...(input ? { input } : {}),
    timeoutMs: 20_000,
  });
  expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport };
}

function dir() {
  return mkdtempSync(join(tmpdir(), 'check-inputs-'));
}

describe('inputs that are not regular files', () => {
  it('skips a FIFO named *.yaml, given explicitly or met in a directory, without blocking', () => {
    const d = dir();
    execFileSync('mkfifo', [join(d, 'pipe.yaml')]);
    writeFileSync(join(d, 'ok.yaml'), good);
    for (const target of [join(d, 'pipe.yaml'), d]) {
      const { code, report } = json([target]);
      expect(code).toBe(0);
      const skipped = report.findings.filter((f) => f.rule === 'skipped-file');
      expect(skipped).toEqual([
        expect.objectContaining({
          file: join(d, 'pipe.yaml'),
          severity: 'info',
          message: 'not a regular file (fifo): skipped without opening it',
        }),
      ]);
    }
  });

  it('reports a dangling link and a link loop inside a directory and still checks the good file (exit 1)', () => {
    const d = dir();
    writeFileSync(join(d, 'b-good.yaml'), good);
    symlinkSync(join(d, 'missing.yaml'), join(d, 'a-dangling.yaml'));
    symlinkSync(join(d, 'c-loop.yaml'), join(d, 'c-loop.yaml'));
    writeFileSync(join(d, 'd-bad.yaml'), good.replace('name: menu', 'name: Menu'));
    const { code, report } = json([d]);
    expect(code).toBe(1);
    const rules = report.findings.map((f) => `${f.file.slice(d.length + 1)} ${f.rule}`);
    expect(rules).toEqual([
      'a-dangling.yaml unreadable-file',
      'c-loop.yaml unreadable-file',
      'd-bad.yaml invalid-name',
    ]);
    expect(report.findings[0]!.message).toBe(
      'cannot read this file: it is a symbolic link to a file that does not exist (ENOENT)',
    );
    expect(report.findings[1]!.message).toBe(
      'cannot read this file: its symbolic links point at each other in a loop (ELOOP)',
    );
  });

  it('a missing path or a directory with no YAML is bad usage (exit 2) and says there are no objects', () => {
    const empty = cli(['check', dir()], { env });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no *.yaml or *.yml files in it, so no Kubernetes objects to check');
  });
});

describe('files that are not UTF-8 text get one finding naming the encoding', () => {
  const cases: [string, Buffer, string][] = [
    [
      'binary',
      Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256)),
      'this is a binary file, not text',
    ],
    [
      'latin1',
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n', 'latin1'),
      'this file is not UTF-8 text (byte 0xe9 here is not valid UTF-8; the file is probably Latin-1',
    ],
    [
      'utf16',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]),
      'this file is UTF-16LE text, not UTF-8',
    ],
    ['utf16 without a mark', Buffer.from(good, 'utf16le'), 'this file is UTF-16LE text, not UTF-8'],
  ];
  it.each(cases)('%s: exit 1, exactly one finding', (_, bytes, message) => {
    const d = dir();
    writeFileSync(join(d, 'x.yaml'), bytes);
    const { code, report } = json([join(d, 'x.yaml')]);
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ rule: 'not-utf8', severity: 'error' });
    expect(report.findings[0]!.message).toContain(message);
  });

  it('latin1 points at the line of the first bad byte', () => {
    const d = dir();
    writeFileSync(join(d, 'x.yaml'), Buffer.from('a: 1\nb: caf\xe9\n', 'latin1'));
    expect(json([join(d, 'x.yaml')]).report.findings[0]).toMatchObject({ line: 2, column: 7 });
  });

  it('a UTF-8 byte-order mark is fine', () => {
    const d = dir();
    writeFileSync(join(d, 'x.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]));
    expect(json([join(d, 'x.yaml')])).toMatchObject({ code: 0, report: { findings: [] } });
  });
});

describe('empty input says there are no Kubernetes objects (info, exit 0)', () => {
  it.each([
    ['', 'this file is empty: no Kubernetes objects in it'],
    ['# only a comment\n---\n', 'no Kubernetes objects in this file: only comments or empty documents'],
  ])('%j', (text, message) => {
    const { code, report } = json(['-'], text || undefined);
    expect(code).toBe(0);
    expect(report.findings).toEqual([
      {
        file: '<stdin>',
        line: 1,
        column: 1,
        severity: 'info',
        rule: 'no-objects',
        message,
        fix: expect.any(String),
      },
    ]);
  });
});

describe('YAML that attacks or confuses the parser', () => {
  it('an alias bomb gets its own message, not the indentation advice', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      bomb += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    }
    const { code, report } = json(['-'], bomb);
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.message).toMatch(/^YAML aliases \(\*name\) expand to too many copies/);
  });

  it('100,000-deep nesting says so, not "Maximum call stack size exceeded"', () => {
    const deep = `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const { code, report } = json(['-'], deep);
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.message).toBe(
      'lists or mappings nested too deep to read (hundreds of levels; real objects have a dozen at most)',
    );
  });

  it('a duplicate key is named with both lines, and the rest of the document is still checked', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: menu\n  name: menu2\ndata:\n  port: 80\n';
    const { code, report } = json(['-'], text);
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.line}:${f.column} ${f.rule} ${f.message}`)).toEqual([
      '5:3 duplicate-key duplicate key "name": first on line 4, again on line 5; kubectl rejects the file (key "name" already set in map)',
      expect.stringMatching(/^7:9 wrong-type data\.port: /),
    ]);
  });

  it('control bytes in quoted text are escaped and long lines capped', () => {
    const text = `apiVersion: v1\nkind: Bad\x1b[31mKind\nmetadata:\n  name: ${'x'.repeat(2000)}\n`;
    const r = cli(['check', '-'], { env, input: text });
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toContain('\\x1b[31m');
    // A message is capped at 400 characters; the line adds position, severity and rule id.
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(460);
    expect(r.stdout).toContain('…');
  });
});
