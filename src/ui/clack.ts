// The interactive UI, on @clack/prompts. Streams are injectable so a test can type keystrokes.
import type { Readable, Writable } from 'node:stream';
import * as p from '@clack/prompts';
import { CancelledError } from '../errors.js';
import { whileWaiting } from '../interrupt.js';
import type { Choice, Spinner, UI } from './types.js';

export interface ClackUIOptions {
  input?: Readable;
  output?: Writable;
}

function unwrap<T>(value: T | symbol): Exclude<T, symbol> {
  if (p.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

/** createClackUI returns the interactive adapter. */
export function createClackUI(options: ClackUIOptions = {}): UI {
  const io = {
    ...(options.input ? { input: options.input } : {}),
    ...(options.output ? { output: options.output } : {}),
  };
  const out = { ...(options.output ? { output: options.output } : {}) };
  return {
    interactive: true,
    intro: (title) => p.intro(title, out),
    outro: (message) => p.outro(message, out),
    note: (body, title) => p.note(body, title, out),
    info: (message) => p.log.info(message, out),
    success: (message) => p.log.success(message, out),
    warn: (message) => p.log.warn(message, out),
    error: (message) => p.log.error(message, out),
    step: (message) => p.log.step(message, out),
    async select<T>(prompt: { message: string; options: Choice<T>[]; initial?: T }) {
      const value = await p.select<T>({
        message: prompt.message,
        // clack's Option type is conditional on T; our Choice has the same shape.
        options: prompt.options as Parameters<typeof p.select<T>>[0]['options'],
        ...(prompt.initial !== undefined ? { initialValue: prompt.initial } : {}),
        ...io,
      });
      return unwrap<T>(value) as T;
    },
    async confirm(prompt) {
      return unwrap(
        await p.confirm({
          message: prompt.message,
          ...(prompt.initial !== undefined ? { initialValue: prompt.initial } : {}),
          ...io,
        }),
      );
    },
    async text(prompt) {
      return unwrap(
        await p.text({
          message: prompt.message,
          ...(prompt.placeholder !== undefined ? { placeholder: prompt.placeholder } : {}),
          ...(prompt.initial !== undefined ? { initialValue: prompt.initial } : {}),
          ...(prompt.validate ? { validate: (v: string | undefined) => prompt.validate!(v ?? '') } : {}),
          ...io,
        }),
      );
    },
    spinner(): Spinner {
      const s = p.spinner({ indicator: 'timer', ...out });
      // clack's spinner holds the terminal in raw mode and exits 0 on a Ctrl-C key: make that an
      // interruption (progress saved, exit 130) like Ctrl-C anywhere else.
      let unguard: (() => void) | undefined;
      return {
        start: (m) => {
          unguard = whileWaiting();
          s.start(m);
        },
        message: (m) => s.message(m),
        stop: (m, ok = true) => {
          unguard?.();
          unguard = undefined;
          if (ok) s.stop(m);
          else s.error(m);
        },
      };
    },
  };
}
