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
import { addContext, KubeconfigError, userKubeconfigPath } from '../practice/kubeconfig.js';

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

/**
 * linkKubeconfig adds the practice context to the user's kubeconfig (never making it current) and
 * returns the file kubectl users should point at: theirs, or — when theirs cannot be changed — the
 * cluster's own, after saying why. The course itself always uses the cluster's own file.
 */
export function linkKubeconfig(t: Translate, info: DaemonInfo): string {
  const file = userKubeconfigPath();
  const creds = credentials(info.kubeconfigPath);
  if (!creds) throw new UserError(t('ship.practice.noCredentials', { file: info.kubeconfigPath }));
  try {
    addContext(file, info.url, creds.token, creds.caCert);
  } catch (err) {
    if (!(err instanceof KubeconfigError)) throw err;
    process.stderr.write(
      `${t(`ship.kubeconfig.${err.reason}`, { file: err.file, detail: err.message })}\n${t('ship.kubeconfig.unchanged', { own: info.kubeconfigPath })}\n`,
    );
    return info.kubeconfigPath;
  }
  return file;
}

/** tryLine is the kubectl command to type, with --kubeconfig when the user's file was left alone. */
function tryLine(t: Translate, info: DaemonInfo, kubeconfig: string): string {
  return kubeconfig === info.kubeconfigPath
    ? t('ship.practice.tryOwn', { context: info.context, kubeconfig })
    : t('practice.try', { context: info.context, kubeconfig });
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
    out(tryLine(t, info, kubeconfig));
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
  out(tryLine(t, info, kubeconfig));
  out(t('practice.stopHint'));
  return 0;
}
