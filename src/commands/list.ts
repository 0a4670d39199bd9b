import { styleText } from 'node:util';
import type { CommandArgs } from '../cli/registry.js';
import { localize } from '../course/localize.js';
import { currentStep } from '../engine/context.js';
import { openReportSession, type SessionDeps } from '../engine/session.js';

/** list prints every lesson and step with ✔ done, ▶ current, · todo, ↷ skipped. */
export async function list(
  args: CommandArgs,
  deps: SessionDeps = {},
  out = (l: string) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const ctx = await openReportSession(args.global, deps);
  const current = currentStep(ctx.course, ctx.state);
  const paint = (style: Parameters<typeof styleText>[0], text: string) =>
    ctx.color ? styleText(style, text, { validateStream: false }) : text;
  out(paint('bold', localize(ctx.course.manifest.title, ctx.lang)));
  for (const lesson of ctx.course.lessons) {
    out('');
    out(paint('bold', localize(lesson.title, ctx.lang)));
    for (const step of ctx.course.steps.filter((s) => s.lesson === lesson)) {
      const status = ctx.state.steps[step.key]?.status;
      const mark =
        step === current
          ? paint('cyan', '▶')
          : status === 'done'
            ? paint('green', '✔')
            : status === 'skipped'
              ? paint('yellow', '↷')
              : '·';
      const label =
        step === current
          ? ctx.t('list.current')
          : status === 'done'
            ? ctx.t('list.done')
            : status === 'skipped'
              ? ctx.t('list.skipped')
              : ctx.t('list.todo');
      out(
        `  ${mark} ${String(step.index + 1).padStart(2)}. ${localize(step.title, ctx.lang)}  ${paint('dim', `${step.key} · ${label}`)}`,
      );
    }
  }
  return 0;
}

export const run = (args: CommandArgs) => list(args);
