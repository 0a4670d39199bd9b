// Thin wrapper over the kind CLI: only the calls k8s-learn makes, each through the runner.
import type { Runner, RunResult } from './runner.js';

/** kindBinary is the executable name; K8S_LEARN_KIND overrides it. */
export function kindBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.K8S_LEARN_KIND || 'kind';
}

/** kindVersion runs `kind version` (e.g. `kind v0.29.0 go1.24.2 linux/amd64`). */
export async function kindVersion(runner: Runner, timeoutMs = 10_000): Promise<RunResult> {
  return runner.run(kindBinary(), ['version'], { readOnly: true, timeoutMs });
}

/** parseKindVersion takes `v0.29.0` out of `kind version` output. */
export function parseKindVersion(stdout: string): string | undefined {
  return /\bv\d+\.\d+\.\d+\S*/.exec(stdout)?.[0];
}

/** kindClusters runs `kind get clusters`; `names` is undefined when the call failed. */
export async function kindClusters(
  runner: Runner,
  timeoutMs = 20_000,
): Promise<{ names?: string[]; result: RunResult }> {
  const result = await runner.run(kindBinary(), ['get', 'clusters'], { readOnly: true, timeoutMs });
  if (result.exitCode !== 0) return { result };
  // "No kind clusters found." goes to stderr; stdout is one name a line.
  const names = result.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^No kind clusters found/.test(l));
  return { names, result };
}

/** kindCreateCluster runs `kind create cluster --name N --config FILE --wait W`. */
export async function kindCreateCluster(
  runner: Runner,
  name: string,
  configFile: string,
  wait = '2m',
): Promise<RunResult> {
  return runner.run(
    kindBinary(),
    ['create', 'cluster', '--name', name, '--config', configFile, '--wait', wait],
    {
      timeoutMs: 600_000,
    },
  );
}

/** kindDeleteCluster runs `kind delete cluster --name N` (succeeds when N is missing). */
export async function kindDeleteCluster(runner: Runner, name: string): Promise<RunResult> {
  return runner.run(kindBinary(), ['delete', 'cluster', '--name', name], { timeoutMs: 180_000 });
}

/** kindLoadImage runs `kind load docker-image IMAGE --name N`. */
export async function kindLoadImage(runner: Runner, image: string, name: string): Promise<RunResult> {
  return runner.run(kindBinary(), ['load', 'docker-image', image, '--name', name], { timeoutMs: 600_000 });
}
