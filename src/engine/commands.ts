// How a step's commands are shown and run. kubectl commands go through the pinned kubectl module,
// so a learner's other clusters are never touched; the text shown stays what they type.

import { join } from 'node:path';
import { lastLines } from '../checks/basic.js';
import { parseCommandLine } from '../commandline.js';
import { displayCommand, invocation } from '../invocation.js';
import { createKubectl, type Kubectl, talksToCluster } from '../kubectl.js';
import { packageRoot } from '../paths.js';
import { type RunResult, runResult } from '../runner.js';
import type { EngineContext } from './context.js';

/** LOAD_TIMEOUT_MS bounds `k8s-learn load` run for the learner (its own limits end it sooner). */
const LOAD_TIMEOUT_MS = 15 * 60_000;

type CommandContext = Pick<EngineContext, 'runner' | 'workspace' | 'ui' | 'cluster' | 't'> & {
  lang?: string;
};

/** A command that does not end by itself (`kubectl port-forward`), started in the background. */
interface Background {
  shown: string;
  controller: AbortController;
  done: Promise<RunResult>;
}
const background: Background[] = [];

/** How long a background command may take to say it is ready before it counts as started anyway. */
const backgroundReadyMs = 15_000;
/** A background command the engine forgot to stop still ends (its whole process group) by then. */
const backgroundLimitMs = 30 * 60_000;

/**
 * runsInBackground is true for a kubectl command that never ends on its own: `kubectl port-forward`
 * forwards until it is stopped. Run in the foreground it would hold "Run them for me" until its
 * timeout; the engine starts it, waits for its `Forwarding from …` line, and stops it when the step
 * is over (stopBackground).
 */
export function runsInBackground(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return false;
    // `-n NS port-forward …`: a global flag's value is not the subcommand.
    if (flagsWithValue.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg === 'port-forward';
  }
  return false;
}
const flagsWithValue = new Set([
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '-s',
  '--server',
  '--request-timeout',
  '-v',
  '--v',
]);

async function startBackground(
  ctx: CommandContext,
  kubectl: Kubectl,
  args: string[],
  shown: string,
): Promise<RunResult> {
  // Run again ("run the commands again" after a failed verify): the old one holds the port.
  for (let i = background.length - 1; i >= 0; i--) {
    const old = background[i]!;
    if (old.shown !== shown) continue;
    background.splice(i, 1);
    old.controller.abort();
    await old.done;
  }
  const controller = new AbortController();
  let output = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolveReady) => {
    onReady = resolveReady;
  });
  const done = kubectl.run(args, {
    cwd: ctx.workspace,
    signal: controller.signal,
    timeoutMs: backgroundLimitMs,
    onStdout: (chunk) => {
      output += chunk;
      if (/Forwarding from/.test(output)) onReady();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    done,
    ready.then(() => undefined),
    new Promise<undefined>((resolveSlow) => {
      timer = setTimeout(() => resolveSlow(undefined), backgroundReadyMs);
    }),
  ]);
  clearTimeout(timer);
  // It ended by itself: a port already taken, a Service that does not exist. Report it as any command.
  if (ended) return { ...ended, stdout: output };
  background.push({ shown, controller, done });
  return runResult(shown, { stdout: output });
}

/**
 * stopBackground stops what the step started in the background and waits until it has exited
 * (the runner kills the whole process group: nothing is left listening on the learner's port).
 */
export async function stopBackground(ctx: Pick<EngineContext, 'ui' | 't'>): Promise<void> {
  const running = background.splice(0);
  for (const b of running) b.controller.abort();
  for (const b of running) {
    await b.done;
    ctx.ui.info(ctx.t('run.backgroundStopped', { command: b.shown }));
  }
}

/** runCommandLine runs one command line from lesson data, showing it and its output. */
export async function runCommandLine(
  ctx: CommandContext,
  line: string,
  // A meet stage's answer: a kubectl command that retries forever is stopped once it has given it.
  options: { stopWhen?: RegExp } = {},
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
  const inBackground =
    file === 'kubectl' && ctx.cluster !== undefined && ctx.runner.streams === true && runsInBackground(args);
  const result =
    inBackground && ctx.cluster
      ? await startBackground(ctx, createKubectl(ctx.runner, ctx.cluster), args, shown)
      : file === 'kubectl' && ctx.cluster
        ? await createKubectl(ctx.runner, ctx.cluster).run(args, { cwd: ctx.workspace, ...options })
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
              {
                cwd: ctx.workspace,
                env: { K8S_LEARN_INVOCATION: invocation() },
                // Ctrl-C reaches it as SIGINT, so it stops what it started (load's kubectl proxy).
                interruptible: true,
                // `load` runs for its --duration plus the scale-down it watches (real time on kind:
                // 2–3 minutes), longer than the runner's default; it ends by itself, Ctrl-C stops it.
                ...(args[0] === 'load' ? { timeoutMs: LOAD_TIMEOUT_MS } : {}),
              },
            )
          : await ctx.runner.run(file!, args, { cwd: ctx.workspace });
  // k8s-learn's own output (alerts, tree, doctor) is written for the learner: show more of it.
  const output = lastLines(`${result.stdout}${result.stderr}`, file === 'k8s-learn' ? 60 : 20);
  if (result.dryRun) {
    spinner.stop(ctx.t('run.dryRun', { command: shown }));
  } else if (result.exitCode === 0) {
    spinner.stop(ctx.t(inBackground ? 'run.background' : 'run.ok', { command: shown }));
    if (output) ctx.ui.note(output);
  } else if (result.aborted && options.stopWhen) {
    // It answered and would have retried forever: stopped, as the learner would with Ctrl-C.
    spinner.stop(ctx.t('run.stoppedOnAnswer', { command: shown }));
    if (output) ctx.ui.note(output);
  } else if (file === 'kubectl' && args[0] === 'diff' && result.exitCode === 1) {
    // `kubectl diff` exits 1 when it found differences (>1 is an error): an answer, not a failure.
    spinner.stop(ctx.t('run.diffFound', { command: shown }));
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
