// Removing the course's cluster, shared by `k8s-learn cleanup` and (for the engine) `reset --all`:
// the backend recorded in the workspace wins over `auto`, so what this workspace used is what goes.
import type { Translate } from '../i18n/index.js';
import type { Runner } from '../runner.js';
import type { UI } from '../ui/types.js';
import { restoreSwitchedContext } from './context-switch.js';
import { selectBackend } from './index.js';
import { recordedTarget } from './target.js';

/** CleanupOptions say which cluster and how to ask. */
export interface CleanupOptions {
  runner: Runner;
  ui: UI;
  t: Translate;
  /** Absolute workspace path. */
  workspace: string;
  /** The `--cluster` value (`auto` defers to the workspace's recorded backend). */
  cluster: string;
  yes: boolean;
}

/** cleanupCluster deletes the kind cluster or stops the practice cluster after confirmation. */
export async function cleanupCluster(
  options: CleanupOptions,
): Promise<{ backend: string; removed: boolean }> {
  const recorded = options.cluster === 'auto' ? recordedTarget(options.workspace) : undefined;
  if (recorded?.backend === 'workshop') {
    // A shared workshop cluster is the facilitator's: `workshop teardown` removes it, not a learner.
    options.ui.info(options.t('workshop.learner.noCleanup', { namespace: recorded.namespace ?? '' }));
    return { backend: 'workshop', removed: false };
  }
  const cluster = recorded
    ? recorded.backend === 'context'
      ? `context:${recorded.context}`
      : recorded.backend
    : options.cluster;
  const { backend } = await selectBackend(cluster, options.runner, options.t);
  const { runner, ui, t, workspace, yes } = options;
  const removed = await backend.remove({ runner, ui, t, workspace, yes });
  if (!removed && backend.name !== 'context') ui.info(t('cleanup.kept'));
  if (removed && !runner.dryRun) restoreSwitchedContext(workspace, { info: ui.info, warn: ui.warn, t });
  return { backend: backend.name, removed };
}
