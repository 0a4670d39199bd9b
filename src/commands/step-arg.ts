import type { Course, Step } from '../course/types.js';
import { currentStep, findStep } from '../engine/context.js';
import type { State } from '../engine/state.js';
import { UsageError, UserError } from '../errors.js';

/** stepFromArg resolves the STEP argument, defaulting to the current step when allowed. */
export function stepFromArg(course: Course, state: State, arg: string | undefined, required: boolean): Step {
  if (arg === undefined) {
    if (required)
      throw new UsageError(
        'missing STEP',
        'Name a step as shown by `k8s-learn list` (e.g. welcome/tour or 2).',
      );
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
    throw new UsageError(`unknown step "${arg}"`, `Steps: ${course.steps.map((s) => s.key).join(', ')}`);
  }
  return step;
}
