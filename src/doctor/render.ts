// Renders a DoctorReport for the terminal: one line per item, fixes indented under failures, and a
// closing verdict naming the backend and, when kind cannot work, the practice cluster.
import { styleText } from 'node:util';
import type { Translate } from '../i18n/index.js';
import type { DoctorReport } from './index.js';

const marks = { ok: '✓', warn: '!', fail: '✗', skip: '-' } as const;
const colors = { ok: 'green', warn: 'yellow', fail: 'red', skip: 'gray' } as const;

/** renderDoctor returns the report as lines of text. */
export function renderDoctor(report: DoctorReport, t: Translate): string[] {
  const lines = [t('doctor.title', { platform: report.platform, cluster: report.cluster })];
  const width = Math.max(...report.items.map((i) => t(`doctor.item.${i.id}`).length));
  for (const item of report.items) {
    const label = t(`doctor.item.${item.id}`).padEnd(width);
    const detail =
      item.status === 'skip'
        ? t('doctor.skipped')
        : t(`doctor.${item.id}.${item.status}`, { detail: item.detail });
    lines.push(`${styleText(colors[item.status], marks[item.status])} ${label}  ${detail}`);
    if (item.howToFix && item.status !== 'ok') {
      for (const command of item.howToFix.commands) lines.push(`    ${t('doctor.fix')} ${command}`);
      lines.push(`    ${t('doctor.docs')} ${item.howToFix.url}`);
    }
  }
  lines.push('');
  const backendName = t(`doctor.backend.${report.backend}`);
  if (report.usable) {
    lines.push(styleText('green', t('doctor.verdict.ok', { backend: backendName })));
  } else {
    lines.push(styleText('red', t('doctor.verdict.fail', { backend: backendName })));
  }
  if (!report.kindUsable && report.practiceUsable) lines.push(t('doctor.practiceInstead'));
  if (report.backend === 'practice') lines.push(t('doctor.practiceNote'));
  return lines;
}
