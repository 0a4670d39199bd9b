// The load-balancing view of `k8s-learn balance`: one row per pod behind the Service, a bar for its
// share of the answers so far. Pure: the command decides where and how often it is drawn.
import { styleText } from 'node:util';
import type { Translate } from '../i18n/index.js';

/** BalanceState is what the view shows. */
export interface BalanceState {
  service: string;
  namespace: string;
  requests: number;
  /** Requests answered or failed so far. */
  done: number;
  failed: number;
  /** Answers per pod, in the order the pods are listed (ready endpoints first, then newcomers). */
  counts: Map<string, number>;
  lastError?: string;
}

const palette = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'] as const;

/** bar is `width` cells: `share` of them full (█), the rest light (░). */
export function bar(share: number, width: number): string {
  const full = Math.round(Math.max(0, Math.min(1, share)) * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
}

/** renderBalance lays out the header, one row per pod and the failures line. */
export function renderBalance(
  state: BalanceState,
  t: Translate,
  options: { color: boolean; width?: number },
): string[] {
  const width = options.width ?? 30;
  const answered = state.done - state.failed;
  const pods = [...state.counts.keys()];
  const nameWidth = Math.max(10, ...pods.map((p) => p.length));
  const lines = [
    t('balance.header', {
      service: state.service,
      namespace: state.namespace,
      done: state.done,
      requests: state.requests,
    }),
  ];
  pods.forEach((pod, i) => {
    const count = state.counts.get(pod) ?? 0;
    const share = answered > 0 ? count / answered : 0;
    const cells = bar(share, width);
    const painted = options.color ? styleText(palette[i % palette.length]!, cells) : cells;
    lines.push(
      `  ${pod.padEnd(nameWidth)}  ${painted}  ${String(count).padStart(3)}  ${`${Math.round(share * 100)}%`.padStart(4)}`,
    );
  });
  if (pods.length === 0) lines.push(`  ${t('balance.noPods')}`);
  if (state.failed > 0)
    lines.push(`  ${t('balance.failed', { count: state.failed, error: state.lastError ?? '' })}`);
  return lines;
}
