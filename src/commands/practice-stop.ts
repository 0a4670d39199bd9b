// `k8s-learn practice stop`: stop the background practice cluster (its state is kept) and remove
// the `k8s-learn-practice` context from the user's kubeconfig. When the course had switched kubectl
// to it (the learner agreed), the context current before comes back.
import { resolve } from 'node:path';
import { readSwitchRecord, restoreSwitchedContext } from '../backends/context-switch.js';
import type { CommandArgs } from '../cli/registry.js';
import { createTranslator } from '../i18n/index.js';
import { practiceDataDir, stopDaemon } from '../practice/control.js';
import { CONTEXT_NAME, KubeconfigError, removeContext, userKubeconfigPath } from '../practice/kubeconfig.js';

/** run stops the practice cluster. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const dataDir = practiceDataDir();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  if (args.global.dryRun) {
    out(t('practice.dryRun', { action: 'stop', dataDir }));
    return 0;
  }
  const wasRunning = await stopDaemon(dataDir);
  const kubeconfig = userKubeconfigPath();
  const workspace = resolve(args.global.dir);
  const switched = readSwitchRecord(workspace)?.switched;
  const restoreTo = switched?.to === CONTEXT_NAME ? (switched.previous ?? undefined) : undefined;
  try {
    removeContext(kubeconfig, restoreTo);
  } catch (err) {
    if (!(err instanceof KubeconfigError)) throw err;
    warn(t(`ship.kubeconfig.${err.reason}`, { file: err.file, detail: err.message }));
  }
  out(wasRunning ? t('practice.stopped', { context: CONTEXT_NAME, kubeconfig }) : t('practice.notRunning'));
  if (switched?.to === CONTEXT_NAME) restoreSwitchedContext(workspace, { info: out, warn, t });
  return 0;
}
