// A block of lines redrawn in place on a terminal (a live table or chart under the command line),
// without clearing the screen: the cursor goes back up over the last drawing and the rest is
// erased. Not a terminal: nothing is redrawn; the caller prints plain lines instead.

/** LiveBlock redraws the same lines in place. */
export interface LiveBlock {
  draw(lines: readonly string[]): void;
  /** Leaves the last drawing on screen; the next output starts below it. */
  end(): void;
}

/** createLiveBlock draws through `write` (process.stdout.write on a terminal). */
export function createLiveBlock(write: (text: string) => void): LiveBlock {
  let height = 0;
  return {
    draw(lines) {
      // Up over the previous drawing, to its first column, then erase down.
      const back = height > 0 ? `\x1b[${height}A\r\x1b[0J` : '';
      write(`${back}${lines.join('\n')}\n`);
      height = lines.length;
    },
    end() {
      height = 0;
    },
  };
}
