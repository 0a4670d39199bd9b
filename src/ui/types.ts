/** Choice is one option of a select prompt. */
export interface Choice<T> {
  value: T;
  label: string;
  hint?: string;
}

/** SpinnerClock is a wait's time limit, shown beside its message (texts from spinnerClock). */
export interface SpinnerClock {
  /** The longest the wait may last, in seconds. */
  limitSeconds: number;
  /** `4 s of 120 s`: what a live spinner shows after its message, refreshed every second. */
  running(elapsedSeconds: number): string;
  /** `up to 120 s`: what plain-line output prints once, when the wait starts. */
  limit: string;
}

/**
 * Spinner shows a wait with its elapsed time (and, given a clock, the time left of its limit);
 * `stop` prints the outcome line.
 */
export interface Spinner {
  start(message: string, clock?: SpinnerClock): void;
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
