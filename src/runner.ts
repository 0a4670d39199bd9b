// Every external command k8s-learn runs goes through here: argument arrays (no shell), a timeout
// on every call, one transcript line per command, and --dry-run printing instead of running.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** RunOptions tune one command. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Milliseconds before the command is killed (default 120 s). */
  timeoutMs?: number;
  /** Run even under --dry-run: for read-only probes (`kind version`, `docker info`). */
  readOnly?: boolean;
  /** Stops the command (SIGTERM) when aborted; the result then has `aborted: true`. */
  signal?: AbortSignal;
  /**
   * Receives stdout as it arrives (a watch); stdout is then not kept in the result. Only runners
   * with `streams: true` call it.
   */
  onStdout?: (chunk: string) => void;
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

/** createRunner returns the real runner, built on execa (loaded on first use). */
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
      const { execa } = await import('execa');
      const started = performance.now();
      const subprocess = execa(file, [...args], {
        reject: false,
        timeout: runOptions.timeoutMs ?? defaultTimeoutMs,
        cwd: runOptions.cwd,
        env: { ...(options.env ?? process.env), ...(runOptions.env ?? {}) },
        extendEnv: false,
        ...(runOptions.input !== undefined ? { input: runOptions.input } : { stdin: 'ignore' as const }),
        stripFinalNewline: false,
        encoding: 'utf8',
        ...(runOptions.signal ? { cancelSignal: runOptions.signal } : {}),
        ...(runOptions.onStdout ? { buffer: { stdout: false } } : {}),
      });
      if (runOptions.onStdout) {
        const onStdout = runOptions.onStdout;
        subprocess.stdout?.setEncoding('utf8');
        subprocess.stdout?.on('data', (chunk: string) => onStdout(chunk));
      }
      const result = await subprocess;
      const durationMs = Math.round(performance.now() - started);
      const notFound = (result as { code?: string }).code === 'ENOENT';
      const exitCode = result.exitCode ?? (notFound ? 127 : result.timedOut ? 124 : 1);
      transcript(
        `${new Date().toISOString()}\t${command}\texit=${exitCode}\t${durationMs}ms${result.timedOut ? '\ttimed out' : ''}${result.isCanceled ? '\tstopped' : ''}`,
      );
      return {
        command,
        exitCode,
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? ''),
        durationMs,
        timedOut: result.timedOut === true,
        notFound,
        dryRun: false,
        ...(result.isCanceled ? { aborted: true } : {}),
      };
    },
  };
}
