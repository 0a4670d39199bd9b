// no-alerts: the namespace has no active alert (the same diagnosis as `k8s-learn alerts`).
import { collectSnapshot, SnapshotError } from '../../alerts/collect.js';
import { diagnose } from '../../alerts/diagnose.js';
import { explain } from '../../alerts/render.js';
import { alertKey } from '../../alerts/types.js';
import type { CheckType } from '../types.js';
import { isResult, kubectlOf, namespaceSchema, pollUntil, seconds, timeoutSchema } from './common.js';
import { causeOfAlert, namespaceStuck, snapshotWatch, stuckResult } from './stuck.js';

/** NoAlertsSpec names the namespace; `timeout` gives alerts time to clear (default 0). */
export interface NoAlertsSpec {
  namespace: string;
  timeout?: number;
}

/** noAlerts passes when `alerts -n NS` would print nothing. */
export const noAlerts: CheckType<NoAlertsSpec> = {
  name: 'no-alerts',
  schema: {
    type: 'object',
    required: ['namespace'],
    additionalProperties: false,
    properties: { namespace: namespaceSchema, timeout: timeoutSchema },
  },
  async run(spec, ctx) {
    const title = ctx.t('checks.noAlerts.title', { namespace: spec.namespace });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.noAlerts.expected');
    try {
      const timeout = spec.timeout === undefined ? 0 : seconds(spec);
      // Each round reads the whole namespace anyway, so the stuck judgement runs on that snapshot
      // (no watch needed): a crash loop of a current pod ends the wait at once.
      const outcome = await pollUntil(
        timeout,
        async () => {
          const snapshot = await collectSnapshot(kubectl, spec.namespace);
          const alerts = diagnose(snapshot);
          const stuck = alerts.length > 0 ? namespaceStuck(snapshotWatch(snapshot)) : undefined;
          if (stuck?.alert) {
            // The same alert from the full diagnosis carries the events' message and the log tail.
            const key = alertKey(stuck.alert);
            stuck.alert = alerts.find((a) => alertKey(a) === key) ?? stuck.alert;
          }
          return { done: alerts.length === 0 || stuck !== undefined, value: { alerts, stuck } };
        },
        1000,
      );
      const { alerts, stuck } = outcome.value;
      if (stuck) return await stuckResult(ctx, kubectl, { title, expected }, stuck);
      if (alerts.length === 0) return { ok: true, title };
      const first = alerts[0]!;
      return {
        ok: false,
        title,
        expected,
        causeId: causeOfAlert(first.reason),
        saw: alerts
          .map((a) => `${a.object}${a.container ? ` [${a.container}]` : ''}: ${a.reason}`)
          .join('; '),
        cause: explain(first, ctx.t).means,
        hint: `${explain(first, ctx.t).fix} (${ctx.t('checks.noAlerts.hint', { namespace: spec.namespace })})`,
      };
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      return {
        ok: false,
        title,
        expected,
        saw: err.message,
        causeId: 'unreachable',
        cause: ctx.t('checks.unreachable', { context: ctx.cluster?.context ?? '' }),
        hint: ctx.t('checks.unreachable.hint'),
      };
    }
  },
};
