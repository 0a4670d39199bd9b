import type { CommandArgs } from '../cli/registry.js';
import { localize } from '../course/localize.js';
import { currentStep, type EngineContext, persist } from '../engine/context.js';
import { runCourse } from '../engine/run-course.js';
import { isInteractiveTerminal, openSession, type SessionDeps } from '../engine/session.js';
import { CancelledError, UsageError } from '../errors.js';
import { exitInterrupted, interrupted, onInterrupt } from '../interrupt.js';

/** sayWhatKeepsRunning names the cluster left running after the last step, and how to stop it. */
function sayWhatKeepsRunning(ctx: EngineContext): void {
  const backend = ctx.state.backend;
  if ((backend === 'practice' || backend === 'kind') && ctx.state.context)
    ctx.ui.info(ctx.t(`ship.course.keepsRunning.${backend}`, { context: ctx.state.context }));
}

/** start runs (or resumes) the course. */
export async function start(args: CommandArgs, deps: SessionDeps = {}): Promise<number> {
  const { global } = args;
  if (!global.yes && !deps.ui && !isInteractiveTerminal()) {
    // Never wait for answers nobody can type (CI, pipes, workshop scripts).
    throw new UsageError(
      'no terminal to ask questions on',
      'Run `k8s-learn --yes` to go through the course unattended.',
    );
  }
  const ctx = await openSession(global, deps);
  // Ctrl-C (or SIGTERM) outside a prompt, during a command or a check: save what is known so far
  // (step records and the hashes of files written), say so, and stop — 130, or 143 for SIGTERM.
  onInterrupt(() => {
    persist(ctx);
    process.stderr.write(`\n${ctx.t('course.cancelled')}\n`);
  });
  const onSigint = () => exitInterrupted();
  const onSigterm = () => {
    interrupted();
    process.exit(143);
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  try {
    ctx.ui.intro(localize(ctx.course.manifest.title, ctx.lang));
    if (ctx.dryRun) ctx.ui.warn(ctx.t('course.dryRun'));
    const code = await runCourse(ctx);
    if (code === 0 && !ctx.dryRun && !currentStep(ctx.course, ctx.state)) sayWhatKeepsRunning(ctx);
    return code;
  } catch (err) {
    if (err instanceof CancelledError) {
      persist(ctx);
      ctx.ui.outro(ctx.t('course.cancelled'));
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigterm);
    onInterrupt(undefined);
  }
}

export const run = (args: CommandArgs) => start(args);
