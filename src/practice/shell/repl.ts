// An interactive shell's loop: print the prompt (on a terminal), read a line, keep reading while
// the command is incomplete (`> `), run it; ^C on a terminal stops the running command. Also
// runs a script fed on stdin line by line (`kubectl exec -i POD -- sh < script`).
import { ExitSignal, type Shell } from './interpret.js';
import { LineReader, type Stdio } from './io.js';
import { parseScript, ShellSyntaxError } from './parse.js';

/** prompt is the image shell's default PS1 for the current directory. */
export function prompt(sh: Shell): string {
  const root = sh.host.user === 'root';
  const home = sh.vars.get('HOME');
  const dir = home && home !== '/' && sh.cwd === home ? '~' : sh.cwd;
  if (sh.isBash) return `${sh.host.user}@${sh.host.hostname}:${dir}${root ? '#' : '$'} `;
  if (sh.host.flavor === 'debian') return root ? '# ' : '$ ';
  return `${dir} ${root ? '#' : '$'} `;
}

/** repl runs commands from stdin until end of input or `exit`; returns the exit status. */
export async function repl(sh: Shell, io: Stdio): Promise<number> {
  const reader = new LineReader(io.stdin);
  let pending = '';
  while (true) {
    if (io.tty) io.stderr(pending ? '> ' : prompt(sh));
    const line = await reader.line();
    if (line === null) {
      if (io.tty && sh.isBash) io.stderr('exit\n');
      return sh.status;
    }
    const src = `${pending}${line}\n`;
    try {
      parseScript(src);
    } catch (err) {
      if (err instanceof ShellSyntaxError && err.incomplete) {
        pending = src;
        continue;
      }
    }
    pending = '';
    const controller = new AbortController();
    const outer = sh.signal;
    const abortOnOuter = () => controller.abort();
    outer.addEventListener('abort', abortOnOuter);
    const removeInterrupt = io.onInterrupt?.(() => controller.abort());
    sh.signal = controller.signal;
    try {
      await sh.run(src, { ...io, stdin: reader.rest() });
    } catch (err) {
      if (err instanceof ExitSignal) {
        if (!controller.signal.aborted || outer.aborted) {
          if (io.tty && sh.isBash) io.stderr('exit\n');
          return err.code;
        }
        sh.status = 130;
        io.stdout('\n');
      } else if (!(err instanceof Error && err.name === 'AbortError')) throw err;
      else {
        sh.status = 130;
        io.stdout('\n');
      }
    } finally {
      sh.signal = outer;
      outer.removeEventListener('abort', abortOnOuter);
      removeInterrupt?.();
    }
    if (outer.aborted) return 137;
  }
}
