// configmap-json / configmap-cidrs: ConfigMap data is opaque to the API server, so a broken JSON
// value or the article's `20.0.0.0/4` is accepted; these checks read the value and judge it.
import type { CheckContext, CheckResult, CheckType } from '../types.js';
import { checkCidr, cidrEntries } from './cidr.js';
import { isResult, kubectlFailure, kubectlOf, namespaceSchema, notFound } from './common.js';

/** ConfigMapKeySpec names one key of one ConfigMap. */
export interface ConfigMapKeySpec {
  name: string;
  namespace?: string;
  key: string;
  /** configmap-cidrs: the field of each JSON object holding the CIDR (default `name`). */
  field?: string;
}

const props = {
  name: { type: 'string', minLength: 1 },
  namespace: namespaceSchema,
  key: { type: 'string', minLength: 1 },
};

async function readKey(
  spec: ConfigMapKeySpec,
  ctx: CheckContext,
  title: string,
  expected: string,
): Promise<string | CheckResult> {
  const kubectl = kubectlOf(ctx, title);
  if (isResult(kubectl)) return kubectl;
  const ns = spec.namespace ? ['-n', spec.namespace] : [];
  const { value, result } = await kubectl.json<{ data?: Record<string, string> }>([
    'get',
    'configmap',
    spec.name,
    ...ns,
  ]);
  if (!value) {
    if (notFound(result)) {
      return {
        ok: false,
        title,
        expected,
        saw: ctx.t('checks.sawMissing', { object: `configmap/${spec.name}` }),
        cause: ctx.t('checks.missing.cause', { object: `configmap/${spec.name}` }),
        hint: ctx.t('checks.configmap.hintMissing'),
        causeId: 'not-found',
      };
    }
    return kubectlFailure(ctx, title, expected, result);
  }
  const data = value.data ?? {};
  if (!(spec.key in data)) {
    return {
      ok: false,
      title,
      expected,
      saw: ctx.t('checks.configmap.sawKeys', { keys: Object.keys(data).join(', ') || '-' }),
      cause: ctx.t('checks.configmap.causeKey', { key: spec.key }),
      hint: ctx.t('checks.configmap.hintKey', { key: spec.key }),
    };
  }
  return data[spec.key]!;
}

/** configMapJson passes when the key holds valid JSON. */
export const configMapJson: CheckType<ConfigMapKeySpec> = {
  name: 'configmap-json',
  schema: { type: 'object', required: ['name', 'key'], additionalProperties: false, properties: props },
  async run(spec, ctx) {
    const title = ctx.t('checks.configmapJson.title', { name: spec.name, key: spec.key });
    const expected = ctx.t('checks.configmapJson.expected', { key: spec.key });
    const value = await readKey(spec, ctx, title, expected);
    if (typeof value !== 'string') return value;
    try {
      JSON.parse(value);
      return { ok: true, title };
    } catch (err) {
      return {
        ok: false,
        title,
        expected,
        saw: (err as Error).message,
        cause: ctx.t('checks.configmapJson.cause'),
        hint: ctx.t('checks.configmapJson.hint'),
      };
    }
  },
};

/** configMapCidrs passes when every CIDR in the key is a valid network address. */
export const configMapCidrs: CheckType<ConfigMapKeySpec> = {
  name: 'configmap-cidrs',
  schema: {
    type: 'object',
    required: ['name', 'key'],
    additionalProperties: false,
    properties: { ...props, field: { type: 'string', minLength: 1 } },
  },
  async run(spec, ctx) {
    const title = ctx.t('checks.configmapCidrs.title', { name: spec.name, key: spec.key });
    const expected = ctx.t('checks.configmapCidrs.expected');
    const value = await readKey(spec, ctx, title, expected);
    if (typeof value !== 'string') return value;
    const entries = cidrEntries(value, spec.field);
    if (entries.length === 0) {
      return {
        ok: false,
        title,
        expected,
        saw: ctx.t('checks.configmapCidrs.sawNone'),
        cause: ctx.t('checks.configmapCidrs.causeNone'),
        hint: ctx.t('checks.configmapCidrs.hintNone'),
      };
    }
    const bad = entries.map(checkCidr).filter((v) => !v.ok);
    if (bad.length === 0) return { ok: true, title };
    const first = bad[0]!;
    return {
      ok: false,
      title,
      expected,
      saw: bad.map((b) => b.cidr).join(', '),
      causeId: 'invalid-cidr',
      cause: ctx.t(`checks.configmapCidrs.${first.problem}`, {
        cidr: first.cidr,
        network: first.network ?? '',
      }),
      hint:
        first.problem === 'hostBits'
          ? ctx.t('checks.configmapCidrs.hintHostBits', { cidr: first.cidr, network: first.network ?? '' })
          : ctx.t('checks.configmapCidrs.hint'),
    };
  },
};
