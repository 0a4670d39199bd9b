// Noticing that the practice cluster's daemon died under a kubectl call. kubectl would only say
// "connection refused" (or, inside a watch, retry until its timeout and blame the rollout), so every
// call pinned to the practice cluster is watched: when the daemon's process is gone the call is cut
// short and the learner reads what happened and that `practice start` brings the objects back.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ClusterTarget } from '../checks/types.js';
import { UserError } from '../errors.js';
import { createTranslator, uiLang } from '../i18n/index.js';
import type { RunResult } from '../runner.js';

/** How often a running call checks that the daemon is still there. */
const watchEveryMs = 1000;

/** PracticeDownError says the practice cluster stopped and how to bring it back. */
export class PracticeDownError extends UserError {
  constructor(pid: number | undefined) {
    const t = createTranslator(uiLang());
    super(
      pid === undefined ? t('ship.practice.down.stopped') : t('ship.practice.down', { pid }),
      t('ship.practice.down.next'),
    );
    this.name = 'PracticeDownError';
  }
}

/** zombie is true for a process that exited but was not reaped (containers whose PID 1 never reaps). */
function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * practiceDown returns the dead daemon's PID when its daemon.json names a process that is gone, or
 * `{}` for a failed call when the practice cluster of this machine is not running at all; else
 * undefined (a cluster hosted some other way, e.g. in a test, is not ours to judge).
 */
export async function practiceDown(
  kubeconfig: string,
  failed: boolean,
): Promise<{ pid?: number } | undefined> {
  // Read daemon.json here rather than through src/practice/control.ts: this runs after every
  // kubectl call, and that module brings the YAML parser and https along.
  const dataDir = dirname(kubeconfig);
  let pid: number | undefined;
  try {
    pid = (JSON.parse(readFileSync(join(dataDir, 'daemon.json'), 'utf8')) as { pid?: unknown }).pid as number;
  } catch {
    pid = undefined;
  }
  if (typeof pid !== 'number') {
    if (!failed) return undefined;
    const { practiceDataDir } = await import('../practice/control.js');
    return resolve(dataDir) === resolve(practiceDataDir()) ? {} : undefined;
  }
  return alive(pid) && !zombie(pid) ? undefined : { pid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * watchPractice runs a kubectl call; for the practice cluster it also watches the daemon and
 * throws PracticeDownError (within about a second) when it is gone.
 */
export async function watchPractice(
  target: ClusterTarget,
  call: (signal?: AbortSignal) => Promise<RunResult>,
): Promise<RunResult> {
  const kubeconfig = target.kubeconfig;
  if (target.backend !== 'practice' || !kubeconfig) return call();
  const controller = new AbortController();
  let gone: { pid?: number } | undefined;
  const timer = setInterval(() => {
    void practiceDown(kubeconfig, false).then((down) => {
      if (down && !gone) {
        gone = down;
        controller.abort();
      }
    });
  }, watchEveryMs);
  timer.unref();
  let result: RunResult;
  try {
    result = await call(controller.signal);
  } finally {
    clearInterval(timer);
  }
  // Ask once more after every call: a watch ends quietly (exit 0) when its server goes away, and
  // the check costs a file read.
  if (!gone && !result.dryRun) gone = await practiceDown(kubeconfig, result.exitCode !== 0);
  if (gone) throw new PracticeDownError(gone.pid);
  return result;
}
