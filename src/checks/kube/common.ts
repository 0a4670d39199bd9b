// Shared parts of the kubectl-based checks: the pinned kubectl, timeouts, and turning a kubectl
// failure into expected / saw / cause / hint in the learner's language.
import { createKubectl, type Kubectl, kubectlError } from '../../kubectl.js';
import type { RunResult } from '../../runner.js';
import type { CheckContext, CheckResult } from '../types.js';

/** defaultTimeoutSeconds bounds a check that waits (condition, rollout, replicas…). */
export const defaultTimeoutSeconds = 60;

/** timeoutSchema is the JSON Schema of every check's `timeout` (seconds). */
export const timeoutSchema = {
  type: 'integer',
  minimum: 0,
  maximum: 3600,
  description: 'seconds to wait (default 60)',
};

/** namespaceSchema is the JSON Schema of every check's `namespace`. */
export const namespaceSchema = { type: 'string', minLength: 1 };

/** seconds returns a spec's timeout in seconds. */
export function seconds(spec: { timeout?: number }): number {
  return spec.timeout ?? defaultTimeoutSeconds;
}

/** kubectlOf returns the pinned kubectl, or a failed result when the step has no cluster. */
export function kubectlOf(ctx: CheckContext, title: string): Kubectl | CheckResult {
  if (!ctx.cluster) {
    return { ok: false, title, cause: ctx.t('checks.noCluster'), hint: ctx.t('checks.noCluster.hint') };
  }
  return createKubectl(ctx.runner, ctx.cluster);
}

/** isResult tells a CheckResult from a Kubectl. */
export function isResult(value: Kubectl | CheckResult): value is CheckResult {
  return 'ok' in value;
}

/** notFound is true when kubectl said the object does not exist. */
export function notFound(result: RunResult): boolean {
  return /\(NotFound\)|not found/i.test(result.stderr);
}

/** unreachable is true when kubectl could not talk to the cluster at all. */
export function unreachable(result: RunResult): boolean {
  return (
    result.notFound ||
    /Unable to connect to the server|connection refused|context was not found|no such host|i\/o timeout|the server has asked for the client to provide credentials|Unauthorized/i.test(
      result.stderr,
    )
  );
}

/**
 * kubectlFailure explains a failed kubectl call that is not the check's own failure: cluster
 * unreachable, kubectl missing, or an unexpected error (shown verbatim, briefly).
 */
export function kubectlFailure(
  ctx: CheckContext,
  title: string,
  expected: string,
  result: RunResult,
): CheckResult {
  if (result.notFound) {
    return {
      ok: false,
      title,
      expected,
      saw: 'kubectl: command not found',
      causeId: 'kubectl-missing',
      cause: ctx.t('checks.kubectlMissing'),
      hint: ctx.t('checks.kubectlMissing.hint'),
    };
  }
  if (unreachable(result)) {
    return {
      ok: false,
      title,
      expected,
      saw: kubectlError(result),
      causeId: 'unreachable',
      cause: ctx.t('checks.unreachable', { context: ctx.cluster?.context ?? '' }),
      hint: ctx.t('checks.unreachable.hint'),
    };
  }
  return {
    ok: false,
    title,
    expected,
    saw: kubectlError(result),
    causeId: 'kubectl-error',
    cause: ctx.t('checks.kubectlError'),
    hint: ctx.t('checks.kubectlError.hint'),
  };
}

/** nsArgs is `-n NS` when a namespace is given. */
export function nsArgs(namespace: string | undefined): string[] {
  return namespace ? ['-n', namespace] : [];
}

/** objectRef is `kind/name` as kubectl accepts it (kind lowercased). */
export function objectRef(kind: string, name: string): string {
  return `${kind.toLowerCase()}/${name}`;
}

/**
 * pollUntil calls `probe` until it returns a value, spacing calls by `intervalMs`, up to `timeoutS`
 * or until `signal` aborts (then the last outcome is returned). `notYet` hears of each probe that
 * was not done (the fail-fast watch starts then).
 */
export async function pollUntil<T>(
  timeoutS: number,
  probe: () => Promise<{ done: boolean; value: T }>,
  intervalMs = 500,
  signal?: AbortSignal,
  notYet?: () => void,
): Promise<{ done: boolean; value: T }> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const outcome = await probe();
    if (outcome.done || signal?.aborted || Date.now() + intervalMs > deadline) return outcome;
    notYet?.();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, intervalMs);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * expectOutput turns an exit 0 whose output is not what kubectl prints on success into a failure,
 * so a broken kubectl (or a wrapper printing something else) never passes a check.
 */
export function expectOutput(result: RunResult, success: RegExp): RunResult {
  if (result.exitCode !== 0 || result.dryRun || success.test(result.stdout)) return result;
  const first = result.stdout.trim().split('\n')[0]?.slice(0, 200) || '(no output)';
  return { ...result, exitCode: 1, stderr: `kubectl exited 0 but printed something unexpected: ${first}` };
}

/** withSignal adds `signal` to run options when there is one. */
export function withSignal<T extends object>(options: T, signal: AbortSignal | undefined): T {
  return signal ? { ...options, signal } : options;
}
