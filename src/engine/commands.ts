// How a step's commands are shown and run. kubectl commands are pinned to the course's cluster
// context, so a learner's other clusters are never touched; the text shown stays what they type.

import { lastLines } from '../checks/basic.js';
import type { ClusterTarget } from '../checks/types.js';
import { parseCommandLine } from '../commandline.js';
import type { RunResult } from '../runner.js';
import type { EngineContext } from './context.js';

/** pinArgs adds --context (and --kubeconfig) to a kubectl argument list. */
export function pinArgs(file: string, args: string[], cluster: ClusterTarget | undefined): string[] {
  if (file !== 'kubectl' || !cluster?.context) return args;
  if (args.some((a) => a === '--context' || a.startsWith('--context='))) return args;
  return [
    '--context',
    cluster.context,
    ...(cluster.kubeconfig ? ['--kubeconfig', cluster.kubeconfig] : []),
    ...args,
  ];
}

/** runCommandLine runs one command line from lesson data, showing it and its output. */
export async function runCommandLine(
  ctx: Pick<EngineContext, 'runner' | 'workspace' | 'ui' | 'cluster' | 't'>,
  line: string,
): Promise<RunResult> {
  const [file, ...args] = parseCommandLine(line);
  const spinner = ctx.ui.spinner();
  spinner.start(`$ ${line}`);
  const result = await ctx.runner.run(file!, pinArgs(file!, args, ctx.cluster), { cwd: ctx.workspace });
  const output = lastLines(`${result.stdout}${result.stderr}`, 20);
  if (result.dryRun) {
    spinner.stop(ctx.t('run.dryRun', { command: line }));
  } else if (result.exitCode === 0) {
    spinner.stop(ctx.t('run.ok', { command: line }));
    if (output) ctx.ui.note(output);
  } else {
    spinner.stop(
      ctx.t(result.notFound ? 'run.notFound' : 'run.failed', {
        command: line,
        code: result.exitCode,
        file: file!,
      }),
      false,
    );
    if (output) ctx.ui.note(output);
  }
  return result;
}
