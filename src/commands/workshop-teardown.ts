// `k8s-learn workshop teardown --context NAME`: delete everything provision made (by its label),
// after showing the list and asking (`--yes` skips the question).
import type { CommandArgs } from '../cli/registry.js';
import { UsageError } from '../errors.js';
import { createClackUI } from '../ui/clack.js';
import { createScriptedUI } from '../ui/scripted.js';
import { openAdmin } from '../workshop/admin.js';
import { teardown } from '../workshop/teardown.js';

export async function run(args: CommandArgs): Promise<number> {
  const { kubectl, t } = openAdmin(args);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !args.global.yes;
  if (!interactive && !args.global.yes && !args.global.dryRun) {
    throw new UsageError(t('workshop.teardown.needsYes'), t('workshop.teardown.needsYes.hint'));
  }
  await teardown({
    kubectl,
    t,
    ui: interactive ? createClackUI() : createScriptedUI(),
    yes: args.global.yes,
    dryRun: args.global.dryRun,
    print: (line) => process.stdout.write(`${line}\n`),
  });
  return 0;
}
