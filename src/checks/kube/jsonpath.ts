// jsonpath-equals (`kubectl wait --for=jsonpath`), jsonpath-at-least (re-read: kubectl wait has no
// "≥") and ready-replicas (`kubectl wait --for=jsonpath={.status.readyReplicas}=N`).
import type { Kubectl } from '../../kubectl.js';
import type { CheckContext, CheckResult, CheckType } from '../types.js';
import {
  isResult,
  kubectlFailure,
  kubectlOf,
  namespaceSchema,
  notFound,
  nsArgs,
  objectRef,
  pollUntil,
  seconds,
  timeoutSchema,
} from './common.js';
import {
  deploymentWatch,
  hpaReader,
  hpaWatch,
  raceStuck,
  replicasStuck,
  type StuckWatch,
  stuckResult,
} from './stuck.js';
import { missing, normalizePath, readPath, waitFor } from './wait.js';

const deploymentKinds = ['deployment', 'deployments', 'deploy', 'deployment.apps'];
const hpaKinds = [
  'hpa',
  'horizontalpodautoscaler',
  'horizontalpodautoscalers',
  'horizontalpodautoscaler.autoscaling',
];

/** Replica counts of a Deployment; the ready-like ones also depend on its pods starting. */
const countFields = ['.spec.replicas', '.status.replicas'];
const readyFields = ['.status.readyReplicas', '.status.availableReplicas', '.status.updatedReplicas'];

/**
 * replicaWatch is the fail-fast watch of a check on a Deployment's replica count: stuck when
 * spec.replicas cannot give `wanted` (and no HPA changes it), or, for ready counts, when the
 * current pods cannot start.
 */
function replicaWatch(
  kubectl: Kubectl,
  target: { kind: string; name: string; namespace?: string; path: string },
  wanted: number,
  compare: 'equal' | 'at-least',
): StuckWatch | undefined {
  if (!deploymentKinds.includes(target.kind.toLowerCase())) return undefined;
  const field = normalizePath(target.path).slice(1, -1);
  const ready = readyFields.includes(field);
  if (!ready && !countFields.includes(field)) return undefined;
  const ns = target.namespace ?? 'default';
  const hpas = hpaReader(kubectl, ns);
  const scale = kubectl.display([
    'scale',
    objectRef('deployment', target.name),
    ...nsArgs(target.namespace),
    `--replicas=${wanted}`,
  ]);
  return deploymentWatch(
    ns,
    target.name,
    (w) => replicasStuck(w.live, target.name, wanted, compare, hpas, scale),
    ready && wanted > 0,
    () => void hpas(),
  );
}

/** JsonPathSpec compares a field of an object. */
export interface JsonPathSpec {
  kind: string;
  name: string;
  namespace?: string;
  path: string;
  value?: string | number | boolean;
  min?: number;
  timeout?: number;
}

const jsonPathProps = {
  kind: { type: 'string', minLength: 1 },
  name: { type: 'string', minLength: 1 },
  namespace: namespaceSchema,
  path: { type: 'string', minLength: 1, description: 'JSONPath such as .status.readyReplicas' },
  timeout: timeoutSchema,
};

/** wrongValue is the failure of a field that exists but never reached the wanted value. */
function wrongValue(
  ctx: CheckContext,
  kubectl: Kubectl,
  spec: JsonPathSpec,
  what: { title: string; expected: string },
  value: string | undefined,
): CheckResult {
  const object = objectRef(spec.kind, spec.name);
  return {
    ok: false,
    ...what,
    saw: value === '' || value === undefined ? ctx.t('checks.jsonpath.sawEmpty') : value,
    causeId: 'timeout',
    cause: ctx.t('checks.jsonpath.cause', { seconds: seconds(spec) }),
    hint: ctx.t('checks.jsonpath.hint', {
      command: kubectl.display([
        'get',
        object,
        ...nsArgs(spec.namespace),
        '-o',
        `jsonpath=${normalizePath(spec.path)}`,
      ]),
    }),
  };
}

/** jsonPathEquals waits (watch) until the field equals `value`. */
export const jsonPathEquals: CheckType<JsonPathSpec> = {
  name: 'jsonpath-equals',
  schema: {
    type: 'object',
    required: ['kind', 'name', 'path', 'value'],
    additionalProperties: false,
    properties: { ...jsonPathProps, value: { type: ['string', 'number', 'boolean'] } },
  },
  async run(spec, ctx) {
    const object = objectRef(spec.kind, spec.name);
    const want = String(spec.value);
    const title = ctx.t('checks.jsonpath.title', { object, path: spec.path, value: want });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.jsonpath.expected', { path: spec.path, value: want });
    const now = await readPath(kubectl, spec.kind, spec.name, spec.namespace, spec.path);
    if (now.value === want) return { ok: true, title };
    if (now.value === undefined)
      return notFound(now.result)
        ? missing(ctx, title, expected, object)
        : kubectlFailure(ctx, title, expected, now.result);
    if (seconds(spec) > 0) {
      // An HPA's field (its conditions) never settles while a container has no CPU request.
      const watch = hpaKinds.includes(spec.kind.toLowerCase())
        ? hpaWatch(spec.namespace ?? 'default', spec.name)
        : /^\d+$/.test(want)
          ? replicaWatch(kubectl, spec, Number(want), 'equal')
          : undefined;
      const raced = await raceStuck(ctx, kubectl, watch, (signal) =>
        waitFor(
          kubectl,
          `jsonpath=${normalizePath(spec.path)}=${want}`,
          [object, ...nsArgs(spec.namespace)],
          seconds(spec),
          signal,
        ),
      );
      if (raced.stuck) return stuckResult(ctx, kubectl, { title, expected }, raced.stuck);
      if (raced.value.exitCode === 0) return { ok: true, title };
    }
    const after = await readPath(kubectl, spec.kind, spec.name, spec.namespace, spec.path);
    return wrongValue(ctx, kubectl, spec, { title, expected }, after.value);
  },
};

