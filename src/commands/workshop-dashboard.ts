// `k8s-learn workshop dashboard --context NAME [--port 8080]`: the live view in a browser, on
// 127.0.0.1 only, until Ctrl-C.
import type { CommandArgs } from '../cli/registry.js';
import { UserError } from '../errors.js';
import { intFlag, openAdmin } from '../workshop/admin.js';
import { startDashboard } from '../workshop/dashboard-server.js';
import { watchWorkshop } from '../workshop/live.js';

export async function run(args: CommandArgs): Promise<number> {
  const { kubectl, t } = openAdmin(args);
  const port =
    args.flags.port === undefined ? 8080 : args.flags.port === '0' ? 0 : intFlag(args, 'port', 8080, 65535);
  const live = watchWorkshop(
    kubectl,
    (view) => dashboard?.publish(view),
    (message) => process.stderr.write(`${t('workshop.watchFailed', { error: message })}\n`),
  );
  let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
  try {
    dashboard = await startDashboard({
      port,
      current: live.current,
      lang: args.global.lang,
      context: kubectl.target.context,
    });
  } catch (err) {
    live.stop();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserError(t('workshop.dashboard.portInUse', { port }), t('workshop.dashboard.portInUse.fix'));
    throw err;
  }
  process.stdout.write(`${t('workshop.dashboard.serving', { url: dashboard.url })}\n`);
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop());
    process.once('SIGTERM', () => resolveStop());
  });
  live.stop();
  await dashboard.close();
  return 0;
}
