// resource-exists / resource-absent: the simplest checks, `kubectl get` and `kubectl wait --for=delete`.
import type { CheckType } from '../types.js';
import {
  isResult,
  kubectlFailure,
  kubectlOf,
  namespaceSchema,
  notFound,
  nsArgs,
  objectRef,
  seconds,
  timeoutSchema,
} from './common.js';

/** ResourceSpec names one object. */
export interface ResourceSpec {
  kind: string;
  name: string;
  namespace?: string;
  timeout?: number;
}

const schema = {
  type: 'object',
  required: ['kind', 'name'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    namespace: namespaceSchema,
    timeout: timeoutSchema,
  },
};

function where(spec: ResourceSpec): string {
  return spec.namespace
    ? `${spec.kind}/${spec.name} (namespace ${spec.namespace})`
    : `${spec.kind}/${spec.name}`;
}

/** resourceExists passes when the object exists now (no waiting: the step just created it). */
export const resourceExists: CheckType<ResourceSpec> = {
  name: 'resource-exists',
  schema,
  async run(spec, ctx) {
    const title = ctx.t('checks.resourceExists.title', { object: where(spec) });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.resourceExists.expected', { object: where(spec) });
    const get = await kubectl.run(['get', spec.kind, spec.name, ...nsArgs(spec.namespace), '-o', 'name'], {
      readOnly: true,
      timeoutMs: 30_000,
    });
    if (get.exitCode === 0) return { ok: true, title };
    if (!notFound(get)) return kubectlFailure(ctx, title, expected, get);
    const listed = await kubectl.run(['get', spec.kind, ...nsArgs(spec.namespace), '-o', 'name'], {
      readOnly: true,
      timeoutMs: 30_000,
    });
    const others =
      listed.exitCode === 0 ? listed.stdout.trim().split('\n').filter(Boolean).slice(0, 5).join(', ') : '';
    return {
      ok: false,
      title,
      expected,
      saw: others
        ? ctx.t('checks.resourceExists.sawOthers', { others })
        : ctx.t('checks.resourceExists.sawNone'),
      cause: ctx.t('checks.resourceExists.cause'),
      // A cluster-scoped object (a namespace, a node) is listed without -n.
      hint: spec.namespace
        ? ctx.t('checks.resourceExists.hint', { kind: spec.kind, namespace: spec.namespace })
        : ctx.t('checks.resourceExists.hintClusterScoped', { kind: spec.kind }),
      causeId: 'not-found',
    };
  },
};

/** resourceAbsent passes when the object does not exist (waiting for a deletion to finish). */
export const resourceAbsent: CheckType<ResourceSpec> = {
  name: 'resource-absent',
  schema,
  async run(spec, ctx) {
    const title = ctx.t('checks.resourceAbsent.title', { object: where(spec) });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.resourceAbsent.expected', { object: where(spec) });
    const get = await kubectl.run(['get', spec.kind, spec.name, ...nsArgs(spec.namespace), '-o', 'name'], {
      readOnly: true,
      timeoutMs: 30_000,
    });
    if (get.exitCode !== 0 && notFound(get)) return { ok: true, title };
    if (get.exitCode !== 0) return kubectlFailure(ctx, title, expected, get);
    const timeout = seconds(spec);
    const waited = await kubectl.run(
      [
        'wait',
        '--for=delete',
        objectRef(spec.kind, spec.name),
        ...nsArgs(spec.namespace),
        `--timeout=${timeout}s`,
      ],
      { readOnly: true, timeoutMs: (timeout + 15) * 1000 },
    );
    if (waited.exitCode === 0 || notFound(waited)) return { ok: true, title };
    return {
      ok: false,
      title,
      expected,
      saw: ctx.t('checks.resourceAbsent.saw', { seconds: timeout }),
      cause: ctx.t('checks.resourceAbsent.cause'),
      hint: ctx.t('checks.resourceAbsent.hint', {
        command: kubectl.display(['delete', objectRef(spec.kind, spec.name), ...nsArgs(spec.namespace)]),
      }),
    };
  },
};
