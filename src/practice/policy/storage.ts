// Storage and priority as kind sets them up: the default StorageClass `standard` (rancher.io/
// local-path, WaitForFirstConsumer), the two system PriorityClasses, and a volume binder that
// plays local-path-provisioner: a claim of a WaitForFirstConsumer class is provisioned and bound
// once a pod using it is scheduled (Immediate classes at once), with a PersistentVolume
// `pvc-<claim uid>` pinned to the node.
import type { Controller } from '../extensions.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const CLASSES = 'storageclasses.storage.k8s.io';
const PRIORITIES = 'priorityclasses.scheduling.k8s.io';

function ensure(store: ObjectStore, resource: string, obj: KubeObject): void {
  if (!store.get(resource, obj.metadata.namespace, obj.metadata.name ?? '')) store.create(resource, obj);
}

/** seedStorageAndPriority creates kind's default StorageClass and the system PriorityClasses. */
export function seedStorageAndPriority(store: ObjectStore): void {
  ensure(store, CLASSES, {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  for (const [name, value, description] of [
    [
      'system-cluster-critical',
      2000000000,
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    ],
    [
      'system-node-critical',
      2000001000,
      'Used for system critical pods that must not be moved from their current node.',
    ],
  ] as const) {
    ensure(store, PRIORITIES, {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name },
      value,
      globalDefault: false,
      description,
      preemptionPolicy: 'PreemptLowerPriority',
    });
  }
}

function claimsOf(pod: KubeObject): string[] {
  const volumes = (o(pod.spec).volumes as Obj[] | undefined) ?? [];
  return volumes.map((v) => String(o(v.persistentVolumeClaim).claimName ?? '')).filter(Boolean);
}

function bind(store: ObjectStore, claim: KubeObject, node: string | undefined): void {
  const spec = o(claim.spec);
  const uid = claim.metadata.uid ?? '';
  const pvName = `pvc-${uid}`;
  const size = String(o(o(spec.resources).requests).storage ?? '1Gi');
  const modes = (spec.accessModes as string[] | undefined) ?? ['ReadWriteOnce'];
  const className = String(spec.storageClassName ?? '');
  const cls = store.get(CLASSES, undefined, className);
  const pv: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: pvName,
      annotations: {
        'local.path.provisioner/selected-node': node ?? '',
        'pv.kubernetes.io/provisioned-by': String(cls?.provisioner ?? ''),
      },
      finalizers: ['kubernetes.io/pv-protection'],
    },
    spec: {
      accessModes: modes,
      capacity: { storage: size },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: claim.metadata.name,
        namespace: claim.metadata.namespace,
        uid,
        resourceVersion: claim.metadata.resourceVersion,
      },
      hostPath: {
        path: `/var/local-path-provisioner/${pvName}_${claim.metadata.namespace}_${claim.metadata.name}`,
        type: 'DirectoryOrCreate',
      },
      persistentVolumeReclaimPolicy: String(cls?.reclaimPolicy ?? 'Delete'),
      storageClassName: className,
      volumeMode: String(spec.volumeMode ?? 'Filesystem'),
      ...(node
        ? {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
                ],
              },
            },
          }
        : {}),
    },
    status: { phase: 'Bound', lastPhaseTransitionTime: `${new Date().toISOString().slice(0, 19)}Z` },
  };
  if (!store.get('persistentvolumes', undefined, pvName)) store.create('persistentvolumes', pv);
  const next = structuredClone(claim);
  next.spec = { ...o(next.spec), volumeName: pvName };
  next.metadata.annotations = {
    ...(next.metadata.annotations ?? {}),
    'pv.kubernetes.io/bind-completed': 'yes',
    'pv.kubernetes.io/bound-by-controller': 'yes',
    'volume.beta.kubernetes.io/storage-provisioner': String(cls?.provisioner ?? ''),
    'volume.kubernetes.io/storage-provisioner': String(cls?.provisioner ?? ''),
    ...(node ? { 'volume.kubernetes.io/selected-node': node } : {}),
  };
  next.metadata.finalizers = [
    ...new Set([...(next.metadata.finalizers ?? []), 'kubernetes.io/pvc-protection']),
  ];
  next.metadata.resourceVersion = '';
  next.status = { phase: 'Bound', accessModes: modes, capacity: { storage: size } };
  store.update('persistentvolumeclaims', next);
}

/** volumeBinder provisions and binds claims (kind's local-path-provisioner, simplified). */
export function volumeBinder(): Controller {
  let unsubscribe: (() => void) | undefined;
  let queued = false;
  return {
    name: 'volume-binder',
    start(ctx) {
      const store = ctx.store;
      const sync = () => {
        queued = false;
        const wanted = new Map<string, string>();
        for (const pod of store.list('pods').items) {
          const node = o(pod.spec).nodeName;
          if (typeof node !== 'string' || pod.metadata.deletionTimestamp) continue;
          for (const c of claimsOf(pod)) wanted.set(`${pod.metadata.namespace}/${c}`, node);
        }
        for (const claim of store.list('persistentvolumeclaims').items) {
          if (
            o(claim.status).phase === 'Bound' ||
            claim.metadata.deletionTimestamp ||
            o(claim.spec).volumeName
          )
            continue;
          const cls = store.get(CLASSES, undefined, String(o(claim.spec).storageClassName ?? ''));
          if (!cls) continue;
          const node = wanted.get(`${claim.metadata.namespace}/${claim.metadata.name}`);
          if (cls.volumeBindingMode === 'WaitForFirstConsumer' && !node) continue;
          bind(store, claim, node);
        }
        // Released claims: a Delete policy removes the volume with its claim.
        for (const pv of store.list('persistentvolumes').items) {
          const ref = o(o(pv.spec).claimRef);
          if (!ref.name || store.get('persistentvolumeclaims', String(ref.namespace), String(ref.name)))
            continue;
          if (o(pv.spec).persistentVolumeReclaimPolicy === 'Delete') {
            const next = structuredClone(pv);
            next.metadata.finalizers = [];
            next.metadata.resourceVersion = '';
            store.update('persistentvolumes', next);
            store.delete('persistentvolumes', undefined, pv.metadata.name ?? '');
          }
        }
        // Claims being deleted keep their protection finalizer until no pod uses them.
        for (const claim of store.list('persistentvolumeclaims').items) {
          if (
            !claim.metadata.deletionTimestamp ||
            wanted.has(`${claim.metadata.namespace}/${claim.metadata.name}`)
          )
            continue;
          if (!claim.metadata.finalizers?.includes('kubernetes.io/pvc-protection')) continue;
          const next = structuredClone(claim);
          next.metadata.finalizers = (next.metadata.finalizers ?? []).filter(
            (f) => f !== 'kubernetes.io/pvc-protection',
          );
          next.metadata.resourceVersion = '';
          store.update('persistentvolumeclaims', next);
        }
      };
      sync();
      unsubscribe = store.subscribe((e) => {
        if (!['pods', 'persistentvolumeclaims', 'persistentvolumes'].includes(e.resource) || queued) return;
        queued = true;
        setImmediate(sync);
      });
    },
    stop() {
      unsubscribe?.();
    },
  };
}
