#!/usr/bin/env node
// npm run bench: measures what the issues promise about speed, on this machine, and prints a
// table. Nothing here is asserted in tests (timings vary by machine); read the numbers.
// Each part's own benchmark lives in scripts/bench-<area>.mjs and is run after the CLI's.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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

/**
 * timeTogether measures commands round-robin (one sample of each per round), so a machine whose
 * load changes during the bench slows every command alike and the ratios stay meaningful.
 */
function timeTogether(commands) {
  const samples = commands.map(() => []);
  const cpu = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(([argv, env = {}], k) => {
      const c0 = childrenCpu();
      const t0 = performance.now();
      const r = spawnSync(argv[0], argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8' });
      samples[k].push(performance.now() - t0);
      if (c0 !== undefined) cpu[k].push(childrenCpu() - c0);
      if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    });
  }
  lastCpu = cpu.map((xs) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined));
  return samples.map(median);
}

/**
 * childrenCpu is the user + system CPU time (ms) of every child this process has waited for,
 * grandchildren such as kubectl included (Linux: /proc/self/stat, 10 ms ticks; undefined
 * elsewhere). On a shared machine, wall time includes waiting for a CPU; CPU time does not, so the
 * mean CPU per command is printed beside the medians as the steadier figure.
 */
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // Fields 16 and 17 of stat (cutime, cstime) are 13 and 14 after the command name.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}
/** The mean CPU ms of each command of the last timeTogether, in its order. */
let lastCpu = [];

const node = process.execPath;
const footprintOnly = process.argv.includes('--footprint');

