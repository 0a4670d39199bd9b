// What a container is given: environment variables and files from ConfigMaps and Secrets,
// resolved as kubelet does before it creates the container. A missing object or key in `env`
// or `envFrom` is a CreateContainerConfigError; a missing ConfigMap or Secret behind a volume
// keeps the pod in ContainerCreating with FailedMount events (upstream behaviour).
import type { InClusterApi } from '../extensions.js';
import type { ObjectStore } from '../store.js';
import { isJsonObject, type JsonObject, type KubeObject } from '../types.js';

// kindest/node v1.33's base image.
const KIND_NODE_OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

/** ContainerSpec is the part of a container the simulation reads. */
export interface ContainerSpec {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: JsonObject[];
  envFrom?: JsonObject[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: JsonObject;
  livenessProbe?: JsonObject;
  startupProbe?: JsonObject;
}

/** ContainerConfig is the resolved environment and files of one container. */
export interface ContainerConfig {
  env: Record<string, string>;
  /** Mounted files: absolute path → content. */
  files: Record<string, string>;
}

/** ConfigProblem is why a container cannot be created yet. */
export interface ConfigProblem {
  kind: 'CreateContainerConfigError' | 'FailedMount';
  message: string;
}

function data(obj: KubeObject | undefined, secret: boolean): Record<string, string> | undefined {
  if (!obj) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((obj.data as Record<string, string>) ?? {})) {
    out[k] = secret ? Buffer.from(String(v), 'base64').toString('utf8') : String(v);
  }
  if (secret)
    for (const [k, v] of Object.entries((obj.stringData as Record<string, string>) ?? {})) out[k] = v;
  return out;
}

function source(store: ObjectStore, ns: string, secret: boolean, name: string) {
  return data(store.get(secret ? 'secrets' : 'configmaps', ns, name), secret);
}

function notFound(secret: boolean, name: string): string {
  return `${secret ? 'secret' : 'configmap'} "${name}" not found`;
}

