// `k8s-learn check` through the built CLI (npm test builds first): exit codes 0/1/2, text and JSON
// output, stdin, directories, --strict, --lang zh-CN, NO_COLOR.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const fixtures = 'test/fixtures/check';
const env = { LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined };

describe('k8s-learn check', () => {
  it('exits 0 on the valid corpus (a directory, searched recursively)', () => {
    const r = cli(['check', `${fixtures}/valid`], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/22 file\(s\), 27 document\(s\): 0 error\(s\), 0 warning\(s\), 0 info/);
  });

  it('exits 1 on an error and prints file, line:column, severity, rule, message and fix', () => {
    const r = cli(['check', `${fixtures}/article/configMap.yaml`], { env });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${fixtures}/article/configMap.yaml`);
    expect(lines[1]).toMatch(
      /^ {2}4:9 +error invalid-name {2}metadata\.name: Invalid value: "configMap": a lowercase RFC 1123/,
    );
    expect(lines[2]).toMatch(/→ .*"config-map"/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('warnings alone exit 0, and 1 with --strict', () => {
    const file = `${fixtures}/rules/latest-tag/bad.yaml`;
    expect(cli(['check', file], { env }).code).toBe(0);
    expect(cli(['check', '--strict', file], { env }).code).toBe(1);
  });

  it('reads stdin with - and prints JSON', () => {
    const r = cli(['check', '-', '--format', 'json'], {
      env,
      input: 'apiVersion: v1\nkind: Deployment\nmetadata: {name: web}\n',
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { summary: { errors: number }; findings: Record<string, unknown>[] };
    expect(out.summary.errors).toBeGreaterThan(0);
    expect(out.findings.find((f) => f.rule === 'unknown-kind')).toMatchObject({
      file: '<stdin>',
      line: 1,
      column: 13,
      severity: 'error',
    });
    expect(out.findings.find((f) => f.rule === 'missing-field')?.message).toBe('spec: Required value');
  });

  it('exits 2 for unreadable input, a bad --format, or no PATH', () => {
    const missing = cli(['check', 'no/such/file.yaml'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read no/such/file.yaml');
    const empty = mkdtempSync(join(tmpdir(), 'check-cli-'));
    expect(cli(['check', empty], { env }).code).toBe(2);
    expect(cli(['check', '--format', 'xml', `${fixtures}/valid`], { env }).code).toBe(2);
    expect(cli(['check'], { env }).code).toBe(2);
  });

  it('exits 1 (not 2) for a YAML syntax error: the file was read, it is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-cli-'));
    writeFileSync(join(dir, 'bad.yaml'), 'a: [1\n');
    const r = cli(['check', join(dir, 'bad.yaml')], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('yaml-syntax');
  });

  it('explains in Chinese with --lang zh-CN', () => {
    const r = cli(['check', '--lang', 'zh-CN', `${fixtures}/article/k8s-test.yaml`], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('错误 unknown-kind');
    expect(r.stdout).toContain('Deployment 属于 apps/v1');
    expect(r.stdout).toMatch(/个错误/);
  });

  it('lists check in the main help and has its own --help', () => {
    expect(cli(['--help'], { env }).stdout).toContain('  check');
    const help = cli(['check', '--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('check PATH… [--format text|json] [--strict]');
  });
});

describe('the rules documentation ships with the package', () => {
  it('package.json publishes docs/rules.md, and the output points at it', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('docs/rules.md');
    const r = cli(['check', `${fixtures}/rules/latest-tag/bad.yaml`], { env });
    const last = r.stdout.trim().split('\n').pop()!;
    expect(last).toMatch(
      /^Each rule \(the id after the severity\) is explained, with an example and the fix, in (.+rules\.md)$/,
    );
    const path = last.replace(/^.* in /, '');
    expect(readFileSync(path, 'utf8')).toContain('## `latest-tag` — warning');
    const json = cli(['check', '--format', 'json', `${fixtures}/rules/latest-tag/bad.yaml`], { env });
    expect((JSON.parse(json.stdout) as { rulesDoc: string }).rulesDoc).toBe(path);
  });
});
