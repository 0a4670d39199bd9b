// `k8s-learn cleanup`: delete the course's kind cluster (or stop the practice cluster) after
// confirmation. A user-named context is never touched.
import { resolve } from 'node:path';
import { cleanupCluster } from '../backends/cleanup.js';
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
  if (!interactive && !args.global.yes)
    throw new UsageError(t('cleanup.needsYes'), t('cleanup.needsYes.hint'));
  const ui = interactive ? createClackUI() : createScriptedUI();
  await cleanupCluster({
    runner,
    ui,
    t,
    workspace: resolve(args.global.dir),
    cluster: args.global.cluster,
    yes: args.global.yes,
  });
  return 0;
}
