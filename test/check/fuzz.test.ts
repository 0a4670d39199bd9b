// Fuzzing `k8s-learn check` (issue 14): random bytes and random YAML mutations of the article's
// manifests, seeded so a failure replays. The checker never throws, and the CLI never prints a stack
// trace, exits 0 or 1, and always prints valid JSON. Bounded: 200 byte files, 200 mutations.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifests } from '../../src/check/index.js';
import { decodeInput } from '../../src/check/inputs.js';
import { cli } from '../helpers/cli.js';
import { seededRandom } from '../helpers/random.js';

const articleDir = join(import.meta.dirname, '../fixtures/check/article');
const seeds = readdirSync(articleDir).map((f) => readFileSync(join(articleDir, f), 'utf8'));
const special = [
  ':',
  '-',
  '[',
  ']',
  '{',
  '}',
  '&a',
  '*a',
  '!',
  '|',
  '>',
  "'",
  '"',
  '#',
  '%',
  '@',
  '\t',
  '\n',
  ' ',
  '---\n',
  '? ',
  '<<: *a',
  '\u00e9',
  '\0',
];

function mutate(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(rnd() * n);
  for (let k = 0, n = 1 + pick(4); k < n; k++) {
    const i = pick(lines.length);
    const line = lines[i] ?? '';
    switch (pick(7)) {
      case 0: // insert a YAML-significant token
        lines[i] =
          `${line.slice(0, pick(line.length + 1))}${special[pick(special.length)]}${line.slice(pick(line.length + 1))}`;
        break;
      case 1: // re-indent
        lines[i] = `${' '.repeat(pick(9))}${line.trimStart()}`;
        break;
      case 2: // duplicate a line (duplicate keys)
        lines.splice(i, 0, line);
        break;
      case 3: // drop a line
        lines.splice(i, 1);
        break;
      case 4: // swap two lines
        [lines[i], lines[pick(lines.length)]] = [lines[pick(lines.length)] ?? '', line];
        break;
      case 5: // truncate
        return lines.slice(0, i).join('\n') + line.slice(0, pick(line.length + 1));
      default: // change a value into something of another type
        lines[i] = line.replace(
          /: .*$/,
          [': 3', ': "3"', ': [a, b]', ': {a: 1}', ': yes', ': null', ': 512mb'][pick(7)]!,
        );
    }
  }
  return lines.join('\n');
}

const rnd = seededRandom(14);
const byteFiles = Array.from({ length: 200 }, () => {
  const size = Math.floor(rnd() * 4096);
  // Half fully random, half mostly printable (closer to text, deeper into the parser).
  const printable = rnd() < 0.5;
  return Buffer.from(
    Array.from({ length: size }, () =>
      printable && rnd() < 0.95 ? 32 + Math.floor(rnd() * 95) : Math.floor(rnd() * 256),
    ),
  );
});
const mutations = Array.from({ length: 200 }, () => mutate(seeds[Math.floor(rnd() * seeds.length)]!, rnd));

describe('fuzz', () => {
  it('checkManifests never throws on random bytes or mutated manifests, and every finding is explained', () => {
    const inputs = [
      ...byteFiles.map((b, i) => decodeInput(`bytes-${i}.yaml`, b)),
      ...mutations.map((text, i) => ({ path: `mutation-${i}.yaml`, text })),
    ];
    for (const input of inputs) {
      const findings = checkManifests([input]);
      for (const f of findings) {
        expect(f.line, input.path).toBeGreaterThanOrEqual(1);
        expect(f.message, input.path).not.toMatch(/^check\.|\{\w+\}|undefined/);
      }
    }
  });

  it('the CLI never prints a stack trace, exits 0 or 1, and prints valid JSON', () => {
    const root = mkdtempSync(join(tmpdir(), 'check-fuzz-'));
    const batches = [
      ['bytes-a', byteFiles.slice(0, 100)],
      ['bytes-b', byteFiles.slice(100)],
      ['mutations-a', mutations.slice(0, 100)],
      ['mutations-b', mutations.slice(100)],
    ] as const;
    for (const [name, files] of batches) {
      const dir = join(root, name);
      mkdirSync(dir);
      files.forEach((content, i) => {
        writeFileSync(join(dir, `${String(i).padStart(3, '0')}.yaml`), content);
      });
      for (const format of ['json', 'text']) {
        const r = cli(['check', '--format', format, dir], {
          env: { LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined },
          timeoutMs: 60_000,
        });
        expect(r.stderr, name).not.toMatch(/\n\s+at |Error:/);
        expect([0, 1], `${name} exit ${r.code}: ${r.stderr}`).toContain(r.code);
        if (format === 'json') expect(() => JSON.parse(r.stdout)).not.toThrow();
        // No raw control bytes reach the terminal.
        else expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      }
    }
  }, 240_000);
});
