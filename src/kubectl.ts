// The one kubectl module. Every kubectl call k8s-learn makes goes through `createKubectl`, which
// pins it to the course's cluster: `--context <ctx>` always, `--kubeconfig <file>` when the backend
// has its own file. The learner's current-context is never read or changed. What the learner is
// shown is the command they would type themselves (without the pins), plus one note on the context.
import { watchPractice } from './backends/practice-health.js';
import type { ClusterTarget } from './checks/types.js';
import { parseCommandLine } from './commandline.js';
import { formatCommand, type Runner, type RunOptions, type RunResult } from './runner.js';

/** kubectlBinary is the executable name; K8S_LEARN_KUBECTL overrides it (tests, odd installs). */
export function kubectlBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.K8S_LEARN_KUBECTL || 'kubectl';
}

/** Kubectl runs kubectl pinned to one cluster. */
export interface Kubectl {
  readonly target: ClusterTarget;
  /** run executes `kubectl <pins> <args>`; it never throws (see RunResult). */
  run(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** json runs a read command with `-o json` and parses stdout; `value` is undefined on failure. */
  json<T = unknown>(args: readonly string[], options?: RunOptions): Promise<{ value?: T; result: RunResult }>;
  /** pinnedArgs is the full argument list actually passed to kubectl. */
  pinnedArgs(args: readonly string[]): string[];
  /** display is the command as the learner would type it (no --context / --kubeconfig). */
  display(args: readonly string[]): string;
  /** stream starts a long-running read (`get --watch`) and hands stdout over as it arrives. */
  stream(args: readonly string[], onData: (chunk: string) => void): KubectlStream;
}

/** KubectlStream is a running `kubectl … --watch`. */
export interface KubectlStream {
  /** Resolves when kubectl exits, with its exit code and the end of its stderr. */
  readonly done: Promise<{ exitCode: number; stderr: string }>;
  stop(): void;
}

// Flags that would point kubectl at another cluster. `--user` and `--token` are left alone: they
// are also ordinary flags of `create rolebinding` and friends, and cannot change the server.
const pinFlags = ['--context', '--kubeconfig', '--cluster', '--server', '-s'];

/** pinArgs puts the pins first, and refuses arguments that would override them. */
export function pinArgs(target: ClusterTarget, args: readonly string[]): string[] {
  if (!target.context) throw new Error('kubectl: refusing to run without a context');
  for (const arg of args) {
    const flag = arg.split('=')[0]!;
    if (pinFlags.includes(flag)) throw new Error(`kubectl: "${arg}" would override the course's cluster`);
  }
  const pins = ['--context', target.context];
  if (target.kubeconfig) pins.push('--kubeconfig', target.kubeconfig);
  // Workshop mode: a command that names no namespace runs in the learner's own.
  const namesNamespace = args.some(
    (a) => /^(-n|--namespace|-A|--all-namespaces)(=|$)/.test(a) || /^-n\S/.test(a),
  );
  if (target.namespace && !namesNamespace) pins.push('--namespace', target.namespace);
  return [...pins, ...args];
}

/**
 * withAbort adds the practice cluster's "it went away" signal to a call's own (a check stopping its
 * wait when the state is stuck): either one stops the command.
 */
function withAbort(options: RunOptions | undefined, extra: AbortSignal | undefined): RunOptions {
  const own = options?.signal;
  const signal = own && extra ? AbortSignal.any([own, extra]) : (own ?? extra);
  return { ...options, ...(signal ? { signal } : {}) };
}

/** longestTimerMs is the longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days). */
const longestTimerMs = 2 ** 31 - 1;

/** createKubectl binds a runner to a cluster target. */
export function createKubectl(runner: Runner, target: ClusterTarget, binary = kubectlBinary()): Kubectl {
  return {
    target,
    pinnedArgs: (args) => pinArgs(target, args),
    display: (args) => formatCommand('kubectl', args),
    run: (args, options) =>
      watchPractice(target, (signal) =>
        runner.run(binary, pinArgs(target, args), withAbort(options, signal)),
      ),
    stream(args, onData) {
      // Through the runner like every other call: its own process group (a Ctrl-C in the terminal
      // reaches k8s-learn, which stops it, not the watch or proxy mid-request), the transcript, and
      // no orphan when k8s-learn exits. It runs until stopped: the longest timer Node allows.
      const controller = new AbortController();
      const done = runner
        .run(binary, pinArgs(target, args), {
          readOnly: true,
          signal: controller.signal,
          onStdout: onData,
          timeoutMs: longestTimerMs,
        })
        .then((r) => ({ exitCode: r.exitCode, stderr: r.stderr.slice(-4000) }));
      return { done, stop: () => controller.abort() };
    },
    async json<T>(args: readonly string[], options?: RunOptions) {
      const result = await watchPractice(target, (signal) =>
        runner.run(
          binary,
          pinArgs(target, [...args, '-o', 'json']),
          withAbort({ readOnly: true, ...options }, signal),
        ),
      );
      if (result.exitCode !== 0 || result.dryRun) return { result };
      try {
        return { value: JSON.parse(result.stdout) as T, result };
      } catch {
        return { result };
      }
    },
  };
}

/**
 * contextHint is the one sentence telling the learner which context the shown commands use and how
 * to type them in their own terminal.
 */
export function contextHint(target: ClusterTarget): { context: string; command: string } {
  const command = target.kubeconfig
    ? `export KUBECONFIG=${target.kubeconfig}; kubectl config use-context ${target.context}`
    : `kubectl config use-context ${target.context}`;
  return { context: target.context, command };
}

/** kubectlError is the first meaningful line of a failed kubectl call (for "saw" fields). */
export function kubectlError(result: RunResult): string {
  if (result.notFound) return 'kubectl: command not found';
  // 124 is what `timeout(1)` and wrappers around kubectl exit with when they cut it off.
  if (result.timedOut || result.exitCode === 124)
    return `timed out after ${Math.max(1, Math.round(result.durationMs / 1000))} s`;
  const text = (result.stderr || result.stdout).trim();
  const line = text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('Warning:')) ?? text;
  return line.replace(/^error: /, '').slice(0, 300);
}

/** talksToCluster is true for a kubectl command line that needs a server (not `--client` ones). */
export function talksToCluster(line: string): boolean {
  let words: string[];
  try {
    words = parseCommandLine(line);
  } catch {
    return false;
  }
  return words[0] === 'kubectl' && !words.includes('--client');
}
