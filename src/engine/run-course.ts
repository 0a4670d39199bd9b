// The course loop. Each step runs the same small actions in order — explain, scaffold, run,
// verify, record — like kind's create actions, with progress saved after every step.
import type { Step } from '../course/types.js';
import { ensureCluster, stepNeedsCluster } from './cluster.js';
import { runCommandLine } from './commands.js';
import { currentStep, type EngineContext, persist } from './context.js';
import { explainStep, nextHint, stepTitle } from './explain.js';
import { scaffoldStep } from './scaffold.js';
import { recordClusterBefore } from './snapshot.js';
import { solveStep } from './solve.js';
import { stepRecord } from './state.js';
import { stepChecks, stepCommands } from './step-commands.js';
import { passed, verifyStep } from './verify.js';

/** StepOutcome is how one step ended. */
export type StepOutcome = 'done' | 'skipped' | 'quit' | 'failed';

type Action = (ctx: EngineContext, step: Step) => Promise<StepOutcome | undefined>;

const explain: Action = async (ctx, step) => {
  explainStep(ctx, step);
  return undefined;
};

/** cluster: the first step that needs a cluster creates or reuses it (kind, practice, context). */
const cluster: Action = async (ctx, step) => {
  if (stepNeedsCluster(step)) await ensureCluster(ctx);
  return undefined;
};

const scaffold: Action = async (ctx, step) => {
  await scaffoldStep(ctx, step);
  return undefined;
};

/** runCommands: --yes solves; interactive learners choose to run the commands or type them. */
const runCommands: Action = async (ctx, step) => {
  if (ctx.yes) {
    await solveStep(ctx, step);
    return undefined;
  }
  const lines = stepCommands(ctx, step);
  if (lines.length === 0) {
    // Nothing to run: let the learner read (and edit files) before the check runs.
    const ready = await ctx.ui.select({
      message: ctx.t('run.readyAsk'),
      options: [
        { value: 'verify', label: ctx.t('run.verifyNow') },
        { value: 'quit', label: ctx.t('verify.quit') },
      ],
      initial: 'verify',
    });
    return ready === 'quit' ? 'quit' : undefined;
  }
  ctx.ui.note(lines.map((l) => `$ ${l}`).join('\n'), ctx.t('run.commandsTitle'));
  const choice = await ctx.ui.select({
    message: ctx.t('run.ask'),
    options: [
      { value: 'run', label: ctx.t('run.forMe') },
      { value: 'self', label: ctx.t('run.myself'), hint: ctx.t('run.myselfHint') },
    ],
    initial: 'run',
  });
  if (choice === 'run') for (const line of lines) await runCommandLine(ctx, line);
  else {
    await ctx.ui.confirm({ message: ctx.t('run.typedAsk'), initial: true });
  }
  return undefined;
};

/** verify: on failure the learner retries, asks for a hint, lets the course solve it, skips or quits. */
const verify: Action = async (ctx, step) => {
  if (ctx.dryRun) {
    // Nothing ran, so there is nothing to verify; progress is kept in memory only.
    ctx.ui.info(ctx.t('verify.dryRun', { count: stepChecks(ctx, step).length }));
    return 'done';
  }
  const record = stepRecord(ctx.state, step.key);
  for (;;) {
    record.attempts += 1;
    const results = await verifyStep(ctx, step);
    persist(ctx);
    if (passed(results)) return 'done';
    if (ctx.yes || !ctx.ui.interactive) return 'failed';
    const choice = await ctx.ui.select({
      message: ctx.t('verify.ask'),
      options: [
        { value: 'retry', label: ctx.t('verify.retry') },
        ...(stepCommands(ctx, step).length > 0 ? [{ value: 'rerun', label: ctx.t('verify.rerun') }] : []),
        { value: 'hint', label: ctx.t('verify.showHint') },
        { value: 'solve', label: ctx.t('verify.solve') },
        { value: 'skip', label: ctx.t('verify.skip') },
        { value: 'quit', label: ctx.t('verify.quit') },
      ],
      initial: 'retry',
    });
    if (choice === 'skip') return 'skipped';
    if (choice === 'quit') return 'quit';
    if (choice === 'hint') {
      const hint = nextHint(ctx, step, record);
      ctx.ui.note(hint ?? ctx.t('hint.none', { step: step.key }), ctx.t('hint.title'));
      persist(ctx);
    }
    if (choice === 'rerun') for (const line of stepCommands(ctx, step)) await runCommandLine(ctx, line);
    if (choice === 'solve') {
      await solveStep(ctx, step);
      record.solved = true;
    }
  }
};

// The cluster comes first so the step's text can name its context.
const stepActions: Action[] = [cluster, explain, scaffold, runCommands, verify];

/** runStep runs one step's actions (an action's outcome ends the step) and records it. */
export async function runStep(ctx: EngineContext, step: Step): Promise<StepOutcome> {
  await recordClusterBefore(ctx, step);
  let outcome: StepOutcome = 'done';
  for (const action of stepActions) {
    const result = await action(ctx, step);
    if (result) {
      outcome = result;
      break;
    }
  }
  const record = stepRecord(ctx.state, step.key);
  if (outcome === 'done' || outcome === 'skipped') {
    record.status = outcome;
    record.at = new Date().toISOString();
    if (ctx.yes) record.solved = true;
  }
  persist(ctx);
  return outcome;
}

/** runCourse runs from the current step to the end; returns the process exit code. */
export async function runCourse(ctx: EngineContext): Promise<number> {
  const first = currentStep(ctx.course, ctx.state);
  if (!first) {
    ctx.ui.outro(ctx.t('course.complete'));
    return 0;
  }
  if (Object.keys(ctx.state.steps).length > 0)
    ctx.ui.info(ctx.t('course.resume', { step: stepTitle(ctx, first) }));
  for (let step: Step | undefined = first; step; step = currentStep(ctx.course, ctx.state)) {
    const outcome = await runStep(ctx, step);
    if (outcome === 'quit') {
      ctx.ui.outro(ctx.t('course.saved'));
      return 0;
    }
    if (outcome === 'failed') {
      ctx.ui.error(ctx.t('course.failedYes', { step: step.key }));
      return 1;
    }
  }
  ctx.ui.outro(ctx.t('course.complete'));
  return 0;
}
