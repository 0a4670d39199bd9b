// Benchmark of the cluster checks on the practice cluster: the time from "Deployment became
// Available" to "check reported pass", median of 10 (issue 5). Run: node scripts/bench-backends.mjs
// (scripts/bench.mjs may call `benchBackends()`). The TypeScript sources are bundled on the fly with
// esbuild, so no build step is needed.
//
// "Became Available" is the store write that holds `Available=True` — timed exactly, since the
// practice cluster runs in this process (a store subscription). Two setups:
// - live: the practice cluster as learners get it (controllers, realistic time scale 1). The
//   Deployment is applied and the `condition` (kubectl wait) and `rollout` (rollout status) checks
//   start at once; the controllers make it Available a few seconds later.
// - api-only: no controllers; both checks are blocked on their watches when this script writes the
//   Available status itself — the watch path alone.
// Also: one `condition` check on a Deployment that is already Available (a kubectl process start).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSources, median, root } from './lib/load-sources.mjs';

const entry = `
export { startPracticeCluster } from './src/practice/index.ts';
export { loadImageIntoStore } from './src/practice/workloads/load-image.ts';
export { condition, rollout } from './src/checks/kube/wait.ts';
export { createKubectl } from './src/kubectl.ts';
export { createRunner } from './src/runner.ts';
export { createTranslator } from './src/i18n/index.ts';
`;

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

const availableStatus = (name) => ({
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
});

/** availableAt resolves with the time the store first holds Deployment `name` Available. */
function availableAt(store, name) {
  return new Promise((resolvePromise) => {
    const unsubscribe = store.subscribe((event) => {
      const obj = event.object;
      if (obj?.kind !== 'Deployment' || obj.metadata?.name !== name) return;
      if (obj.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')) {
        unsubscribe();
        resolvePromise(performance.now());
      }
    });
  });
}

async function measure(mod, { live, rounds }) {
  const cluster = await mod.startPracticeCluster({
    dataDir: mkdtempSync(join(tmpdir(), 'k8s-learn-bench-data-')),
    persist: false,
    ...(live ? {} : { plugins: [] }),
  });
  try {
    if (live) mod.loadImageIntoStore(cluster.store, 'k8s-core:1.0');
    const target = { backend: 'practice', context: cluster.context, kubeconfig: cluster.kubeconfigPath };
    const runner = mod.createRunner({});
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
      const file = join(tmpdir(), `k8s-learn-${name}.json`);
      writeFileSync(file, JSON.stringify(deployment(name)));
      const available = availableAt(cluster.store, name);
      await kubectl.run(['apply', '-f', file]);
      const spec = { name, namespace: 'bench', timeout: 60 };
      const pending = [
        mod.condition
          .run({ ...spec, kind: 'deployment', condition: 'Available' }, ctx)
          .then((r) => ({ r, at: performance.now() })),
        mod.rollout.run(spec, ctx).then((r) => ({ r, at: performance.now() })),
      ];
      if (!live) {
        // Let both kubectl processes reach their watch (the dispatcher build starts two processes).
        await new Promise((r) => setTimeout(r, 2500));
        const patch = JSON.stringify({ status: availableStatus(name) });
        await kubectl.run([
          'patch',
          'deployment',
          name,
          '-n',
          'bench',
          '--subresource=status',
          '--type=merge',
          '-p',
          patch,
        ]);
      }
      const t0 = await available;
      const [c, r] = await Promise.all(pending);
      if (!c.r.ok || !r.r.ok) throw new Error(`round ${i}: a check failed: ${JSON.stringify([c.r, r.r])}`);
      conditionMs.push(c.at - t0);
      rolloutMs.push(r.at - t0);
    }
    const alreadyMs = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const r = await mod.condition.run(
        { kind: 'deployment', name: `bench-${i}`, namespace: 'bench', condition: 'Available', timeout: 30 },
        ctx,
      );
      if (!r.ok) throw new Error(`check on available bench-${i} failed`);
      alreadyMs.push(performance.now() - started);
    }
    return {
      conditionMedianMs: Math.round(median(conditionMs)),
      rolloutMedianMs: Math.round(median(rolloutMs)),
      alreadyAvailableMedianMs: Math.round(median(alreadyMs)),
      conditionMs: conditionMs.map(Math.round),
      rolloutMs: rolloutMs.map(Math.round),
    };
  } finally {
    await cluster.stop();
  }
}

/** benchBackends runs both setups and returns their figures (milliseconds). */
export async function benchBackends({ rounds = 10, log = console.log } = {}) {
  const { mod, cleanup } = await loadSources(entry, 'k8s-learn-bench');
  try {
    const results = {};
    for (const live of [true, false]) {
      const label = live ? 'live' : 'api-only';
      const r = await measure(mod, { live, rounds });
      results[label] = r;
      log(
        `backends (${label}): Available → check pass, median of ${rounds}: condition ${r.conditionMedianMs} ms, rollout ${r.rolloutMedianMs} ms; check on an already Available Deployment ${r.alreadyAvailableMedianMs} ms`,
      );
      log(`  samples: condition ${r.conditionMs.join(' ')} · rollout ${r.rolloutMs.join(' ')}`);
    }
    return results;
  } finally {
    cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchBackends().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
