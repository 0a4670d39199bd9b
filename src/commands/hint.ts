import type { CommandArgs } from '../cli/registry.js';
import { persist } from '../engine/context.js';
import { nextHint, stepTitle } from '../engine/explain.js';
import { openSession, type SessionDeps } from '../engine/session.js';
import { stepRecord } from '../engine/state.js';
import { createScriptedUI } from '../ui/scripted.js';
import { stepFromArg } from './step-arg.js';

/** hint reveals the next hint of a step; each call reveals one more. */
export async function hint(args: CommandArgs, deps: SessionDeps = {}): Promise<number> {
  const ctx = await openSession(args.global, { ...deps, ui: deps.ui ?? createScriptedUI() });
  const step = stepFromArg(ctx.course, ctx.state, args.positionals[0], false, ctx.t);
  const record = stepRecord(ctx.state, step.key);
  const text = nextHint(ctx, step, record);
  const total = step.hints?.length ?? 0;
  if (text === undefined) {
    ctx.ui.info(ctx.t('hint.none', { step: step.key }));
    return 0;
  }
  ctx.ui.note(text, `${stepTitle(ctx, step)} · ${ctx.t('hint.count', { n: record.hintsShown, total })}`);
  persist(ctx);
  return 0;
}

export const run = (args: CommandArgs) => hint(args);
