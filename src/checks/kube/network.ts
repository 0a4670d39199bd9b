// endpoints-ready (EndpointSlices of a Service) and load-balanced (requests through the API
// server's service proxy, counting the distinct pods that answer).
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
import { endpointsStuck, hpaReader, raceStuck, stuckResult } from './stuck.js';

/** EndpointsSpec asks for at least `min` ready endpoints behind a Service. */
export interface EndpointsSpec {
  service: string;
  namespace?: string;
  min?: number;
  timeout?: number;
}

interface Slice {
  endpoints?: { conditions?: { ready?: boolean | null }; targetRef?: { name?: string } }[] | null;
}

/** endpointsReady counts ready endpoints in `kubectl get endpointslices -l kubernetes.io/service-name=X`. */
export const endpointsReady: CheckType<EndpointsSpec> = {
  name: 'endpoints-ready',
  schema: {
    type: 'object',
    required: ['service'],
    additionalProperties: false,
    properties: {
      service: { type: 'string', minLength: 1 },
      namespace: namespaceSchema,
      min: { type: 'integer', minimum: 1 },
      timeout: timeoutSchema,
    },
  },
  async run(spec, ctx) {
    const min = spec.min ?? 1;
    const title = ctx.t('checks.endpoints.title', { service: spec.service, min });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.endpoints.expected', { min });
    const ns = spec.namespace ? ['-n', spec.namespace] : [];
    const serviceExists = () =>
      kubectl
        .run(['get', 'service', spec.service, ...ns, '-o', 'name'], { readOnly: true, timeoutMs: 30_000 })
        .then((svc) => !(svc.exitCode !== 0 && notFound(svc)));
    let missingService = false;
    const hpas = hpaReader(kubectl, spec.namespace ?? 'default');
    const raced = await raceStuck(
      ctx,
      kubectl,
      {
        namespace: spec.namespace ?? 'default',
        kinds: ['services', 'deployments', 'replicasets', 'pods'],
        confirm: ['pods', 'deployments'],
        onStart: () => void hpas(),
        judge: (w) =>
          endpointsStuck(w, spec.service, min, hpas, (name) =>
            kubectl.display(['scale', `deployment/${name}`, ...ns, `--replicas=${min}`]),
          ),
      },
      (signal, notYet) =>
        pollUntil(
          seconds(spec),
          async () => {
            const read = await kubectl.json<{ items: Slice[] }>([
              'get',
              'endpointslices',
              ...ns,
              '-l',
              `kubernetes.io/service-name=${spec.service}`,
            ]);
            const all = (read.value?.items ?? []).flatMap((s) => s.endpoints ?? []);
            const ready = all.filter((e) => e.conditions?.ready !== false).length;
            const done = read.value !== undefined && ready >= min;
            // No slice at all: a Service that does not exist will not appear by itself.
            if (!done && read.value?.items.length === 0 && !(await serviceExists())) missingService = true;
            return { done: done || missingService, value: { read, ready, total: all.length } };
          },
          500,
          signal,
          notYet,
        ),
      { reportsNotYet: true },
    );
    if (raced.stuck) return stuckResult(ctx, kubectl, { title, expected }, raced.stuck);
    const { read, ready, total } = raced.value.value;
    if (raced.value.done && !missingService) return { ok: true, title };
    if (!read.value) return kubectlFailure(ctx, title, expected, read.result);
    if (!missingService && total === 0) missingService = !(await serviceExists());
    const cause = missingService
      ? ctx.t('checks.endpoints.causeNoService', { service: spec.service })
      : total === 0
        ? ctx.t('checks.endpoints.causeNoPods')
        : ctx.t('checks.endpoints.causeNotReady');
    return {
      ok: false,
      title,
      expected,
      saw: missingService
        ? ctx.t('checks.sawMissing', { object: `service/${spec.service}` })
        : ctx.t('checks.endpoints.saw', { ready, total }),
      ...(missingService
        ? { causeId: 'not-found', stuck: true }
        : { causeId: total === 0 ? 'no-endpoints' : 'not-ready' }),
      cause,
      hint: ctx.t('checks.endpoints.hint', {
        command: kubectl.display([
          'get',
          'endpointslices',
          ...ns,
          '-l',
          `kubernetes.io/service-name=${spec.service}`,
        ]),
      }),
    };
  },
};

