// The course loop. Each step runs the same small actions in order — cluster, explain, scaffold,
// meet (the article's version applied as written), run, verify — like kind's create actions, with
// progress saved after every step. The learning loop is: try → meet the real answer → understand
// → fix → verified (see docs/architecture.md).
import { localize } from '../course/localize.js';
import type { Step } from '../course/types.js';
import { displayCommand, invocation } from '../invocation.js';
import { ensureCluster, stepNeedsCluster } from './cluster.js';
import { runCommandLine, stopBackground } from './commands.js';
import { currentStep, type EngineContext, persist } from './context.js';
import { revealAfterFailure, revealAfterPass, revealMet } from './errata.js';
import { meetArticle } from './exercise.js';
import { explainStep, giveHint, stepTitle } from './explain.js';
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

/**
 * meet: a fix-the-article step first applies the article's version and shows the cluster's answer;
 * under --yes a find-the-fault step applies its broken files and asserts the cluster's answer.
 */
const meet: Action = async (ctx, step) => {
  const form = step.exercise?.form;
  if (form === 'fix-the-article') return (await meetArticle(ctx, step)) ? undefined : 'failed';
  if (form === 'find-the-fault' && ctx.yes) return (await meetFault(ctx, step)) ? undefined : 'failed';
  return undefined;
};

/**
 * meetFault (unattended) applies a find-the-fault step's files as scaffolded, as a learner would,
 * and asserts that its verify fails with the exercise's cause — so `--yes` proves every drill
 * breaks on the cluster the way its lesson says — then the errata follow, as after a learner's
 * first failed verify. Interactive learners meet it in their own run and verify.
 */
async function meetFault(ctx: EngineContext, step: Step): Promise<boolean> {
  const record = stepRecord(ctx.state, step.key);
  const exercise = step.exercise!;
  if (ctx.dryRun || (record.met ?? 0) > 0) return true;
  ctx.ui.info(
    exercise.file
      ? ctx.t('exercise.faultTitle', { file: exercise.file })
      : ctx.t('exercise.faultTitleCommands'),
  );
  await runLines(ctx, step, stepCommands(ctx, step));
  const failed = (await verifyStep(ctx, step)).find((r) => !r.ok);
  if (failed?.causeId !== exercise.cause) {
    const saw = failed
      ? ctx.t('exercise.faultOther', { other: failed.causeId ?? failed.title })
      : ctx.t('exercise.faultPassed');
    ctx.ui.error(
      ctx.t('exercise.faultNotMet', {
        what: exercise.file ?? ctx.t('exercise.faultCommands'),
        cause: exercise.cause ?? '-',
        saw,
      }),
    );
    return false;
  }
  ctx.ui.success(ctx.t('exercise.faultMet', { cause: exercise.cause ?? '-' }));
  revealAfterFailure(ctx, step);
  record.met = 1;
  persist(ctx);
  return true;
}

/** runLines runs the step's commands; an erratum whose answer appears in their output follows it. */
async function runLines(ctx: EngineContext, step: Step, lines: string[]): Promise<void> {
  for (const line of lines) {
    const result = await runCommandLine(ctx, line);
    revealMet(ctx, step, `${result.stdout}${result.stderr}`);
  }
}

function showCommands(ctx: EngineContext, lines: string[]): void {
  ctx.ui.note(lines.map((l) => `$ ${displayCommand(l)}`).join('\n'), ctx.t('run.commandsTitle'));
}

/** afterTyping: the learner typed the commands themselves; "not yet" never runs the check. */
async function afterTyping(
  ctx: EngineContext,
  step: Step,
  lines: string[],
): Promise<StepOutcome | undefined> {
  for (;;) {
    const next = await ctx.ui.select({
      // Nothing to type: the learner reads and edits files before the check runs.
      message: ctx.t(lines.length > 0 ? 'run.typedAsk' : 'run.readyAsk'),
      options: [
        { value: 'verify', label: ctx.t('run.verifyNow') },
        ...(lines.length > 0 ? [{ value: 'again', label: ctx.t('run.showAgain') }] : []),
        { value: 'hint', label: ctx.t('verify.showHint') },
        { value: 'quit', label: ctx.t('verify.quit') },
      ],
      initial: 'verify',
    });
    if (next === 'verify') return undefined;
    if (next === 'quit') return 'quit';
    if (next === 'again') showCommands(ctx, lines);
    if (next === 'hint') {
      giveHint(ctx, step);
      persist(ctx);
      await ctx.hooks?.hintShown?.(step);
    }
  }
}

/** explainOnly: a mode may turn a step into an explanation (workshop: cluster-wide steps). */
const explainOnly: Action = async (ctx, step) =>
  (await ctx.hooks?.explainOnly?.(step)) ? 'skipped' : undefined;

/** runCommands: --yes solves; interactive learners choose to run the commands or type them. */
const runCommands: Action = async (ctx, step) => {
  if (ctx.yes) {
    await solveStep(ctx, step);
    return undefined;
  }
  const exercise = step.exercise;
  if (exercise) {
    const now = {
      'fill-in': 'exercise.fillNow',
      'fix-the-article': 'exercise.fixNow',
      'find-the-fault': 'exercise.findNow',
    };
    if (exercise.file) ctx.ui.info(ctx.t(now[exercise.form], { file: exercise.file }));
    else ctx.ui.info(ctx.t('exercise.findNowCommands'));
  }
  const lines = stepCommands(ctx, step);
  if (lines.length === 0) return afterTyping(ctx, step, lines);
  showCommands(ctx, lines);
  // A drill's file is applied as it is first: "when you have edited it" would say the opposite.
  const edited =
    exercise?.file !== undefined && exercise.form !== 'find-the-fault' ? exercise.file : undefined;
  for (;;) {
    const choice = await ctx.ui.select({
      message: ctx.t(edited ? 'run.askExercise' : 'run.ask', edited ? { file: edited } : {}),
      options: [
        { value: 'run', label: ctx.t(edited ? 'run.forMeAfterEdit' : 'run.forMe') },
        { value: 'self', label: ctx.t('run.myself'), hint: ctx.t('run.myselfHint') },
        { value: 'hint', label: ctx.t('verify.showHint') },
      ],
      initial: 'run',
    });
    if (choice === 'hint') {
      giveHint(ctx, step);
      persist(ctx);
      await ctx.hooks?.hintShown?.(step);
      continue;
    }
    if (choice === 'run') {
      await runLines(ctx, step, lines);
      return undefined;
    }
    return afterTyping(ctx, step, lines);
  }
};

