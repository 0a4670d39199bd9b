// Container rules: image tags and pull policy on kind, mounts over sensitive paths, volume mounts
// naming no volume, requests/limits and probes.
import { formatField } from '../parse.js';
import { containersOf, get, isObject, namespaceOf, podTemplate } from '../pods.js';
import type { Manifest, Rule } from '../types.js';

/** imageTag splits an image reference; digest-pinned images have no tag problem. */
export function imageTag(image: string): { name: string; tag: string | undefined; digest: boolean } {
  const digest = image.includes('@');
  const ref = image.split('@')[0]!;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1), digest };
  return { name: ref, tag: undefined, digest };
}

function isLocalImage(image: string, localImages: string[] | undefined): boolean {
  const { name } = imageTag(image);
  if (localImages?.some((l) => l === image || imageTag(l).name === name)) return true;
  const first = name.split('/')[0]!;
  return name.includes('/') && /^(localhost|127\.0\.0\.1)(:\d+)?$|\.local(:\d+)?$/.test(first);
}

/** imageRule: `:latest` or no tag (kind then always pulls), and `Always` on locally loaded images. */
export const imageRule: Rule = {
  id: 'latest-tag',
  run({ manifests, report, options }) {
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod) continue;
      for (const { path, container } of containersOf(pod)) {
        const image = container.image;
        if (typeof image !== 'string') continue;
        const { tag, digest } = imageTag(image);
        const policy = container.imagePullPolicy;
        if (
          !digest &&
          (tag === undefined || tag === 'latest') &&
          policy !== 'IfNotPresent' &&
          policy !== 'Never'
        ) {
          report({
            manifest: m,
            path: [...path, 'image'],
            rule: 'latest-tag',
            severity: 'warning',
            variant: tag ? 'message' : 'no-tag',
            vars: { image },
          });
        }
        if (policy === 'Always' && isLocalImage(image, options.localImages)) {
          report({
            manifest: m,
            path: [...path, 'imagePullPolicy'],
            rule: 'pull-policy-always',
            severity: 'warning',
            vars: { image },
          });
        }
      }
    }
  },
};

const sockets = new Set([
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
]);
const sensitiveDirs = new Set([
  '/',
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/var/run',
  '/run',
  '/boot',
  '/lib',
  '/usr',
  '/bin',
]);

function normalizePath(p: string): string {
  const cleaned = p.replace(/\/+/g, '/').replace(/\/$/, '');
  return cleaned === '' ? '/' : cleaned;
}

function volumeType(volume: Record<string, unknown>): string {
  return Object.keys(volume).find((k) => k !== 'name') ?? 'emptyDir';
}

/** mountRule: mounts over sockets and system directories, whatever the volume type; hostPath sockets. */
export const mountRule: Rule = {
  id: 'sensitive-mount',
  run({ manifests, report }) {
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod) continue;
      const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes.filter(isObject) : [];
      const byName = new Map(volumes.map((v) => [String(v.name), v]));
      volumes.forEach((v, i) => {
        const hostPath = get(v, ['hostPath', 'path']);
        if (typeof hostPath !== 'string') return;
        const p = normalizePath(hostPath);
        const path = [...pod.specPath, 'volumes', i, 'hostPath', 'path'];
        if (sockets.has(p))
          report({ manifest: m, path, rule: 'docker-sock', severity: 'warning', vars: { path: p } });
        else if (sensitiveDirs.has(p))
          report({
            manifest: m,
            path,
            rule: 'sensitive-mount',
            severity: 'warning',
            variant: 'host',
            vars: { path: p },
          });
      });
      for (const { path, container } of containersOf(pod)) {
        const mounts = container.volumeMounts;
        if (!Array.isArray(mounts)) continue;
        mounts.forEach((mount, j) => {
          if (!isObject(mount) || typeof mount.mountPath !== 'string') return;
          const p = normalizePath(mount.mountPath);
          const volume = byName.get(String(mount.name));
          const type = volume ? volumeType(volume) : 'volume';
          const at = [...path, 'volumeMounts', j, 'mountPath'];
          if (sockets.has(p)) {
            if (type === 'hostPath') return; // reported on the volume by docker-sock
            report({
              manifest: m,
              path: at,
              rule: 'sensitive-mount',
              severity: 'error',
              variant: 'socket',
              vars: { path: p, type },
            });
          } else if (sensitiveDirs.has(p)) {
            report({
              manifest: m,
              path: at,
              rule: 'sensitive-mount',
              severity: 'warning',
              vars: { path: p, type },
            });
          }
        });
      }
    }
  },
};

