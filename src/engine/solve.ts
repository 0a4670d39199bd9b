// Brings a step to its verified state without the learner: what --yes, `solve` and
// `course check --run` do. Actions are listed in the step's `solve`.
import type { Step } from '../course/types.js';
import { UserError } from '../errors.js';
import { runCommandLine } from './commands.js';
import { type EngineContext, stepVars } from './context.js';
import { scaffoldStep, writeFile } from './scaffold.js';
import { stepCommands } from './step-commands.js';
import { render } from './templates.js';

/** solveStep runs a step's solve actions in order; a failing command stops it. */
export async function solveStep(ctx: EngineContext, step: Step): Promise<void> {
  const vars = stepVars(ctx, step);
  const runLine = async (line: string) => {
    const rendered = render(line, vars, `command of ${step.key}`);
    const result = await runCommandLine(ctx, rendered);
    if (!result.dryRun && result.exitCode !== 0) {
      throw new UserError(
        ctx.t('solve.commandFailed', { command: rendered, code: result.exitCode }),
        ctx.t('solve.commandFailedNext'),
      );
    }
  };
  for (const action of step.solve) {
    if (action === 'scaffold') await scaffoldStep(ctx, step, true);
    else if (action === 'commands') for (const line of stepCommands(ctx, step)) await runLine(line);
    else if ('run' in action) await runLine(action.run);
    else await writeFile(ctx, step, action.write, true);
  }
}
