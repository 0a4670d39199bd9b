import { localize } from '../course/load.js';
import type { Step } from '../course/types.js';
import { renderMarkdown } from '../ui/markdown.js';
import { type EngineContext, stepVars } from './context.js';
import { render } from './templates.js';

const warnedUntranslated = new WeakSet<object>();

type ExplainContext = Pick<EngineContext, 'course' | 'workspace' | 'lang' | 'cluster' | 'ui' | 't' | 'color'>;

/** stepTitle is `Step 3/12 · Lesson › Step`. */
export function stepTitle(ctx: Pick<EngineContext, 'course' | 'lang' | 't'>, step: Step): string {
  return ctx.t('step.title', {
    n: step.index + 1,
    total: ctx.course.steps.length,
    lesson: localize(step.lesson.title, ctx.lang),
    title: localize(step.title, ctx.lang),
  });
}

/** explainStep shows the step's title, text and errata (the article's mistakes, explained). */
export function explainStep(ctx: ExplainContext, step: Step): void {
  ctx.ui.step(stepTitle(ctx, step));
  if (
    step.text[ctx.lang] === undefined &&
    ctx.course.manifest.languages.includes(ctx.lang) &&
    !warnedUntranslated.has(ctx.course)
  ) {
    // Once per run: the rest of the course may be untranslated too, and one notice is enough.
    warnedUntranslated.add(ctx.course);
    ctx.ui.warn(ctx.t('course.stepUntranslated', { lang: ctx.lang }));
  }
  const text = render(localize(step.text, ctx.lang), stepVars(ctx, step), `text of ${step.key}`);
  ctx.ui.note(renderMarkdown(text, ctx.color));
  for (const e of step.errata ?? []) {
    const body = [
      `${ctx.t('errata.wrote')}:`,
      indent(e.wrote),
      `${ctx.t('errata.answer')}:`,
      indent(e.answer),
      `${ctx.t('errata.why')}: ${localize(e.why, ctx.lang)}`,
      `${ctx.t('errata.fix')}: ${localize(e.fix, ctx.lang)}`,
    ].join('\n');
    ctx.ui.note(body, ctx.t('errata.title'));
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** nextHint reveals hints one tier at a time; returns undefined when none are left. */
export function nextHint(
  ctx: Pick<EngineContext, 'lang' | 'state' | 'course' | 'workspace' | 'cluster'>,
  step: Step,
  record: { hintsShown: number },
): string | undefined {
  const hints = step.hints ?? [];
  if (record.hintsShown >= hints.length) return undefined;
  const hint = render(
    localize(hints[record.hintsShown], ctx.lang),
    stepVars(ctx, step),
    `hint of ${step.key}`,
  );
  record.hintsShown += 1;
  return hint;
}
