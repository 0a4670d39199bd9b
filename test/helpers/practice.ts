// startTestCluster: an in-process practice cluster for vitest suites, plus a `kubectl` function
// that runs the REAL kubectl binary against it (KUBECONFIG = the cluster's 0600 kubeconfig with
// a bearer token). kubectl's discovery/OpenAPI cache goes into the temp dir, not ~/.kube.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckContext, CheckResult, CheckType } from '../../src/checks/types.js';
import { createKubectl, type Kubectl } from '../../src/kubectl.js';
import type { PracticeCluster, PracticeClusterOptions } from '../../src/practice/index.js';
import { startPracticeCluster } from '../../src/practice/index.js';
import { createRunner } from '../../src/runner.js';

/** KubectlResult is what one kubectl run printed and returned. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** TestCluster is a running cluster, its temp data dir, and kubectl bound to it. */
export interface TestCluster {
  cluster: PracticeCluster;
  dataDir: string;
  /** kubectl runs kubectl from PATH (or $KUBECTL) with the given arguments and optional stdin. */
  kubectl(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** stop stops the cluster and deletes the temp dir. */
  stop(): Promise<void>;
}

/** kubectlPath is the kubectl binary tests drive. */
export const kubectlPath = process.env.KUBECTL ?? 'kubectl';

/** startTestCluster starts a fresh cluster on a free port in a new temp dir. */
export async function startTestCluster(options: Partial<PracticeClusterOptions> = {}): Promise<TestCluster> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'k8s-learn-practice-'));
  // API-only unless a suite passes plugins (the workloads suites pass workloadsPlugin at test speed).
  const cluster = await startPracticeCluster({ port: 0, plugins: [], ...options, dataDir });
  const runner = createRunner();
  const env = {
    KUBECONFIG: cluster.kubeconfigPath,
    KUBECACHEDIR: join(dataDir, 'kubectl-cache'),
    HOME: dataDir,
    PATH: process.env.PATH,
    NO_COLOR: '1',
  };
  return {
    cluster,
    dataDir,
    async kubectl(args, opts = {}) {
      const r = await runner.run(kubectlPath, args, {
        env,
        input: opts.input,
        timeoutMs: opts.timeoutMs ?? 30_000,
      });
      return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    },
    async stop() {
      await cluster.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** pinnedKubectl is k8s-learn's own pinned kubectl module (src/kubectl.ts) aimed at a test cluster. */
export function pinnedKubectl(tc: TestCluster): Kubectl {
  const runner = createRunner({
    env: { PATH: process.env.PATH, HOME: tc.dataDir, KUBECACHEDIR: `${tc.dataDir}/kubectl-cache` },
  });
  return createKubectl(runner, {
    backend: 'practice',
    context: tc.cluster.context,
    kubeconfig: tc.cluster.kubeconfigPath,
  });
}

/** kubectlOk runs kubectl against the test cluster and returns its stdout; a failure throws with stderr. */
export async function kubectlOk(tc: TestCluster, args: string[], input?: string): Promise<string> {
  const r = await tc.kubectl(
    args,
    input === undefined ? { timeoutMs: 60_000 } : { input, timeoutMs: 60_000 },
  );
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** kubeCheck runs the kube check type `name` with the context `ctx()` returns (set in beforeAll). */
export const kubeCheck =
  (ctx: () => CheckContext) =>
  (name: string) =>
  (spec: Record<string, unknown>): Promise<CheckResult> =>
    (kubeCheckTypes as CheckType[]).find((c) => c.name === name)!.run(spec, ctx());
