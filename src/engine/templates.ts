// Handlebars rendering for templates, commands and check specs. Compiled with noEscape (we write
// YAML and shell words, not HTML) and strict (a missing variable is an error, not an empty string).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { FileSpec } from '../course/types.js';
import { UserError } from '../errors.js';

const hb = Handlebars.create();
// `{{yaml x}}` renders a value as a safe YAML scalar (quoted when YAML would misread it).
hb.registerHelper('yaml', (value: unknown) => {
  const text = String(value);
  return /^[A-Za-z0-9._/-]+$/.test(text) &&
    !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[0-9]+)?)$/i.test(text)
    ? text
    : JSON.stringify(text);
});

/** render renders a Handlebars template string with variables. */
export function render(template: string, vars: Record<string, unknown>, where = 'template'): string {
  try {
    return hb.compile(template, { noEscape: true, strict: true })(vars);
  } catch (err) {
    throw new UserError(`cannot render ${where}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** renderDeep renders every string inside a JSON-like value (check specs). */
export function renderDeep<T>(value: T, vars: Record<string, string>, where: string): T {
  if (typeof value === 'string') return render(value, vars, where) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars, where)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, vars, where)])) as T;
  }
  return value;
}

/** findTemplate resolves a template path in the course's template directories. */
export function findTemplate(templateDirs: string[], path: string): string | undefined {
  for (const dir of templateDirs) {
    const full = join(dir, path);
    if (existsSync(full)) return full;
  }
  return undefined;
}

/** renderFile produces the content of a FileSpec. */
export function renderFile(spec: FileSpec, templateDirs: string[], vars: Record<string, string>): string {
  const all = { ...vars, ...(spec.vars ?? {}) };
  if (spec.content !== undefined) return render(spec.content, all, `content of ${spec.to}`);
  const file = findTemplate(templateDirs, spec.template!);
  if (!file)
    throw new UserError(`template "${spec.template}" not found (looked in ${templateDirs.join(', ')})`);
  return render(readFileSync(file, 'utf8'), all, `template ${spec.template}`);
}
