// Runs the built CLI (bin/k8s-learn.js → dist/) as a user would, without a terminal.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');

/** cli runs `k8s-learn ARGS` and returns its exit code and output. */
export function cli(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    input?: string;
    timeoutMs?: number;
  } = {},
) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    FORCE_COLOR: undefined,
    NO_COLOR: undefined,
    // The built CLI caches courses per user; tests keep theirs out of the user's home.
    K8S_LEARN_CACHE_DIR: join(tmpdir(), 'k8s-learn-test-cache'),
    ...options.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const started = performance.now();
  const r = spawnSync(process.execPath, [resolve(root, 'bin/k8s-learn.js'), ...argv], {
    cwd: options.cwd ?? root,
    env: env as NodeJS.ProcessEnv,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}
