// A terminal's line discipline for `exec -t` and `attach -t`: echo what is typed, edit the line
// (backspace, ^U), hand complete lines to the foreground process, ^C interrupts it, ^D at the
// start of a line is end of input once; output newlines become CR LF (the tty's ONLCR).
import type { Input, Output } from '../shell/io.js';

/** Terminal turns raw keystrokes into lines for a process and echoes to the client. */
export class Terminal {
  private line = '';
  private lines: (string | null)[] = [];
  private waiter?: () => void;
  private closed = false;
  private escape = '';
  private readonly interrupts = new Set<() => void>();

  constructor(private readonly echo: Output) {}

  /** input is what the process reads: cooked lines (with their newline), null once per ^D. */
  readonly input: Input = {
    read: async () => {
      while (true) {
        if (this.lines.length) {
          const l = this.lines.shift()!;
          return l === null ? null : Buffer.from(l);
        }
        if (this.closed) return null;
        await new Promise<void>((r) => {
          this.waiter = r;
        });
      }
    },
  };

  /** onInterrupt registers a ^C handler. */
  onInterrupt = (fn: () => void): (() => void) => {
    this.interrupts.add(fn);
    return () => this.interrupts.delete(fn);
  };

  /** output wraps an Output with ONLCR. */
  static crlf(out: Output): Output {
    return (chunk) => out(Buffer.from(chunk.toString().replace(/\r?\n/g, '\r\n')));
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** keys feeds raw bytes from the client. */
  keys(data: Buffer): void {
    for (const ch of data.toString('utf8')) {
      if (this.escape) {
        this.escape += ch;
        if (/[A-Za-z~]/.test(ch) || this.escape.length > 6) this.escape = '';
        continue;
      }
      switch (ch) {
        case '\x1b':
          this.escape = ch;
          break;
        case '\r':
        case '\n':
          this.echo('\r\n');
          this.lines.push(`${this.line}\n`);
          this.line = '';
          this.wake();
          break;
        case '\x7f':
        case '\b':
          if (this.line) {
            this.line = [...this.line].slice(0, -1).join('');
            this.echo('\b \b');
          }
          break;
        case '\x15':
          this.echo('\b \b'.repeat([...this.line].length));
          this.line = '';
          break;
        case '\x03':
          this.echo('^C\r\n');
          this.line = '';
          if (this.interrupts.size) for (const fn of [...this.interrupts]) fn();
          else {
            this.lines.push('\n');
            this.wake();
          }
          break;
        case '\x04':
          if (!this.line) {
            this.lines.push(null);
            this.wake();
          }
          break;
        default:
          if (ch >= ' ' || ch === '\t') {
            this.line += ch;
            this.echo(ch);
          }
      }
    }
  }

  /** close ends input (client gone). */
  close(): void {
    this.closed = true;
    this.wake();
  }
}
