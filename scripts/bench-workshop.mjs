// Benchmark of the workshop (issue 13) on the practice cluster (in this process, RBAC enforced):
// - provision of 30 learners (wall time of the built CLI: objects, 30 TokenRequests, files);
// - `workshop status --json` with 30 learners that all have progress (median of 5);
// - dashboard update latency: from the store write of a learner's progress ConfigMap (timed
//   exactly through a store subscription) to the server-sent event reaching a page's connection
//   (this process), median of 10; plus from the start of the learner's `kubectl apply` (what the
//   learner's k8s-learn runs after a step passes) to the event.
// Run: node scripts/bench-workshop.mjs (after npm run build).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSources, median, root } from './lib/load-sources.mjs';

const bin = join(root, 'bin', 'k8s-learn.js');
const learners = Number(process.env.BENCH_LEARNERS ?? 30);

const load = () =>
  loadSources(`export { startPracticeCluster } from './src/practice/index.ts';`, 'k8s-learn-bench-workshop');

/** run spawns a command without blocking this process (the cluster runs here). */
function run(file, args, env, input) {
  return new Promise((resolveRun) => {
    const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const { mod, cleanup } = await load();
const dataDir = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-workshop-'));
const cluster = await mod.startPracticeCluster({ dataDir, port: 0, plugins: [] });
const env = { PATH: process.env.PATH, HOME: dataDir, KUBECACHEDIR: join(dataDir, 'cache'), NO_COLOR: '1' };
const admin = ['--context', cluster.context, '--kubeconfig', cluster.kubeconfigPath];
const kinds = await run(
  'kubectl',
  ['--kubeconfig', cluster.kubeconfigPath, 'api-resources', '-o', 'name'],
  env,
);
const quota = /^resourcequotas$/m.test(kinds.stdout) ? [] : ['--quota', 'none'];
const out = join(dataDir, 'handouts');

try {
  let t0 = performance.now();
  const p = await run(
    process.execPath,
    [bin, 'workshop', 'provision', ...admin, '--learners', String(learners), '--out', out, ...quota],
    env,
  );
  const provisionMs = performance.now() - t0;
  if (p.code !== 0) throw new Error(`provision: ${p.stderr}`);
  t0 = performance.now();
  await run(
    process.execPath,
    [bin, 'workshop', 'provision', ...admin, '--learners', String(learners), '--out', out, ...quota],
    env,
  );
  const againMs = performance.now() - t0;

  // Every learner has progress, as after the first step.
  const progress = (n, step) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'k8s-learn-progress', labels: { 'k8s-learn.io/progress': 'true' } },
      data: {
        'progress.json': JSON.stringify({
          version: 1,
          course: 'k8s-learn',
          state: 'working',
          step: { key: `l/s${step}`, number: step, title: `Step ${step}`, lesson: 'L' },
          totalSteps: 14,
          doneSteps: step - 1,
          attempts: n % 3,
          hintsShown: 0,
          stepStartedAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        }),
      },
    });
  const names = Array.from({ length: learners }, (_, i) => `learner-${String(i + 1).padStart(2, '0')}`);
  for (const [i, name] of names.entries()) {
    const r = await run(
      'kubectl',
      ['--kubeconfig', join(out, `${name}.kubeconfig`), 'apply', '-f', '-'],
      env,
      progress(i, 1),
    );
    if (r.code !== 0) throw new Error(`progress of ${name}: ${r.stderr}`);
  }
  const statusSamples = [];
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    const s = await run(process.execPath, [bin, 'workshop', 'status', ...admin, '--json'], env);
    statusSamples.push(performance.now() - t0);
    if (JSON.parse(s.stdout).learners.length !== learners)
      throw new Error('status did not list every learner');
  }

  // Dashboard: a page's event stream, then a learner passing a step, ten times.
  const dash = spawn(process.execPath, [bin, 'workshop', 'dashboard', ...admin, '--port', '0'], { env });
  const url = await new Promise((resolveUrl) => {
    let text = '';
    dash.stdout.on('data', (d) => {
      text += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(text);
      if (m) resolveUrl(m[0]);
    });
  });
  let waiting;
  await new Promise((resolveStream) => {
    get(`${url}events`, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').find((l) => l.startsWith('data: '));
          if (data) {
            const view = JSON.parse(data.slice(6));
            if (view.learners.length === learners) resolveStream();
            if (waiting?.test(view)) {
              const w = waiting;
              waiting = undefined;
              w.done(performance.now());
            }
          }
          end = buffer.indexOf('\n\n');
        }
      });
    });
  });
  const fromWrite = [];
  const fromCommand = [];
  for (let round = 0; round < 10; round++) {
    const name = names[round];
    const step = round + 2;
    let writtenAt = 0;
    const unsubscribe = cluster.store.subscribe((event) => {
      if (event.object?.kind === 'ConfigMap' && event.object.metadata?.namespace === name && !writtenAt)
        writtenAt = performance.now();
    });
    const arrived = new Promise((done) => {
      waiting = {
        test: (view) => view.learners.some((l) => l.learner === name && l.step?.number === step),
        done,
      };
    });
    const started = performance.now();
    await run(
      'kubectl',
      ['--kubeconfig', join(out, `${name}.kubeconfig`), 'apply', '-f', '-'],
      env,
      progress(round, step),
    );
    const at = await arrived;
    unsubscribe();
    fromWrite.push(at - writtenAt);
    fromCommand.push(at - started);
  }
  dash.kill('SIGINT');

  const files = readFileSync(join(out, 'handout.md'), 'utf8').match(/^## /gm).length;
  console.log(
    `workshop on the practice cluster (RBAC enforced${quota.length ? '; no ResourceQuota kind yet: --quota none' : ''}), ${learners} learners:`,
  );
  console.log(
    `  provision ${learners} learners (wall, built CLI)          ${(provisionMs / 1000).toFixed(2).padStart(8)} s  (${files} handout cards)`,
  );
  console.log(
    `  provision again (nothing to add)                 ${(againMs / 1000).toFixed(2).padStart(8)} s`,
  );
  console.log(
    `  workshop status --json, ${learners} learners, median of 5 ${median(statusSamples).toFixed(0).padStart(8)} ms`,
  );
  console.log(
    `  dashboard: progress write → event at the page, median of 10 ${median(fromWrite).toFixed(0).padStart(5)} ms (max ${Math.max(...fromWrite).toFixed(0)})`,
  );
  console.log(
    `  dashboard: learner's kubectl apply start → event, median of 10 ${median(fromCommand).toFixed(0).padStart(3)} ms (max ${Math.max(...fromCommand).toFixed(0)})`,
  );
} finally {
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
  cleanup();
}
