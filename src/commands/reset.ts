import { existsSync } from 'node:fs';
import type { CommandArgs } from '../cli/registry.js';
import { persist } from '../engine/context.js';
import { scaffoldStep } from '../engine/scaffold.js';
import { createUI, openSession, type SessionDeps } from '../engine/session.js';
import { moveAside, statePath } from '../engine/state.js';
import { UsageError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { stepFromArg } from './step-arg.js';

/**
 * reset STEP forgets a step's progress and restores its files (edited ones are backed up first);
 * reset --all moves the progress file aside, so even a reset loses nothing.
 */
export async function reset(args: CommandArgs, deps: SessionDeps = {}): Promise<number> {
  const all = args.flags.all === true;
  const arg = args.positionals[0];
  if (all === (arg !== undefined)) {
    const t = createTranslator(args.global.lang);
    throw new UsageError(
      t(all ? 'ship.usage.resetBoth' : 'ship.usage.resetWhich'),
      t('ship.usage.resetWhich.hint'),
    );
  }
  const ctx = await openSession(args.global, { ...deps, ui: deps.ui ?? (await createUI(args.global)) });
  if (all) {
    const file = statePath(ctx.workspace);
    if (!existsSync(file)) {
      ctx.ui.info(ctx.t('reset.nothing'));
      return 0;
    }
    if (!ctx.yes && ctx.ui.interactive) {
      const sure = await ctx.ui.confirm({ message: ctx.t('reset.allAsk'), initial: false });
      if (!sure) return 0;
    }
    if (ctx.dryRun) {
      ctx.ui.info(ctx.t('reset.dryRun', { file }));
      return 0;
    }
    if (ctx.state.backend === 'kind' || ctx.state.backend === 'practice') {
      // The cluster goes too (kind: deleted, practice: stopped) — after its own confirmation.
      const { cleanupCluster } = await import('../backends/cleanup.js');
      await cleanupCluster({
        runner: ctx.runner,
        ui: ctx.ui,
        t: ctx.t,
        workspace: ctx.workspace,
        cluster: 'auto',
        yes: ctx.yes,
      });
    }
    const aside = moveAside(file);
    ctx.ui.success(ctx.t('reset.allDone', { file: aside }));
    return 0;
  }
  const step = stepFromArg(ctx.course, ctx.state, arg, true, ctx.t);
  ctx.state.steps[step.key] = { status: 'todo', attempts: 0, hintsShown: 0 };
  await scaffoldStep(ctx, step, true);
  persist(ctx);
  ctx.ui.success(ctx.t('reset.stepDone', { step: step.key }));
  return 0;
}

export const run = (args: CommandArgs) => reset(args);
