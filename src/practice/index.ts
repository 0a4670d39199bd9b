// startPracticeCluster: the practice cluster in-process (tests, the engine, the daemon). It loads
// the saved state, seeds built-in objects and nodes, starts controllers, serves HTTP on
// 127.0.0.1 with a fresh bearer token, and writes <dataDir>/kubeconfig (0600).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { seedBootstrapPolicy } from './auth/bootstrap-policy.js';
import { inClusterApi } from './auth/in-cluster.js';
import { Auth } from './auth/index.js';
import { clusterRoleAggregator } from './auth/rbac.js';
import { tokenRequestHandler } from './auth/reviews.js';
import { garbageCollector } from './controllers/gc.js';
import { namespaceController } from './controllers/namespace.js';
import { deletePodGracefully } from './controllers/pod-util.js';
import { type Controller, Extensions, type PracticePlugin } from './extensions.js';
import { CONTEXT_NAME, writeKubeconfig } from './kubeconfig.js';
import { clearSnapshot, loadSnapshot, persistStore } from './persistence.js';
import { defaultPlugins } from './plugins.js';
import { quotaController } from './policy/admission.js';
import { crdController } from './policy/crds.js';
import { disruptionController, evictionHandler } from './policy/disruption.js';
import { seedStorageAndPriority, volumeBinder } from './policy/storage.js';
import { RESOURCES, storageKey } from './resources.js';
import { nodeNames, seedCluster, serviceAccountController } from './seed.js';
import type { ObservedRequest } from './server/context.js';
import { createApiServer } from './server/http.js';
import { ObjectStore } from './store.js';
import { selfSignedCertificate } from './tls.js';

export type { Controller, PracticePlugin } from './extensions.js';
export { CONTEXT_NAME } from './kubeconfig.js';

/** PracticeClusterOptions configure startPracticeCluster. */
export interface PracticeClusterOptions {
  /** Where state.json and the kubeconfig live. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Worker nodes besides the control plane (default 2, like a 3-node kind cluster). */
  nodes?: number;
  /** Start empty: forget the saved state. */
  fresh?: boolean;
  /** Plugins to install instead of defaultPlugins. */
  plugins?: PracticePlugin[];
  /** Save state under dataDir (default true). */
  persist?: boolean;
  /** Watch events kept for resuming watches (default 5000); older resourceVersions get 410. */
  watchHistory?: number;
  /**
   * Publish OpenAPI v3 component schemas, which `kubectl explain` reads (default true; the
   * environment variable K8S_LEARN_PRACTICE_OPENAPI_SCHEMAS=0 turns them off for the daemon).
   */
  openapiSchemas?: boolean;
  /** Sees every authenticated request with its body before it is served (tests, debugging). */
  onRequest?: (request: ObservedRequest) => void;
}

/** openapiSchemasFromEnv reads K8S_LEARN_PRACTICE_OPENAPI_SCHEMAS (`0`, `false`, `off` = off). */
export function openapiSchemasFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.K8S_LEARN_PRACTICE_OPENAPI_SCHEMAS?.trim().toLowerCase();
  return !(v === '0' || v === 'false' || v === 'off' || v === 'no');
}

/** PracticeCluster is a running practice cluster. */
export interface PracticeCluster {
  kubeconfigPath: string;
  context: string;
  url: string;
  port: number;
  token: string;
  /** PEM certificate the server presents (the kubeconfig's CA). */
  caCert: string;
  store: ObjectStore;
  extensions: Extensions;
  /** stop stops serving and controllers and saves the state. */
  stop(): Promise<void>;
}

const generationKeys = new Set(RESOURCES.filter((d) => d.tracksGeneration).map(storageKey));

/** startPracticeCluster starts a practice cluster in this process. */
export async function startPracticeCluster(options: PracticeClusterOptions): Promise<PracticeCluster> {
  const dataDir = options.dataDir;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (options.fresh) clearSnapshot(dataDir);
  const store = new ObjectStore({
    tracksGeneration: (r) => generationKeys.has(r),
    historySize: options.watchHistory,
  });
  const persist = options.persist !== false;
  const snapshot = persist ? loadSnapshot(dataDir) : undefined;
  if (snapshot) store.load(snapshot);
  const workers = options.nodes ?? 2;
  seedCluster(store, workers);
  seedBootstrapPolicy(store);
  seedStorageAndPriority(store);

  const tls = selfSignedCertificate();
  const extensions = new Extensions();
  const builtins: Controller[] = [
    garbageCollector(),
    namespaceController(),
    serviceAccountController(tls.cert),
    clusterRoleAggregator(),
    disruptionController(),
    quotaController(RESOURCES),
    volumeBinder(),
    crdController(),
  ];
  for (const c of builtins) extensions.addController(c);
  for (const plugin of options.plugins ?? defaultPlugins) plugin(extensions);
  const token = randomBytes(32).toString('base64url');
  const auth = new Auth(store, token, persist ? dataDir : undefined);
  let address = '127.0.0.1:0';
  const inCluster = inClusterApi(store, auth, token, tls.cert, () => address);
  const names = nodeNames(workers);
  for (const c of extensions.controllers) await c.start({ store, nodeNames: names, inCluster });
  const stopPersisting = persist ? persistStore(store, dataDir) : () => {};

  extensions.registerSubresource('serviceaccounts', 'token', tokenRequestHandler(auth));
  extensions.registerSubresource(
    'pods',
    'eviction',
    evictionHandler((s, pod) =>
      extensions.gracefulDeletion.has('pods')
        ? deletePodGracefully(s, pod)
        : s.delete('pods', pod.metadata.namespace, pod.metadata.name ?? ''),
    ),
  );
  const server = createApiServer(
    {
      store,
      extensions,
      address: () => address,
      auth,
      openapi: { schemas: options.openapiSchemas ?? openapiSchemasFromEnv(), store },
      onRequest: options.onRequest,
    },
    tls,
  );
  const sockets = new Set<Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: NodeJS.ErrnoException) => {
    for (const c of extensions.controllers) await c.stop();
    stopPersisting();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  const url = `https://${address}`;
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, url, token, tls.cert);

  let stopped = false;
  return {
    kubeconfigPath,
    context: CONTEXT_NAME,
    url,
    port,
    token,
    caCert: tls.cert,
    store,
    extensions,
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      for (const c of [...extensions.controllers].reverse()) await c.stop();
      stopPersisting();
    },
  };
}
