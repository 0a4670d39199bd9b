#!/usr/bin/env node
// Exec benchmark (issue 10): on this machine, with the real kubectl against an in-process
// practice cluster, the round trip of `kubectl exec POD -- env` (websocket, kubectl 1.33) and of
// the bundled kubectl 1.27 (SPDY), against `kubectl get pod POD` in the same run, plus an HTTP
// GET through `kubectl port-forward`. Numbers are printed, never asserted. BENCH_EXEC_RUNS sets
// the number of runs (default 10).
// The cluster runs in this process: kubectl is started asynchronously so it can answer.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { loadPracticeBundle } from './practice-bundle.mjs';

const kubectl = process.env.KUBECTL ?? '/usr/bin/kubectl';
const kubectl127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';
const runs = Number(process.env.BENCH_EXEC_RUNS ?? 10);

const { lib, out } = await loadPracticeBundle('bench-exec');
const cluster = await lib.startPracticeCluster({
  dataDir: join(out, 'data'),
  port: 0,
  persist: false,
  plugins: [lib.workloadsPlugin({ timeScale: 0.02 })],
});
const env = {
  ...process.env,
  KUBECONFIG: cluster.kubeconfigPath,
  HOME: out,
  KUBECACHEDIR: join(out, 'cache'),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const run = (bin, args) =>
  new Promise((resolveRun, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.resume();
    child.on('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${args.join(' ')}: ${err}`))));
  });
const timed = async (bin, args) => {
  const samples = [];
  await run(bin, args); // warm kubectl's discovery cache
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run(bin, args);
    samples.push(performance.now() - t0);
  }
  return samples;
};
const row = (name, xs) =>
  console.log(
    `  ${name.padEnd(44)} ${median(xs).toFixed(0).padStart(6)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`,
  );

try {
  for (const args of [
    ['run', 'box', '--image=busybox:1.36', '--', 'sleep', '3600'],
    ['create', 'deployment', 'web', '--image=nginx:1.27', '--port=80'],
    ['wait', '--for=condition=Ready', 'pod/box', '--timeout=60s'],
    ['expose', 'deployment', 'web', '--port=80'],
    ['rollout', 'status', 'deployment/web', '--timeout=60s'],
  ]) {
    await run(kubectl, args);
  }
  console.log(`exec round trip, median of ${runs} runs, same cluster and run:`);
  const getPod = await timed(kubectl, ['get', 'pod', 'box']);
  row('kubectl get pod box', getPod);
  const exec = await timed(kubectl, ['exec', 'box', '--', 'env']);
  row('kubectl exec box -- env (websocket v5)', exec);
  row(
    'kubectl exec box -- wget -qO- http://web/',
    await timed(kubectl, ['exec', 'box', '--', 'wget', '-qO-', 'http://web/']),
  );
  if (existsSync(kubectl127)) {
    // The bundled 1.27 runs without the dispatcher's extra /version call and process.
    row('kubectl 1.27 get pod box', await timed(kubectl127, ['get', 'pod', 'box']));
    row('kubectl 1.27 exec box -- env (SPDY)', await timed(kubectl127, ['exec', 'box', '--', 'env']));
  }
  console.log(`  exec / get: ${(median(exec) / median(getPod)).toFixed(2)}×`);
  // One HTTP GET through port-forward (websocket tunnel), after the forward is up.
  const port = 18000 + Math.floor(Math.random() * 2000);
  const pf = spawn(kubectl, ['port-forward', 'deploy/web', `${port}:80`], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise((r) => pf.stdout.once('data', r));
  const gets = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await new Promise((r, j) =>
      get({ host: '127.0.0.1', port, path: '/' }, (res) => res.resume().on('end', r)).on('error', j),
    );
    gets.push(performance.now() - t0);
  }
  pf.kill('SIGINT');
  row('HTTP GET through kubectl port-forward', gets);
} finally {
  await cluster.stop();
  rmSync(out, { recursive: true, force: true });
}
