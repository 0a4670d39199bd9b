// Thin wrapper over the docker CLI: only the calls k8s-learn makes, each through the runner.
import type { Runner, RunResult } from './runner.js';

/** dockerBinary is the executable name; K8S_LEARN_DOCKER overrides it. */
export function dockerBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.K8S_LEARN_DOCKER || 'docker';
}

/** DockerInfo is what `docker info` tells us when the daemon answers. */
export interface DockerInfo {
  serverVersion: string;
  /** Bytes of memory the daemon (or Docker Desktop's VM) may use; undefined when not reported. */
  memTotal?: number;
  cpus?: number;
  os?: string;
}

/** dockerClientVersion runs `docker version --format {{.Client.Version}}` (works without a daemon). */
export async function dockerClientVersion(runner: Runner, timeoutMs = 10_000): Promise<RunResult> {
  return runner.run(dockerBinary(), ['version', '--format', '{{.Client.Version}}'], {
    readOnly: true,
    timeoutMs,
  });
}

/** dockerInfo runs `docker info` as JSON; `info` is undefined when the daemon cannot be reached. */
export async function dockerInfo(
  runner: Runner,
  timeoutMs = 15_000,
): Promise<{ info?: DockerInfo; result: RunResult }> {
  const result = await runner.run(dockerBinary(), ['info', '--format', '{{json .}}'], {
    readOnly: true,
    timeoutMs,
  });
  if (result.exitCode !== 0) return { result };
  try {
    const raw = JSON.parse(result.stdout) as Record<string, unknown>;
    // A client without a daemon may still print a JSON skeleton with an empty ServerVersion.
    if (typeof raw.ServerVersion !== 'string' || raw.ServerVersion === '') return { result };
    return {
      info: {
        serverVersion: raw.ServerVersion,
        ...(typeof raw.MemTotal === 'number' && raw.MemTotal > 0 ? { memTotal: raw.MemTotal } : {}),
        ...(typeof raw.NCPU === 'number' ? { cpus: raw.NCPU } : {}),
        ...(typeof raw.OperatingSystem === 'string' ? { os: raw.OperatingSystem } : {}),
      },
      result,
    };
  } catch {
    return { result };
  }
}

/** dockerBuild runs `docker build -t IMAGE DIR`. */
export async function dockerBuild(runner: Runner, image: string, dir: string): Promise<RunResult> {
  return runner.run(dockerBinary(), ['build', '-t', image, dir], { timeoutMs: 600_000 });
}
