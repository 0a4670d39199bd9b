// `workshop status` as text: one row per learner, stuck first (the order of buildView).
import { styleText } from 'node:util';
import type { Translate } from '../i18n/index.js';
import type { LearnerRow, WorkshopView } from './rows.js';

/** formatDuration is 45s, 3m05s, 1h02m. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

const colour: Record<LearnerRow['state'], Parameters<typeof styleText>[0]> = {
  failing: 'red',
  working: 'yellow',
  'not-started': 'dim',
  done: 'green',
};

/** renderTable lays the view out in columns (no colour when NO_COLOR is set). */
export function renderTable(view: WorkshopView, t: Translate): string[] {
  const header = ['learner', 'state', 'lesson', 'step', 'attempts', 'hints', 'stuck', 'lastFailure'].map(
    (k) => t(`workshop.status.col.${k}`),
  );
  const rows = view.learners.map((r) => [
    r.learner,
    t(`workshop.state.${r.state}`),
    r.lesson ?? '-',
    r.step ? `${r.step.number}/${r.totalSteps ?? '?'} ${r.step.title}` : '-',
    String(r.attempts),
    String(r.hintsShown),
    formatDuration(r.stuckSeconds),
    r.lastFailure ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const plain = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const out = [line(header)];
  view.learners.forEach((r, i) => {
    const text = line(rows[i]!);
    out.push(plain ? text : styleText(colour[r.state], text));
  });
  if (view.learners.length === 0) out.push(t('workshop.status.none'));
  const counts = (['failing', 'working', 'not-started', 'done'] as const).map(
    (s) => `${t(`workshop.state.${s}`)}: ${view.learners.filter((r) => r.state === s).length}`,
  );
  out.push('', counts.join(' · '));
  for (const f of view.failures.slice(0, 3)) out.push(`  ${f.count} × ${f.cause}`);
  return out;
}
