// `k8s-learn practice status [--json]`: is the practice cluster running, where, with which
// context and kubeconfig. Exit 0 when running, 1 when not.
import type { CommandArgs } from '../cli/registry.js';
import { createTranslator } from '../i18n/index.js';
import { practiceDataDir, runningDaemon } from '../practice/control.js';
import { CONTEXT_NAME } from '../practice/kubeconfig.js';

/** run reports the practice cluster's state. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const dataDir = practiceDataDir();
  const info = await runningDaemon(dataDir);
  if (args.flags.json === true) {
    const report = info
      ? {
          running: true,
          url: info.url,
          port: info.port,
          pid: info.pid,
          context: info.context,
          kubeconfigPath: info.kubeconfigPath,
          nodes: info.nodes,
          startedAt: info.startedAt,
          dataDir,
          simulated: true,
        }
      : { running: false, context: CONTEXT_NAME, dataDir, simulated: true };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (info) {
    process.stdout.write(
      `${t('practice.status.running', { url: info.url, pid: info.pid, since: info.startedAt, nodes: info.nodes, context: info.context })}\n${t('practice.simulated')}\n`,
    );
  } else process.stdout.write(`${t('practice.status.stopped', { dataDir })}\n`);
  return info ? 0 : 1;
}
