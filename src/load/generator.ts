// Sending the load: plain HTTP requests through `kubectl proxy` (src/kubectl-proxy.ts) to the
// Service's proxy path — the API server picks a ready endpoint for each, as for
// `kubectl get --raw /api/v1/namespaces/NS/services/NAME:PORT/proxy/…`. No pod is created.
import { request } from 'node:http';
import { statusMessage } from '../kubectl-proxy.js';

/** LoadCounters are the answers so far. */
export interface LoadCounters {
  sent: number;
  ok: number;
  failed: number;
  /** The last failure's first line (status and body, or the network error). */
  lastError?: string;
}

/** LoadLoop sends requests at a steady rate until stopped. */
export interface LoadLoop {
  readonly counters: LoadCounters;
  /** Stops sending; resolves when the requests in flight have ended. */
  stop(): Promise<void>;
}

/** MAX_IN_FLIGHT keeps a slow cluster from piling up requests (they would all land at once). */
const MAX_IN_FLIGHT = 40;

/** startLoad sends GET `path` through the proxy `ratePerSecond` times a second. */
export function startLoad(port: number, path: string, ratePerSecond: number, signal?: AbortSignal): LoadLoop {
  const counters: LoadCounters = { sent: 0, ok: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  // Once stopping (Ctrl-C also ends `kubectl proxy`), a request cut short is not the Service failing.
  let stopping = false;
  signal?.addEventListener('abort', () => {
    stopping = true;
  });
  const send = () => {
    if (inFlight.size >= MAX_IN_FLIGHT) return;
    counters.sent++;
    const done = new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 30_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          if (body.length < 400) body += d;
        });
        res.on('end', () => {
          if (res.statusCode === 200) counters.ok++;
          else {
            counters.failed++;
            const text = body.trim().split('\n')[0] ?? '';
            counters.lastError = `HTTP ${res.statusCode}${text ? `: ${statusMessage(text)}` : ''}`;
          }
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => {
        if (!stopping) {
          counters.failed++;
          counters.lastError = err.message;
        }
        resolve();
      });
      req.end();
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const interval = 1000 / ratePerSecond;
  const started = Date.now();
  let due = 0;
  // A timer every 50 ms catches up with the schedule, so the rate holds even when timers are late.
  const timer = setInterval(
    () => {
      const target = Math.floor((Date.now() - started) / interval) + 1;
      while (due < target) {
        due++;
        send();
      }
    },
    Math.min(50, interval),
  );
  return {
    counters,
    async stop() {
      stopping = true;
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
