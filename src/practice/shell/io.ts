// Byte streams between shell commands: an Input is read until null (end of file), an Output
// takes chunks. Pipelines hand a finished command's output to the next one as a buffer.

/** Input is a readable byte stream; read() resolves null at end of file. */
export interface Input {
  read(): Promise<Buffer | null>;
}

/** Output receives bytes or text. */
export type Output = (chunk: Buffer | string) => void;

/** Stdio is a command's three standard streams. */
export interface Stdio {
  stdin: Input;
  stdout: Output;
  stderr: Output;
  /** tty is true when the streams are a terminal (exec -t): prompts, ls columns. */
  tty?: boolean;
  /** onInterrupt registers a ^C handler (terminal sessions); returns its removal. */
  onInterrupt?: (fn: () => void) => () => void;
}

/** bufferInput is an Input over fixed bytes. */
export function bufferInput(data: Buffer | string): Input {
  let left: Buffer | null = typeof data === 'string' ? Buffer.from(data) : data;
  return {
    async read() {
      const out = left?.length ? left : null;
      left = null;
      return out;
    },
  };
}

/** EMPTY_INPUT is /dev/null. */
export const EMPTY_INPUT: Input = { read: async () => null };

/** readAll reads an input to its end. */
export async function readAll(input: Input): Promise<Buffer> {
  const chunks: Buffer[] = [];
  while (true) {
    const c = await input.read();
    if (c === null) return Buffer.concat(chunks);
    chunks.push(c);
  }
}

/** LineReader splits an input into lines, keeping what follows the last newline. */
export class LineReader {
  private buf = '';
  private eof = false;

  constructor(private readonly input: Input) {}

  /** line resolves the next line without its newline, or null at end of input. */
  async line(): Promise<string | null> {
    while (true) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const out = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        return out;
      }
      if (this.eof) {
        if (!this.buf) return null;
        const out = this.buf;
        this.buf = '';
        return out;
      }
      const c = await this.input.read();
      if (c === null) this.eof = true;
      else this.buf += c.toString();
    }
  }

  /** rest is everything not read yet, as an Input. */
  rest(): Input {
    return {
      read: async () => {
        if (this.buf) {
          const out = Buffer.from(this.buf);
          this.buf = '';
          return out;
        }
        return this.eof ? null : this.input.read();
      },
    };
  }
}

/** PushInput is an Input fed from outside (exec stdin, attach): push bytes, then end(). */
export class PushInput implements Input {
  private chunks: Buffer[] = [];
  private ended = false;
  private waiter?: () => void;

  push(data: Buffer): void {
    this.chunks.push(data);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  get isEnded(): boolean {
    return this.ended && this.chunks.length === 0;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async read(): Promise<Buffer | null> {
    while (true) {
      const c = this.chunks.shift();
      if (c) return c;
      if (this.ended) return null;
      await new Promise<void>((r) => {
        this.waiter = r;
      });
    }
  }
}
