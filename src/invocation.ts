// How the learner started k8s-learn, so every `k8s-learn …` line the course shows runs as shown:
// `npx k8s-learn …` after npx, `npm start -- …` from a checkout, `k8s-learn …` when installed
// globally. A command the learner cannot paste back is a dead end.
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { packageRoot } from './paths.js';

let cached: string | undefined;

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** detectInvocation reads the environment npm and npx leave behind; pure for tests. */
export function detectInvocation(env: NodeJS.ProcessEnv, ownBin: string): string {
  // Set by k8s-learn itself for the commands it runs on the learner's behalf, and by tests.
  if (env.K8S_LEARN_INVOCATION) return env.K8S_LEARN_INVOCATION;
  if (env.npm_lifecycle_event === 'start' && env.npm_package_name === 'k8s-learn') return 'npm start --';
  if (env.npm_command === 'exec') return 'npx k8s-learn';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'k8s-learn');
    if (existsSync(candidate) && sameFile(candidate, ownBin)) return 'k8s-learn';
  }
  return 'npx k8s-learn';
}

/** invocation is the command prefix the learner should type to run k8s-learn again. */
export function invocation(): string {
  cached ??= detectInvocation(process.env, join(packageRoot(), 'bin', 'k8s-learn.js'));
  return cached;
}

/** displayCommand shows a lesson's `k8s-learn …` line as the learner would type it here. */
export function displayCommand(line: string): string {
  return line.startsWith('k8s-learn ') ? `${invocation()} ${line.slice('k8s-learn '.length)}` : line;
}
