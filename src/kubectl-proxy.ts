// `kubectl proxy` on a free local port, pinned to the course's cluster like every kubectl call
// (kubectl handles the credentials: kind's client certificates, a workshop learner's token), and
// plain HTTP through it. One kubectl process then carries any number of requests, where
// `kubectl get --raw` would start one each. Used by `k8s-learn load`, `k8s-learn balance` and the
// load-balanced check.
import type { Kubectl, KubectlStream } from './kubectl.js';

/** OpeningProxy is a `kubectl proxy` being started: its port once it serves, and stop. */
export interface OpeningProxy {
  /** Resolves with the local port once kubectl serves; rejects when kubectl ended first. */
  port: Promise<number>;
  /** Ends kubectl (its whole process group), whether or not it serves yet. */
  stop(): void;
}

/** openProxy starts `kubectl proxy --port=0 --address=127.0.0.1`. */
export function openProxy(kubectl: Kubectl): OpeningProxy {
  let stream: KubectlStream | undefined;
  const port = new Promise<number>((resolve, reject) => {
    let out = '';
    let settled = false;
    stream = kubectl.stream(['proxy', '--port=0', '--address=127.0.0.1'], (chunk) => {
      out += chunk;
      const m = /Starting to serve on [^\s:]+:(\d+)/.exec(out);
      if (m && !settled) {
        settled = true;
        resolve(Number(m[1]));
      }
    });
    void stream.done.then(({ exitCode, stderr }) => {
      if (settled) return;
      settled = true;
      reject(new Error(stderr.trim().split('\n').pop() || `kubectl proxy exited with ${exitCode}`));
    });
  });
  return { port, stop: () => stream?.stop() };
}

/** Proxy is a running `kubectl proxy`. */
export interface Proxy {
  port: number;
  stop(): void;
}

/** startProxy starts `kubectl proxy` and resolves once it serves. */
export async function startProxy(kubectl: Kubectl): Promise<Proxy> {
  const opening = openProxy(kubectl);
  return { port: await opening.port, stop: opening.stop };
}

/** statusMessage takes `message` out of a Kubernetes Status body, else keeps the text's start. */
export function statusMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: the app's own answer.
  }
  return text.slice(0, 160);
}
