// The live view's chart: CPU (in % of the pods' requests) as columns against the HPA's target,
// drawn as a dotted line, and the replica count under each column, one column per sample. Pure
// functions over the samples, so a test can read the rows a terminal would show.
import type { Translate } from '../i18n/index.js';

/** Sample is one column: the time (cluster seconds since the start), replicas and CPU. */
export interface Sample {
  at: number;
  replicas: number;
  cpu?: number;
  /** Load was being sent at this time. */
  loading: boolean;
}

/** ChartOptions shape the chart. */
export interface ChartOptions {
  /** Columns available for samples (older ones scroll off). */
  width: number;
  /** Rows of the CPU chart. */
  height: number;
  target?: number;
  maxReplicas: number;
}

const EIGHTHS = ['', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** cpuTop is the value of the chart's top row: room for twice the target, or the peak. */
export function cpuTop(samples: Sample[], target: number | undefined): number {
  const peak = Math.max(0, ...samples.map((s) => s.cpu ?? 0));
  const floor = (target ?? 50) * 2;
  return Math.max(floor, Math.ceil(peak / 50) * 50);
}

/** replicaMark is the character under a column: the digit, or a letter from 10 on (a = 10). */
export function replicaMark(replicas: number): string {
  if (replicas < 10) return String(Math.max(0, replicas));
  return replicas < 36 ? String.fromCharCode(87 + replicas) : '+';
}

/** renderChart lays out the rows: label column, then one character per sample. */
export function renderChart(all: Sample[], opts: ChartOptions, t: Translate): string[] {
  const samples = all.slice(-opts.width);
  const top = cpuTop(samples, opts.target);
  const label = (text: string) => text.padStart(6);
  const targetRow =
    opts.target === undefined
      ? -1
      : Math.min(opts.height - 1, Math.max(0, Math.round(opts.height - (opts.target / top) * opts.height)));
  const rows: string[] = [t('load.chart.cpuTitle', { target: opts.target ?? '-' })];
  for (let r = 0; r < opts.height; r++) {
    const rowTop = (top * (opts.height - r)) / opts.height;
    const rowBottom = (top * (opts.height - r - 1)) / opts.height;
    const cells = samples.map((s) => {
      const cpu = s.cpu ?? 0;
      if (cpu >= rowTop) return '█';
      if (cpu > rowBottom) {
        const eighth = Math.round(((cpu - rowBottom) / (rowTop - rowBottom)) * 8);
        if (eighth > 0) return EIGHTHS[eighth] as string;
      }
      return r === targetRow ? '┄' : ' ';
    });
    const axis =
      r === 0
        ? label(`${top}%`)
        : r === targetRow
          ? label(`${opts.target}%`)
          : r === opts.height - 1
            ? label('0%')
            : label('');
    rows.push(`${axis} ┤${cells.join('')}`);
  }
  rows.push(`${label(t('load.chart.replicas'))} │${samples.map((s) => replicaMark(s.replicas)).join('')}`);
  rows.push(`${label('')} └${samples.map((s) => (s.loading ? '━' : '─')).join('')}`);
  return rows;
}
