// Which of a step's commands and checks apply on the course's backend. Lesson data may limit a
// command or a check to some backends (`backends: [kind]`): building and loading an image is
// `docker build` + `kind load` on kind and `k8s-learn practice load-image` on the practice cluster.
// Apart from step-commands.ts (which renders commands), so `verify` does not load the template engine.
import type { CheckSpec, CommandSpec, Step } from '../course/types.js';
import type { EngineContext } from './context.js';

/** commandText is the command line of a CommandSpec. */
export function commandText(spec: CommandSpec): string {
  return typeof spec === 'string' ? spec : spec.command;
}

/** appliesTo is true when a command or check is for every backend, or names this one. */
export function appliesTo(spec: CommandSpec | CheckSpec, backend: string | undefined): boolean {
  if (typeof spec === 'string') return true;
  const backends = (spec as { backends?: unknown }).backends;
  if (!Array.isArray(backends)) return true;
  return backend !== undefined && backends.includes(backend);
}

/** stepChecks are the step's checks for this backend. */
export function stepChecks(ctx: Pick<EngineContext, 'cluster'>, step: Step): CheckSpec[] {
  return step.verify.filter((c) => appliesTo(c, ctx.cluster?.backend));
}
