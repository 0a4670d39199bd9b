// Renders alerts: a table (severity, object, reason, since) and, under each row, what it means and
// how to fix it in the learner's language.
import { styleText } from 'node:util';
import type { Translate } from '../i18n/index.js';
import type { Alert } from './types.js';

/** formatSince turns a timestamp into a kubectl-like age (`45s`, `3m`, `2h`, `4d`). */
export function formatSince(since: string | undefined, now: Date): string {
  const t = Date.parse(since ?? '');
  if (!Number.isFinite(t)) return '-';
  const s = Math.max(0, Math.round((now.getTime() - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** explain returns the translated meaning and fix of an alert. */
export function explain(alert: Alert, t: Translate): { means: string; fix: string } {
  const vars = {
    ...alert.details,
    object: alert.object,
    namespace: alert.namespace,
    container: alert.container ?? '',
    message: alert.message,
  };
  return { means: t(`alerts.${alert.reason}.means`, vars), fix: t(`alerts.${alert.reason}.fix`, vars) };
}

/** renderAlerts returns the table and explanations as lines. */
export function renderAlerts(alerts: Alert[], t: Translate, now: Date): string[] {
  if (alerts.length === 0) return [styleText('green', t('alerts.none'))];
  const rows = alerts.map((a) => [
    a.severity === 'critical' ? t('alerts.severity.critical') : t('alerts.severity.warning'),
    `${a.namespace}/${a.object}${a.container ? ` [${a.container}]` : ''}`,
    a.reason,
    formatSince(a.since, now),
  ]);
  const header = [
    t('alerts.col.severity'),
    t('alerts.col.object'),
    t('alerts.col.reason'),
    t('alerts.col.since'),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  alerts.forEach((alert, i) => {
    const row = line(rows[i]!);
    out.push(alert.severity === 'critical' ? styleText('red', row) : styleText('yellow', row));
  });
  out.push('');
  for (const alert of alerts) {
    const { means, fix } = explain(alert, t);
    out.push(
      styleText('bold', `${alert.object}${alert.container ? ` [${alert.container}]` : ''} — ${alert.reason}`),
    );
    if (alert.message) out.push(`  ${t('alerts.saw')} ${alert.message}`);
    out.push(`  ${t('alerts.means')} ${means}`);
    out.push(`  ${t('alerts.fix')} ${fix}`);
    const tail = alert.details.logTail;
    if (typeof tail === 'string' && tail !== '') {
      out.push(`  ${t('alerts.logTail')}`);
      for (const l of tail.split('\n')) out.push(`    | ${l}`);
    }
  }
  return out;
}
