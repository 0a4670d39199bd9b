// The scripted UI: for --yes, CI, non-TTY use and tests. Output is plain lines (no cursor
// movement); each prompt takes the next queued answer, else its default. A queued
// `CANCEL` answer acts like Ctrl-C, so tests can interrupt a run at any prompt.
import { stripVTControlCharacters } from 'node:util';
import { CancelledError } from '../errors.js';
import type { Spinner, UI } from './types.js';

/** CANCEL, queued as an answer, cancels the prompt that takes it. */
export const CANCEL = Symbol('cancel');

export interface ScriptedUIOptions {
  /** Answers consumed by prompts in order; `CANCEL` cancels. */
  answers?: unknown[];
  /** Where lines go (default process.stdout). */
  write?: (line: string) => void;
  /** Called with each prompt message, for tests that assert what was asked. */
  onPrompt?: (message: string) => void;
  /** Act as a learner at a terminal (tests answering prompts); default false. */
  interactive?: boolean;
}

/** createScriptedUI returns the non-interactive adapter. */
export function createScriptedUI(options: ScriptedUIOptions = {}): UI & { prompts: string[] } {
  const queue = [...(options.answers ?? [])];
  const prompts: string[] = [];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const line = (prefix: string, message: string) => {
    for (const l of stripVTControlCharacters(message).split('\n')) write(prefix ? `${prefix} ${l}` : l);
  };
  const next = <T>(message: string, fallback: T): T => {
    prompts.push(message);
    options.onPrompt?.(message);
    if (queue.length === 0) {
      // A test acting as a learner must script every answer; a default could loop forever.
      if (options.interactive) throw new Error(`no scripted answer left for prompt: ${message}`);
      return fallback;
    }
    const answer = queue.shift();
    if (answer === CANCEL) throw new CancelledError();
    return answer as T;
  };
  return {
    interactive: options.interactive === true,
    prompts,
    intro: (title) => line('', `== ${title} ==`),
    outro: (message) => line('', message),
    note: (body, title) => {
      if (title) line('', `-- ${title} --`);
      line('', body);
    },
    info: (m) => line('•', m),
    success: (m) => line('✓', m),
    warn: (m) => line('!', m),
    error: (m) => line('✗', m),
    step: (m) => line('', `\n>> ${m}`),
    async select(prompt) {
      const fallback = prompt.initial ?? prompt.options[0]?.value;
      const answer = next(prompt.message, fallback);
      const label = prompt.options.find((o) => o.value === answer)?.label ?? String(answer);
      line('?', `${prompt.message} ${label}`);
      return answer as typeof fallback & {};
    },
    async confirm(prompt) {
      const answer = next(prompt.message, prompt.initial ?? true);
      line('?', `${prompt.message} ${answer ? 'yes' : 'no'}`);
      return answer;
    },
    async text(prompt) {
      const answer = next(prompt.message, prompt.initial ?? '');
      const problem = prompt.validate?.(answer);
      if (problem)
        throw new Error(`scripted answer "${answer}" to "${prompt.message}" is invalid: ${problem}`);
      line('?', `${prompt.message} ${answer}`);
      return answer;
    },
    spinner(): Spinner {
      let started = 0;
      return {
        // Plain lines: the limit once, when the wait starts, never a line per second.
        start: (m, clock) => {
          started = performance.now();
          line('…', clock ? `${m} (${clock.limit})` : m);
        },
        message: () => {},
        stop: (m, ok = true) =>
          line(ok ? '✓' : '✗', `${m} (${((performance.now() - started) / 1000).toFixed(1)}s)`),
      };
    },
  };
}
