// UI strings live in one JSON file per language (src/locales/<lang>.json, copied to dist/locales).
// Adding a language adds a file. A missing key or file falls back to English, with one notice.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invocation } from '../invocation.js';
import { packageRoot } from '../paths.js';

export type Messages = Record<string, string>;
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

function localeFile(lang: string): string | undefined {
  // A checkout has src/ (the truth while developing); an installed package has only dist/.
  for (const dir of ['src/locales', 'dist/locales']) {
    const file = join(packageRoot(), dir, `${lang}.json`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function load(lang: string): Messages | undefined {
  const file = localeFile(lang);
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as Messages) : undefined;
}

/** interpolate replaces `{name}` placeholders. */
export function interpolate(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/**
 * createTranslator returns `t(key, vars)` for a language. `onFallback` is called once, the first
 * time an English string stands in for a missing translation.
 */
export function createTranslator(lang: string, onFallback?: (lang: string) => void): Translate {
  const en = load('en') ?? {};
  const own = lang === 'en' ? en : (load(lang) ?? {});
  let warned = false;
  return (key, vars) => {
    let text = own[key];
    if (text === undefined) {
      text = en[key];
      if (text !== undefined && lang !== 'en' && !warned) {
        warned = true;
        onFallback?.(lang);
      }
    }
    // `{cli}` is how the learner started k8s-learn (npx k8s-learn, npm start --, k8s-learn).
    return interpolate(text ?? key, { cli: invocation(), ...vars });
  };
}
