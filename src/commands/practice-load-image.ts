// `k8s-learn practice load-image IMAGE`: the practice counterpart of `kind load docker-image`.
// No container runs, so the image is only recorded in every node's status.images.
import type { CommandArgs } from '../cli/registry.js';
import { UsageError, UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { loadImage, practiceDataDir, runningDaemon } from '../practice/control.js';

/** run records an image on the practice cluster's nodes. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const image = args.positionals[0];
  if (!image) throw new UsageError('practice load-image needs an IMAGE, e.g. k8s-core:1.0');
  const info = await runningDaemon(practiceDataDir());
  if (!info) throw new UserError(t('practice.notRunning'), 'k8s-learn practice start');
  if (args.global.dryRun) return 0;
  const count = await loadImage(info, image);
  process.stdout.write(`${t('practice.imageLoaded', { image, count })}\n`);
  return 0;
}