/** resolveConfig resolves a container's env and volume files, or says what is missing. */
export function resolveConfig(
  store: ObjectStore,
  pod: KubeObject,
  container: ContainerSpec,
  inCluster?: InClusterApi,
): { config: ContainerConfig } | { problem: ConfigProblem } {
  const ns = pod.metadata.namespace ?? 'default';
  const spec = (pod.spec ?? {}) as JsonObject;
  const files: Record<string, string> = {};
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as JsonObject[]) : [];
  for (const mount of container.volumeMounts ?? []) {
    const vol = volumes.find((v) => v.name === mount.name);
    if (!vol) continue;
    // A projected volume is several sources in one directory (the ServiceAccount admission's
    // kube-api-access-*: token, ca.crt, namespace); configMap and secret volumes are one source.
    const projected = isJsonObject(vol.projected) && Array.isArray(vol.projected.sources);
    const sources = projected
      ? ((vol.projected as JsonObject).sources as unknown[]).filter(isJsonObject)
      : [{ configMap: vol.configMap, secret: vol.secret }];
    const place = (path: string, content: string) => {
      const target = mount.subPath
        ? mount.subPath === path
          ? mount.mountPath
          : undefined
        : `${mount.mountPath.replace(/\/$/, '')}/${path}`;
      if (target) files[target] = content;
    };
    // A hostPath of `/` (`kubectl debug node/…` mounts it at /host) shows a little of the kind
    // node: its hostname and OS. Nothing else of a node's filesystem is simulated.
    if (isJsonObject(vol.hostPath) && vol.hostPath.path === '/') {
      place('etc/hostname', `${String(spec.nodeName ?? '')}\n`);
      place('etc/os-release', KIND_NODE_OS_RELEASE);
    }
    for (const src of sources) {
      for (const secret of [false, true]) {
        const ref = src[secret ? 'secret' : 'configMap'];
        if (!isJsonObject(ref)) continue;
        const name = String(secret ? (ref.secretName ?? ref.name) : ref.name);
        const values = source(store, ns, secret, name);
        if (!values) {
          if (ref.optional === true) continue;
          const msg = `MountVolume.SetUp failed for volume "${mount.name}" : ${notFound(secret, name)}`;
          return { problem: { kind: 'FailedMount', message: msg } };
        }
        const items = Array.isArray(ref.items) ? (ref.items as JsonObject[]) : undefined;
        const pairs = items
          ? items.map((i) => [String(i.key), String(i.path ?? i.key)] as const)
          : Object.keys(values).map((k) => [k, k] as const);
        for (const [key, path] of pairs) {
          if (values[key] === undefined) {
            if (ref.optional === true) continue;
            const what = secret ? 'secret' : 'configmap';
            const msg = `MountVolume.SetUp failed for volume "${mount.name}" : ${what} references non-existent config key: ${key}`;
            return { problem: { kind: 'FailedMount', message: msg } };
          }
          place(path, values[key] as string);
        }
      }
      const downward = isJsonObject(src.downwardAPI) ? src.downwardAPI : undefined;
      for (const item of Array.isArray(downward?.items) ? downward.items.filter(isJsonObject) : [])
        if (isJsonObject(item.fieldRef))
          place(String(item.path), fieldRef(pod, String(item.fieldRef.fieldPath)));
      const sat = isJsonObject(src.serviceAccountToken) ? src.serviceAccountToken : undefined;
      // Without an API server (controllers tested alone) there is no token to fetch.
      if (sat && inCluster) {
        const token = inCluster.podToken(
          pod,
          typeof sat.audience === 'string' ? sat.audience : undefined,
          typeof sat.expirationSeconds === 'number' ? sat.expirationSeconds : 3600,
        );
        if (token === undefined) {
          const sa = String(spec.serviceAccountName ?? 'default');
          const msg = `MountVolume.SetUp failed for volume "${mount.name}" : failed to fetch token: serviceaccounts "${sa}" not found`;
          return { problem: { kind: 'FailedMount', message: msg } };
        }
        place(String(sat.path ?? 'token'), token);
      }
    }
  }
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    for (const secret of [false, true]) {
      const ref = from[secret ? 'secretRef' : 'configMapRef'];
      if (!isJsonObject(ref)) continue;
      const values = source(store, ns, secret, String(ref.name));
      if (!values) {
        if (ref.optional === true) continue;
        return {
          problem: { kind: 'CreateContainerConfigError', message: notFound(secret, String(ref.name)) },
        };
      }
      const prefix = typeof from.prefix === 'string' ? from.prefix : '';
      for (const [k, v] of Object.entries(values)) env[prefix + k] = v;
    }
  }
  for (const e of container.env ?? []) {
    const name = String(e.name);
    if (typeof e.value === 'string') {
      env[name] = e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env[v] ?? m);
      continue;
    }
    const from = isJsonObject(e.valueFrom) ? e.valueFrom : {};
    for (const secret of [false, true]) {
      const ref = from[secret ? 'secretKeyRef' : 'configMapKeyRef'];
      if (!isJsonObject(ref)) continue;
      const objName = String(ref.name);
      const values = source(store, ns, secret, objName);
      const key = String(ref.key);
      if (!values || values[key] === undefined) {
        if (ref.optional === true) continue;
        const message = !values
          ? notFound(secret, objName)
          : `couldn't find key ${key} in ${secret ? 'Secret' : 'ConfigMap'} ${ns}/${objName}`;
        return { problem: { kind: 'CreateContainerConfigError', message } };
      }
      env[name] = values[key] as string;
    }
    if (isJsonObject(from.fieldRef)) env[name] = fieldRef(pod, String(from.fieldRef.fieldPath));
  }
  return { config: { env, files } };
}

function fieldRef(pod: KubeObject, path: string): string {
  const status = (pod.status ?? {}) as JsonObject;
  const spec = (pod.spec ?? {}) as JsonObject;
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return String(spec.nodeName ?? '');
    case 'spec.serviceAccountName':
      return String(spec.serviceAccountName ?? '');
    case 'status.podIP':
      return String(status.podIP ?? '');
    case 'status.hostIP':
      return String(status.hostIP ?? '');
  }
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2] as string] ?? '';
  return '';
}
