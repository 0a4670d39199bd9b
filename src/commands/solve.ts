import type { CommandArgs } from '../cli/registry.js';
import { ensureCluster, stepNeedsCluster } from '../engine/cluster.js';
import { stopBackground } from '../engine/commands.js';
import { persist } from '../engine/context.js';
import { stepTitle } from '../engine/explain.js';
import { createUI, openSession, type SessionDeps } from '../engine/session.js';
import { solveStep } from '../engine/solve.js';
import { stepRecord } from '../engine/state.js';
import { passed, verifyStep } from '../engine/verify.js';
import { stepFromArg } from './step-arg.js';

/** solve brings the files and the cluster to a step's verified state, then verifies it. */
export async function solve(args: CommandArgs, deps: SessionDeps = {}): Promise<number> {
  const ctx = await openSession(args.global, { ...deps, ui: deps.ui ?? (await createUI(args.global)) });
  const step = stepFromArg(ctx.course, ctx.state, args.positionals[0], true, ctx.t);
  ctx.ui.step(stepTitle(ctx, step));
  if (stepNeedsCluster(step)) await ensureCluster(ctx);
  try {
    await solveStep(ctx, step);
    if (ctx.dryRun) return 0;
    const record = stepRecord(ctx.state, step.key);
    record.attempts += 1;
    const results = await verifyStep(ctx, step);
    const ok = passed(results);
    if (ok) {
      record.status = 'done';
      record.solved = true;
      record.at = new Date().toISOString();
      ctx.ui.success(ctx.t('solve.done', { step: step.key }));
    }
    persist(ctx);
    await ctx.hooks?.verified?.(step, results);
    return ok ? 0 : 1;
  } finally {
    await stopBackground(ctx);
  }
}

export const run = (args: CommandArgs) => solve(args);
