// Shared setup for the kubectl end-to-end suites: a practice cluster with the workloads plugin
// at test speed, the real kubectl, manifests, and polling helpers (conditions, not durations).
import { request } from 'node:https';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { type KubectlResult, startTestCluster, type TestCluster } from '../helpers/practice.js';

/** startWorkloadCluster starts a cluster with the workloads plugin and `k8s-core:1.0` loaded. */
export async function startWorkloadCluster(): Promise<TestCluster> {
  const tc = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
  loadImageIntoStore(tc.cluster.store, 'k8s-core:1.0');
  loadImageIntoStore(tc.cluster.store, 'k8s-core:latest');
  return tc;
}

/** ok runs kubectl and fails the test with its stderr when it exits non-zero. */
export async function ok(tc: TestCluster, args: string[], input?: string): Promise<string> {
  const r = await tc.kubectl(args, { input, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** eventually runs kubectl until `check` accepts its result (every 150 ms, up to `ms`). */
export async function eventually(
  tc: TestCluster,
  args: string[],
  check: (r: KubectlResult) => boolean,
  ms = 30_000,
): Promise<KubectlResult> {
  const deadline = Date.now() + ms;
  let last: KubectlResult | undefined;
  while (Date.now() < deadline) {
    last = await tc.kubectl(args);
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`kubectl ${args.join(' ')} never matched; last: ${last?.stdout}${last?.stderr}`);
}

/** deploymentYaml is a Deployment of the starter app (optionally with extra container fields). */
export function deploymentYaml(
  ns: string,
  name: string,
  opts: { replicas?: number; image?: string; extra?: string; podExtra?: string } = {},
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: ${opts.replicas ?? 3}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
${opts.podExtra ?? ''}      containers:
      - name: app
        image: ${opts.image ?? 'k8s-core:1.0'}
        ports:
        - {name: http, containerPort: 8080}
${opts.extra ?? ''}`;
}

/** serviceYaml is a ClusterIP Service named like its app, port `http` → container port `http`. */
export function serviceYaml(ns: string, name: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector: {app: ${name}}
  ports:
  - {name: http, port: 80, targetPort: http}
`;
}

/** namespaceYaml creates a namespace. */
export function namespaceYaml(ns: string): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n---\n`;
}

/** apiGet sends one GET to the cluster (the load generator of the HPA test), trusting its CA. */
export function apiGet(tc: TestCluster, path: string): Promise<number> {
  const cluster = tc.cluster as unknown as { url: string; token: string; caCert?: string };
  return new Promise((resolve) => {
    const req = request(
      `${cluster.url}${path}`,
      {
        headers: { authorization: `Bearer ${cluster.token}` },
        ca: cluster.caCert,
        rejectUnauthorized: !!cluster.caCert,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}