/** volumeRule: a volumeMount must name a volume of the pod (the API answers `Not found`). */
export const volumeRule: Rule = {
  id: 'undefined-volume',
  run({ manifests, report }) {
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod) continue;
      // A StatefulSet's volumeClaimTemplates become volumes of its pods too.
      const claims = m.kind === 'StatefulSet' ? get(m.value, ['spec', 'volumeClaimTemplates']) : undefined;
      const names = new Set(
        [
          ...(Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).filter(isObject).map((v) => v.name),
          ...(Array.isArray(claims) ? claims : []).map((c) => get(c, ['metadata', 'name'])),
        ].map(String),
      );
      for (const { path, container } of containersOf(pod)) {
        const mounts = container.volumeMounts;
        if (!Array.isArray(mounts)) continue;
        mounts.forEach((mount, j) => {
          if (!isObject(mount) || mount.name === undefined || names.has(String(mount.name))) return;
          const at = [...path, 'volumeMounts', j, 'name'];
          report({
            manifest: m,
            path: at,
            rule: 'undefined-volume',
            severity: 'error',
            vars: { field: formatField(at), name: String(mount.name), known: [...names].join(', ') || '-' },
          });
        });
      }
    }
  },
};

/** hpaTargets lists workloads (`Kind/name` in a namespace) that an HPA scales on CPU. */
function cpuScaledWorkloads(manifests: Manifest[]): Set<string> {
  const out = new Set<string>();
  for (const m of manifests) {
    if (m.kind !== 'HorizontalPodAutoscaler') continue;
    const ref = get(m.value, ['spec', 'scaleTargetRef']);
    const metrics = get(m.value, ['spec', 'metrics']);
    const onCpu = Array.isArray(metrics)
      ? metrics.some(
          (x) => get(x, ['resource', 'name']) === 'cpu' || get(x, ['containerResource', 'name']) === 'cpu',
        )
      : true; // autoscaling default: 80 % CPU
    if (isObject(ref) && onCpu) out.add(`${namespaceOf(m)}/${String(ref.kind)}/${String(ref.name)}`);
  }
  return out;
}

/** resourcesRule: missing CPU/memory requests and limits (an error when an HPA scales on CPU). */
export const resourcesRule: Rule = {
  id: 'missing-requests',
  run({ manifests, report }) {
    const scaled = cpuScaledWorkloads(manifests);
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod) continue;
      const hpa = scaled.has(`${namespaceOf(m)}/${m.kind}/${m.name}`);
      for (const { path, container } of containersOf(pod, false)) {
        const requests = get(container, ['resources', 'requests']);
        const limits = get(container, ['resources', 'limits']);
        const name = String(container.name ?? '');
        const missingRequests = ['cpu', 'memory'].filter(
          (r) => !isObject(requests) || requests[r] === undefined,
        );
        if (missingRequests.length > 0) {
          const cpuForHpa = hpa && missingRequests.includes('cpu');
          report({
            manifest: m,
            path: [...path, 'name'],
            rule: 'missing-requests',
            severity: cpuForHpa ? 'error' : 'warning',
            variant: cpuForHpa ? 'hpa' : 'message',
            vars: { container: name, resources: missingRequests.join(', ') },
          });
        }
        const missingLimits = ['cpu', 'memory'].filter((r) => !isObject(limits) || limits[r] === undefined);
        if (missingLimits.includes('memory'))
          report({
            manifest: m,
            path: [...path, 'name'],
            rule: 'missing-limits',
            severity: 'warning',
            vars: { container: name },
          });
      }
    }
  },
};

/** probesRule: containers of long-running workloads without readiness or liveness probes. */
export const probesRule: Rule = {
  id: 'missing-probes',
  run({ manifests, report }) {
    for (const m of manifests) {
      if (m.kind === 'Job' || m.kind === 'CronJob') continue;
      const pod = podTemplate(m);
      if (!pod) continue;
      for (const { path, container } of containersOf(pod, false)) {
        const missing = ['readinessProbe', 'livenessProbe'].filter((p) => container[p] === undefined);
        if (missing.length === 0) continue;
        report({
          manifest: m,
          path: [...path, 'name'],
          rule: 'missing-probes',
          severity: 'warning',
          variant:
            missing.length === 2 ? 'message' : missing[0] === 'readinessProbe' ? 'readiness' : 'liveness',
          vars: { container: String(container.name ?? '') },
        });
      }
    }
  },
};
