// Every external command k8s-learn runs goes through here: argument arrays (no shell), a timeout
// on every call, one transcript line per command, and --dry-run printing instead of running.
//
// Commands are started with execa (loaded on first use). Each runs in a process group of its own
// (POSIX), so a timeout, Ctrl-C or SIGTERM kills the whole group: a kubectl that is a wrapper script
// with children cannot keep the pipes open and hang the run, and nothing is left behind as an orphan.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** RunOptions tune one command. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Milliseconds before the command is killed (default 120 s; 15 s for `--client` calls). */
  timeoutMs?: number;
  /** Run even under --dry-run: for read-only probes (`kind version`, `docker info`). */
  readOnly?: boolean;
  /** Aborting kills the command's process group (its cluster went away, a watch is done); the
   * result then has `aborted: true`. */
  signal?: AbortSignal;
  /**
   * Receives stdout as it arrives (a watch); stdout is then not kept in the result. Only runners
   * with `streams: true` call it.
   */
  onStdout?: (chunk: string) => void;
  /**
   * Stops the command (its whole group; the result has `aborted: true`) as soon as its output so
   * far, stdout and stderr, matches: a command that retries forever has given its answer — what a
   * learner does with Ctrl-C (`kubectl drain` refused by a disruption budget retries every 5 s).
   */
  stopWhen?: RegExp;
  /**
   * The command is one of k8s-learn's own (`k8s-learn load` run for the learner): Ctrl-C, an exit
   * and an abort send it SIGINT, as a terminal would, so it ends what it started itself (load's
   * `kubectl proxy`, in a process group of its own that a SIGKILL of its parent would orphan)
   * before it goes. Other commands are killed outright.
   */
  interruptible?: boolean;
}

/** RunResult is what a finished (or not started) command left behind. It never throws. */
export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** The executable was not found on PATH. */
  notFound: boolean;
  /** The command was printed, not run (--dry-run). */
  dryRun: boolean;
  /** The command was stopped by `RunOptions.signal`. */
  aborted?: boolean;
}

/** Runner runs one external command. Tests pass a fake one. */
export interface Runner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  readonly dryRun: boolean;
  /** True when `RunOptions.onStdout` and `signal` are honoured (the real runner; fakes may not). */
  readonly streams?: boolean;
}

/** quoteArg renders one argument the way a POSIX shell user would type it. */
export function quoteArg(arg: string): string {
  if (arg === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** formatCommand is the command line as the learner would type it. */
export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(quoteArg).join(' ');
}

/** runResult fills a RunResult: exit 0, no output, unless `fields` say otherwise (fakes, dry run). */
export function runResult(command: string, fields: Partial<RunResult> = {}): RunResult {
  return {
    command,
    exitCode: 0,
    stdout: '',
    stderr: '',
    durationMs: 0,
    timedOut: false,
    notFound: false,
    dryRun: false,
    ...fields,
  };
}

export interface ExecaRunnerOptions {
  /** Where to append `command`, exit code and duration; none when undefined. */
  transcriptPath?: string;
  dryRun?: boolean;
  /** Under --dry-run, where the would-be command is printed. */
  print?: (line: string) => void;
  /** Base environment (default process.env). */
  env?: NodeJS.ProcessEnv;
}

const defaultTimeoutMs = 120_000;
/** Calls that never dial a server (`kubectl version --client`) answer at once or not at all. */
const clientOnlyTimeoutMs = 15_000;
/** After SIGTERM, how long a process group gets before SIGKILL. */
const killGraceMs = 2_000;

const usesGroups = process.platform !== 'win32';
// Each running command's process group, with the signal that ends it when k8s-learn goes.
const liveGroups = new Map<number, NodeJS.Signals>();

/** killGroup signals a command's whole process group (or just the process where groups do not exist). */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(usesGroups ? -pid : pid, signal);
  } catch {
    // Already gone.
  }
}

let exitHooked = false;
/** hookExit kills what is still running when k8s-learn exits or is interrupted (once per process). */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const [pid, signal] of liveGroups) killGroup(pid, signal);
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      for (const [pid, end] of liveGroups) killGroup(pid, end);
      // Other listeners (start's "progress saved") decide how to exit; alone, we exit as the signal would.
      if (process.listenerCount(signal) === 1)
        process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    };
    process.on(signal, onSignal);
  }
}

/** timeoutFor is the timeout of one call: the caller's, else short for client-only calls. */
export function timeoutFor(args: readonly string[], options: RunOptions): number {
  if (options.timeoutMs !== undefined) return options.timeoutMs;
  return args.includes('--client') ? clientOnlyTimeoutMs : defaultTimeoutMs;
}

