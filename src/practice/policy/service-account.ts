// The ServiceAccount admission plugin's pod mutation: unless automounting is off (the pod's
// `automountServiceAccountToken`, else its ServiceAccount's), a new pod gets the projected volume
// `kube-api-access-<suffix>` (a bound token, the cluster CA, the namespace) mounted read-only at
// /var/run/secrets/kubernetes.io/serviceaccount in every container, as on kind. A pod naming a
// ServiceAccount that does not exist is refused (403), as upstream.

import { ApiError } from '../api-error.js';
import { DEFAULT_TOKEN_SECONDS } from '../auth/in-cluster.js';
import type { ObjectStore } from '../store.js';
import { randomSuffix } from '../store-types.js';
import type { KubeObject } from '../types.js';

/** SERVICE_ACCOUNT_DIR is where the token, ca.crt and namespace of a pod's account are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Obj = Record<string, unknown>;
interface Mount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Container {
  volumeMounts?: Mount[];
}

/** serviceAccountAdmission adds the token volume to a pod being created. */
export function serviceAccountAdmission(
  store: ObjectStore,
  obj: KubeObject,
  old: KubeObject | undefined,
): void {
  if (obj.kind !== 'Pod' || old) return;
  // Mirror pods (static pods of a node) get no token, as upstream.
  if (obj.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
  const spec = (obj.spec ?? {}) as Obj & { automountServiceAccountToken?: boolean };
  const name = String(spec.serviceAccountName ?? 'default');
  const account = store.get('serviceaccounts', obj.metadata.namespace, name);
  if (!account) {
    // NewForbidden names the pod, or its generateName before a name is generated.
    const podName = obj.metadata.name || obj.metadata.generateName || 'Unknown';
    throw new ApiError(
      403,
      'Forbidden',
      `pods "${podName}" is forbidden: error looking up service account ${obj.metadata.namespace}/${name}: serviceaccount "${name}" not found`,
      { name: podName, kind: 'pods' },
    );
  }
  const automount =
    spec.automountServiceAccountToken ??
    (account as { automountServiceAccountToken?: boolean } | undefined)?.automountServiceAccountToken ??
    true;
  if (!automount) return;
  const containers = ['initContainers', 'containers'].flatMap((k) =>
    Array.isArray(spec[k]) ? (spec[k] as Container[]) : [],
  );
  // A pod that mounts something there itself keeps it.
  if (
    containers.some((c) =>
      c.volumeMounts?.some((m) => m.mountPath.replace(/\/$/, '') === SERVICE_ACCOUNT_DIR),
    )
  )
    return;
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as Obj[]) : [];
  let volumeName: string;
  do volumeName = `kube-api-access-${randomSuffix()}`;
  while (volumes.some((v) => v.name === volumeName));
  volumes.push({
    name: volumeName,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: DEFAULT_TOKEN_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  });
  spec.volumes = volumes;
  for (const c of containers)
    c.volumeMounts = [
      ...(c.volumeMounts ?? []),
      { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_DIR },
    ];
  obj.spec = spec;
}
