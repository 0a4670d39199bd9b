// Turns the command line's PATH… into check inputs: files as given, directories walked for *.yaml
// and *.yml (sorted, hidden directories and node_modules skipped), `-` read from stdin.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CheckInput } from './types.js';

/** UnreadableInput is a path that could not be read (exit 2: nothing was checked for it). */
export class UnreadableInput extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
    this.name = 'UnreadableInput';
  }
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (/\.ya?ml$/i.test(e.name)) out.push(full);
  }
  return out;
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** collectInputs reads every path; throws UnreadableInput for a missing/unreadable path or an empty directory. */
export async function collectInputs(
  paths: string[],
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<CheckInput[]> {
  const inputs: CheckInput[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === '-') {
      inputs.push({ path: '-', text: await readStdin(stdin) });
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (err) {
      throw new UnreadableInput(
        p,
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file or directory'
          : (err as Error).message,
      );
    }
    let files: string[];
    try {
      files = info.isDirectory() ? await walk(p) : [p];
    } catch (err) {
      throw new UnreadableInput(p, (err as Error).message);
    }
    if (files.length === 0) throw new UnreadableInput(p, 'no *.yaml or *.yml files in it');
    for (const file of files) {
      // A file named twice (or inside a directory also named) is checked once.
      if (seen.has(resolve(file))) continue;
      seen.add(resolve(file));
      try {
        inputs.push({ path: file, text: await readFile(file, 'utf8') });
      } catch (err) {
        throw new UnreadableInput(file, (err as Error).message);
      }
    }
  }
  return inputs;
}
