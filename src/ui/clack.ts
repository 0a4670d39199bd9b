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
      let s = p.spinner({ indicator: 'timer', ...out });
      let tick: NodeJS.Timeout | undefined;
      let text = '';
      let show = () => s.message(text);
      // clack's spinner holds the terminal in raw mode and exits 0 on a Ctrl-C key: make that an
      // interruption (progress saved, exit 130) like Ctrl-C anywhere else.
      let unguard: (() => void) | undefined;
      const end = () => {
        clearInterval(tick);
        unguard?.();
        unguard = undefined;
      };
      return {
        start: (m, clock) => {
          text = m;
          unguard = whileWaiting();
          if (!clock) return s.start(m);
          // The clock replaces clack's own timer: `message · 4 s of 120 s`, once a second.
          s = p.spinner({ indicator: 'dots', ...out });
          const started = performance.now();
          show = () =>
            s.message(`${text} · ${clock.running(Math.floor((performance.now() - started) / 1000))}`);
          s.start(`${m} · ${clock.running(0)}`);
          tick = setInterval(show, 1000);
          tick.unref();
        },
        message: (m) => {
          text = m;
          show();
        },
        stop: (m, ok = true) => {
          end();
          return ok ? s.stop(m) : s.error(m);
        },
      };
    },
  };
}