/** LoadBalancedSpec sends `requests` requests through the service proxy. */
export interface LoadBalancedSpec {
  service: string;
  namespace: string;
  /** Port name or number (`NAME:PORT` in the proxy path). */
  port?: string | number;
  path?: string;
  requests?: number;
  /** Distinct pods that must answer. */
  distinct?: number;
  /** JSON field holding the pod name (default: pod, podName, hostname; else the whole body). */
  field?: string;
  timeout?: number;
}

/** podNameOf extracts who answered from a response body. */
export function podNameOf(body: string, field?: string): string {
  const text = body.trim();
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    for (const key of field ? [field] : ['pod', 'podName', 'hostname', 'host']) {
      if (typeof parsed[key] === 'string') return parsed[key] as string;
    }
  } catch {
    // plain text: the first line is the answer
  }
  return text.split('\n')[0] ?? '';
}

/** loadBalanced counts distinct pod names answering through `/api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH`. */
export const loadBalanced: CheckType<LoadBalancedSpec> = {
  name: 'load-balanced',
  schema: {
    type: 'object',
    required: ['service', 'namespace'],
    additionalProperties: false,
    properties: {
      service: { type: 'string', minLength: 1 },
      namespace: namespaceSchema,
      port: { type: ['string', 'integer'] },
      path: { type: 'string' },
      requests: { type: 'integer', minimum: 1, maximum: 200 },
      distinct: { type: 'integer', minimum: 1 },
      field: { type: 'string', minLength: 1 },
      timeout: timeoutSchema,
    },
  },
  async run(spec, ctx) {
    const requests = spec.requests ?? 20;
    const distinct = spec.distinct ?? 2;
    const title = ctx.t('checks.loadBalanced.title', { service: spec.service, distinct, requests });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.loadBalanced.expected', { distinct, requests });
    const target = spec.port !== undefined ? `${spec.service}:${spec.port}` : spec.service;
    const path = (spec.path ?? '/').replace(/^\/?/, '/');
    const raw = `/api/v1/namespaces/${spec.namespace}/services/${target}/proxy${path}`;
    const seen = new Map<string, number>();
    let lastFailure: Awaited<ReturnType<typeof kubectl.run>> | undefined;
    const deadline = Date.now() + seconds(spec) * 1000;
    // Two requests in flight at a time: enough to be quick, gentle on a 2-core laptop.
    for (let i = 0; i < requests && Date.now() < deadline; i += 2) {
      const batch = await Promise.all(
        [0, 1]
          .slice(0, Math.min(2, requests - i))
          .map(() => kubectl.run(['get', '--raw', raw], { readOnly: true, timeoutMs: 20_000 })),
      );
      for (const r of batch) {
        if (r.exitCode !== 0) {
          lastFailure = r;
          continue;
        }
        const pod = podNameOf(r.stdout, spec.field);
        seen.set(pod, (seen.get(pod) ?? 0) + 1);
      }
    }
    if (seen.size >= distinct) return { ok: true, title };
    if (seen.size === 0 && lastFailure) {
      const failed = kubectlFailure(ctx, title, expected, lastFailure);
      if (failed.cause === ctx.t('checks.kubectlError')) {
        return {
          ...failed,
          causeId: 'no-answer',
          cause: ctx.t('checks.loadBalanced.causeNoAnswer'),
          hint: ctx.t('checks.loadBalanced.hintNoAnswer', {
            command: kubectl.display(['get', '--raw', raw]),
          }),
        };
      }
      return failed;
    }
    const counts = [...seen.entries()].map(([pod, n]) => `${pod}×${n}`).join(', ');
    return {
      ok: false,
      title,
      expected,
      saw: ctx.t('checks.loadBalanced.saw', { count: seen.size, counts }),
      causeId: 'too-few-pods',
      cause: ctx.t('checks.loadBalanced.cause'),
      hint: ctx.t('checks.loadBalanced.hint', {
        command: kubectl.display([
          'get',
          'endpointslices',
          '-n',
          spec.namespace,
          '-l',
          `kubernetes.io/service-name=${spec.service}`,
        ]),
      }),
    };
  },
};
