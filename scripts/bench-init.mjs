#!/usr/bin/env node
// `k8s-learn init -y` against bare `node -e 0`, in the same run, median of BENCH_RUNS (default 10).
// Each init writes a new project into a fresh temp folder (the whole tree, plus the offline check of
// its manifests). Read the numbers; nothing is asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const node = process.execPath;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-init-'));

function time(label, argvFor) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const argv = argvFor(i);
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { cwd: base, encoding: 'utf8' });
    samples.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return [label, median(samples), Math.min(...samples), Math.max(...samples)];
}

const cli = join(import.meta.dirname, '..', 'bin', 'k8s-learn.js');
// Interleaved order would be fairer under load; alternate whole series twice instead and keep both.
const rows = [
  time('node -e 0', () => [node, '-e', '0']),
  time('k8s-learn init DIR -y (node)', (i) => [node, cli, 'init', `n${i}`, '-y']),
  time('k8s-learn init DIR -y --template python --ingress', (i) => [
    node,
    cli,
    'init',
    `p${i}`,
    '-y',
    '--template',
    'python',
    '--ingress',
  ]),
  time('k8s-learn init DIR -y --dry-run', (i) => [node, cli, 'init', `d${i}`, '-y', '--dry-run']),
  time('node -e 0 (again)', () => [node, '-e', '0']),
];
rmSync(base, { recursive: true, force: true });
console.log(`init, median of ${runs} runs (ms):              median      min      max`);
for (const [name, med, min, max] of rows)
  console.log(
    `  ${name.padEnd(48)} ${med.toFixed(1).padStart(8)} ${min.toFixed(1).padStart(8)} ${max.toFixed(1).padStart(8)}`,
  );
const bare = (rows[0][1] + rows[4][1]) / 2;
console.log(
  `  init -y / bare node: ${(rows[1][1] / bare).toFixed(2)}×, init -y minus bare node: ${(rows[1][1] - bare).toFixed(1)} ms`,
);
