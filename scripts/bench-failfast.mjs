#!/usr/bin/env node
// Fail-fast benchmark (issue 9, item 3): with the real kubectl against an in-process practice
// cluster at realistic delays (time scale 1), and every check's limit at 120 s, measure
//   - stuck → failure: from the moment the cluster reaches a stuck state (seen in the cluster's
//     own store, not through kubectl) to the check returning its failure (goal ≤ 2 s);
//   - good → ✓: from the moment the cluster reaches the good state to the check passing, both
//     when the check was already waiting ("converging") and when the state was there before the
//     check started ("settled": the whole check) (goal ≤ 1 s);
// for rollout, replicas, service endpoints and alerts. A state present before the check starts
// (a replica count, a selector) counts from the check's start. Numbers are printed, never
// asserted. BENCH_FAILFAST_RUNS sets the runs per figure (default 3).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_FAILFAST_RUNS ?? 3);
const limit = 120;

// Inside the package (not /tmp) so the bundle finds k8s-learn's package.json and locales.
const cache = join(root, 'node_modules', '.cache', 'k8s-learn-bench');
mkdirSync(cache, { recursive: true });
const out = join(cache, 'bench-failfast.mjs');
await build({
  stdin: {
    contents: `export { startPracticeCluster } from './src/practice/index.ts';
export { workloadsPlugin } from './src/practice/controllers/index.ts';
export { loadImageIntoStore } from './src/practice/workloads/load-image.ts';
export { kubeCheckTypes } from './src/checks/kube/index.ts';
export { createRunner } from './src/runner.ts';
export { createTranslator } from './src/i18n/index.ts';`,
    resolveDir: root,
    loader: 'ts',
    sourcefile: 'bench-failfast-entry.ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outfile: out,
  logLevel: 'error',
});
const lib = await import(pathToFileURL(out).href);

const dataDir = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-failfast-'));
const cluster = await lib.startPracticeCluster({
  dataDir,
  port: 0,
  persist: false,
  plugins: [lib.workloadsPlugin({ timeScale: 1 })],
});
lib.loadImageIntoStore(cluster.store, 'k8s-core:1.0');
const runner = lib.createRunner({
  ...(process.env.BENCH_FAILFAST_TRANSCRIPT ? { transcriptPath: process.env.BENCH_FAILFAST_TRANSCRIPT } : {}),
  env: { PATH: process.env.PATH, HOME: dataDir, KUBECACHEDIR: join(dataDir, 'kubectl-cache') },
});
const target = { backend: 'practice', context: cluster.context, kubeconfig: cluster.kubeconfigPath };
const ctx = {
  runner,
  workspace: dataDir,
  lang: 'en',
  t: lib.createTranslator('en'),
  vars: {},
  cluster: target,
};
const check = (name, spec) =>
  lib.kubeCheckTypes.find((c) => c.name === name).run({ timeout: limit, ...spec }, ctx);

async function kubectl(args, input) {
  const r = await runner.run(
    'kubectl',
    ['--context', target.context, '--kubeconfig', target.kubeconfig, ...args],
    input === undefined ? {} : { input },
  );
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r;
}

const apply = (...objects) =>
  kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n---\n'));

const deployment = (ns, name, o = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    replicas: o.replicas ?? 3,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'app',
            image: o.image ?? 'k8s-core:1.0',
            ports: [{ name: 'http', containerPort: 8080 }],
            ...(o.container ?? {}),
          },
        ],
      },
    },
  },
});

const service = (ns, name, selector) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

/** whenStore resolves with the time the store first holds an object for which `pred` is true. */
function whenStore(resource, ns, pred) {
  return new Promise((resolve) => {
    const seen = () => cluster.store.list(resource, { namespace: ns }).items.some(pred);
    if (seen()) return resolve(performance.now());
    const stop = cluster.store.subscribe((e) => {
      if (e.resource === resource && e.object.metadata?.namespace === ns && pred(e.object)) {
        stop();
        resolve(performance.now());
      }
    });
  });
}

const waitingReason = (reasons) => (pod) =>
  (pod.status?.containerStatuses ?? []).some((c) => reasons.includes(c.state?.waiting?.reason));
const rolledOut = (d) =>
  (d.status?.observedGeneration ?? 0) >= d.metadata.generation &&
  d.status?.updatedReplicas === d.spec.replicas &&
  d.status?.availableReplicas === d.spec.replicas &&
  (d.status?.replicas ?? 0) === d.spec.replicas;

let nsCount = 0;
async function namespace() {
  const ns = `bench-${++nsCount}`;
  await kubectl(['create', 'namespace', ns]);
  return ns;
}

/** timed runs the check; `reached` is the promise of the moment the state was reached (or none). */
async function timed(run, reached, want) {
  const started = performance.now();
  const result = await run();
  const done = performance.now();
  const at = reached ? await reached : started;
  if (want.ok !== result.ok || (want.causeId && want.causeId !== result.causeId)) {
    throw new Error(`unexpected result: ${JSON.stringify(result)}`);
  }
  return { latency: Math.max(0, done - Math.max(at, started)), total: done - started };
}

