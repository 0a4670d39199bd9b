import type { Localized } from './types.js';

/** localize picks the text in `lang`, else English. */
export function localize(text: Localized | undefined, lang: string): string {
  if (!text) return '';
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? '';
}
