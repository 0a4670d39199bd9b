// The article's mistakes, shown at the right moment. Learners remember an error they met on their
// own cluster far better than one they read about, so an erratum is never shown before the task:
// it is revealed when a command's output matches it (the learner just met it), after the step's
// first failed verify, on a hint, or once the step passes. The order is the engine's, for every step.
import { localize } from '../course/localize.js';
import type { Erratum, Step } from '../course/types.js';
import { type EngineContext, stepVars } from './context.js';
import { stepRecord } from './state.js';
import { render } from './templates.js';

type ErrataContext = Pick<EngineContext, 'state' | 'ui' | 't' | 'lang' | 'course' | 'workspace' | 'cluster'>;

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** erratumBody is the box: what the article wrote, what the cluster answers, why, the fix. */
export function erratumBody(
  ctx: Pick<EngineContext, 't' | 'lang'>,
  e: Erratum,
  vars: Record<string, string> = {},
): string {
  const text = (s: string) => render(s, vars, 'erratum');
  return [
    `${ctx.t('errata.wrote')}:`,
    indent(text(e.wrote)),
    `${ctx.t('errata.answer')}:`,
    indent(text(e.answer)),
    `${ctx.t('errata.why')}: ${text(localize(e.why, ctx.lang))}`,
    `${ctx.t('errata.fix')}: ${text(localize(e.fix, ctx.lang))}`,
  ].join('\n');
}

function show(ctx: ErrataContext, step: Step, indexes: number[], title: string): number {
  const record = stepRecord(ctx.state, step.key);
  const revealed = new Set(record.revealed ?? []);
  let shown = 0;
  for (const i of indexes) {
    const e = step.errata?.[i];
    if (!e || revealed.has(i)) continue;
    revealed.add(i);
    ctx.ui.note(erratumBody(ctx, e, stepVars(ctx, step)), title);
    shown += 1;
  }
  record.revealed = [...revealed].sort((a, b) => a - b);
  return shown;
}

function unrevealed(ctx: ErrataContext, step: Step): number[] {
  const revealed = new Set(stepRecord(ctx.state, step.key).revealed ?? []);
  return (step.errata ?? []).map((_, i) => i).filter((i) => !revealed.has(i));
}

/** matchingErrata are the errata whose `match` pattern appears in a command's output. */
export function matchingErrata(step: Step, output: string): number[] {
  return (step.errata ?? []).flatMap((e, i) =>
    e.match !== undefined && new RegExp(e.match, 'i').test(output) ? [i] : [],
  );
}

/** revealMet shows the errata the learner has just met in `output`; returns how many. */
export function revealMet(ctx: ErrataContext, step: Step, output: string): number {
  return show(ctx, step, matchingErrata(step, output), ctx.t('errata.metTitle'));
}

/** revealAfterFailure shows every erratum not shown yet, after a failed verify. */
export function revealAfterFailure(ctx: ErrataContext, step: Step): number {
  return show(ctx, step, unrevealed(ctx, step), ctx.t('errata.title'));
}

/** revealOne shows the next erratum not shown yet (a hint); false when all were shown. */
export function revealOne(ctx: ErrataContext, step: Step): boolean {
  const next = unrevealed(ctx, step)[0];
  return next !== undefined && show(ctx, step, [next], ctx.t('errata.title')) > 0;
}

/** revealAfterPass shows what is left once the step passed: what the article got wrong here. */
export function revealAfterPass(ctx: ErrataContext, step: Step): number {
  return show(ctx, step, unrevealed(ctx, step), ctx.t('errata.afterTitle'));
}
