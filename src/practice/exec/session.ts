// `kubectl exec`: runs a command in a running container's sandbox, as the container runtime
// does: argv[0] is looked up on $PATH (no shell unless you run one), stdin/stdout/stderr are the
// client's streams, a TTY gets a line discipline. The result is a Status for the error channel,
// worded as kubelet and containerd word it.
import { ApiError } from '../api-error.js';
import type { WorkloadContext } from '../controllers/context.js';
import type { ContainerRun, PodWorker } from '../controllers/pod-worker.js';
import { ExitSignal, Shell } from '../shell/interpret.js';
import { EMPTY_INPUT, type Input, type Output } from '../shell/io.js';
import type { KubeObject } from '../types.js';
import { containerEnv, sandboxOf, shellHost } from './container.js';
import { Terminal } from './tty.js';

/** ExecStreams are the client's side of a session. */
export interface ExecStreams {
  stdin?: Input;
  stdout: Output;
  stderr: Output;
  /** terminal is set with -t: keystrokes go through it, output gets CR LF. */
  terminal?: Terminal;
}

/** ExecResult is how a session ended: an exit code, or an error before the command ran. */
export type ExecResult = { code: number } | { error: string };

/** findContainer returns the worker and run of a running container, or the kubelet's error. */
export function findContainer(
  ctx: WorkloadContext,
  pod: KubeObject,
  container: string | null,
): { worker: PodWorker; run: ContainerRun } {
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[] };
  const name = container || spec.containers?.[0]?.name || '';
  const worker = ctx.workerOf(pod.metadata.uid ?? '');
  const run = worker?.run(name);
  if (!worker || !run?.status.state.running) {
    throw new ApiError(400, 'BadRequest', `container not found ("${name}")`);
  }
  return { worker, run };
}

/** statusFor is the error-channel Status of a finished session. */
export function statusFor(result: ExecResult, argv: string[]): Record<string, unknown> {
  if ('error' in result) {
    const message = `error executing command in container: ${result.error}`;
    return {
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: ${message}`,
      reason: 'InternalError',
      details: { causes: [{ message }] },
      code: 500,
    };
  }
  if (result.code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${result.code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(result.code) }] },
  };
}

/** runExec runs argv in the container and resolves with its result. */
export async function runExec(
  worker: PodWorker,
  run: ContainerRun,
  argv: string[],
  streams: ExecStreams,
  signal: AbortSignal,
): Promise<ExecResult> {
  const tty = !!streams.terminal;
  const host = shellHost(worker, run, signal);
  const profile = sandboxOf(worker, run).profile;
  const env = containerEnv(worker, run, profile, tty);
  const shell = new Shell(host, env, argv[0] ?? 'sh', { cwd: profile.workdir ?? '/' });
  // The runtime sets no PWD; shells export their own.
  shell.exported.delete('PWD');
  const name = argv[0] ?? '';
  if (!name || !shell.findProgram(name)) {
    const execId = Buffer.from(`${worker.uid}${Date.now()}`).toString('hex').slice(0, 64);
    return {
      error: `failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": executable file not found in $PATH: unknown`,
    };
  }
  const out = tty ? Terminal.crlf(streams.stdout) : streams.stdout;
  const io = {
    stdin: streams.terminal?.input ?? streams.stdin ?? EMPTY_INPUT,
    stdout: out,
    stderr: tty ? out : streams.stderr,
    tty,
    onInterrupt: streams.terminal?.onInterrupt,
  };
  try {
    return { code: await shell.execute(argv, io) };
  } catch (err) {
    if (err instanceof ExitSignal) return { code: err.code };
    if (err instanceof Error && err.name === 'AbortError') return { code: 137 };
    throw err;
  }
}
