#!/usr/bin/env node
// The whole built-in course, unattended (`--yes --cluster practice`), on a fresh practice cluster
// (issue 11's figure: goal ≤ 40 s). Prints the wall time, the step count, the slowest steps, and
// where the time went, read from the workspace's transcript (every external command with its
// duration): kubectl calls, our own k8s-learn sub-commands the lessons run (doctor, alerts,
// balance, load…), other tools, and the rest — the tool's own share (start-up, rendering, state,
// waits between polls). Printed, never asserted. Needs `npm run build` first.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const base = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-course-'));
const env = {
  ...process.env,
  K8S_LEARN_PRACTICE_DIR: join(base, 'practice'),
  KUBECONFIG: join(base, 'kubeconfig'),
  NO_COLOR: '1',
};
const ws = join(base, 'lab');
const cli = join(root, 'bin', 'k8s-learn.js');

const started = performance.now();
const stepsAt = [];
const child = spawn(process.execPath, [cli, '--yes', '--cluster', 'practice', '--dir', ws], { env });
let buffer = '';
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  buffer += chunk;
  let nl = buffer.indexOf('\n');
  while (nl >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    const m = /^>> Step (\d+)\/(\d+) · (.*)$/.exec(line);
    if (m)
      stepsAt.push({ n: Number(m[1]), total: Number(m[2]), title: m[3], at: performance.now() - started });
    nl = buffer.indexOf('\n');
  }
});
child.stderr.resume();
const code = await new Promise((done) => child.on('close', done));
const wall = performance.now() - started;
spawnSync(process.execPath, [cli, 'practice', 'stop'], { env });

try {
  if (code !== 0) {
    console.log(`(the course exited ${code}: no figures)`);
    process.exit(0);
  }
  const durations = stepsAt.map((s, i) => ({ ...s, ms: (stepsAt[i + 1]?.at ?? wall) - s.at }));
  const byKind = { kubectl: 0, 'k8s-learn sub-commands': 0, other: 0 };
  const intervals = [];
  for (const line of readFileSync(join(ws, '.k8s-learn', 'transcript.log'), 'utf8').split('\n')) {
    const [at, command, , took] = line.split('\t');
    const ms = Number(/^(\d+)ms$/.exec(took ?? '')?.[1]);
    if (!command || Number.isNaN(ms)) continue;
    // Each line is written when its command ends.
    const end = Date.parse(at);
    intervals.push([end - ms, end]);
    if (/^kubectl\s/.test(command)) byKind.kubectl += ms;
    else if (command.includes('k8s-learn')) byKind['k8s-learn sub-commands'] += ms;
    else byKind.other += ms;
  }
  // Watches and background port-forwards overlap other commands: count covered time once.
  let covered = 0;
  let reach = -Infinity;
  for (const [from, to] of intervals.sort((a, b) => a[0] - b[0])) {
    if (to <= reach) continue;
    covered += to - Math.max(from, reach);
    reach = to;
  }
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`The built-in course, unattended on the practice cluster (load average ${loadavg()}):`);
  console.log(`  wall time                 ${s(wall)} for ${durations.length} steps (goal ≤ 40 s)`);
  console.log(`  external commands         ${intervals.length}, running during ${s(covered)} of it`);
  console.log('    summed by kind (watches and port-forwards run beside other calls):');
  for (const [kind, ms] of Object.entries(byKind)) console.log(`      ${kind.padEnd(22)}${s(ms)}`);
  console.log(
    `  no command running        ${s(Math.max(0, wall - covered))} (the tool's own share: start-up, rendering, files, state, pauses between polls)`,
  );
  console.log('  slowest steps:');
  for (const d of [...durations].sort((a, b) => b.ms - a.ms).slice(0, 6))
    console.log(`    ${s(d.ms).padStart(7)}  ${d.n}/${d.total} ${d.title}`);
} finally {
  rmSync(base, { recursive: true, force: true });
}

function loadavg() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}
