// Turns the command line's PATH… into check inputs: files as given, directories walked for *.yaml
// and *.yml (sorted, hidden directories and node_modules skipped), `-` read from stdin. Only regular
// files are opened (a FIFO named *.yaml would block forever); a file that cannot be read, or is not
// UTF-8 text, becomes an input carrying its problem, so the files beside it are still checked.
import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeText, encodingProblem, positionOf } from './encoding.js';
import type { CheckInput, InputProblem } from './types.js';

/** UnreadableInput is a path given on the command line that does not exist, or a directory without YAML (exit 2). */
export class UnreadableInput extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
    this.name = 'UnreadableInput';
  }
}

const yamlName = /\.ya?ml$/i;

/** readProblem explains a failed stat/read of one file (dangling link, link loop, permission). */
async function readProblem(path: string, err: unknown): Promise<InputProblem> {
  const code = (err as NodeJS.ErrnoException).code;
  let variant = 'message';
  if (code === 'ELOOP') variant = 'link-loop';
  else if (code === 'EACCES' || code === 'EPERM') variant = 'permission';
  else if (code === 'ENOENT') {
    const link = await lstat(path).catch(() => undefined);
    variant = link?.isSymbolicLink() ? 'dangling-link' : 'message';
  }
  return {
    rule: 'unreadable-file',
    severity: 'error',
    variant,
    vars: { reason: code ?? (err as Error).message },
  };
}

function kindOfSpecial(info: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean }) {
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  return info.isCharacterDevice() ? 'character-device' : 'block-device';
}

/** decodeInput turns a file's bytes into an input: its text, or the encoding problem that stops parsing. */
export function decodeInput(path: string, bytes: Uint8Array): CheckInput {
  const problem = encodingProblem(bytes);
  if (!problem) return { path, text: decodeText(bytes) };
  return {
    path,
    text: '',
    problem: {
      rule: 'not-utf8',
      severity: 'error',
      variant: problem.variant,
      vars: problem.vars,
      ...positionOf(bytes, problem.offset),
    },
  };
}

/** readInput opens a path only if it is a regular file. */
async function readInput(path: string): Promise<CheckInput> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    return { path, text: '', problem: await readProblem(path, err) };
  }
  if (!info.isFile()) {
    const special = kindOfSpecial(info);
    return {
      path,
      text: '',
      problem: { rule: 'skipped-file', severity: 'info', variant: 'message', vars: { type: special } },
    };
  }
  try {
    return decodeInput(path, await readFile(path));
  } catch (err) {
    return { path, text: '', problem: await readProblem(path, err) };
  }
}

/** walk lists the YAML files under dir; directories reached twice through links are walked once. */
async function walk(dir: string, visited: Set<string>, out: string[], problems: CheckInput[]): Promise<void> {
  const real = await realpath(dir).catch(() => resolve(dir));
  if (visited.has(real)) return;
  visited.add(real);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push({ path: dir, text: '', problem: await readProblem(dir, err) });
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      // Follow links to directories (once); a broken link named *.yaml is reported by readInput.
      const target = await stat(full).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
    }
    if (isDir) await walk(full, visited, out, problems);
    else if (yamlName.test(e.name)) out.push(full);
  }
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * collectInputs reads every path. A path that does not exist, or a directory holding no YAML file,
 * throws UnreadableInput (bad usage, exit 2); a file that exists but cannot be read is an input
 * with a problem (reported, exit 1) so the rest of the run goes on.
 */
export async function collectInputs(
  paths: string[],
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<CheckInput[]> {
  const inputs: CheckInput[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === '-') {
      inputs.push(decodeInput('-', await readStdin(stdin)));
      continue;
    }
    const link = await lstat(p).catch((err: NodeJS.ErrnoException) => err);
    if (link instanceof Error) {
      throw new UnreadableInput(
        p,
        link.code === 'ENOENT' ? 'no such file or directory' : (link.code ?? link.message),
      );
    }
    const info = await stat(p).catch(() => undefined);
    const files: string[] = [];
    const problems: CheckInput[] = [];
    if (info?.isDirectory()) {
      await walk(p, new Set(), files, problems);
      if (files.length === 0 && problems.length === 0)
        throw new UnreadableInput(p, 'no *.yaml or *.yml files in it, so no Kubernetes objects to check');
    } else {
      files.push(p);
    }
    inputs.push(...problems);
    for (const file of files) {
      // A file named twice (or inside a directory also named) is checked once.
      if (seen.has(resolve(file))) continue;
      seen.add(resolve(file));
      inputs.push(await readInput(file));
    }
  }
  return inputs;
}
