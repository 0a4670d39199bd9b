// Probe results against the simulated app: a probe on a port the app does not listen on is
// refused, an HTTP probe gets the status the app would answer. Exec probes run in the container's
// simulated shell (src/practice/exec/probe.ts).
import type { JsonObject } from '../types.js';
import { probeStatus } from '../workloads/app.js';
import type { ContainerRun } from './pod-worker.js';

/** ProbeKind is the kind of probe kubelet runs. */
export type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** ProbeResult is one probe outcome with upstream's failure text. */
export interface ProbeResult {
  ok: boolean;
  message: string;
}

function portOf(port: unknown, run: ContainerRun): number | undefined {
  if (typeof port === 'number') return port;
  const named = run.spec.ports?.find((p) => p.name === port);
  if (named) return named.containerPort;
  const n = Number(port);
  return Number.isInteger(n) ? n : undefined;
}

/** listensOn tells whether the container's app listens on a port (its main port or a further one). */
function listensOn(run: ContainerRun, port: number): boolean {
  return run.plan?.port === port || (run.plan?.ports ?? []).includes(port);
}

/** runProbe evaluates a probe against the container's app. */
export function runProbe(probe: JsonObject, run: ContainerRun, podIP: string): ProbeResult {
  const http = probe.httpGet as JsonObject | undefined;
  if (http) {
    const port = portOf(http.port, run);
    const path = String(http.path ?? '/');
    const scheme = String(http.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${podIP}:${port}${path.startsWith('/') ? path : `/${path}`}`;
    if (port === undefined || !listensOn(run, port)) {
      return { ok: false, message: `Get "${url}": dial tcp ${podIP}:${port}: connect: connection refused` };
    }
    const status = run.plan ? probeStatus(run.plan, path) : 200;
    if (status >= 200 && status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${status}` };
  }
  const tcp = (probe.tcpSocket ?? probe.grpc) as JsonObject | undefined;
  if (tcp) {
    const port = portOf(tcp.port, run);
    if (port === undefined || !listensOn(run, port))
      return { ok: false, message: `dial tcp ${podIP}:${port}: connect: connection refused` };
    return { ok: true, message: '' };
  }
  return { ok: true, message: '' };
}
