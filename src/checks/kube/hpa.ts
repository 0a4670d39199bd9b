// hpa-replicas: the HorizontalPodAutoscaler's `status.currentReplicas` rose above a bound, or came
// back down to one, within the time limit. HPA status changes every sync (15 s on a real
// cluster), so this check re-reads the object rather than watching one field.
import type { CheckType } from '../types.js';
import {
  isResult,
  kubectlFailure,
  kubectlOf,
  namespaceSchema,
  notFound,
  pollUntil,
  seconds,
  timeoutSchema,
} from './common.js';

/** HpaReplicasSpec: exactly one of `above` or `atMost`. */
export interface HpaReplicasSpec {
  name: string;
  namespace?: string;
  above?: number;
  atMost?: number;
  timeout?: number;
}

interface Hpa {
  spec?: { minReplicas?: number; maxReplicas?: number };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** missingRequest: the HPA cannot compute CPU utilization because a container has no CPU request. */
function missingRequest(hpa: Hpa | undefined): boolean {
  const active = hpa?.status?.conditions?.find((c) => c.type === 'ScalingActive');
  return active?.status === 'False' && /missing request for cpu/.test(active.message ?? '');
}

/** hpaReplicas checks an HPA's current replica count against a bound. */
export const hpaReplicas: CheckType<HpaReplicasSpec> = {
  name: 'hpa-replicas',
  schema: {
    type: 'object',
    required: ['name'],
    oneOf: [{ required: ['above'] }, { required: ['atMost'] }],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      namespace: namespaceSchema,
      above: { type: 'integer', minimum: 0 },
      atMost: { type: 'integer', minimum: 0 },
      timeout: timeoutSchema,
    },
  },
  async run(spec, ctx) {
    const up = spec.above !== undefined;
    const bound = (up ? spec.above : spec.atMost) ?? 0;
    const title = ctx.t(up ? 'checks.hpa.titleAbove' : 'checks.hpa.titleAtMost', { name: spec.name, bound });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t(up ? 'checks.hpa.expectedAbove' : 'checks.hpa.expectedAtMost', {
      bound,
      seconds: seconds(spec),
    });
    const ns = spec.namespace ? ['-n', spec.namespace] : [];
    const outcome = await pollUntil(
      seconds(spec),
      async () => {
        const read = await kubectl.json<Hpa>(['get', 'horizontalpodautoscaler', spec.name, ...ns]);
        const current = read.value?.status?.currentReplicas;
        const reached = current !== undefined && (up ? current > bound : current <= bound);
        // Neither a missing HPA nor a container without a CPU request changes by itself.
        return {
          done: reached || notFound(read.result) || missingRequest(read.value),
          value: { read, reached },
        };
      },
      1000,
    );
    if (outcome.value.reached) return { ok: true, title };
    const read = outcome.value.read;
    if (!read.value) {
      if (notFound(read.result)) {
        return {
          ok: false,
          title,
          expected,
          causeId: 'not-found',
          stuck: true,
          saw: ctx.t('checks.sawMissing', { object: `hpa/${spec.name}` }),
          cause: ctx.t('checks.missing.cause', { object: `hpa/${spec.name}` }),
          hint: ctx.t('checks.missing.hint'),
        };
      }
      return kubectlFailure(ctx, title, expected, read.result);
    }
    const status = read.value.status ?? {};
    const active = status.conditions?.find((c) => c.type === 'ScalingActive');
    const limited = status.conditions?.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
    const cause =
      active?.status === 'False'
        ? ctx.t('checks.hpa.causeMetrics', { message: active.message ?? active.reason ?? '' })
        : up && read.value.spec?.maxReplicas !== undefined && read.value.spec.maxReplicas <= bound
          ? ctx.t('checks.hpa.causeMax', { max: read.value.spec.maxReplicas })
          : limited
            ? ctx.t('checks.hpa.causeLimited', { message: limited.message ?? '' })
            : ctx.t(up ? 'checks.hpa.causeNoLoad' : 'checks.hpa.causeStabilization');
    return {
      ok: false,
      title,
      expected,
      ...(missingRequest(read.value)
        ? { causeId: 'missing-cpu-request', stuck: true }
        : { causeId: active?.status === 'False' ? 'metrics' : 'timeout' }),
      saw: ctx.t('checks.hpa.saw', {
        current: status.currentReplicas ?? 0,
        desired: status.desiredReplicas ?? 0,
      }),
      cause,
      hint: ctx.t('checks.hpa.hint', { command: kubectl.display(['describe', 'hpa', spec.name, ...ns]) }),
    };
  },
};
