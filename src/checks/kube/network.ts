// endpoints-ready (EndpointSlices of a Service) and load-balanced (requests through the API
// server's service proxy, counting the distinct pods that answer).

import type { K8sObject } from '../../alerts/types.js';
import type { Kubectl } from '../../kubectl.js';
import { openProxy, statusMessage } from '../../kubectl-proxy.js';
import { httpGet } from '../../local-http.js';
import type { CheckType } from '../types.js';
import {
  isResult,
  kubectlFailure,
  kubectlOf,
  namespaceSchema,
  pollUntil,
  seconds,
  timeoutSchema,
} from './common.js';
import {
  endpointsStuck,
  hpaReader,
  type Stuck,
  snapshotOfList,
  snapshotWatch,
  stuckResult,
} from './stuck.js';

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
    const hpas = hpaReader(kubectl, spec.namespace ?? 'default');
    const scale = (name: string) =>
      kubectl.display(['scale', `deployment/${name}`, ...ns, `--replicas=${min}`]);
    // One read per round of everything the judgement needs (one kubectl start, not a watch per
    // kind): the Service, its EndpointSlices, and the Deployments, ReplicaSets and pods it selects.
    const outcome = await pollUntil(seconds(spec), async () => {
      const read = await kubectl.json<{ items?: K8sObject[] }>([
        'get',
        'services,endpointslices,deployments,replicasets,pods',
        ...ns,
      ]);
      const items = read.value?.items ?? [];
      const slices = items.filter(
        (i) =>
          i.kind === 'EndpointSlice' && i.metadata.labels?.['kubernetes.io/service-name'] === spec.service,
      ) as Slice[];
      const all = slices.flatMap((s) => s.endpoints ?? []);
      const ready = all.filter((e) => e.conditions?.ready !== false).length;
      const value = { read, ready, total: all.length, missing: false, stuck: undefined as Stuck | undefined };
      if (!read.value || ready >= min) return { done: ready >= min, value };
      // A Service that does not exist will not appear by itself, nor will a selector start to match.
      value.missing = !items.some((i) => i.kind === 'Service' && i.metadata.name === spec.service);
      if (!value.missing) {
        const snapshot = snapshotOfList(items);
        value.stuck = await endpointsStuck(
          snapshotWatch(snapshot),
          spec.service,
          min,
          hpas,
          scale,
          all.length,
        );
      }
      return { done: value.missing || value.stuck !== undefined, value };
    });
    const { read, ready, total, missing: missingService, stuck } = outcome.value;
    if (stuck) return stuckResult(ctx, kubectl, { title, expected }, stuck);
    if (ready >= min) return { ok: true, title };
    if (!read.value) return kubectlFailure(ctx, title, expected, read.result);
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
  /** Every pod that was a ready endpoint of the Service when the requests started must answer. */
  allReady?: boolean;
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

/** serviceProxyPath is `/api/v1/namespaces/NS/services/NAME[:PORT]/proxy/PATH`. */
export function serviceProxyPath(spec: {
  service: string;
  namespace: string;
  port?: string | number;
  path?: string;
}): string {
  const target = spec.port !== undefined ? `${spec.service}:${spec.port}` : spec.service;
  const path = (spec.path ?? '/').replace(/^\/?/, '/');
  return `/api/v1/namespaces/${spec.namespace}/services/${target}/proxy${path}`;
}

/**
 * An Answer is one request through the Service: who answered, kubectl's failed call, or (through
 * `kubectl proxy`) the HTTP error.
 */
export type Answer = { pod: string } | { failed: Awaited<ReturnType<Kubectl['run']>> } | { error: string };

/**
 * askThroughService sends `requests` GETs through the API server's service proxy, two in flight at
 * a time (gentle on a 2-core laptop), and reports each answer as it arrives. Shared by the
 * `load-balanced` check and `k8s-learn balance` (its live view). The first request is the
 * learner's own command, `kubectl get --raw PATH`, so a Service that cannot answer gets kubectl's
 * words; the others go through one `kubectl proxy` started meanwhile, one kubectl process for all
 * of them instead of one each (kubectl get --raw again if the proxy does not start).
 */
