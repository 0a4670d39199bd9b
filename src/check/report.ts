// Prints findings: text grouped by file (line:column, severity, rule id, message, fix) or JSON.
import { styleText } from 'node:util';
import type { Translate } from '../i18n/index.js';
import { summarize } from './index.js';
import type { Finding, Severity } from './types.js';

/** displayName shows stdin as `<stdin>`. */
export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

const colors: Record<Severity, Parameters<typeof styleText>[0]> = {
  error: 'red',
  warning: 'yellow',
  info: 'cyan',
};

/** formatText renders findings for a terminal; colour follows NO_COLOR and the TTY via styleText. */
export function formatText(
  files: string[],
  findings: Finding[],
  documents: number,
  t: Translate,
  color: boolean,
): string {
  const paint = (style: Parameters<typeof styleText>[0], s: string) => (color ? styleText(style, s) : s);
  const lines: string[] = [];
  for (const file of files) {
    const own = findings.filter((f) => f.file === file);
    if (own.length === 0) {
      lines.push(`${paint('bold', displayName(file))}: ${paint('green', t('check.ui.file-ok'))}`);
      continue;
    }
    lines.push(paint('bold', displayName(file)));
    for (const f of own) {
      const where = `${f.line}:${f.column}`.padEnd(7);
      const sev = paint(colors[f.severity], t(`check.ui.severity.${f.severity}`));
      lines.push(`  ${where} ${sev} ${paint('dim', f.rule)}  ${f.message}`);
      if (f.fix) lines.push(`  ${' '.repeat(7)} ${paint('dim', `→ ${f.fix}`)}`);
    }
  }
  const { errors, warnings, infos } = summarize(findings);
  lines.push('', t('check.ui.summary', { files: files.length, documents, errors, warnings, infos }));
  return `${lines.join('\n')}\n`;
}

/** formatJson renders the machine-readable report (stable field names; see docs/checker.md). */
export function formatJson(findings: Finding[], strict: boolean): string {
  const s = summarize(findings, strict);
  return `${JSON.stringify({ summary: s, findings: findings.map((f) => ({ ...f, file: displayName(f.file) })) }, null, 2)}\n`;
}
