// How a step's commands are shown and run. kubectl commands go through the pinned kubectl module,
// so a learner's other clusters are never touched; the text shown stays what they type.

import { join } from 'node:path';
import { lastLines } from '../checks/basic.js';
import { parseCommandLine } from '../commandline.js';
import { displayCommand, invocation } from '../invocation.js';
import { createKubectl, talksToCluster } from '../kubectl.js';
import { packageRoot } from '../paths.js';
import type { RunResult } from '../runner.js';
import type { EngineContext } from './context.js';

/** runCommandLine runs one command line from lesson data, showing it and its output. */
export async function runCommandLine(
  ctx: Pick<EngineContext, 'runner' | 'workspace' | 'ui' | 'cluster' | 't'> & { lang?: string },
  line: string,
): Promise<RunResult> {
  const [file, ...args] = parseCommandLine(line);
  if (talksToCluster(line) && !ctx.cluster) {
    // Never run kubectl against whatever the learner's current context happens to be.
    throw new Error(`internal: "${line}" needs the course's cluster, which is not prepared`);
  }
  const shown = displayCommand(line);
  const spinner = ctx.ui.spinner();
  spinner.start(`$ ${shown}`);
  // kubectl is pinned to the course's cluster; the line shown stays what the learner would type.
  const result =
    file === 'kubectl' && ctx.cluster
      ? await createKubectl(ctx.runner, ctx.cluster).run(args, { cwd: ctx.workspace })
      : file === 'k8s-learn'
        ? // The learner types `npx k8s-learn …`; the engine runs this very installation, on this
          // workspace (so `alerts` and friends find the course's recorded cluster).
          await ctx.runner.run(
            process.execPath,
            // … in the learner's language (a `--lang` given to the course is not in the environment).
            [
              join(packageRoot(), 'bin', 'k8s-learn.js'),
              ...args,
              '--dir',
              ctx.workspace,
              ...(ctx.lang ? ['--lang', ctx.lang] : []),
            ],
            // The child shows its `k8s-learn …` lines the way this learner runs k8s-learn.
            { cwd: ctx.workspace, env: { K8S_LEARN_INVOCATION: invocation() } },
          )
        : await ctx.runner.run(file!, args, { cwd: ctx.workspace });
  // k8s-learn's own output (alerts, tree, doctor) is written for the learner: show more of it.
  const output = lastLines(`${result.stdout}${result.stderr}`, file === 'k8s-learn' ? 60 : 20);
  if (result.dryRun) {
    spinner.stop(ctx.t('run.dryRun', { command: shown }));
  } else if (result.exitCode === 0) {
    spinner.stop(ctx.t('run.ok', { command: shown }));
    if (output) ctx.ui.note(output);
  } else {
    spinner.stop(
      ctx.t(result.notFound ? 'run.notFound' : 'run.failed', {
        command: shown,
        code: result.exitCode,
        file: file!,
      }),
      false,
    );
    if (output) ctx.ui.note(output);
  }
  return result;
}
