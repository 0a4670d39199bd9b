/** Exit codes are a contract (README): 0 ok, 1 a check failed, 2 usage, 130 cancelled. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** UsageError is a bad command line: printed with a one-line hint and the help command; exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** CancelledError is the learner pressing Ctrl-C (or Esc) at a prompt; exit 130, progress kept. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * UserError is a failure the user can act on (a missing tool, a bad course, a corrupt file):
 * printed as `error: message` plus what to do next, never with a stack trace. Exit code 1 by default.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly next?: string,
    readonly exitCode: number = ExitCode.failed,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
