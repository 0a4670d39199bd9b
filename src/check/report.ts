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

/** Longest line printed (a YAML error can quote a whole minified line) and findings shown per file. */
export const maxLineLength = 400;
export const maxFindingsPerFile = 50;

/**
 * printable escapes control bytes (a terminal would act on them) and caps the length: findings may
 * quote the learner's text, and that text can be anything.
 */
export function printable(text: string, max = maxLineLength): string {
  const escaped = text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
    })
    .replace(/\t/g, '\\t');
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

/** formatText renders findings for a terminal; colour follows NO_COLOR and the TTY via styleText. */
export function formatText(
  files: string[],
  findings: Finding[],
  documents: number,
  t: Translate,
  color: boolean,
  rulesDoc?: string,
): string {
  const paint = (style: Parameters<typeof styleText>[0], s: string) => (color ? styleText(style, s) : s);
  const lines: string[] = [];
  // Group once: filtering all findings per file is quadratic on a directory of thousands of files.
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const own = byFile.get(f.file);
    if (own) own.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const file of files) {
    const own = byFile.get(file) ?? [];
    const name = printable(displayName(file));
    if (own.length === 0) {
      lines.push(`${paint('bold', name)}: ${paint('green', t('check.ui.file-ok'))}`);
      continue;
    }
    lines.push(paint('bold', name));
    for (const f of own.slice(0, maxFindingsPerFile)) {
      const where = `${f.line}:${f.column}`.padEnd(7);
      const sev = paint(colors[f.severity], t(`check.ui.severity.${f.severity}`));
      lines.push(`  ${where} ${sev} ${paint('dim', f.rule)}  ${printable(f.message)}`);
      if (f.fix) lines.push(`  ${' '.repeat(7)} ${paint('dim', `→ ${printable(f.fix)}`)}`);
    }
    if (own.length > maxFindingsPerFile)
      lines.push(`  ${paint('dim', t('check.ui.more', { count: own.length - maxFindingsPerFile }))}`);
  }
  const { errors, warnings, infos } = summarize(findings);
  lines.push('', t('check.ui.summary', { files: files.length, documents, errors, warnings, infos }));
  if (rulesDoc && findings.length > 0) lines.push(paint('dim', t('check.ui.rules-doc', { path: rulesDoc })));
  return `${lines.join('\n')}\n`;
}

/** formatJson renders the machine-readable report (stable field names; see docs/checker.md). */
export function formatJson(findings: Finding[], strict: boolean, rulesDoc?: string): string {
  const s = summarize(findings, strict);
  const report = {
    summary: s,
    ...(rulesDoc ? { rulesDoc } : {}),
    findings: findings.map((f) => ({ ...f, file: displayName(f.file) })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
