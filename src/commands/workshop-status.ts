// `k8s-learn workshop status --context NAME [--watch] [--json]`: one row per learner, stuck first.
import type { CommandArgs } from '../cli/registry.js';
import { UserError } from '../errors.js';
import { openAdmin } from '../workshop/admin.js';
import { readWorkshop, watchWorkshop } from '../workshop/live.js';
import type { WorkshopView } from '../workshop/rows.js';
import { renderTable } from '../workshop/table.js';

export async function run(args: CommandArgs): Promise<number> {
  const { kubectl, t } = openAdmin(args);
  const json = args.flags.json === true;
  const write = (text: string) => process.stdout.write(`${text}\n`);
  if (args.flags.watch !== true) {
    let view: WorkshopView;
    try {
      view = await readWorkshop(kubectl);
    } catch (err) {
      throw new UserError(
        t('workshop.status.readFailed', { context: kubectl.target.context, error: (err as Error).message }),
        t('workshop.status.readFailed.fix'),
      );
    }
    write(json ? JSON.stringify(view, null, 2) : renderTable(view, t).join('\n'));
    return 0;
  }
  // --watch: redraw in place on a terminal; elsewhere (and with --json) one block per change.
  const tty = process.stdout.isTTY === true && !json;
  let pending: NodeJS.Timeout | undefined;
  const draw = (view: WorkshopView) => {
    if (json) write(JSON.stringify(view));
    else if (tty) process.stdout.write(`\x1b[H\x1b[2J${renderTable(view, t).join('\n')}\n`);
    else write(`— ${view.at}\n${renderTable(view, t).join('\n')}`);
  };
  // Many changes at once (30 learners starting) make one redraw.
  const schedule = (view: WorkshopView) => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      draw(live.current());
    }, 100);
    void view;
  };
  const live = watchWorkshop(kubectl, schedule, (message) =>
    process.stderr.write(`${t('workshop.watchFailed', { error: message })}\n`),
  );
  // Stuck times grow without any change in the cluster.
  const tick = tty ? setInterval(() => draw(live.current()), 5000) : undefined;
  await new Promise<void>((resolveStop) => process.once('SIGINT', () => resolveStop()));
  if (tick) clearInterval(tick);
  live.stop();
  return 130;
}
