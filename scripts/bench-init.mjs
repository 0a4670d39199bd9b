#!/usr/bin/env node
// `k8s-learn init -y` against bare `node -e 0`, in the same run, median of BENCH_RUNS (default 10).
// Each init writes a new project into a fresh temp folder (the whole tree, plus the offline check of
// its manifests). Wall time and the process's own CPU time (user + system, read at exit through a
// preloaded module: less sensitive to a busy machine). Read the numbers; nothing is asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const node = process.execPath;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-init-'));
const cpuProbe = join(base, 'cpu-probe.mjs');
writeFileSync(
  cpuProbe,
  "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\ncpu-us ' + (u.user + u.system) + '\\n'); });\n",
);

function time(label, argvFor) {
  const samples = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const argv = argvFor(i);
    const t0 = performance.now();
    const r = spawnSync(argv[0], ['--import', cpuProbe, ...argv.slice(1)], { cwd: base, encoding: 'utf8' });
    samples.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    cpu.push(Number(/cpu-us (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) / 1000);
  }
  return [label, median(samples), Math.min(...samples), Math.max(...samples), median(cpu)];
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
console.log(`init, ${runs} runs each (ms)                    wall: median      min      max   CPU: median`);
for (const [name, med, min, max, cpu] of rows)
  console.log(
    `  ${name.padEnd(48)} ${med.toFixed(1).padStart(8)} ${min.toFixed(1).padStart(8)} ${max.toFixed(1).padStart(8)} ${cpu.toFixed(1).padStart(12)}`,
  );
const bare = (rows[0][1] + rows[4][1]) / 2;
const bareCpu = (rows[0][4] + rows[4][4]) / 2;
console.log(
  `  init -y / bare node: wall ${(rows[1][1] / bare).toFixed(2)}× (+${(rows[1][1] - bare).toFixed(1)} ms), CPU ${(rows[1][4] / bareCpu).toFixed(2)}× (+${(rows[1][4] - bareCpu).toFixed(1)} ms)`,
);
