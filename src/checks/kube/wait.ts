// Checks that wait on the API server's watch through kubectl itself (no sleep-polling):
// condition (`kubectl wait --for=condition`), rollout (`rollout status`), nodes-ready; plus the
// JSONPath helpers jsonpath.ts uses. On failure they read the object once more to say what was seen.
import type { Kubectl } from '../../kubectl.js';
import type { CheckContext, CheckResult, CheckType } from '../types.js';
import {
  expectOutput,
  isResult,
  kubectlFailure,
  kubectlOf,
  namespaceSchema,
  notFound,
  nsArgs,
  objectRef,
  seconds,
  timeoutSchema,
  withSignal,
} from './common.js';
import { deploymentWatch, podStuck, raceStuck, type StuckWatch, stuckResult } from './stuck.js';

/** normalizePath accepts `.status.x` or `{.status.x}` and returns the braced form. */
export function normalizePath(path: string): string {
  const p = path.trim();
  return p.startsWith('{') ? p : `{${p.startsWith('.') ? p : `.${p}`}}`;
}

/** readPath returns the value at a JSONPath, or undefined when kubectl failed. */
export async function readPath(
  kubectl: Kubectl,
  kind: string,
  name: string,
  namespace: string | undefined,
  path: string,
) {
  const result = await kubectl.run(
    ['get', kind, name, ...nsArgs(namespace), '-o', `jsonpath=${normalizePath(path)}`],
    {
      readOnly: true,
      timeoutMs: 30_000,
    },
  );
  return { value: result.exitCode === 0 ? result.stdout.trim() : undefined, result };
}

/** waitFor runs `kubectl wait --for=<what>` with the check's timeout (stopped by `signal`). */
export async function waitFor(
  kubectl: Kubectl,
  what: string,
  ref: string[],
  timeout: number,
  signal?: AbortSignal,
) {
  const result = await kubectl.run(
    ['wait', `--for=${what}`, ...ref, `--timeout=${timeout}s`],
    withSignal({ readOnly: true, timeoutMs: (timeout + 15) * 1000 }, signal),
  );
  // A wait stopped because the state is stuck is judged by the caller; any other exit 0 must say so.
  return result.aborted ? result : expectOutput(result, /condition met/);
}

/** watchFor returns the fail-fast watch for an object a check waits on, when there is one. */
export function watchFor(kind: string, name: string, namespace: string | undefined): StuckWatch | undefined {
  const ns = namespace ?? 'default';
  const k = kind.toLowerCase();
  if (['deployment', 'deployments', 'deploy', 'deployment.apps'].includes(k))
    return deploymentWatch(ns, name);
  if (['pod', 'pods', 'po'].includes(k)) {
    return {
      namespace: ns,
      kinds: ['pods'],
      judge: (w) => {
        const pod = w.live.pods.get(name);
        return pod ? podStuck([pod], w.live) : undefined;
      },
    };
  }
  return undefined;
}

/** missing is the failure for an object that does not exist. */
export function missing(ctx: CheckContext, title: string, expected: string, object: string): CheckResult {
  return {
    ok: false,
    title,
    expected,
    saw: ctx.t('checks.sawMissing', { object }),
    cause: ctx.t('checks.missing.cause', { object }),
    hint: ctx.t('checks.missing.hint'),
    causeId: 'not-found',
    stuck: true,
  };
}

/** ConditionSpec waits for `status.conditions[type=condition].status == status`. */
export interface ConditionSpec {
  kind: string;
  name: string;
  namespace?: string;
  condition: string;
  status?: 'True' | 'False' | 'Unknown';
  timeout?: number;
}

/** condition is `kubectl wait --for=condition=C[=status]`. */
export const condition: CheckType<ConditionSpec> = {
  name: 'condition',
  schema: {
    type: 'object',
    required: ['kind', 'name', 'condition'],
    additionalProperties: false,
    properties: {
      kind: { type: 'string', minLength: 1 },
      name: { type: 'string', minLength: 1 },
      namespace: namespaceSchema,
      condition: { type: 'string', minLength: 1 },
      status: { enum: ['True', 'False', 'Unknown'] },
      timeout: timeoutSchema,
    },
  },
  async run(spec, ctx) {
    const object = objectRef(spec.kind, spec.name);
    const status = spec.status ?? 'True';
    const title = ctx.t('checks.condition.title', { object, condition: spec.condition, status });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.condition.expected', { condition: spec.condition, status });
    const what =
      status === 'True'
        ? `condition=${spec.condition}`
        : `condition=${spec.condition}=${status.toLowerCase()}`;
    const raced = await raceStuck(ctx, kubectl, watchFor(spec.kind, spec.name, spec.namespace), (signal) =>
      waitFor(kubectl, what, [object, ...nsArgs(spec.namespace)], seconds(spec), signal),
    );
    if (raced.stuck) return stuckResult(ctx, kubectl, { title, expected }, raced.stuck);
    const waited = raced.value;
    if (waited.exitCode === 0) return { ok: true, title };
    if (notFound(waited)) return missing(ctx, title, expected, object);
    const { value, result } = await kubectl.json<{
      status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
    }>(['get', object, ...nsArgs(spec.namespace)]);
    if (!value) return kubectlFailure(ctx, title, expected, result.exitCode === 0 ? waited : result);
    const found = value.status?.conditions?.find((c) => c.type === spec.condition);
    return {
      ok: false,
      title,
      expected,
      saw: found
        ? `${found.type}=${found.status}${found.reason ? ` (${found.reason}${found.message ? `: ${found.message}` : ''})` : ''}`
        : ctx.t('checks.condition.sawNone', { condition: spec.condition }),
      cause: ctx.t('checks.condition.cause', { seconds: seconds(spec) }),
      causeId: 'timeout',
      hint: ctx.t('checks.condition.hint', {
        command: kubectl.display(['describe', object, ...nsArgs(spec.namespace)]),
      }),
    };
  },
};