export async function askThroughService(
  kubectl: Kubectl,
  options: {
    raw: string;
    requests: number;
    field?: string;
    deadline?: number;
    signal?: AbortSignal;
    /** Milliseconds each of the two senders waits after an answer (a pace a person can watch). */
    pauseMs?: number;
    onAnswer: (answer: Answer, index: number) => void;
  },
): Promise<void> {
  const proxy = options.requests > 1 ? openProxy(kubectl) : undefined;
  let proxyPort: number | undefined;
  void proxy?.port.then(
    (port) => {
      proxyPort = port;
    },
    () => undefined,
  );
  const ask = async (index: number): Promise<Answer | undefined> => {
    if (index > 0 && proxyPort !== undefined) {
      const r = await httpGet(proxyPort, options.raw, 20_000);
      if (options.signal?.aborted) return undefined;
      if (r.status === 200) return { pod: podNameOf(r.body, options.field) };
      return { error: r.status ? `HTTP ${r.status}: ${statusMessage(r.body)}` : (r.error ?? 'no answer') };
    }
    const r = await kubectl.run(['get', '--raw', options.raw], {
      readOnly: true,
      timeoutMs: 20_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (r.aborted) return undefined;
    return r.exitCode === 0 ? { pod: podNameOf(r.stdout, options.field) } : { failed: r };
  };
  let sent = 0;
  const one = async (): Promise<void> => {
    while (sent < options.requests && !options.signal?.aborted) {
      if (options.deadline !== undefined && Date.now() >= options.deadline) return;
      const index = sent++;
      const answer = await ask(index);
      if (!answer) return;
      options.onAnswer(answer, index);
      if (options.pauseMs) await new Promise((resolvePause) => setTimeout(resolvePause, options.pauseMs));
    }
  };
  try {
    await Promise.all([one(), one()]);
  } finally {
    proxy?.stop();
  }
}

/** readyPodsOf names the pods that are ready endpoints of a Service (undefined when unreadable). */
export async function readyPodsOf(
  kubectl: Kubectl,
  namespace: string,
  service: string,
): Promise<string[] | undefined> {
  const read = await kubectl.json<{ items?: Slice[] }>([
    'get',
    'endpointslices',
    '-n',
    namespace,
    '-l',
    `kubernetes.io/service-name=${service}`,
  ]);
  if (!read.value) return undefined;
  const names = (read.value.items ?? [])
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.conditions?.ready !== false)
    .map((e) => e.targetRef?.name)
    .filter((n): n is string => typeof n === 'string');
  return [...new Set(names)].sort();
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
      allReady: { type: 'boolean' },
      field: { type: 'string', minLength: 1 },
      timeout: timeoutSchema,
    },
  },
  async run(spec, ctx) {
    const requests = spec.requests ?? 20;
    const title = spec.allReady
      ? ctx.t('checks.loadBalanced.titleAll', { service: spec.service, requests })
      : ctx.t('checks.loadBalanced.title', { service: spec.service, distinct: spec.distinct ?? 2, requests });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    // allReady: the pods that must answer are the Service's ready endpoints before the first request.
    const mustAnswer = spec.allReady ? await readyPodsOf(kubectl, spec.namespace, spec.service) : undefined;
    const distinct = spec.allReady ? Math.max(1, mustAnswer?.length ?? 1) : (spec.distinct ?? 2);
    const expected = spec.allReady
      ? ctx.t('checks.loadBalanced.expectedAll', { pods: (mustAnswer ?? []).join(', ') || '-', requests })
      : ctx.t('checks.loadBalanced.expected', { distinct, requests });
    const raw = serviceProxyPath(spec);
    const seen = new Map<string, number>();
    let lastFailure: Awaited<ReturnType<typeof kubectl.run>> | undefined;
    // allReady stops as soon as every pod it waits for has answered: `requests` is the most it sends.
    const enough = new AbortController();
    await askThroughService(kubectl, {
      raw,
      requests,
      ...(spec.field ? { field: spec.field } : {}),
      deadline: Date.now() + seconds(spec) * 1000,
      signal: enough.signal,
      onAnswer: (answer) => {
        if ('failed' in answer) lastFailure = answer.failed;
        else if ('pod' in answer) seen.set(answer.pod, (seen.get(answer.pod) ?? 0) + 1);
        if (mustAnswer && mustAnswer.length > 0 && mustAnswer.every((pod) => seen.has(pod))) enough.abort();
      },
    });
    const silent = (mustAnswer ?? []).filter((pod) => !seen.has(pod));
    if (seen.size >= distinct && silent.length === 0) return { ok: true, title };
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
      cause:
        silent.length > 0
          ? ctx.t('checks.loadBalanced.causeSilent', { pods: silent.join(', ') })
          : ctx.t('checks.loadBalanced.cause'),
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