/**
 * verify: on failure the learner retries, asks for a hint (which reads the failure, and never runs
 * the check again), lets the course solve it, skips or quits. The step's errata follow the first
 * failure; whatever is left of them follows the pass.
 */
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
    await ctx.hooks?.verified?.(step, results);
    if (passed(results)) {
      revealAfterPass(ctx, step);
      return 'done';
    }
    revealAfterFailure(ctx, step);
    persist(ctx);
    if (ctx.yes || !ctx.ui.interactive) return 'failed';
    const lines = stepCommands(ctx, step);
    let again = false;
    while (!again) {
      const choice = await ctx.ui.select({
        message: ctx.t('verify.ask'),
        options: [
          { value: 'retry', label: ctx.t('verify.retry') },
          ...(lines.length > 0 ? [{ value: 'rerun', label: ctx.t('verify.rerun') }] : []),
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
        giveHint(ctx, step);
        persist(ctx);
        await ctx.hooks?.hintShown?.(step);
        continue;
      }
      if (choice === 'rerun') await runLines(ctx, step, lines);
      if (choice === 'solve') {
        await solveStep(ctx, step);
        record.solved = true;
      }
      again = true;
    }
  }
};

/**
 * fastClock: a `fastAutoscaling` step run unattended on the practice cluster tells its HPA story on
 * the compressed autoscaling clock (docs/autoscaling.md), so the run does not wait out 15 s syncs.
 * Restored when the step ends (runStep). A learner's own run, kind and named contexts keep real time.
 */
const fastClock: Action = async (ctx, step) => {
  if (!step.fastAutoscaling || !ctx.yes || ctx.dryRun || ctx.cluster?.backend !== 'practice')
    return undefined;
  const [{ compressClock }, { FAST_CLOCK_SCALE }, { createKubectl }] = await Promise.all([
    import('../load/clock.js'),
    import('../load/plan.js'),
    import('../kubectl.js'),
  ]);
  try {
    ctx.fastClock = await compressClock(createKubectl(ctx.runner, ctx.cluster), FAST_CLOCK_SCALE);
    ctx.ui.info(ctx.t('run.fastClock', { factor: Math.round(1 / FAST_CLOCK_SCALE) }));
  } catch (err) {
    ctx.ui.warn(ctx.t('run.fastClockFailed', { error: (err as Error).message }));
  }
  return undefined;
};

// The cluster comes first so the step's text can name its context.
const stepActions: Action[] = [cluster, explain, scaffold, explainOnly, fastClock, meet, runCommands, verify];

/** runStep runs one step's actions (an action's outcome ends the step) and records it. */
export async function runStep(ctx: EngineContext, step: Step): Promise<StepOutcome> {
  await recordClusterBefore(ctx, step);
  let outcome: StepOutcome = 'done';
  await ctx.hooks?.stepStarted?.(step);
  try {
    for (const action of stepActions) {
      const result = await action(ctx, step);
      if (result) {
        outcome = result;
        break;
      }
    }
  } finally {
    // A `kubectl port-forward` the step started lives as long as the step (src/engine/commands.ts).
    await stopBackground(ctx);
    await ctx.fastClock?.restore();
    ctx.fastClock = undefined;
  }
  const record = stepRecord(ctx.state, step.key);
  if (outcome === 'done' || outcome === 'skipped') {
    record.status = outcome;
    record.at = new Date().toISOString();
    if (ctx.yes) record.solved = true;
  }
  persist(ctx);
  await ctx.hooks?.stepEnded?.(step, outcome);
  return outcome;
}

/**
 * finish says the course is complete, and lists the steps the learner skipped or let the course
 * solve, each with the commands to do it themselves.
 */
function finish(ctx: EngineContext): void {
  const owed = ctx.course.steps.filter((s) => {
    const r = ctx.state.steps[s.key];
    return r?.status === 'skipped' || (r?.solved === true && !ctx.yes);
  });
  if (owed.length > 0) {
    const cli = invocation();
    const lines = owed.map((s) => {
      const r = ctx.state.steps[s.key]!;
      return `• ${s.key} — ${localize(s.title, ctx.lang)} (${ctx.t(r.status === 'skipped' ? 'course.owedSkipped' : 'course.owedSolved')})\n  $ ${cli} reset ${s.key} && ${cli}`;
    });
    ctx.ui.note(lines.join('\n'), ctx.t('course.owedTitle', { count: owed.length }));
    ctx.ui.outro(ctx.t('course.completeOwed', { count: owed.length }));
    return;
  }
  ctx.ui.outro(ctx.t('course.complete'));
}

/** runCourse runs from the current step to the end; returns the process exit code. */
export async function runCourse(ctx: EngineContext): Promise<number> {
  const first = currentStep(ctx.course, ctx.state);
  if (!first) {
    finish(ctx);
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
  finish(ctx);
  return 0;
}
