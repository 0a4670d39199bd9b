#!/usr/bin/env node
// npm run bench: measures what the issues promise about speed, on this machine, and prints a
// table. Nothing here is asserted in tests (timings vary by machine); read the numbers.
// Each part's own benchmark lives in scripts/bench-<area>.mjs and is run after the CLI's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function time(argv, env = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8' });
    samples.push(performance.now() - t0);
    if (r.status !== 0 && !argv.includes('--yes'))
      throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(samples);
}

const node = process.execPath;
const rows = [];
const bare = time([node, '-e', '0']);
rows.push(['node -e 0 (bare node)', bare]);
const help = time([node, 'bin/k8s-learn.js', '--help']);
rows.push(['k8s-learn --help', help]);
rows.push(['k8s-learn --version', time([node, 'bin/k8s-learn.js', '--version'])]);
rows.push(['k8s-learn course check (built-in)', time([node, 'bin/k8s-learn.js', 'course', 'check'])]);
const ws = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-'));
rows.push(['k8s-learn list', time([node, 'bin/k8s-learn.js', 'list', '--dir', ws])]);
rows.push([
  'k8s-learn --yes --dry-run (welcome)',
  time([node, 'bin/k8s-learn.js', '--yes', '--dry-run', '--dir', ws]),
]);
rmSync(ws, { recursive: true, force: true });

console.log(`CLI start-up, median of ${runs} runs (ms):`);
for (const [name, ms] of rows) console.log(`  ${name.padEnd(40)} ${ms.toFixed(1).padStart(8)}`);
console.log(`  --help / bare node: ${(help / bare).toFixed(2)}×`);

for (const file of readdirSync('scripts')
  .filter((f) => /^bench-.+\.mjs$/.test(f))
  .sort()) {
  console.log(`\n== ${file} ==`);
  const r = spawnSync(node, [join('scripts', file)], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${file} exited ${r.status})`);
}
if (!existsSync('dist/cli.js')) console.log('note: run `npm run build` first');
