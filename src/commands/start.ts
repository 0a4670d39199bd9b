import type { CommandArgs } from '../cli/registry.js';
import { localize } from '../course/load.js';
import { persist } from '../engine/context.js';
import { runCourse } from '../engine/run-course.js';
import { isInteractiveTerminal, openSession, type SessionDeps } from '../engine/session.js';
import { CancelledError, UsageError } from '../errors.js';
import { exitInterrupted, onInterrupt } from '../interrupt.js';

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
  // Ctrl-C outside a prompt (during a command or a check): save, say so, exit 130.
  onInterrupt(() => {
    persist(ctx);
    process.stderr.write(`\n${ctx.t('course.cancelled')}\n`);
  });
  const onSigint = () => exitInterrupted();
  process.once('SIGINT', onSigint);
  try {
    ctx.ui.intro(localize(ctx.course.manifest.title, ctx.lang));
    if (ctx.dryRun) ctx.ui.warn(ctx.t('course.dryRun'));
    return await runCourse(ctx);
  } catch (err) {
    if (err instanceof CancelledError) {
      persist(ctx);
      ctx.ui.outro(ctx.t('course.cancelled'));
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    onInterrupt(undefined);
  }
}

export const run = (args: CommandArgs) => start(args);
