// The practice backend: starts (or reuses) the practice cluster — the project's local simulated
// API server — through our own CLI (`k8s-learn practice start|status|load-image|stop`), so the
// engine does not hold the server in its process. It has its own kubeconfig file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { packageRoot } from '../paths.js';
import type { RunResult } from '../runner.js';
import type { Backend, BackendEnv } from './types.js';

/** practiceContext is the context the practice cluster adds to the kubeconfig. */
export const practiceContext = 'k8s-learn-practice';

/** PracticeStatus is what `practice status --json` reports (the fields we read). */
export interface PracticeStatus {
  running: boolean;
  context?: string;
  kubeconfigPath?: string;
  url?: string;
}

/** practiceCli runs `node bin/k8s-learn.js practice ARGS` through the runner. */
export function practiceCli(env: BackendEnv, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  const bin = join(packageRoot(), 'bin', 'k8s-learn.js');
  return env.runner.run(process.execPath, [bin, 'practice', ...args], { timeoutMs });
}

/**
 * parsePracticeStatus reads `practice status --json`, tolerating the spellings a status may use
 * (`running` or `state: "running"`; `kubeconfigPath`, `kubeconfig` or `kubeconfigFile`).
 * Undefined when stdout is not a JSON object.
 */
export function parsePracticeStatus(stdout: string): PracticeStatus | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const text = (key: string) =>
    typeof raw[key] === 'string' && raw[key] !== '' ? (raw[key] as string) : undefined;
  const running =
    typeof raw.running === 'boolean' ? raw.running : raw.state === 'running' || raw.status === 'running';
  const kubeconfigPath = text('kubeconfigPath') ?? text('kubeconfig') ?? text('kubeconfigFile');
  const context = text('context');
  const url = text('url');
  return {
    running,
    ...(context ? { context } : {}),
    ...(kubeconfigPath ? { kubeconfigPath } : {}),
    ...(url ? { url } : {}),
  };
}

function failed(env: BackendEnv, what: string, result: RunResult): UserError {
  const detail = (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' ');
  return new UserError(
    env.t('backends.practice.failed', { what, detail }),
    env.t('backends.practice.failed.fix'),
  );
}

/**
 * claimPractice records which workspace the practice cluster serves. Courses put their objects in
 * fixed namespaces, so a second workspace would silently overwrite the first one's work: it is
 * refused while the first still has progress (a workspace reset with `reset --all` gives it up).
 */
function claimPractice(
  env: BackendEnv,
  spinner: { stop(m: string, ok?: boolean): void },
  kubeconfig: string | undefined,
): void {
  // The cluster's data folder holds its kubeconfig (the daemon may run under another environment).
  if (env.runner.dryRun || !kubeconfig) return;
  const file = join(dirname(kubeconfig), 'workspace.json');
  let owner: string | undefined;
  try {
    owner = (JSON.parse(readFileSync(file, 'utf8')) as { workspace?: string }).workspace;
  } catch {
    owner = undefined;
  }
  const mine = resolve(env.workspace);
  if (owner && owner !== mine && existsSync(join(owner, '.k8s-learn', 'state.json'))) {
    spinner.stop(env.t('backends.practice.startFailed'), false);
    throw new UserError(
      env.t('ship.practice.taken', { owner }),
      env.t('ship.practice.taken.next', { owner }),
    );
  }
  try {
    if (owner !== mine) writeFileSync(file, `${JSON.stringify({ workspace: mine })}\n`);
  } catch {
    // Without a record the next workspace is not warned; the course itself is unaffected.
  }
}

/** createPracticeBackend returns the practice backend. */
export function createPracticeBackend(): Backend {
  return {
    name: 'practice',
    context: practiceContext,
    async ensure(env) {
      const spinner = env.ui.spinner();
      spinner.start(env.t('backends.practice.starting'));
      const started = await practiceCli(env, ['start']);
      if (started.exitCode !== 0) {
        spinner.stop(env.t('backends.practice.startFailed'), false);
        throw failed(env, 'practice start', started);
      }
      // practice start warns (on stderr) when it left the user's kubeconfig alone; pass that on.
      if (started.stderr.trim() !== '') env.ui.warn(started.stderr.trim());
      const status = await practiceCli(env, ['status', '--json']);
      const parsed = parsePracticeStatus(status.stdout);
      if (status.exitCode !== 0 || !parsed?.running) {
        spinner.stop(env.t('backends.practice.startFailed'), false);
        throw failed(env, 'practice status', status);
      }
      claimPractice(env, spinner, parsed.kubeconfigPath);
      spinner.stop(env.t('backends.practice.ready', { context: parsed.context ?? practiceContext }));
      const kubeconfig = parsed.kubeconfigPath;
      return {
        backend: 'practice',
        context: parsed.context ?? practiceContext,
        ...(kubeconfig ? { kubeconfig } : {}),
      };
    },
    async loadImage(env, image) {
      const loaded = await practiceCli(env, ['load-image', image]);
      if (loaded.exitCode !== 0) throw failed(env, 'practice load-image', loaded);
    },
    async remove(env) {
      const ok =
        env.yes || (await env.ui.confirm({ message: env.t('backends.practice.confirmStop'), initial: true }));
      if (!ok) return false;
      const stopped = await practiceCli(env, ['stop']);
      if (stopped.exitCode !== 0) throw failed(env, 'practice stop', stopped);
      if (stopped.stderr.trim() !== '') env.ui.warn(stopped.stderr.trim());
      return true;
    },
  };
}
