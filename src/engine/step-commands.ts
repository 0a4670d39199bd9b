// A step's commands for the course's backend, rendered as the learner types them (which apply
// where: src/engine/applies.ts).
import type { Step } from '../course/types.js';
import { appliesTo, commandText } from './applies.js';
import { type EngineContext, stepVars } from './context.js';
import { render } from './templates.js';

/** stepCommands are the step's commands for this backend, rendered, as the learner types them. */
export function stepCommands(
  ctx: Pick<EngineContext, 'course' | 'workspace' | 'lang' | 'cluster'>,
  step: Step,
): string[] {
  const vars = stepVars(ctx, step);
  return (step.run ?? [])
    .filter((c) => appliesTo(c, ctx.cluster?.backend))
    .map((c) => render(commandText(c), vars, `command of ${step.key}`));
}

export { appliesTo, commandText, stepChecks } from './applies.js';
