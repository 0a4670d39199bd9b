// Every external command k8s-learn runs goes through here: argument arrays (no shell), a timeout
// on every call, one transcript line per command, and --dry-run printing instead of running.
//
// Each command runs in a process group of its own (POSIX), so a timeout, Ctrl-C or SIGTERM kills
// the whole group: a kubectl that is a wrapper script with children cannot keep the pipes open and
// hang the run, and nothing is left behind as an orphan.
import { type ChildProcess, spawn } from 'node:child_process';
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
  /** Aborting kills the command's process group (e.g. its cluster went away). */
  signal?: AbortSignal;
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
}

/** Runner runs one external command. Tests pass a fake one. */
export interface Runner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  readonly dryRun: boolean;
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
const liveGroups = new Set<number>();

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
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
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

/** Finished is what a child process left: exit code (undefined when killed by a signal), output. */
interface Finished {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** The spawn error's code (ENOENT: no such executable). */
  errorCode?: string;
}

/** collect feeds `input` and gathers a child's output until it closes (or never started). */
function collect(child: ChildProcess, input: string | undefined): Promise<Finished> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const done = (finished: Finished) => {
      if (settled) return;
      settled = true;
      resolve(finished);
    };
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      // Failing to start emits only 'error'; a later error (e.g. a failed kill) is not the result.
      if (child.pid === undefined)
        done({
          exitCode: undefined,
          stdout: '',
          stderr: e.message,
          ...(e.code ? { errorCode: e.code } : {}),
        });
    });
    child.on('close', (code) =>
      done({
        exitCode: code ?? undefined,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the command may exit without reading its input
      child.stdin.end(input);
    }
  });
}

/** createRunner returns the real runner, built on node:child_process. */
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
      const subprocess = spawn(file, [...args], {
        cwd: runOptions.cwd,
        env: { ...(options.env ?? process.env), ...(runOptions.env ?? {}) },
        detached: usesGroups,
        stdio: [runOptions.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const finished = collect(subprocess, runOptions.input);
      const pid = subprocess.pid;
      if (pid !== undefined) liveGroups.add(pid);
      let timedOut = false;
      let forceKill: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(pid, 'SIGTERM');
        forceKill = setTimeout(() => killGroup(pid, 'SIGKILL'), killGraceMs);
      }, timeoutMs);
      // When the command itself exits, whatever it left in its group goes too: a leftover child
      // holding our pipes would otherwise keep us waiting.
      subprocess.once('exit', () => killGroup(pid, 'SIGKILL'));
      runOptions.signal?.addEventListener('abort', () => killGroup(pid, 'SIGKILL'), { once: true });
      const result = await finished;
      clearTimeout(timer);
      clearTimeout(forceKill);
      if (pid !== undefined) liveGroups.delete(pid);
      const durationMs = Math.round(performance.now() - started);
      const notFound = result.errorCode === 'ENOENT';
      const exitCode = timedOut ? 124 : (result.exitCode ?? (notFound ? 127 : 1));
      transcript(
        `${new Date().toISOString()}\t${command}\texit=${exitCode}\t${durationMs}ms${timedOut ? `\ttimed out after ${Math.round(timeoutMs / 1000)} s` : ''}`,
      );
      return {
        command,
        exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
        durationMs,
        timedOut,
        notFound,
        dryRun: false,
      };
    },
  };
}
