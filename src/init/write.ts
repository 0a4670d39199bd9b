// Writes the project without ever losing the user's work: a non-empty folder is refused unless
// --force (or a yes at the prompt); nothing is ever deleted; a file init did not write (or wrote and
// the user changed since) is replaced only after its diff is shown and the user agrees — under
// --yes it is kept. `.k8s-learn-init.json` holds the sha256 of each file as init last wrote it.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { sha256 } from '../engine/scaffold.js';
import { ExitCode, UserError } from '../errors.js';
import type { InitContext } from './context.js';

/** RECORD_FILE is init's record of what it wrote, in the project root. */
export const RECORD_FILE = '.k8s-learn-init.json';

interface InitRecord {
  _comment: string;
  files: Record<string, string>;
}

/** FileAction is what happens to one file. */
export type FileAction = 'created' | 'unchanged' | 'updated' | 'replaced' | 'kept';

function readRecord(dir: string): InitRecord {
  const file = join(dir, RECORD_FILE);
  if (!existsSync(file)) return { _comment: '', files: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as InitRecord;
    return { _comment: '', files: parsed.files ?? {} };
  } catch {
    // An unreadable record: treat every existing file as not ours (the safe side).
    return { _comment: '', files: {} };
  }
}

function put(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** displayDir is the target as the user would type it after `cd`. */
export function displayDir(cwd: string, dir: string): string {
  const rel = relative(cwd, dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

/** checkTarget refuses a non-empty folder unless --force or the user agrees at the prompt. */
export async function checkTarget(
  ctx: Pick<InitContext, 'options' | 'flags' | 'ui' | 't' | 'yes' | 'cwd'>,
): Promise<void> {
  const dir = ctx.options!.dir;
  if (existsSync(dir) && !statIsDir(dir))
    throw new UserError(ctx.t('init.notADir', { dir }), ctx.t('init.notADir.next'));
  const entries = existsSync(dir) ? readdirSync(dir) : [];
  if (entries.length === 0 || ctx.flags.force) return;
  const shown = displayDir(ctx.cwd, dir);
  if (!ctx.yes && ctx.ui.interactive) {
    const go = await ctx.ui.confirm({ message: ctx.t('init.ask.nonEmpty', { dir: shown }), initial: false });
    if (go) return;
  }
  throw new UserError(
    ctx.t('init.nonEmpty', { dir: shown, count: entries.length }),
    ctx.t('init.nonEmpty.next'),
    ExitCode.failed,
  );
}

function statIsDir(path: string): boolean {
  return statSync(path).isDirectory();
}

async function showDiff(
  ctx: Pick<InitContext, 'ui' | 't'>,
  path: string,
  mine: string,
  ours: string,
): Promise<void> {
  const { createTwoFilesPatch } = await import('diff');
  const patch = createTwoFilesPatch(`${path} (yours)`, `${path} (k8s-learn init)`, mine, ours, '', '', {
    context: 2,
  });
  // Drop the ==== line createTwoFilesPatch starts with; keep the ---/+++ header naming both sides.
  ctx.ui.note(patch.split('\n').slice(1).join('\n').trimEnd(), ctx.t('init.diffTitle', { file: path }));
}

/** writeProject writes every rendered file and returns what happened to each. */
export async function writeProject(
  ctx: Pick<InitContext, 'options' | 'files' | 'ui' | 't' | 'yes'>,
): Promise<Map<string, FileAction>> {
  const dir = ctx.options!.dir;
  const record = readRecord(dir);
  const written: Record<string, string> = { ...record.files };
  const outcome = new Map<string, FileAction>();
  for (const [path, ours] of ctx.files!) {
    const file = join(dir, path);
    if (!existsSync(file)) {
      put(file, ours);
      written[path] = sha256(ours);
      outcome.set(path, 'created');
      continue;
    }
    const mine = readFileSync(file, 'utf8');
    if (mine === ours) {
      written[path] = sha256(ours);
      outcome.set(path, 'unchanged');
      continue;
    }
    if (record.files[path] === sha256(mine)) {
      // init wrote it and nobody changed it since: the new version may replace it.
      put(file, ours);
      written[path] = sha256(ours);
      outcome.set(path, 'updated');
      continue;
    }
    await showDiff(ctx, path, mine, ours);
    const replace =
      !ctx.yes && ctx.ui.interactive
        ? await ctx.ui.confirm({ message: ctx.t('init.ask.replace', { file: path }), initial: false })
        : false;
    if (!replace) {
      ctx.ui.warn(ctx.t(ctx.yes || !ctx.ui.interactive ? 'init.keptYes' : 'init.kept', { file: path }));
      outcome.set(path, 'kept');
      continue;
    }
    put(`${file}.orig`, mine);
    put(file, ours);
    written[path] = sha256(ours);
    ctx.ui.warn(ctx.t('init.replaced', { file: path, backup: `${path}.orig` }));
    outcome.set(path, 'replaced');
  }
  const comment =
    'Written by k8s-learn init: the sha256 of each file as init wrote it, so that a re-run never overwrites your changes. Safe to delete (a re-run then asks about every changed file).';
  put(join(dir, RECORD_FILE), `${JSON.stringify({ _comment: comment, files: written }, null, 2)}\n`);
  return outcome;
}

/** tree draws paths as a folder tree (├── └──), folders first, under a root label. */
export function tree(rootLabel: string, paths: string[]): string {
  interface Node {
    [name: string]: Node;
  }
  const root: Node = {};
  for (const p of paths) {
    let node = root;
    for (const part of p.split('/')) node = node[part] ??= {};
  }
  const lines = [`${rootLabel}/`];
  const draw = (node: Node, prefix: string) => {
    const names = Object.keys(node).sort((a, b) => {
      const dirA = Object.keys(node[a]!).length > 0;
      const dirB = Object.keys(node[b]!).length > 0;
      return dirA === dirB ? a.localeCompare(b) : dirA ? -1 : 1;
    });
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      const child = node[name]!;
      const isDir = Object.keys(child).length > 0;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${name}${isDir ? '/' : ''}`);
      if (isDir) draw(child, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  draw(root, '');
  return lines.join('\n');
}
