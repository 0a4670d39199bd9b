// `k8s-learn cleanup`: delete the course's kind cluster (or stop the practice cluster) after
// confirmation. A user-named context is never touched.
import { resolve } from 'node:path';
import { selectBackend } from '../backends/index.js';
import { recordedTarget } from '../backends/target.js';
import type { CommandArgs } from '../cli/registry.js';
import { UsageError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { createRunner } from '../runner.js';
import { createClackUI } from '../ui/clack.js';
import { createScriptedUI } from '../ui/scripted.js';

/** run is the cleanup command. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const runner = createRunner({ dryRun: args.global.dryRun, print: (l) => process.stdout.write(`${l}\n`) });
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !args.global.yes;
  if (!interactive && !args.global.yes) {
    throw new UsageError(t('cleanup.needsYes'), t('cleanup.needsYes.hint'));
  }
  const ui = interactive ? createClackUI() : createScriptedUI();
  const workspace = resolve(args.global.dir);
  // The recorded backend wins over auto: delete what this workspace actually used.
  const recorded = args.global.cluster === 'auto' ? recordedTarget(workspace) : undefined;
  const cluster = recorded
    ? recorded.backend === 'context'
      ? `context:${recorded.context}`
      : recorded.backend
    : args.global.cluster;
  const { backend } = await selectBackend(cluster, runner, t);
  const removed = await backend.remove({ runner, ui, t, workspace, yes: args.global.yes });
  if (!removed && backend.name !== 'context') ui.info(t('cleanup.kept'));
  return 0;
}
