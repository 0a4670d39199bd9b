/** Choice is one option of a select prompt. */
export interface Choice<T> {
  value: T;
  label: string;
  hint?: string;
}

/** Spinner shows a wait with its elapsed time; `stop` prints the outcome line. */
export interface Spinner {
  start(message: string): void;
  message(message: string): void;
  stop(message: string, ok?: boolean): void;
}

/**
 * UI is the only way the engine talks to the learner. Two implementations: interactive (clack) and
 * scripted (--yes, tests, CI). Every prompt throws CancelledError when the learner cancels.
 */
export interface UI {
  readonly interactive: boolean;
  intro(title: string): void;
  outro(message: string): void;
  /** A block of explanation (already rendered for the terminal). */
  note(body: string, title?: string): void;
  info(message: string): void;
  success(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A section marker such as `Step 3/12 · Create the namespace`. */
  step(message: string): void;
  select<T>(prompt: { message: string; options: Choice<T>[]; initial?: T }): Promise<T>;
  confirm(prompt: { message: string; initial?: boolean }): Promise<boolean>;
  text(prompt: {
    message: string;
    placeholder?: string;
    initial?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  spinner(): Spinner;
}