const scenarios = {
  'rollout · stuck (ImagePullBackOff)': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web', { image: 'k8s-core:9.9' }));
    const reached = whenStore('pods', ns, waitingReason(['ErrImagePull', 'ImagePullBackOff']));
    return timed(() => check('rollout', { name: 'web', namespace: ns }), reached, {
      ok: false,
      causeId: 'image-pull',
    });
  },
  'rollout · stuck (CrashLoopBackOff)': async () => {
    const ns = await namespace();
    await apply(
      deployment(ns, 'web', {
        image: 'busybox:1.36',
        container: {
          command: ['sh', '-c', 'exit 1'],
          ports: [],
          readinessProbe: { exec: { command: ['false'] } },
        },
      }),
    );
    const reached = whenStore('pods', ns, waitingReason(['CrashLoopBackOff']));
    return timed(() => check('rollout', { name: 'web', namespace: ns }), reached, {
      ok: false,
      causeId: 'crash-loop',
    });
  },
  'rollout · good, converging': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web'));
    const reached = whenStore('deployments.apps', ns, rolledOut);
    return timed(() => check('rollout', { name: 'web', namespace: ns }), reached, { ok: true });
  },
  'rollout · good, settled': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web'));
    await whenStore('deployments.apps', ns, rolledOut);
    return timed(() => check('rollout', { name: 'web', namespace: ns }), undefined, { ok: true });
  },
  'kubectl rollout status alone, settled (reference)': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web'));
    await whenStore('deployments.apps', ns, rolledOut);
    const t0 = performance.now();
    await kubectl(['rollout', 'status', 'deployment/web', '-n', ns, `--timeout=${limit}s`]);
    const ms = performance.now() - t0;
    return { latency: ms, total: ms };
  },
  'replicas · stuck (3 asked, 5 wanted)': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web', { replicas: 3 }));
    await whenStore('deployments.apps', ns, rolledOut);
    return timed(() => check('ready-replicas', { name: 'web', namespace: ns, replicas: 5 }), undefined, {
      ok: false,
      causeId: 'replicas-mismatch',
    });
  },
  'replicas · good, converging (scaled 3 → 5)': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web', { replicas: 3 }));
    await whenStore('deployments.apps', ns, rolledOut);
    await kubectl(['scale', 'deployment/web', '-n', ns, '--replicas=5']);
    const reached = whenStore('deployments.apps', ns, (d) => d.status?.readyReplicas === 5);
    return timed(() => check('ready-replicas', { name: 'web', namespace: ns, replicas: 5 }), reached, {
      ok: true,
    });
  },
  'replicas · good, settled': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web', { replicas: 3 }));
    await whenStore('deployments.apps', ns, rolledOut);
    return timed(() => check('ready-replicas', { name: 'web', namespace: ns, replicas: 3 }), undefined, {
      ok: true,
    });
  },
  'endpoints · stuck (selector typo)': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web'), service(ns, 'web', { app: 'wbe' }));
    return timed(() => check('endpoints-ready', { service: 'web', namespace: ns }), undefined, {
      ok: false,
      causeId: 'selector-mismatch',
    });
  },
  'endpoints · good, converging': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web'), service(ns, 'web', { app: 'web' }));
    const reached = whenStore('endpointslices.discovery.k8s.io', ns, (s) =>
      (s.endpoints ?? []).some((e) => e.conditions?.ready !== false),
    );
    return timed(() => check('endpoints-ready', { service: 'web', namespace: ns }), reached, { ok: true });
  },
  'endpoints · good, settled': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web'), service(ns, 'web', { app: 'web' }));
    await whenStore('deployments.apps', ns, rolledOut);
    await whenStore('endpointslices.discovery.k8s.io', ns, (s) =>
      (s.endpoints ?? []).some((e) => e.conditions?.ready !== false),
    );
    return timed(() => check('endpoints-ready', { service: 'web', namespace: ns }), undefined, { ok: true });
  },
  'alerts · stuck (CrashLoopBackOff already there)': async () => {
    // no-alerts passes while nothing is wrong yet, so the crash loop is there before it starts.
    const ns = await namespace();
    await apply(
      deployment(ns, 'web', {
        replicas: 1,
        image: 'busybox:1.36',
        container: { command: ['sh', '-c', 'exit 1'], ports: [] },
      }),
    );
    await whenStore('pods', ns, waitingReason(['CrashLoopBackOff']));
    return timed(() => check('no-alerts', { namespace: ns }), undefined, {
      ok: false,
      causeId: 'crash-loop',
    });
  },
  'alerts · good, settled': async () => {
    const ns = await namespace();
    await apply(deployment(ns, 'web'), service(ns, 'web', { app: 'web' }));
    await whenStore('deployments.apps', ns, rolledOut);
    return timed(() => check('no-alerts', { namespace: ns }), undefined, { ok: true });
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
try {
  await kubectl(['version']); // kubectl's discovery cache, out of the timings
  console.log(`fail fast: time scale 1, check limit ${limit} s, ${runs} run(s) each; median (max)`);
  console.log(`  ${'scenario'.padEnd(50)} ${'state → result'.padEnd(18)} whole check`);
  const only = process.env.BENCH_FAILFAST_ONLY;
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (only && !name.includes(only)) continue;
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await scenario());
    const lat = results.map((r) => r.latency);
    const tot = results.map((r) => r.total);
    console.log(
      `  ${name.padEnd(50)} ${`${s(median(lat))} (${s(Math.max(...lat))})`.padEnd(18)} ${s(median(tot))} (${s(Math.max(...tot))})`,
    );
  }
} finally {
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