/** jsonPathAtLeast passes when the numeric field is ≥ `min` (re-read every half second). */
export const jsonPathAtLeast: CheckType<JsonPathSpec> = {
  name: 'jsonpath-at-least',
  schema: {
    type: 'object',
    required: ['kind', 'name', 'path', 'min'],
    additionalProperties: false,
    properties: { ...jsonPathProps, min: { type: 'number' } },
  },
  async run(spec, ctx) {
    const object = objectRef(spec.kind, spec.name);
    const min = spec.min ?? 0;
    const title = ctx.t('checks.atLeast.title', { object, path: spec.path, min });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.atLeast.expected', { path: spec.path, min });
    const watch = replicaWatch(kubectl, spec, min, 'at-least');
    const raced = await raceStuck(
      ctx,
      kubectl,
      watch,
      (signal, notYet) =>
        pollUntil(
          seconds(spec),
          async () => {
            const read = await readPath(kubectl, spec.kind, spec.name, spec.namespace, spec.path);
            const n = Number(read.value);
            const reached = read.value !== undefined && read.value !== '' && n >= min;
            // A missing object will not appear by itself: stop polling.
            return { done: reached || notFound(read.result), value: { read, reached } };
          },
          500,
          signal,
          notYet,
        ),
      { reportsNotYet: true },
    );
    if (raced.stuck) return stuckResult(ctx, kubectl, { title, expected }, raced.stuck);
    if (raced.value.value.reached) return { ok: true, title };
    const read = raced.value.value.read;
    if (read.value === undefined)
      return notFound(read.result)
        ? missing(ctx, title, expected, object)
        : kubectlFailure(ctx, title, expected, read.result);
    return wrongValue(ctx, kubectl, spec, { title, expected }, read.value);
  },
};

/** ReadyReplicasSpec waits for a Deployment's `status.readyReplicas`. */
export interface ReadyReplicasSpec {
  name: string;
  namespace?: string;
  replicas: number;
  timeout?: number;
}

/** readyReplicas is `kubectl wait --for=jsonpath={.status.readyReplicas}=N deployment/X`. */
export const readyReplicas: CheckType<ReadyReplicasSpec> = {
  name: 'ready-replicas',
  schema: {
    type: 'object',
    required: ['name', 'replicas'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      namespace: namespaceSchema,
      replicas: { type: 'integer', minimum: 0 },
      timeout: timeoutSchema,
    },
  },
  async run(spec, ctx) {
    const object = objectRef('deployment', spec.name);
    const title = ctx.t('checks.readyReplicas.title', { object, replicas: spec.replicas });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.readyReplicas.expected', { replicas: spec.replicas });
    const path = spec.replicas === 0 ? '{.status.replicas}' : '{.status.readyReplicas}';
    const watch = replicaWatch(kubectl, { ...spec, kind: 'deployment', path }, spec.replicas, 'equal');
    const raced = await raceStuck(ctx, kubectl, watch, (signal) =>
      waitFor(
        kubectl,
        `jsonpath=${path}=${spec.replicas}`,
        [object, ...nsArgs(spec.namespace)],
        seconds(spec),
        signal,
      ),
    );
    if (raced.stuck) return stuckResult(ctx, kubectl, { title, expected }, raced.stuck);
    const waited = raced.value;
    if (waited.exitCode === 0) return { ok: true, title };
    if (notFound(waited)) return missing(ctx, title, expected, object);
    const { value, result } = await kubectl.json<{
      spec?: { replicas?: number };
      status?: { replicas?: number; readyReplicas?: number };
    }>(['get', object, ...nsArgs(spec.namespace)]);
    if (!value) return kubectlFailure(ctx, title, expected, result.exitCode === 0 ? waited : result);
    const want = value.spec?.replicas ?? 1;
    return {
      ok: false,
      title,
      expected,
      saw: ctx.t('checks.readyReplicas.saw', { ready: value.status?.readyReplicas ?? 0, desired: want }),
      causeId: want !== spec.replicas ? 'replicas-mismatch' : 'not-ready',
      cause:
        want !== spec.replicas
          ? ctx.t('checks.readyReplicas.causeSpec', { desired: want })
          : ctx.t('checks.readyReplicas.causeNotReady'),
      hint:
        want !== spec.replicas
          ? ctx.t('checks.readyReplicas.hintScale', {
              command: kubectl.display([
                'scale',
                object,
                ...nsArgs(spec.namespace),
                `--replicas=${spec.replicas}`,
              ]),
            })
          : ctx.t('checks.rollout.hint.alerts'),
    };
  },
};
