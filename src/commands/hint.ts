import type { CommandArgs } from '../cli/registry.js';
import { persist } from '../engine/context.js';
import { giveHint, stepTitle } from '../engine/explain.js';
import { openSession, type SessionDeps } from '../engine/session.js';
import { stepRecord } from '../engine/state.js';
import { createScriptedUI } from '../ui/scripted.js';
import { stepFromArg } from './step-arg.js';

/**
 * hint reveals the next hint of a step; each call reveals one more. It reads the step's last
 * recorded failure to pick the hint and never runs a check (nor kubectl).
 */
export async function hint(args: CommandArgs, deps: SessionDeps = {}): Promise<number> {
  const ctx = await openSession(args.global, { ...deps, ui: deps.ui ?? createScriptedUI() });
  const step = stepFromArg(ctx.course, ctx.state, args.positionals[0], false);
  ctx.ui.step(stepTitle(ctx, step));
  const last = stepRecord(ctx.state, step.key).lastFailure;
  if (last)
    ctx.ui.info(ctx.t('hint.lastFailure', { title: last.title, saw: (last.saw ?? '').split('\n')[0] ?? '' }));
  giveHint(ctx, step);
  persist(ctx);
  return 0;
}

export const run = (args: CommandArgs) => hint(args);
