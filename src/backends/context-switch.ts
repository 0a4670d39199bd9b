// Switching the user's kubectl to the course's cluster, only when they say so. Interactive runs ask
// once per workspace ("switch kubectl to the course's cluster? `k8s-learn cleanup` switches back to
// `work`") and remember the answer; `--yes` leaves the current context alone (every command the
// course runs and shows carries `--context`). When we switched, the previous context is recorded in
// `<workspace>/.k8s-learn/kubectl-context.json`, and cleanup, `practice stop` and `reset --all` put
// it back (restoreSwitchedContext) unless the user has picked another context since.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  currentContextOf,
  KubeconfigError,
  restoreCurrentContext,
  switchCurrentContext,
  userKubeconfigPath,
} from '../practice/kubeconfig.js';
import type { BackendEnv } from './types.js';

/** SwitchRecord is what the workspace remembers about the user's current context. */
export interface SwitchRecord {
  /** The learner's answer to the one question. */
  answer: boolean;
  /** Set while the course's context is current because we switched it. */
  switched?: { kubeconfig: string; to: string; previous: string | null };
}

/** switchRecordPath is the record's file in a workspace. */
export function switchRecordPath(workspace: string): string {
  return join(workspace, '.k8s-learn', 'kubectl-context.json');
}

/** readSwitchRecord reads the record; undefined when never asked (or unreadable). */
export function readSwitchRecord(workspace: string): SwitchRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(switchRecordPath(workspace), 'utf8')) as SwitchRecord;
    return typeof parsed.answer === 'boolean' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeSwitchRecord(workspace: string, record: SwitchRecord): void {
  mkdirSync(join(workspace, '.k8s-learn'), { recursive: true });
  writeFileSync(switchRecordPath(workspace), `${JSON.stringify(record, null, 2)}\n`);
}

/** kubeconfigProblem is the sentence for a kubeconfig we will not touch (names the file). */
export function kubeconfigProblem(env: Pick<BackendEnv, 't'>, err: KubeconfigError): string {
  return env.t(`ship.kubeconfig.${err.reason}`, { file: err.file, detail: err.message });
}

/**
 * offerContextSwitch asks (once per workspace, interactive only) whether kubectl should use the
 * course's context, and switches it when the learner agrees.
 */
export async function offerContextSwitch(env: BackendEnv, context: string): Promise<void> {
  if (env.yes || !env.ui.interactive || env.runner.dryRun) return;
  if (readSwitchRecord(env.workspace)) return;
  const kubeconfig = userKubeconfigPath();
  let current: string | undefined;
  try {
    current = currentContextOf(kubeconfig);
  } catch (err) {
    if (err instanceof KubeconfigError) return; // practice start already said why it left the file alone
    throw err;
  }
  if (current === context) return;
  const answer = await env.ui.confirm({
    message: current
      ? env.t('ship.context.ask', { context, previous: current })
      : env.t('ship.context.askNone', { context }),
    initial: false,
  });
  if (!answer) {
    writeSwitchRecord(env.workspace, { answer });
    return;
  }
  try {
    const previous = switchCurrentContext(kubeconfig, context);
    writeSwitchRecord(env.workspace, {
      answer,
      switched: { kubeconfig, to: context, previous: previous ?? null },
    });
    env.ui.info(env.t('ship.context.switched', { context, previous: previous ?? '-' }));
  } catch (err) {
    if (!(err instanceof KubeconfigError)) throw err;
    env.ui.warn(kubeconfigProblem(env, err));
  }
}

/**
 * restoreSwitchedContext puts back the context that was current before the course switched it.
 * Returns the restored context's name, or undefined when there was nothing to do.
 */
export function restoreSwitchedContext(
  workspace: string,
  say: { info(m: string): void; warn(m: string): void; t: BackendEnv['t'] },
): string | undefined {
  const record = readSwitchRecord(workspace);
  if (!record?.switched) return undefined;
  const { kubeconfig, to, previous } = record.switched;
  try {
    if (existsSync(kubeconfig)) restoreCurrentContext(kubeconfig, to, previous ?? undefined);
  } catch (err) {
    if (!(err instanceof KubeconfigError)) throw err;
    say.warn(kubeconfigProblem({ t: say.t }, err));
    return undefined;
  }
  // Forget the switch but keep the answer, so the next start asks nothing.
  writeSwitchRecord(workspace, { answer: record.answer });
  if (previous) say.info(say.t('ship.context.restored', { previous, kubeconfig }));
  return previous ?? undefined;
}

/** forgetSwitchRecord removes the record (reset --all starts the workspace over). */
export function forgetSwitchRecord(workspace: string): void {
  rmSync(switchRecordPath(workspace), { force: true });
}
