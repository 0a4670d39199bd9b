// One place that knows what to do when the learner presses Ctrl-C: save progress, say so, exit 130.
// Ctrl-C reaches us two ways: as SIGINT (a command is running and the terminal is in cooked mode),
// or as a key while a clack spinner holds the terminal in raw mode — clack then calls
// process.exit(0) itself, so the spinner adapter reports it here from the 'exit' event.
import { ExitCode } from './errors.js';

let handler: (() => void) | undefined;
let handled = false;

/** onInterrupt sets what an interruption does (save progress, print the saved line); one at a time. */
export function onInterrupt(fn: (() => void) | undefined): void {
  handler = fn;
  handled = false;
}

/** interrupted runs the handler once; the caller exits (or is exiting) with 130. */
export function interrupted(): void {
  if (handled) return;
  handled = true;
  try {
    handler?.();
  } catch {
    // Saving is best effort at this point; the exit code still says "cancelled".
  }
}

/** exitInterrupted is the SIGINT / SIGTERM path: run the handler, then exit 130. */
export function exitInterrupted(): never {
  interrupted();
  process.exit(ExitCode.cancelled);
}

/**
 * whileWaiting guards a stretch of time in which clack may exit the process on a Ctrl-C key
 * (a spinner): an exit then is an interruption, so the handler runs and the code becomes 130.
 * Returns the function that ends the guard.
 */
export function whileWaiting(): () => void {
  const onExit = () => {
    interrupted();
    process.exitCode = ExitCode.cancelled;
  };
  process.on('exit', onExit);
  return () => process.removeListener('exit', onExit);
}
