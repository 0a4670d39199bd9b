import { localize } from '../course/localize.js';
import type { Step } from '../course/types.js';
import { renderMarkdown } from '../ui/markdown.js';
import { type EngineContext, stepVars } from './context.js';
import { revealOne } from './errata.js';
import { stepRecord } from './state.js';
import { render } from './templates.js';
import { stepTitle } from './titles.js';

export { stepTitle } from './titles.js';

const warnedUntranslated = new WeakSet<object>();

type ExplainContext = Pick<EngineContext, 'course' | 'workspace' | 'lang' | 'cluster' | 'ui' | 't' | 'color'>;

/** explainStep shows the step's title and text (the errata come later: src/engine/errata.ts). */
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
  // Errata are not shown here: they come after the task (src/engine/errata.ts).
}

/** Hint is one revealed hint: keyed by the last failure's cause, or the next tier. */
export interface Hint {
  text: string;
  source: 'cause' | 'tier';
  /** Tier number (1-based) and count, for tiered hints. */
  n?: number;
  total?: number;
}

type HintContext = Pick<EngineContext, 'lang' | 'state' | 'course' | 'workspace' | 'cluster'>;

/**
 * nextHint picks the hint that fits the last failure: a hint keyed by its cause (once per cause),
 * else the next tier. It reads the recorded failure and never runs a check.
 */
export function nextHint(
  ctx: HintContext,
  step: Step,
  record: { hintsShown: number; lastFailure?: { causeId?: string }; causeHints?: string[] },
): Hint | undefined {
  const vars = stepVars(ctx, step);
  const cause = record.lastFailure?.causeId;
  const byCause = cause ? step.hintsByCause?.[cause] : undefined;
  if (cause && byCause && !(record.causeHints ?? []).includes(cause)) {
    record.causeHints = [...(record.causeHints ?? []), cause];
    return { text: render(localize(byCause, ctx.lang), vars, `hint of ${step.key}`), source: 'cause' };
  }
  const hints = step.hints ?? [];
  if (record.hintsShown >= hints.length) return undefined;
  const text = render(localize(hints[record.hintsShown], ctx.lang), vars, `hint of ${step.key}`);
  record.hintsShown += 1;
  return { text, source: 'tier', n: record.hintsShown, total: hints.length };
}

/**
 * giveHint is what "Show a hint" and `k8s-learn hint` do: an erratum not shown yet (the article's
 * mistake behind this step) comes with it, then nextHint. Returns false when nothing is left.
 */
export function giveHint(ctx: HintContext & Pick<EngineContext, 'ui' | 't'>, step: Step): boolean {
  const erratum = revealOne(ctx, step);
  const record = stepRecord(ctx.state, step.key);
  const hint = nextHint(ctx, step, record);
  if (!hint) {
    if (!erratum) ctx.ui.info(ctx.t('hint.none', { step: step.key }));
    return erratum;
  }
  const title =
    hint.source === 'tier'
      ? `${ctx.t('hint.title')} · ${ctx.t('hint.count', { n: hint.n ?? 1, total: hint.total ?? 1 })}`
      : ctx.t('hint.causeTitle');
  ctx.ui.note(hint.text, title);
  return true;
}
