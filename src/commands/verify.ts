import type { CommandArgs } from '../cli/registry.js';
import { stepNeedsCluster } from '../engine/cluster.js';
import { persist } from '../engine/context.js';
import { createUI, openSession, type SessionDeps } from '../engine/session.js';
import { stepRecord } from '../engine/state.js';
import { stepTitle } from '../engine/titles.js';
import { passed, verifyStep } from '../engine/verify.js';
import { UserError } from '../errors.js';
import { exitInterrupted, onInterrupt } from '../interrupt.js';
import { stepFromArg } from './step-arg.js';

/** verify checks one step (default: the current one); exit 1 when it fails. */
export async function verify(args: CommandArgs, deps: SessionDeps = {}): Promise<number> {
  const ctx = await openSession(args.global, { ...deps, ui: deps.ui ?? (await createUI(args.global)) });
  const step = stepFromArg(ctx.course, ctx.state, args.positionals[0], false, ctx.t);
  if (stepNeedsCluster(step) && !ctx.cluster) {
    // verify only looks: it never creates a cluster, and never falls back to the current context.
    throw new UserError(ctx.t('cluster.noneYet'), ctx.t('cluster.noneYetNext', { step: step.key }));
  }
  ctx.ui.step(stepTitle(ctx, step));
  const record = stepRecord(ctx.state, step.key);
  record.attempts += 1;
  // Ctrl-C while a check waits: keep what is recorded so far and exit 130.
  onInterrupt(() => {
    persist(ctx);
    process.stderr.write(`\n${ctx.t('course.cancelled')}\n`);
  });
  const onSigint = () => exitInterrupted();
  process.once('SIGINT', onSigint);
  let results: Awaited<ReturnType<typeof verifyStep>>;
  try {
    results = await verifyStep(ctx, step);
  } finally {
    process.removeListener('SIGINT', onSigint);
    onInterrupt(undefined);
  }
  const ok = passed(results);
  if (ok) {
    record.status = 'done';
    record.at = new Date().toISOString();
    ctx.ui.success(ctx.t('verify.passed', { step: step.key }));
  } else {
    ctx.ui.error(ctx.t('verify.failed', { step: step.key }));
  }
  persist(ctx);
  await ctx.hooks?.verified?.(step, results);
  return ok ? 0 : 1;
}

export const run = (args: CommandArgs) => verify(args);
