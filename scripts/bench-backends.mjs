// Benchmark of the cluster checks on the practice cluster: the time from "Deployment became
// Available" to "check reported pass", median of 10 (issue 5). Run: node scripts/bench-backends.mjs
// (scripts/bench.mjs calls `benchBackends()`). The TypeScript sources are bundled on the fly with
// esbuild, so no build step is needed.
//
// Each round: create a Deployment, start the `condition` check (kubectl wait, watch-based) and the
// `rollout` check, wait until both kubectl processes are blocked on their watches, then mark the
// Deployment Available (the status a controller would write) and time until each check passes.
// With part 2's controllers present, the status is written by them instead of by this script.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');

const entry = `
import { startPracticeCluster } from './src/practice/index.ts';
import { condition, rollout } from './src/checks/kube/wait.ts';
import { createKubectl } from './src/kubectl.ts';
import { createRunner } from './src/runner.ts';
import { createTranslator } from './src/i18n/index.ts';
export { startPracticeCluster, condition, rollout, createKubectl, createRunner, createTranslator };
`;

async function load() {
  // Inside the package (not /tmp) so the bundle finds k8s-learn's package.json and locales.
  const dir = join(root, 'node_modules', '.cache', 'k8s-learn-bench');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'bench-entry.mjs');
  await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'error',
  });
  const mod = await import(pathToFileURL(out).href);
  return { mod, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const deployment = (name) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'bench' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'k8s-core:1.0' }] },
    },
  },
});

/** benchBackends runs the measurement and returns its figures (milliseconds). */
export async function benchBackends({ rounds = 10, log = console.log } = {}) {
  const { mod, cleanup } = await load();
  const cluster = await mod.startPracticeCluster({
    dataDir: mkdtempSync(join(tmpdir(), 'k8s-learn-bench-data-')),
  });
  try {
    const target = { backend: 'practice', context: cluster.context, kubeconfig: cluster.kubeconfigPath };
    const runner = createRunnerQuiet(mod);
    const kubectl = mod.createKubectl(runner, target);
    const ctx = {
      runner,
      workspace: root,
      lang: 'en',
      t: mod.createTranslator('en'),
      vars: {},
      cluster: target,
    };
    await kubectl.run(['create', 'namespace', 'bench']);
    const conditionMs = [];
    const rolloutMs = [];
    for (let i = 0; i < rounds; i++) {
      const name = `bench-${i}`;
      const file = join(tmpdir(), `${name}.json`);
      writeFileSync(file, JSON.stringify(deployment(name)));
      await kubectl.run(['apply', '-f', file]);
      const pending = [
        mod.condition
          .run({ kind: 'deployment', name, namespace: 'bench', condition: 'Available', timeout: 30 }, ctx)
          .then((r) => ({ r, at: performance.now() })),
        mod.rollout
          .run({ name, namespace: 'bench', timeout: 30 }, ctx)
          .then((r) => ({ r, at: performance.now() })),
      ];
      // Let both kubectl processes reach their watch (the dispatcher build starts two processes).
      await new Promise((r) => setTimeout(r, 2500));
      const status = {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${name}-1" has successfully progressed.`,
          },
        ],
      };
      // "Became Available" = the moment the store holds the Available status (the store is in
      // this process, so its write is timed exactly; watchers are notified from that write).
      let stored = 0;
      const unsubscribe = cluster.store.subscribe((event) => {
        const obj = event.object;
        if (stored || obj?.kind !== 'Deployment' || obj.metadata?.name !== name) return;
        if (obj.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True'))
          stored = performance.now();
      });
      const patched = kubectl.run([
        'patch',
        'deployment',
        name,
        '-n',
        'bench',
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status }),
      ]);
      await patched;
      unsubscribe();
      const t0 = stored;
      if (!t0) throw new Error(`round ${i}: the store never saw ${name} Available`);
      const [c, r] = (await Promise.all(pending)).map((x) => ({ r: x.r, ms: x.at - t0 }));
      if (!c.r.ok || !r.r.ok) throw new Error(`round ${i}: a check failed: ${JSON.stringify([c.r, r.r])}`);
      conditionMs.push(c.ms);
      rolloutMs.push(r.ms);
    }
    // A check started when the Deployment is already Available: one kubectl process and its requests.
    const coldMs = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const r = await mod.condition.run(
        { kind: 'deployment', name: `bench-${i}`, namespace: 'bench', condition: 'Available', timeout: 30 },
        ctx,
      );
      if (!r.ok) throw new Error(`cold check ${i} failed`);
      coldMs.push(performance.now() - started);
    }
    const result = {
      rounds,
      alreadyAvailableMedianMs: Math.round(median(coldMs)),
      conditionMedianMs: Math.round(median(conditionMs)),
      rolloutMedianMs: Math.round(median(rolloutMs)),
      conditionMs: conditionMs.map(Math.round),
      rolloutMs: rolloutMs.map(Math.round),
    };
    log(
      `backends: Available → check pass, median of ${rounds}: condition ${result.conditionMedianMs} ms, rollout ${result.rolloutMedianMs} ms`,
    );
    log(
      '  (from the store write of the Available status to the check returning, kubectl process exit included)',
    );
    log(`  samples: condition ${result.conditionMs.join(' ')} · rollout ${result.rolloutMs.join(' ')}`);
    log(
      `backends: condition check on an already Available Deployment, median of ${rounds}: ${result.alreadyAvailableMedianMs} ms`,
    );
    return result;
  } finally {
    await cluster.stop();
    cleanup();
  }
}

function createRunnerQuiet(mod) {
  return mod.createRunner({});
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchBackends().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