/** RolloutSpec names a Deployment (or StatefulSet / DaemonSet). */
export interface RolloutSpec {
  name: string;
  kind?: string;
  namespace?: string;
  timeout?: number;
}

/** rollout is `kubectl rollout status`. */
export const rollout: CheckType<RolloutSpec> = {
  name: 'rollout',
  schema: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      kind: { enum: ['deployment', 'statefulset', 'daemonset', 'Deployment', 'StatefulSet', 'DaemonSet'] },
      namespace: namespaceSchema,
      timeout: timeoutSchema,
    },
  },
  async run(spec, ctx) {
    const object = objectRef(spec.kind ?? 'deployment', spec.name);
    const title = ctx.t('checks.rollout.title', { object });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.rollout.expected');
    const timeout = seconds(spec);
    let progress = '';
    const raced = await raceStuck(
      ctx,
      kubectl,
      watchFor(spec.kind ?? 'deployment', spec.name, spec.namespace),
      (signal, notYet) =>
        kubectl.run(
          ['rollout', 'status', object, ...nsArgs(spec.namespace), `--timeout=${timeout}s`],
          withSignal(
            {
              readOnly: true,
              timeoutMs: (timeout + 15) * 1000,
              // `Waiting for deployment "x" rollout to finish: …` means not yet: watch from now.
              onStdout: (chunk: string) => {
                progress += chunk;
                if (/Waiting for/.test(progress)) notYet?.();
              },
            },
            signal,
          ),
        ),
      { reportsNotYet: true },
    );
    if (raced.stuck) return stuckResult(ctx, kubectl, { title, expected }, raced.stuck);
    // A streaming runner hands stdout to onStdout only; a fake one keeps it in the result. An exit 0
    // without kubectl's success line (a broken kubectl) is not a pass.
    const result = expectOutput(
      { ...raced.value, stdout: raced.value.stdout || progress },
      /successfully rolled out/,
    );
    if (result.exitCode === 0) return { ok: true, title };
    if (notFound(result)) return missing(ctx, title, expected, object);
    const text = `${result.stdout}\n${result.stderr}`;
    const lastProgress = result.stdout.trim().split('\n').filter(Boolean).pop() ?? '';
    if (/exceeded its progress deadline/.test(text)) {
      return {
        ok: false,
        title,
        expected,
        saw: lastProgress || 'exceeded its progress deadline',
        causeId: 'progress-deadline',
        stuck: true,
        cause: ctx.t('checks.rollout.deadline'),
        hint: ctx.t('checks.rollout.hint.alerts'),
      };
    }
    if (/timed out waiting|context deadline exceeded/.test(result.stderr) || result.timedOut) {
      return {
        ok: false,
        title,
        expected,
        saw: lastProgress || ctx.t('checks.timedOut', { seconds: timeout }),
        causeId: 'timeout',
        cause: ctx.t('checks.rollout.slow', { seconds: timeout }),
        hint: ctx.t('checks.rollout.hint.alerts'),
      };
    }
    return kubectlFailure(ctx, title, expected, result);
  },
};

/** NodesReadySpec optionally asks for a minimum node count. */
export interface NodesReadySpec {
  count?: number;
  timeout?: number;
}

/** nodesReady is `kubectl wait --for=condition=Ready nodes --all` plus a node count. */
export const nodesReady: CheckType<NodesReadySpec> = {
  name: 'nodes-ready',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { count: { type: 'integer', minimum: 1 }, timeout: timeoutSchema },
  },
  async run(spec, ctx) {
    const title = ctx.t('checks.nodesReady.title', { count: spec.count ?? 1 });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.nodesReady.expected', { count: spec.count ?? 1 });
    const waited = await waitFor(kubectl, 'condition=Ready', ['nodes', '--all'], seconds(spec));
    const { value, result } = await kubectl.json<{
      items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
    }>(['get', 'nodes']);
    if (!value) return kubectlFailure(ctx, title, expected, result);
    const ready = value.items.filter((n) =>
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    const notReady = value.items.filter((n) => !ready.includes(n)).map((n) => n.metadata.name);
    if (waited.exitCode === 0 && ready.length >= (spec.count ?? 1)) return { ok: true, title };
    return {
      ok: false,
      title,
      expected,
      saw: ctx.t('checks.nodesReady.saw', {
        ready: ready.length,
        total: value.items.length,
        notReady: notReady.join(', ') || '-',
      }),
      causeId: 'not-ready',
      cause:
        notReady.length > 0
          ? ctx.t('checks.nodesReady.causeNotReady')
          : ctx.t('checks.nodesReady.causeCount'),
      hint: ctx.t('checks.nodesReady.hint', { command: kubectl.display(['describe', 'nodes']) }),
    };
  },
};
