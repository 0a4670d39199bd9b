// A store-level harness for the workloads controllers: an ObjectStore with the workloads plugin
// running at test speed, without the HTTP layer. `until` polls a condition (no fixed sleeps).
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { Extensions } from '../../src/practice/extensions.js';
import { RESOURCES, storageKey } from '../../src/practice/resources.js';
import { serviceAccountController } from '../../src/practice/seed.js';
import { ObjectStore } from '../../src/practice/store.js';
import type { KubeObject } from '../../src/practice/types.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';

/** NODE_NAMES are the simulated nodes of a kind cluster named k8s-learn. */
export const NODE_NAMES = ['k8s-learn-control-plane', 'k8s-learn-worker', 'k8s-learn-worker2'];

/** Harness is a running store with the plugin's controllers. */
export interface Harness {
  store: ObjectStore;
  ext: Extensions;
  stop(): Promise<void>;
}

/** startHarness starts the workloads plugin on a fresh store. */
export async function startHarness(timeScale = TEST_TIME_SCALE): Promise<Harness> {
  const tracked = new Set(RESOURCES.filter((d) => d.tracksGeneration).map(storageKey));
  const store = new ObjectStore({ tracksGeneration: (r) => tracked.has(r) });
  const ext = new Extensions();
  // Every namespace has its `default` ServiceAccount and `kube-root-ca.crt`, which the pods'
  // kube-api-access volume mounts, as on a cluster.
  ext.addController(serviceAccountController());
  workloadsPlugin({ timeScale })(ext);
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  for (const c of ext.controllers) await c.start({ store, nodeNames: NODE_NAMES });
  return {
    store,
    ext,
    async stop() {
      for (const c of [...ext.controllers].reverse()) await c.stop();
    },
  };
}

/** until polls `check` every 20 ms until it returns a truthy value, or fails after `ms`. */
export async function until<T>(
  check: () => T | undefined | false,
  ms = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** deployment builds a defaulted apps/v1 Deployment as the API server would store it. */
export function deployment(
  name: string,
  opts: {
    replicas?: number;
    image?: string;
    container?: Record<string, unknown>;
    namespace?: string;
    strategy?: Record<string, unknown>;
    progressDeadlineSeconds?: number;
    podSpec?: Record<string, unknown>;
  } = {},
): KubeObject {
  const image = opts.image ?? 'k8s-core:1.0';
  const tail = image.slice(image.lastIndexOf('/') + 1);
  const policy = tail.includes(':') && !tail.endsWith(':latest') ? 'IfNotPresent' : 'Always';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: opts.namespace ?? 'demo' },
    spec: {
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              imagePullPolicy: policy,
              ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
              ...(opts.container ?? {}),
            },
          ],
          restartPolicy: 'Always',
          ...(opts.podSpec ?? {}),
        },
      },
      strategy: opts.strategy ?? {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: opts.progressDeadlineSeconds ?? 600,
    },
  };
}

/** loadImage marks an image as present on every node, as `practice load-image` does. */
export function loadImage(store: ObjectStore, image: string): void {
  if (!loadImageIntoStore(store, image)) throw new Error(`bad image ${image}`);
}

/** podsOf lists the pods of an app label. */
export function podsOf(store: ObjectStore, app: string, namespace = 'demo'): KubeObject[] {
  return store.list('pods', { namespace, predicate: (p) => p.metadata.labels?.app === app }).items;
}

/** statusOf reads an object's status as a record. */
export function statusOf(obj: KubeObject | undefined): Record<string, unknown> {
  return (obj?.status ?? {}) as Record<string, unknown>;
}
