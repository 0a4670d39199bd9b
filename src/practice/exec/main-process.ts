// PID 1 of shell-like images (busybox, alpine, curl): the container's command runs in the
// simulated shell, so the docs' counter pod logs its loop and `exit 3` exits 3. Its output goes
// to the container log and to attached clients (`kubectl attach`, `run -it`); with
// `stdin: true` it reads what attached clients type (through a terminal with `tty: true`).
import type { ContainerRun, PodWorker } from '../controllers/pod-worker.js';
import { ExitSignal, Shell } from '../shell/interpret.js';
import { EMPTY_INPUT, type Output, PushInput } from '../shell/io.js';
import { containerEnv, sandboxOf, shellHost } from './container.js';
import { Terminal } from './tty.js';

/** MainProcess is a running PID 1 that clients can attach to. */
export interface MainProcess {
  stdin?: PushInput;
  terminal?: Terminal;
  listeners: Set<Output>;
  attachedOnce: boolean;
  done: boolean;
}

const mains = new WeakMap<ContainerRun, MainProcess>();

/** mainProcessOf returns the running main process of a container, if it has one. */
export function mainProcessOf(run: ContainerRun): MainProcess | undefined {
  const m = mains.get(run);
  return m && !m.done ? m : undefined;
}

/** startMainProcess runs the container's command; the worker hears its exit. */
export function startMainProcess(w: PodWorker, run: ContainerRun): void {
  const profile = sandboxOf(w, run).profile;
  const spec = run.spec as typeof run.spec & { stdin?: boolean; tty?: boolean };
  let argv = [...(spec.command ?? profile.entrypoint), ...(spec.args ?? (spec.command ? [] : profile.cmd))];
  const first = argv[0] ?? '';
  if (
    profile.argsDefaultTo &&
    !spec.command &&
    (first.startsWith('-') || !profile.programs.has(first.slice(first.lastIndexOf('/') + 1)))
  ) {
    argv = [profile.argsDefaultTo, ...argv];
  }
  const controller = new AbortController();
  run.cancels.push(() => controller.abort());
  const listeners = new Set<Output>();
  let partial = '';
  const log: Output = (chunk) => {
    const text = partial + chunk.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) w.ctx.logs.write(w.uid, run.spec.name, line.replace(/\r$/, ''));
  };
  const broadcast: Output = (chunk) => {
    log(chunk);
    for (const l of listeners) l(chunk);
  };
  const main: MainProcess = { listeners, attachedOnce: false, done: false };
  if (spec.stdin && spec.tty) main.terminal = new Terminal(Terminal.crlf(broadcast));
  else if (spec.stdin) main.stdin = new PushInput();
  mains.set(run, main);
  const out = spec.tty ? Terminal.crlf(broadcast) : broadcast;
  const host = shellHost(w, run, controller.signal);
  const shell = new Shell(host, containerEnv(w, run, profile, !!spec.tty), argv[0] ?? 'sh', {
    cwd: profile.workdir ?? '/',
  });
  const io = {
    stdin: main.terminal?.input ?? main.stdin ?? EMPTY_INPUT,
    stdout: out,
    stderr: out,
    tty: !!spec.tty,
    onInterrupt: main.terminal?.onInterrupt,
  };
  const finish = (code: number) => {
    main.done = true;
    if (partial) w.ctx.logs.write(w.uid, run.spec.name, partial);
    for (const l of listeners) l(Buffer.alloc(0));
    listeners.clear();
    if (!controller.signal.aborted) w.exited(run, code, code === 0 ? 'Completed' : 'Error');
  };
  shell.execute(argv, io).then(finish, (err) => {
    if (err instanceof ExitSignal) finish(err.code);
    else if (err instanceof Error && err.name === 'AbortError') finish(137);
    else {
      process.emitWarning(`practice container ${w.name}/${run.spec.name}: ${String(err)}`);
      finish(1);
    }
  });
}
