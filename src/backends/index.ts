// Backend selection. `auto` takes kind when `docker info` and `kind version` both work, otherwise
// the practice cluster — with one sentence saying why and how to switch later.

import type { ClusterTarget } from '../checks/types.js';
import { dockerInfo } from '../docker.js';
import { UsageError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { kindVersion } from '../kind.js';
import { contextHint } from '../kubectl.js';
import type { Runner } from '../runner.js';
import { createContextBackend } from './context.js';
import { offerContextSwitch } from './context-switch.js';
import { createKindBackend } from './kind.js';
import { createPracticeBackend } from './practice.js';
import { type Backend, type BackendEnv, parseClusterChoice } from './types.js';

export type { Backend, BackendEnv, BackendName, ClusterChoice } from './types.js';
export { parseClusterChoice } from './types.js';

/** Selection is the backend picked for a `--cluster` value, and why when auto fell back. */
export interface Selection {
  backend: Backend;
  /** One sentence, set when `auto` chose the practice cluster. */
  reason?: string;
}

/** KindProbe says whether kind can work here, and if not, which part is missing. */
export interface KindProbe {
  ok: boolean;
  /** dockerMissing | daemonDown | kindMissing */
  problem?: 'dockerMissing' | 'daemonDown' | 'kindMissing';
}

/** probeKind runs `docker info` and `kind version` in parallel. */
export async function probeKind(runner: Runner): Promise<KindProbe> {
  const [docker, kind] = await Promise.all([dockerInfo(runner), kindVersion(runner)]);
  if (docker.result.notFound) return { ok: false, problem: 'dockerMissing' };
  if (!docker.info) return { ok: false, problem: 'daemonDown' };
  if (kind.notFound || kind.exitCode !== 0) return { ok: false, problem: 'kindMissing' };
  return { ok: true };
}

/** selectBackend resolves a `--cluster` value to a backend. */
export async function selectBackend(value: string, runner: Runner, t: Translate): Promise<Selection> {
  const choice = parseClusterChoice(value);
  if (!choice) {
    throw new UsageError(`invalid --cluster value "${value}"`, 'Use auto, kind, practice, or context:NAME.');
  }
  switch (choice.kind) {
    case 'kind':
      return { backend: createKindBackend() };
    case 'practice':
      return { backend: createPracticeBackend() };
    case 'context':
      return { backend: createContextBackend(choice.name) };
    case 'auto': {
      const probe = await probeKind(runner);
      if (probe.ok) return { backend: createKindBackend() };
      return {
        backend: createPracticeBackend(),
        reason: t('backends.auto.practice', { why: t(`backends.auto.${probe.problem}`) }),
      };
    }
  }
}

/**
 * prepareCluster is what the engine calls once at start: select the backend for `--cluster`, say
 * why when auto fell back, create or reuse the cluster, and name the context once with the command
 * the learner types to use it themselves.
 */
export async function prepareCluster(
  value: string,
  env: BackendEnv,
): Promise<{ backend: Backend; target: ClusterTarget }> {
  const { backend, reason } = await selectBackend(value, env.runner, env.t);
  if (reason) env.ui.info(reason);
  const target = await backend.ensure(env);
  const hint = contextHint(target);
  env.ui.info(env.t('kubectl.contextNote', { context: hint.context, command: hint.command }));
  // Only the course's own clusters are offered; a context the user named is theirs already.
  if (backend.name !== 'context') await offerContextSwitch(env, target.context);
  return { backend, target };
}