/** footprint packs the package, installs the tarball into an empty folder and measures it. */
function footprint() {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-footprint-'));
  try {
    const npm = (args, cwd) => {
      const r = spawnSync('npm', args, {
        cwd,
        encoding: 'utf8',
        env: {
          ...process.env,
          npm_config_prefer_offline: 'true',
          npm_config_audit: 'false',
          npm_config_fund: 'false',
        },
      });
      if (r.status !== 0) throw new Error(`npm ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    npm(['pack', '--ignore-scripts', '--pack-destination', dir], process.cwd());
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
    npm(['install', join(dir, tgz)], app);
    const bytes = (p) => {
      const st = lstatSync(p);
      if (!st.isDirectory()) return st.size;
      return readdirSync(p).reduce((sum, f) => sum + bytes(join(p, f)), 0);
    };
    const total = bytes(join(app, 'node_modules'));
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
    const packages = Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/')).length;
    const biggest = readdirSync(join(app, 'node_modules'))
      .filter((f) => !f.startsWith('.'))
      .map((f) => [f, bytes(join(app, 'node_modules', f))])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([f, b]) => `${f} ${(b / 1048576).toFixed(2)}`)
      .join(', ');
    console.log('Install footprint (npm install of the packed tarball into an empty folder):');
    console.log(
      `  tarball                                  ${(statSync(join(dir, tgz)).size / 1024).toFixed(0)} KiB`,
    );
    console.log(
      `  node_modules                             ${(total / 1048576).toFixed(2)} MiB (goal ≤ 12 MiB)`,
    );
    console.log(`  packages installed (k8s-learn included) ${packages}`);
    console.log(`  largest (MiB): ${biggest}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (footprintOnly) {
  footprint();
  process.exit(0);
}

const rows = [];
const ws = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-'));
const cli = (...args) => [node, 'bin/k8s-learn.js', ...args];
const [bare, help, version, list, status] = timeTogether([
  [[node, '-e', '0']],
  [cli('--help')],
  [cli('--version')],
  [cli('list', '--dir', ws)],
  [cli('status', '--dir', ws)],
]);
const [bareCpu, helpCpu, versionCpu, listCpu, statusCpu] = lastCpu;
rows.push(
  ['node -e 0 (bare node)', bare, bareCpu],
  ['k8s-learn --help', help, helpCpu],
  ['k8s-learn --version', version, versionCpu],
);
rows.push(['k8s-learn list', list, listCpu], ['k8s-learn status', status, statusCpu]);
rows.push(['k8s-learn course check (built-in)', time(cli('course', 'check'))]);
rows.push(['k8s-learn --yes --dry-run (welcome)', time(cli('--yes', '--dry-run', '--dir', ws))]);

// verify of a settled step against the one kubectl call it amounts to, on the practice cluster.
const env = {
  K8S_LEARN_PRACTICE_DIR: join(ws, 'practice'),
  KUBECONFIG: join(ws, 'kubeconfig'),
};
const lab = join(ws, 'lab');
const course = join('test', 'fixtures', 'cluster-course');
let verify;
let kubectl;
let verifyCpu;
let kubectlCpu;
const setup = spawnSync(
  node,
  [...cli('--yes', '--cluster', 'practice', '--course', course, '--dir', lab).slice(1)],
  {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  },
);
if (setup.status === 0) {
  const own = join(ws, 'practice', 'kubeconfig');
  [verify, kubectl] = timeTogether([
    [cli('verify', 'ns/create', '--course', course, '--dir', lab), env],
    [
      [
        'kubectl',
        '--context',
        'k8s-learn-practice',
        '--kubeconfig',
        own,
        'get',
        'namespace',
        'demo',
        '-o',
        'name',
      ],
      env,
    ],
  ]);
  [verifyCpu, kubectlCpu] = lastCpu;
  rows.push(['k8s-learn verify ns/create (settled)', verify, verifyCpu]);
  rows.push(['kubectl get namespace demo -o name', kubectl, kubectlCpu]);
} else {
  console.log(`(verify bench skipped: the practice run failed: ${setup.stderr.trim().split('\n')[0]})`);
}
spawnSync(node, ['bin/k8s-learn.js', 'practice', 'stop'], { env: { ...process.env, ...env } });
rmSync(ws, { recursive: true, force: true });

console.log(`CLI start-up, median of ${runs} runs (ms):`);
for (const [name, ms, cpu] of rows)
  console.log(
    `  ${name.padEnd(40)} ${ms.toFixed(1).padStart(8)}${cpu === undefined ? '' : `   CPU ${cpu.toFixed(0).padStart(4)}`}`,
  );
console.log('Ratios (same run):');
console.log(`  --help / bare node:   ${(help / bare).toFixed(2)}×  (goal ≤ 1.10×)`);
console.log(`  list / bare node:     ${(list / bare).toFixed(2)}×  (goal ≤ 1.5×)`);
console.log(`  status / bare node:   ${(status / bare).toFixed(2)}×  (goal ≤ 1.5×)`);
if (verify) console.log(`  verify / kubectl:     ${(verify / kubectl).toFixed(2)}×  (goal ≤ 2×)`);
if (bareCpu && helpCpu && listCpu && statusCpu) {
  const cpuRatio = (a, b) => `${(a / b).toFixed(2)}×`;
  console.log(
    `CPU ratios (mean CPU ms): --help ${cpuRatio(helpCpu, bareCpu)}, list ${cpuRatio(listCpu, bareCpu)}, status ${cpuRatio(statusCpu, bareCpu)}${verifyCpu && kubectlCpu ? `, verify/kubectl ${cpuRatio(verifyCpu, kubectlCpu)}` : ''}`,
  );
}
console.log('');
footprint();

// `--cli` stops here (release checks, docs/performance.md); the areas' own benches follow.
if (process.argv.includes('--cli')) process.exit(0);
for (const file of readdirSync('scripts')
  .filter((f) => /^bench-.+\.mjs$/.test(f))
  .sort()) {
  console.log(`\n== ${file} ==`);
  const r = spawnSync(node, [join('scripts', file)], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${file} exited ${r.status})`);
}
if (!existsSync('dist/cli.js')) console.log('note: run `npm run build` first');
