import type { Course, Step } from '../course/types.js';
import { currentStep, findStep } from '../engine/context.js';
import type { State } from '../engine/state.js';
import { UsageError, UserError } from '../errors.js';
import { createTranslator, type Translate } from '../i18n/index.js';

/** stepFromArg resolves the STEP argument, defaulting to the current step when allowed. */
export function stepFromArg(
  course: Course,
  state: State,
  arg: string | undefined,
  required: boolean,
  t?: Translate,
): Step {
  const say = t ?? createTranslator('en');
  if (arg === undefined) {
    if (required) throw new UsageError(say('ship.usage.missingStep'), say('ship.usage.missingStep.hint'));
    const step = currentStep(course, state);
    if (!step)
      throw new UserError(
        'the course is complete: there is no current step',
        'Name a step (see `k8s-learn list`).',
        2,
      );
    return step;
  }
  const step = findStep(course, arg);
  if (!step) {
    // The argument is echoed shortened: it may be anything, of any length.
    const shown = arg.length > 60 ? `${arg.slice(0, 60)}…` : arg;
    throw new UsageError(
      say('ship.usage.unknownStep', { step: shown }),
      say('ship.usage.unknownStep.hint', { count: course.steps.length, example: course.steps[0]?.key ?? '' }),
    );
  }
  return step;
}
