// Check specs rendered by an earlier run. `verify` of a settled step renders a few strings such as
// `{{namespace}}`; loading Handlebars and compiling them costs more start-up than the rest of our
// part of `verify`. The built CLI remembers each rendering in the user's cache, keyed by its build,
// the template and every variable, so a later run with the same inputs gets the same text without
// loading the template engine. Sources (tests) and an unreadable cache always render afresh.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildId, cacheDir } from '../course/cache.js';

// Enough for every check of several courses and workspaces; the oldest entries go first.
const maxEntries = 2000;

interface Memo {
  build: string;
  entries: Record<string, string>;
}

function memoFile(): string {
  return join(cacheDir(), 'renders.json');
}

let loaded: Memo | undefined;

function readMemo(build: string): Memo {
  if (loaded?.build === build) return loaded;
  loaded = { build, entries: {} };
  try {
    const memo = JSON.parse(readFileSync(memoFile(), 'utf8')) as Memo;
    if (memo.build === build && memo.entries && typeof memo.entries === 'object') loaded = memo;
  } catch {
    // No usable memo: start a new one.
  }
  return loaded;
}

function writeMemo(memo: Memo): void {
  const keys = Object.keys(memo.entries);
  for (const key of keys.slice(0, Math.max(0, keys.length - maxEntries))) delete memo.entries[key];
  const file = memoFile();
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(temp, JSON.stringify(memo));
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
  }
}

function memoKey(template: string, vars: Record<string, string>): string {
  const sorted = Object.keys(vars)
    .sort()
    .map((k) => [k, vars[k]]);
  return createHash('sha256')
    .update(JSON.stringify([template, sorted]))
    .digest('base64url');
}

// Only `{{` starts Handlebars syntax: a string without it renders as itself.
const isTemplate = (value: unknown): value is string => typeof value === 'string' && value.includes('{{');

function collect(value: unknown, into: Set<string>): void {
  if (isTemplate(value)) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v, into);
}

function replace<T>(value: T, rendered: Map<string, string>): T {
  if (isTemplate(value)) return rendered.get(value) as T;
  if (Array.isArray(value)) return value.map((v) => replace(v, rendered)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v, rendered)])) as T;
  return value;
}

/**
 * renderDeepCached renders every string inside a JSON-like value (a check spec), as renderDeep in
 * src/engine/templates.ts does, from the memo when it can. Errors are renderDeep's.
 */
export async function renderDeepCached<T>(value: T, vars: Record<string, string>, where: string): Promise<T> {
  const templates = new Set<string>();
  collect(value, templates);
  if (templates.size === 0) return value;
  const build = buildId();
  const memo = build ? readMemo(build) : undefined;
  const rendered = new Map<string, string>();
  const missing: string[] = [];
  for (const template of templates) {
    const hit = memo?.entries[memoKey(template, vars)];
    if (typeof hit === 'string') rendered.set(template, hit);
    else missing.push(template);
  }
  if (missing.length > 0) {
    const { render } = await import('./templates.js');
    for (const template of missing) rendered.set(template, render(template, vars, where));
    if (memo) {
      for (const template of missing) memo.entries[memoKey(template, vars)] = rendered.get(template)!;
      writeMemo(memo);
    }
  }
  return replace(value, rendered);
}
