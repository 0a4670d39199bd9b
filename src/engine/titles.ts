// A step's heading ("Step 3/30 · Lesson › Step"), apart from explain.ts so that `verify` shows it
// without loading the template engine.
import { localize } from '../course/localize.js';
import type { Step } from '../course/types.js';
import type { EngineContext } from './context.js';

/** stepTitle is `Step 3/12 · Lesson › Step`. */
export function stepTitle(ctx: Pick<EngineContext, 'course' | 'lang' | 't'>, step: Step): string {
  return ctx.t('step.title', {
    n: step.index + 1,
    total: ctx.course.steps.length,
    lesson: localize(step.lesson.title, ctx.lang),
    title: localize(step.title, ctx.lang),
  });
}
