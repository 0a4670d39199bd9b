// Benchmark of what `reset STEP` adds to every step start: the cluster snapshot
// (src/engine/snapshot.ts takeSnapshot: two `kubectl get` run at once, after one `api-resources`
// per process), against one plain `kubectl get deployments -n NS -o json`, median of 10, on the
// practice cluster (API only) holding the built-in course's objects. Also the rollback of a
// 4-object namespace (plan + delete + patch + rollout wait) on the live practice cluster at the test
// time scale. Run: node scripts/bench-snapshot.mjs (scripts/bench.mjs runs it). The TypeScript
// sources are bundled on the fly with esbuild, so no build step is needed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSources, median } from './lib/load-sources.mjs';

const entry = `
export { startPracticeCluster } from './src/practice/index.ts';
export { workloadsPlugin } from './src/practice/controllers/index.ts';
export { TEST_TIME_SCALE } from './src/practice/controllers/options.ts';
export { loadImageIntoStore } from './src/practice/workloads/load-image.ts';
export { takeSnapshot, planRollback, applyRollback } from './src/engine/snapshot.ts';
export { createKubectl } from './src/kubectl.ts';
export { createRunner } from './src/runner.ts';
`;

async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function withCluster(mod, options, fn) {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-snapshot-'));
  const cluster = await mod.startPracticeCluster({ dataDir, persist: false, ...options });
  try {
    const runner = mod.createRunner({
      env: { ...process.env, KUBECACHEDIR: join(dataDir, 'kubectl-cache') },
    });
    const target = { backend: 'practice', context: cluster.context, kubeconfig: cluster.kubeconfigPath };
    return await fn(mod.createKubectl(runner, target), cluster);
  } finally {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const must = async (kubectl, args) => {
  const r = await kubectl.run(args);
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
};

export async function benchSnapshot({ rounds = 10, log = console.log } = {}) {
  const { mod, cleanup } = await loadSources(entry, 'k8s-learn-bench-snapshot');
  try {
    const read = await withCluster(mod, { plugins: [] }, async (kubectl) => {
      await must(kubectl, ['create', 'namespace', 'k8s-test']);
      for (const name of ['k8s-core', 'k8s-employee', 'k8s-test'])
        await must(kubectl, ['create', 'deployment', name, '-n', 'k8s-test', '--image=k8s-core:1.0']);
      for (const name of ['k8s-core', 'k8s-employee'])
        await must(kubectl, ['create', 'service', 'clusterip', name, '-n', 'k8s-test', '--tcp=80:8080']);
      await must(kubectl, [
        'create',
        'configmap',
        'casc-network-config',
        '-n',
        'k8s-test',
        '--from-literal=a=b',
      ]);
      await mod.takeSnapshot(kubectl, ['k8s-test']); // the once-per-process api-resources call
      const snapshotMs = [];
      const getMs = [];
      for (let i = 0; i < rounds; i++) {
        snapshotMs.push(await timed(() => mod.takeSnapshot(kubectl, ['k8s-test'])));
        getMs.push(await timed(() => kubectl.run(['get', 'deployments', '-n', 'k8s-test', '-o', 'json'])));
      }
      return { snapshot: median(snapshotMs), get: median(getMs) };
    });
    log(
      `snapshot at a step start, median of ${rounds}: ${Math.round(read.snapshot)} ms; one kubectl get ${Math.round(read.get)} ms (${(read.snapshot / read.get).toFixed(2)}×)`,
    );
    const rollbackMs = await withCluster(
      mod,
      { plugins: [mod.workloadsPlugin({ timeScale: mod.TEST_TIME_SCALE })] },
      async (kubectl, cluster) => {
        mod.loadImageIntoStore(cluster.store, 'k8s-core:1.0');
        await must(kubectl, ['create', 'namespace', 'k8s-test']);
        await must(kubectl, [
          'create',
          'deployment',
          'web',
          '-n',
          'k8s-test',
          '--image=k8s-core:1.0',
          '--replicas=2',
        ]);
        const before = await mod.takeSnapshot(kubectl, ['k8s-test']);
        await must(kubectl, ['create', 'deployment', 'later', '-n', 'k8s-test', '--image=k8s-core:1.0']);
        await must(kubectl, ['create', 'configmap', 'later', '-n', 'k8s-test', '--from-literal=a=b']);
        await must(kubectl, ['scale', 'deployment/web', '-n', 'k8s-test', '--replicas=4']);
        return timed(async () => {
          const now = await mod.takeSnapshot(kubectl, ['k8s-test']);
          const outcome = await mod.applyRollback(kubectl, mod.planRollback(before.snapshot, now.snapshot));
          if (outcome.failures.length > 0) throw new Error(JSON.stringify(outcome.failures));
        });
      },
    );
    log(
      `rollback (2 deletions, 1 replicas patch + rollout wait), practice cluster at test time scale: ${Math.round(rollbackMs)} ms`,
    );
    return { snapshotMs: read.snapshot, getMs: read.get, rollbackMs };
  } finally {
    cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchSnapshot();
