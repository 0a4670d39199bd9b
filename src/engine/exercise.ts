// Exercises: the learner does the work (rustlings hands you broken code; you fix it).
// fix-the-article — the step scaffolds the article's files as written; the learner applies them
// first and meets the real cluster's answer (each `meet` stage), then fixes the files.
// fill-in — the file has blanks marked `# TODO(k8s-learn): …`; verify lists the ones still open
// (src/engine/blanks.ts).
import { lastLines } from '../checks/basic.js';
import type { MeetStage, Step } from '../course/types.js';
import { createKubectl } from '../kubectl.js';
import { runCommandLine } from './commands.js';
import { type EngineContext, persist, stepVars } from './context.js';
import { revealMet } from './errata.js';
import { stepRecord } from './state.js';
import { render, renderFile } from './templates.js';

type MeetContext = Pick<
  EngineContext,
  'course' | 'state' | 'workspace' | 'lang' | 'cluster' | 'ui' | 't' | 'runner' | 'yes' | 'dryRun'
>;

/**
 * articleAnswer asks the cluster what it answers to the article's version of a stage's file
 * (`kubectl create --dry-run=server -f -`: nothing is created, and an object that already exists does not turn the answer into a patch): for a learner who edited the file
 * before applying it, or who pasted something else.
 */
async function articleAnswer(ctx: MeetContext, step: Step, stage: MeetStage): Promise<string> {
  const spec = (step.files ?? []).find((f) => f.to === stage.file);
  if (!spec || !ctx.cluster) return '';
  const text = renderFile(spec, ctx.course.templateDirs, stepVars(ctx, step));
  const kubectl = createKubectl(ctx.runner, ctx.cluster);
  const result = await kubectl.run(['create', '--dry-run=server', '-f', '-'], {
    input: text,
    cwd: ctx.workspace,
    readOnly: true,
    timeoutMs: 30_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  ctx.ui.note(
    `$ ${kubectl.display(['create', '--dry-run=server', '-f', '-'])} < ${stage.file}\n${lastLines(output, 12)}`,
    ctx.t('exercise.articleAnswerTitle', { file: stage.file }),
  );
  return output;
}

/**
 * readsOnly: a stage that only looks (`kubectl diff`, `events`, `get`, `describe`): when the
 * learner's paste is not its answer, the real answer is that command's own output — it changes
 * nothing, so the engine runs it — rather than the API server's answer to the file.
 */
function readsOnly(line: string): boolean {
  return /^kubectl\s+(diff|events|get|describe|top|logs)\b/.test(line);
}

/**
 * meetArticle runs the `meet` stages not met yet. Interactive: the tool runs the command, or the
 * learner types it and pastes the answer; either way the learner sees the real answer and the
 * matching errata follow it. Unattended: each stage runs and its answer is asserted, so `--yes`
 * proves every erratum against the cluster. Returns false when an answer was not the expected one
 * under --yes.
 */
export async function meetArticle(ctx: MeetContext, step: Step): Promise<boolean> {
  const stages = step.exercise?.form === 'fix-the-article' ? (step.exercise.meet ?? []) : [];
  const record = stepRecord(ctx.state, step.key);
  const vars = stepVars(ctx, step);
  for (let i = record.met ?? 0; i < stages.length; i++) {
    const stage = stages[i]!;
    const line = render(stage.run, vars, `meet command of ${step.key}`);
    const expect = new RegExp(render(stage.expect, vars, `meet pattern of ${step.key}`), 'i');
    const title = ctx.t('exercise.meetTitle', { n: i + 1, total: stages.length, file: stage.file });
    let output: string;
    if (ctx.yes || !ctx.ui.interactive) {
      ctx.ui.info(title);
      const result = await runCommandLine(ctx, line, stage.stopOnAnswer ? { stopWhen: expect } : {});
      if (result.dryRun) {
        record.met = i + 1;
        continue;
      }
      output = `${result.stdout}${result.stderr}`;
      if (!expect.test(output)) {
        ctx.ui.error(
          ctx.t('exercise.notMet', {
            command: line,
            expected: expect.source,
            saw: lastLines(output, 6) || '-',
          }),
        );
        return false;
      }
      ctx.ui.success(ctx.t('exercise.met'));
    } else {
      ctx.ui.note(`${ctx.t('exercise.meetAsk')}\n\n$ ${line}`, title);
      const choice = await ctx.ui.select({
        message: ctx.t('exercise.meetHow'),
        options: [
          { value: 'run', label: ctx.t('exercise.meetRun') },
          { value: 'self', label: ctx.t('exercise.meetSelf'), hint: ctx.t('exercise.meetSelfHint') },
        ],
        initial: 'run',
      });
      if (choice === 'run') {
        const result = await runCommandLine(ctx, line, stage.stopOnAnswer ? { stopWhen: expect } : {});
        output = `${result.stdout}${result.stderr}`;
      } else {
        output = await ctx.ui.text({
          message: ctx.t('exercise.pasteAsk'),
          placeholder: ctx.t('exercise.pastePlaceholder'),
        });
      }
      if (output.trim() !== '' && expect.test(output)) ctx.ui.success(ctx.t('exercise.met'));
      else if (readsOnly(line)) output = `${(await runCommandLine(ctx, line)).stdout}`;
      else output = await articleAnswer(ctx, step, stage);
    }
    revealMet(ctx, step, output);
    record.met = i + 1;
    persist(ctx);
  }
  return true;
}
