// `k8s-learn practice stop`: stop the background practice cluster (its state is kept) and remove
// the `k8s-learn-practice` context from the user's kubeconfig.
import type { CommandArgs } from '../cli/registry.js';
import { UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { practiceDataDir, stopDaemon } from '../practice/control.js';
import { CONTEXT_NAME, removeContext, userKubeconfigPath } from '../practice/kubeconfig.js';

/** run stops the practice cluster. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const dataDir = practiceDataDir();
  if (args.global.dryRun) {
    process.stdout.write(`${t('practice.dryRun', { action: 'stop', dataDir })}\n`);
    return 0;
  }
  const wasRunning = await stopDaemon(dataDir);
  const kubeconfig = userKubeconfigPath();
  try {
    removeContext(kubeconfig);
  } catch (err) {
    throw new UserError(
      t('practice.kubeconfigError', { kubeconfig, message: (err as Error).message }),
      t('practice.kubeconfigError.fix'),
    );
  }
  process.stdout.write(
    `${wasRunning ? t('practice.stopped', { context: CONTEXT_NAME, kubeconfig }) : t('practice.notRunning')}\n`,
  );
  return 0;
}
