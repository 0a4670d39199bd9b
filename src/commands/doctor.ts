// `k8s-learn doctor [--json]`: prerequisites for the chosen --cluster backend. Exit 1 when that
// backend cannot work on this machine (a facilitator runs `--json` on every workshop laptop).

import type { CommandArgs } from '../cli/registry.js';
import { platformOf } from '../doctor/fixes.js';
import { runDoctor } from '../doctor/index.js';
import { renderDoctor } from '../doctor/render.js';
import { createTranslator } from '../i18n/index.js';
import { createRunner } from '../runner.js';

/** run is the doctor command. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const runner = createRunner({ dryRun: args.global.dryRun, print: (l) => process.stdout.write(`${l}\n`) });
  const report = await runDoctor({
    runner,
    cluster: args.global.cluster,
    platform: platformOf(process.platform),
  });
  if (args.flags.json === true) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderDoctor(report, t).join('\n')}\n`);
  }
  return report.usable ? 0 : 1;
}
