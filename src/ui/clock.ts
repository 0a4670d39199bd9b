// The texts of a spinner's clock in the learner's language (the UI adapters have no translator).
import type { Translate } from '../i18n/index.js';
import type { SpinnerClock } from './types.js';

/** spinnerClock returns the clock of a wait of `limitSeconds`, or undefined for no limit. */
export function spinnerClock(t: Translate, limitSeconds: number | undefined): SpinnerClock | undefined {
  if (limitSeconds === undefined || !(limitSeconds > 0)) return undefined;
  return {
    limitSeconds,
    running: (elapsed) =>
      t('ui.spinner.limit', { elapsed: Math.min(elapsed, limitSeconds), limit: limitSeconds }),
    limit: t('ui.spinner.upTo', { limit: limitSeconds }),
  };
}
