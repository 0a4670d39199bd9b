// The live view of a load run. On a terminal: a block redrawn in place (header, the CPU chart
// against the target, the replicas under it). Otherwise (a pipe, a log, `--yes`, the engine
// running it for the learner): plain lines, one when the replica count or the HPA's state
// changes, so the story reads top to bottom.
import { styleText } from 'node:util';
import type { Translate } from '../i18n/index.js';
import { renderChart, type Sample } from './chart.js';
import type { LoadCounters } from './generator.js';
import type { HpaState } from './hpa-state.js';

/** ViewState is everything the view shows. */
export interface ViewState {
  elapsed: number;
  duration: number;
  loading: boolean;
  counters: LoadCounters;
  hpa?: HpaState;
  samples: Sample[];
}

/** View draws a load run. */
export interface View {
  /** update redraws (terminal) or prints what changed (plain). */
  update(state: ViewState): void;
  /** line prints a line of its own (above the block on a terminal). */
  line(text: string): void;
  /** close leaves the last drawing on screen. */
  close(): void;
}

const secs = (n: number) => `${Math.round(n)}s`;

/** headerLine is the first line of the terminal view. */
export function headerLine(state: ViewState, t: Translate): string {
  const phase = state.loading
    ? t('load.view.loading', { elapsed: secs(state.elapsed), duration: secs(state.duration) })
    : t('load.view.settling', { elapsed: secs(state.elapsed) });
  return `${phase} · ${t('load.view.counters', state.counters as unknown as Record<string, string | number>)}`;
}

/** hpaLine says where the HPA stands now. */
export function hpaLine(hpa: HpaState | undefined, t: Translate): string {
  if (!hpa) return t('load.view.noHpa');
  if (hpa.problem)
    return t('load.view.hpaProblem', {
      name: hpa.name,
      reason: hpa.problem.reason,
      message: hpa.problem.message,
    });
  return t('load.view.hpa', {
    name: hpa.name,
    replicas: hpa.replicas,
    desired: hpa.desired,
    min: hpa.min,
    max: hpa.max,
    cpu: hpa.cpu === undefined ? '<unknown>' : `${hpa.cpu}%`,
    target: hpa.target === undefined ? '-' : `${hpa.target}%`,
  });
}

/** terminalView redraws a block in place with ANSI cursor movement. */
export function terminalView(t: Translate, out: NodeJS.WriteStream, color: boolean): View {
  let drawn = 0;
  const width = Math.max(20, Math.min(72, (out.columns ?? 80) - 10));
  const erase = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  let last: ViewState | undefined;
  const draw = (state: ViewState) => {
    const rows = [
      headerLine(state, t),
      hpaLine(state.hpa, t),
      ...renderChart(
        state.samples,
        { width, height: 6, target: state.hpa?.target, maxReplicas: state.hpa?.max ?? 1 },
        t,
      ),
      t('load.view.legend'),
    ];
    const painted = color
      ? rows.map((r, i) => (i === 0 ? styleText('bold', r) : r.replace(/┄+/g, (m) => styleText('yellow', m))))
      : rows;
    out.write(`${painted.join('\n')}\n`);
    drawn = rows.length;
  };
  return {
    update(state) {
      last = state;
      erase();
      draw(state);
    },
    line(text) {
      erase();
      out.write(`${text}\n`);
      if (last) draw(last);
    },
    close() {
      drawn = 0;
    },
  };
}

/** plainView prints a line when the HPA's replicas, desired count or state change. */
export function plainView(t: Translate, print: (line: string) => void, hpaExpected: boolean): View {
  let previous = '';
  return {
    update(state) {
      const hpa = state.hpa;
      // The HPA's first reading is on its way (its watch starts with the load).
      if (!hpa && hpaExpected) return;
      const key = hpa
        ? `${hpa.replicas}/${hpa.desired}/${hpa.problem?.reason ?? ''}/${hpa.cpu === undefined}`
        : '-';
      if (key === previous) return;
      previous = key;
      print(`${secs(state.elapsed).padStart(5)}  ${hpaLine(hpa, t)}`);
    },
    line(text) {
      print(text);
    },
    close() {},
  };
}
