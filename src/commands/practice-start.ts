// `k8s-learn practice start [--port N] [--nodes N] [--fresh]`: run the practice cluster in the
// background and add the `k8s-learn-practice` context to the user's kubeconfig (like kind).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandArgs } from '../cli/registry.js';
import { UsageError, UserError } from '../errors.js';
import { createTranslator, type Translate } from '../i18n/index.js';
import {
  credentials,
  type DaemonInfo,
  daemonScript,
  LOG_FILE,
  practiceDataDir,
  runningDaemon,
  startDaemon,
} from '../practice/control.js';
import { addContext, userKubeconfigPath } from '../practice/kubeconfig.js';

/** intFlag reads a whole-number flag within bounds, or throws a UsageError. */
export function intFlag(
  t: Translate,
  flags: CommandArgs['flags'],
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = String(raw);
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(t('practice.badNumber', { flag: name, min, max, value }));
  }
  return n;
}

/** linkKubeconfig writes the practice context into the user's kubeconfig; returns its path. */
export function linkKubeconfig(t: Translate, info: DaemonInfo): string {
  const file = userKubeconfigPath();
  const creds = credentials(info.kubeconfigPath);
  try {
    if (!creds) throw new Error(`cannot read ${info.kubeconfigPath}`);
    addContext(file, info.url, creds.token, creds.caCert);
  } catch (err) {
    throw new UserError(
      t('practice.kubeconfigError', { kubeconfig: file, message: (err as Error).message }),
      t('practice.kubeconfigError.fix'),
    );
  }
  return file;
}

/** run starts the practice cluster. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const port = intFlag(t, args.flags, 'port', 0, 65535);
  const nodes = intFlag(t, args.flags, 'nodes', 0, 20);
  const dataDir = practiceDataDir();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (args.global.dryRun) {
    out(t('practice.dryRun', { action: 'start', dataDir }));
    return 0;
  }
  let info = await runningDaemon(dataDir);
  if (info) {
    const kubeconfig = linkKubeconfig(t, info);
    out(t('practice.alreadyRunning', { url: info.url, context: info.context }));
    out(t('practice.try', { context: info.context, kubeconfig }));
    return 0;
  }
  if (!existsSync(daemonScript())) {
    throw new UserError(t('practice.notBuilt', { path: daemonScript() }), t('practice.notBuilt.fix'));
  }
  const started = await startDaemon(dataDir, { port, nodes, fresh: args.flags.fresh === true });
  if (!started.ok) {
    throw new UserError(
      t('practice.startFailed'),
      t('practice.startFailed.fix', { logPath: join(dataDir, LOG_FILE), log: started.log || '(empty)' }),
    );
  }
  info = started.info;
  const kubeconfig = linkKubeconfig(t, info);
  out(t('practice.started', { url: info.url, context: info.context }));
  out(t('practice.simulated'));
  out(t('practice.try', { context: info.context, kubeconfig }));
  out(t('practice.stopHint'));
  return 0;
}