/** createRunner returns the real runner, built on execa. */
export function createRunner(options: ExecaRunnerOptions = {}): Runner {
  const transcript = (line: string) => {
    if (!options.transcriptPath || options.dryRun) return;
    try {
      mkdirSync(dirname(options.transcriptPath), { recursive: true });
      appendFileSync(options.transcriptPath, `${line}\n`);
    } catch {
      // The transcript is a convenience; a read-only workspace must not stop the course.
    }
  };
  return {
    dryRun: options.dryRun === true,
    streams: true,
    async run(file, args, runOptions = {}) {
      const command = formatCommand(file, args);
      if (options.dryRun && !runOptions.readOnly) {
        options.print?.(`[dry-run] ${command}`);
        return runResult(command, { dryRun: true });
      }
      const started = performance.now();
      const timeoutMs = timeoutFor(args, runOptions);
      // Commands run in the workspace; it exists before the first file is scaffolded only if we make it.
      if (runOptions.cwd && !existsSync(runOptions.cwd)) mkdirSync(runOptions.cwd, { recursive: true });
      hookExit();
      const { execa } = await import('execa');
      const onStdout = runOptions.onStdout;
      // Timeouts and aborts are ours (below): execa's would kill the process, not its group.
      const subprocess = execa(file, [...args], {
        reject: false,
        cwd: runOptions.cwd,
        env: { ...(options.env ?? process.env), ...(runOptions.env ?? {}) },
        extendEnv: false,
        detached: usesGroups,
        windowsHide: true,
        ...(runOptions.input !== undefined ? { input: runOptions.input } : { stdin: 'ignore' as const }),
        stripFinalNewline: false,
        encoding: 'utf8',
        ...(onStdout ? { buffer: { stdout: false, stderr: true } } : {}),
      });
      if (onStdout) {
        subprocess.stdout?.setEncoding('utf8');
        subprocess.stdout?.on('data', (chunk: string) => onStdout(chunk));
      }
      const pid = subprocess.pid;
      if (pid !== undefined) liveGroups.set(pid, runOptions.interruptible ? 'SIGINT' : 'SIGKILL');
      const stopWhen = runOptions.stopWhen;
      let seen = '';
      const watchOutput = (chunk: unknown) => {
        seen += String(chunk);
        if (stopWhen?.test(seen) && !aborted) onAbort();
      };
      if (stopWhen) {
        if (!onStdout) subprocess.stdout?.on('data', watchOutput);
        subprocess.stderr?.on('data', watchOutput);
      }
      let timedOut = false;
      let aborted = false;
      let forceKill: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(pid, 'SIGTERM');
        forceKill = setTimeout(() => killGroup(pid, 'SIGKILL'), killGraceMs);
      }, timeoutMs);
      // When the command itself exits, whatever it left in its group goes too: a leftover child
      // holding our pipes would otherwise keep us waiting.
      subprocess.once('exit', () => killGroup(pid, 'SIGKILL'));
      const onAbort = () => {
        aborted = true;
        if (!runOptions.interruptible) {
          killGroup(pid, 'SIGKILL');
          return;
        }
        killGroup(pid, 'SIGINT');
        forceKill = setTimeout(() => killGroup(pid, 'SIGKILL'), killGraceMs);
      };
      if (runOptions.signal?.aborted) onAbort();
      else runOptions.signal?.addEventListener('abort', onAbort, { once: true });
      const result = await subprocess;
      clearTimeout(timer);
      clearTimeout(forceKill);
      runOptions.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) liveGroups.delete(pid);
      const durationMs = Math.round(performance.now() - started);
      const notFound = (result as { code?: string }).code === 'ENOENT';
      const exitCode = timedOut ? 124 : (result.exitCode ?? (notFound ? 127 : 1));
      transcript(
        `${new Date().toISOString()}\t${command}\texit=${exitCode}\t${durationMs}ms${timedOut ? `\ttimed out after ${Math.round(timeoutMs / 1000)} s` : ''}${aborted ? '\tstopped' : ''}`,
      );
      return {
        command,
        exitCode,
        stdout: typeof result.stdout === 'string' ? result.stdout : '',
        stderr: typeof result.stderr === 'string' ? result.stderr : notFound ? String(result.message) : '',
        durationMs,
        timedOut,
        notFound,
        dryRun: false,
        ...(aborted ? { aborted: true } : {}),
      };
    },
  };
}
