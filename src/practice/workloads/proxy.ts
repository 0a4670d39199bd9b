// `services/NAME[:PORT]/proxy/PATH` and `pods/NAME[:PORT]/proxy/PATH`: the API server's proxy to
// the simulated apps. For a Service it picks one ready endpoint at random (as the real proxy
// does), so repeated calls reach every replica; with none it answers 503 with upstream's text.
// Each request is logged by the app and costs it CPU (what `kubectl top` and the HPA see).
import { ApiError } from '../api-error.js';
import type { WorkloadContext } from '../controllers/context.js';
import { resolveTargetPort } from '../controllers/endpoints.js';
import type { SubresourceHandler, SubresourceRequest, SubresourceResult } from '../extensions.js';
import type { KubeObject } from '../types.js';
import { type HttpAnswer, serveHttp } from './app.js';

/** PROXY_CLIENT is the source address apps see for proxied requests (the node's bridge). */
export const PROXY_CLIENT = '10.244.0.1';

function unavailable(message: string): ApiError {
  return new ApiError(503, 'ServiceUnavailable', message);
}

function splitName(name: string): { scheme?: string; name: string; port?: string } {
  const parts = name.split(':');
  if (parts.length === 3) return { scheme: parts[0], name: parts[1] ?? '', port: parts[2] };
  if (parts.length === 2) return { name: parts[0] ?? '', port: parts[1] };
  return { name };
}

/** AppRequest is one HTTP request to a pod's app, from the API server's proxy or another pod. */
export interface AppRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  client: string;
}

/**
 * requestApp sends one request to the app listening on `port` in a pod, logging it and charging
 * its CPU; undefined when nothing listens there (connection refused).
 */
export function requestApp(
  ctx: WorkloadContext,
  pod: KubeObject,
  port: number,
  req: AppRequest,
): HttpAnswer | undefined {
  const uid = pod.metadata.uid ?? '';
  const containers = ((pod.spec as { containers?: { name: string }[] }).containers ?? []).map((c) => c.name);
  const app = containers.map((c) => ctx.appOf(uid, c)).find((a) => a?.running && a.plan.port === port);
  if (!app) return undefined;
  const answer = serveHttp(app.plan, {
    method: req.method,
    path: req.path,
    query: req.query,
    client: req.client,
    podName: app.podName,
    namespace: app.namespace,
    nodeName: app.nodeName,
    config: app.config,
  });
  ctx.cpu.record(uid, app.container, answer.cpuMs);
  if (answer.log) ctx.logs.write(uid, app.container, answer.log);
  return answer;
}

/** pickEndpoint picks a random ready pod behind a Service port, as the proxy and kube-proxy do. */
export function pickEndpoint(
  ctx: WorkloadContext,
  namespace: string,
  service: string,
  svcPort: { port: number; targetPort?: number | string; name?: string },
): { pod: KubeObject; port: number } | undefined {
  const eps = ctx.store.get('endpoints', namespace, service);
  const subsets = (eps?.subsets ?? []) as { addresses?: { targetRef?: { name?: string } }[] }[];
  const pods = subsets
    .flatMap((s) => s.addresses ?? [])
    .map((a) => ctx.store.get('pods', namespace, a.targetRef?.name ?? ''))
    .filter((p): p is KubeObject => !!p);
  if (pods.length === 0) return undefined;
  const pod = pods[Math.floor(ctx.options.random() * pods.length)] as KubeObject;
  const port = resolveTargetPort(pod, svcPort);
  return port === undefined ? undefined : { pod, port };
}

/** callPod sends one request to the app listening on `port` in a pod. */
export function callPod(
  ctx: WorkloadContext,
  pod: KubeObject,
  port: number,
  req: SubresourceRequest,
): SubresourceResult {
  const ip = (pod.status as { podIP?: string } | undefined)?.podIP ?? '';
  const path = `/${req.rest.replace(/^\/+/, '')}`;
  const answer = requestApp(ctx, pod, port, {
    method: req.method,
    path,
    query: req.query,
    client: PROXY_CLIENT,
  });
  if (!answer)
    throw unavailable(`error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`);
  return { status: answer.status, contentType: answer.contentType, body: answer.body };
}

/** serviceProxy is the `services/proxy` handler. */
export function serviceProxy(ctx: WorkloadContext): SubresourceHandler {
  return async (req) => {
    const ns = req.namespace ?? 'default';
    const target = splitName(req.name);
    const svc = req.store.mustGet('services', ns, target.name);
    const ports =
      (
        svc.spec as {
          ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[];
        }
      ).ports ?? [];
    let svcPort = ports.find((p) =>
      target.port ? p.name === target.port || String(p.port) === target.port : !p.name,
    );
    if (!svcPort && !target.port && ports.length === 1) svcPort = ports[0];
    if (!svcPort) {
      if (target.port && /^\d+$/.test(target.port))
        throw unavailable(`no service port ${target.port} found for service "${target.name}"`);
      throw unavailable(`no endpoints available for service "${target.name}"`);
    }
    const picked = pickEndpoint(ctx, ns, target.name, svcPort);
    if (!picked) throw unavailable(`no endpoints available for service "${target.name}"`);
    const { pod, port } = picked;
    return callPod(ctx, pod, port, req);
  };
}

/** podProxy is the `pods/proxy` handler. */
export function podProxy(ctx: WorkloadContext): SubresourceHandler {
  return async (req) => {
    const target = splitName(req.name);
    const pod = req.store.mustGet('pods', req.namespace ?? 'default', target.name);
    const first = (
      (pod.spec as { containers?: { ports?: { containerPort: number; name?: string }[] }[] }).containers ?? []
    ).flatMap((c) => c.ports ?? []);
    const named = first.find((p) => p.name === target.port);
    const port =
      named?.containerPort ?? (target.port ? Number(target.port) : (first[0]?.containerPort ?? 80));
    if (!(pod.status as { podIP?: string } | undefined)?.podIP) {
      throw new ApiError(400, 'BadRequest', `pod ${target.name} does not have a host assigned`);
    }
    return callPod(ctx, pod, port, req);
  };
}
