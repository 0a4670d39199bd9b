#!/usr/bin/env node
// Workloads benchmark (issue 4): on this machine, with the real kubectl against an in-process
// practice cluster, measure
//   1. `kubectl apply` of a 3-replica Deployment → `kubectl rollout status` success, with the
//      realistic default delays (time scale 1) and with test delays (0.02), for an image already
//      loaded and for a public image that must be pulled;
//   2. an HPA up/down cycle in test time scale (load through the Service proxy until it scales
//      up, then idle until it is back at 1; scale-down window 30 cluster seconds);
//   3. CPU used by an idle practice cluster (3 replicas, a Service, an HPA) over 60 s.
// BENCH_IDLE_SECONDS shortens step 3. Numbers are printed, never asserted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPracticeBundle } from './practice-bundle.mjs';

const kubectl = process.env.KUBECTL ?? '/usr/bin/kubectl';
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);

const { lib, out } = await loadPracticeBundle('bench-workloads');

function run(cluster, dataDir, args, input) {
  return new Promise((res) => {
    const env = {
      KUBECONFIG: cluster.kubeconfigPath,
      KUBECACHEDIR: join(dataDir, 'cache'),
      HOME: dataDir,
      PATH: process.env.PATH,
    };
    const p = spawn(kubectl, args, { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => res({ code, stdout, stderr }));
    p.stdin.end(input ?? '');
  });
}

async function withCluster(timeScale, fn) {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-cluster-'));
  const cluster = await lib.startPracticeCluster({
    dataDir,
    port: 0,
    persist: false,
    plugins: [lib.workloadsPlugin({ timeScale })],
  });
  try {
    lib.loadImageIntoStore(cluster.store, 'k8s-core:1.0');
    return await fn(cluster, dataDir);
  } finally {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const manifest = (name, image) => `apiVersion: v1
kind: Namespace
metadata: {name: bench}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: bench}
spec:
  replicas: 3
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: ${image}
        ports: [{name: http, containerPort: 8080}]
        resources: {requests: {cpu: 100m}}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: bench}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]
`;

async function rollout(timeScale, image) {
  return withCluster(timeScale, async (cluster, dataDir) => {
    await run(cluster, dataDir, ['version']); // warm kubectl's discovery cache out of the timing
    const t0 = performance.now();
    const a = await run(cluster, dataDir, ['apply', '-f', '-'], manifest('web', image));
    if (a.code !== 0) throw new Error(a.stderr);
    const r = await run(cluster, dataDir, [
      '-n',
      'bench',
      'rollout',
      'status',
      'deployment/web',
      '--timeout=300s',
    ]);
    if (r.code !== 0) throw new Error(r.stderr);
    return performance.now() - t0;
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function hpaCycle() {
  return withCluster(0.02, async (cluster, dataDir) => {
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: bench}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
  behavior: {scaleDown: {stabilizationWindowSeconds: 30}}
`;
    const a = await run(
      cluster,
      dataDir,
      ['apply', '-f', '-'],
      `${manifest('web', 'k8s-core:1.0').replace('replicas: 3', 'replicas: 1')}---\n${hpa}`,
    );
    if (a.code !== 0) throw new Error(a.stderr);
    await run(cluster, dataDir, ['-n', 'bench', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    const replicas = () => cluster.store.get('deployments.apps', 'bench', 'web')?.spec.replicas;
    const handler = cluster.extensions.subresourceHandler('services', 'proxy');
    const req = {
      method: 'GET',
      namespace: 'bench',
      name: 'web:http',
      subresource: 'proxy',
      rest: 'burn',
      query: new URLSearchParams('ms=200'),
      headers: {},
      body: Buffer.alloc(0),
      store: cluster.store,
    };
    const t0 = performance.now();
    while (replicas() <= 1) {
      await handler(req).catch(() => undefined);
      await sleep(10);
    }
    const up = performance.now() - t0;
    const peak = replicas();
    const t1 = performance.now();
    while (replicas() > 1) await sleep(20);
    return { up, down: performance.now() - t1, peak };
  });
}

async function idleCpu() {
  return withCluster(1, async (cluster, dataDir) => {
    const hpa =
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: bench}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 5\n';
    await run(cluster, dataDir, ['apply', '-f', '-'], `${manifest('web', 'k8s-core:1.0')}---\n${hpa}`);
    await run(cluster, dataDir, ['-n', 'bench', 'rollout', 'status', 'deployment/web', '--timeout=120s']);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(idleSeconds * 1000);
    const c = process.cpuUsage(c0);
    const wall = performance.now() - t0;
    return { cpuMs: (c.user + c.system) / 1000, wall };
  });
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log('workloads: apply → rollout status (3 replicas, real kubectl)');
console.log(`  realistic delays, loaded image k8s-core:1.0     ${fmt(await rollout(1, 'k8s-core:1.0'))}`);
console.log(`  realistic delays, public image nginx (pulled)  ${fmt(await rollout(1, 'nginx:1.27'))}`);
console.log(`  test delays (×0.02), loaded image             ${fmt(await rollout(0.02, 'k8s-core:1.0'))}`);
const cycle = await hpaCycle();
console.log('workloads: HPA cycle in test time scale (×0.02, scale-down window 30 s)');
console.log(`  1 → ${cycle.peak} under load ${fmt(cycle.up)}, back to 1 after load ${fmt(cycle.down)}`);
const idle = await idleCpu();
console.log(`workloads: idle cluster (3 replicas, Service, HPA) over ${(idle.wall / 1000).toFixed(0)} s`);
console.log(
  `  CPU ${idle.cpuMs.toFixed(0)} ms = ${((idle.cpuMs / idle.wall) * 100).toFixed(2)} % of one core`,
);
rmSync(out, { recursive: true, force: true });
