// no-alerts: the namespace has no active alert (the same diagnosis as `k8s-learn alerts`).
import { collectSnapshot, SnapshotError } from '../../alerts/collect.js';
import { diagnose } from '../../alerts/diagnose.js';
import { explain } from '../../alerts/render.js';
import type { CheckType } from '../types.js';
import { isResult, kubectlOf, namespaceSchema, pollUntil, seconds, timeoutSchema } from './common.js';
import { causeOfAlert, namespaceStuck, raceStuck, type StuckWatch, stuckResult } from './stuck.js';

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
      const watch: StuckWatch = {
        namespace: spec.namespace,
        kinds: ['deployments', 'replicasets', 'pods', 'services'],
        confirm: ['pods', 'deployments'],
        judge: (w) => namespaceStuck(w),
      };
      const raced = await raceStuck(
        ctx,
        kubectl,
        timeout > 0 ? watch : undefined,
        (signal, notYet) =>
          pollUntil(
            timeout,
            async () => {
              const alerts = diagnose(await collectSnapshot(kubectl, spec.namespace));
              return { done: alerts.length === 0, value: alerts };
            },
            1000,
            signal,
            notYet,
          ),
        { reportsNotYet: true },
      );
      if (raced.stuck) return await stuckResult(ctx, kubectl, { title, expected }, raced.stuck);
      const outcome = raced.value;
      if (outcome.done) return { ok: true, title };
      const first = outcome.value[0]!;
      return {
        ok: false,
        title,
        expected,
        causeId: causeOfAlert(first.reason),
        saw: outcome.value
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
        cause: ctx.t('checks.unreachable', { context: ctx.cluster?.context ?? '' }),
        hint: ctx.t('checks.unreachable.hint'),
      };
    }
  },
};
