// What a new cluster starts with, as kind makes it: namespaces default, kube-system, kube-public,
// kube-node-lease; the `kubernetes` Service; a `default` ServiceAccount per namespace; nodes
// `k8s-learn-control-plane` (tainted) and workers, Ready, with capacity and allocatable.
import type { Controller } from './extensions.js';
import { newNode } from './node-object.js';
import type { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';

/** CLUSTER_NAME names nodes like kind does (`<cluster>-control-plane`, `<cluster>-worker`). */
export const CLUSTER_NAME = 'k8s-learn';

/** nodeNames lists the simulated nodes for a worker count. */
export function nodeNames(workers: number): string[] {
  const names = [`${CLUSTER_NAME}-control-plane`];
  for (let i = 1; i <= workers; i++)
    names.push(i === 1 ? `${CLUSTER_NAME}-worker` : `${CLUSTER_NAME}-worker${i}`);
  return names;
}

function ensure(store: ObjectStore, resource: string, obj: KubeObject): void {
  if (!store.get(resource, obj.metadata.namespace, obj.metadata.name ?? '')) store.create(resource, obj);
}

function namespaceObject(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** seedCluster adds the built-in objects and makes the node list match `workers`. */
export function seedCluster(store: ObjectStore, workers: number): void {
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system'])
    ensure(store, 'namespaces', namespaceObject(ns));
  ensure(store, 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  });
  const wanted = nodeNames(workers);
  const now = store.timestamp();
  for (const n of store.list('nodes').items) {
    if (!wanted.includes(n.metadata.name ?? '')) store.delete('nodes', undefined, n.metadata.name ?? '');
  }
  for (const l of store.list('leases.coordination.k8s.io', { namespace: 'kube-node-lease' }).items) {
    if (!wanted.includes(l.metadata.name ?? ''))
      store.delete('leases.coordination.k8s.io', 'kube-node-lease', l.metadata.name ?? '');
  }
  for (const name of wanted) {
    ensure(store, 'leases.coordination.k8s.io', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: {
        holderIdentity: name,
        leaseDurationSeconds: 40,
        renewTime: `${new Date().toISOString().slice(0, 23)}000Z`,
      },
    });
  }
  wanted.forEach((name, i) => {
    ensure(store, 'nodes', newNode(name, i, now));
  });
}

const ROOT_CA_NOTE =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/**
 * serviceAccountController gives every namespace a `default` ServiceAccount and the
 * `kube-root-ca.crt` ConfigMap, as upstream's controllers do.
 */
export function serviceAccountController(caCert = ''): Controller {
  let unsubscribe: (() => void) | undefined;
  const ensureFor = (store: ObjectStore, seen: KubeObject) => {
    const name = seen.metadata.name ?? '';
    const ns = store.get('namespaces', undefined, name);
    if (!ns || ns.metadata.deletionTimestamp) return;
    if (!store.get('serviceaccounts', name, 'default')) {
      store.create('serviceaccounts', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: name },
      });
    }
    const root = store.get('configmaps', name, 'kube-root-ca.crt');
    const data = { 'ca.crt': caCert };
    if (!root) {
      store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'kube-root-ca.crt',
          namespace: name,
          annotations: { 'kubernetes.io/description': ROOT_CA_NOTE },
        },
        data,
      });
    } else if ((root.data as Record<string, string> | undefined)?.['ca.crt'] !== caCert) {
      store.update('configmaps', { ...structuredClone(root), data });
    }
  };
  return {
    name: 'serviceaccount',
    start(ctx) {
      for (const ns of ctx.store.list('namespaces').items) ensureFor(ctx.store, ns);
      unsubscribe = ctx.store.subscribe((e) => {
        const recreate =
          e.type === 'DELETED' &&
          ((e.resource === 'configmaps' && e.object.metadata.name === 'kube-root-ca.crt') ||
            (e.resource === 'serviceaccounts' && e.object.metadata.name === 'default'));
        if (recreate) {
          const ns = e.object.metadata.namespace ?? '';
          setImmediate(() =>
            ensureFor(ctx.store, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }),
          );
        } else if (e.resource === 'namespaces' && e.type === 'ADDED')
          setImmediate(() => ensureFor(ctx.store, e.object));
      });
    },
    stop() {
      unsubscribe?.();
    },
  };
}
