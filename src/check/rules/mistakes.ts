// Beginner mistakes the API server or the kubelet turns into a failure that `kubectl apply` alone
// does not explain: a restartPolicy a controller cannot use, an image reference that cannot be
// parsed, a CronJob schedule that is not cron syntax, requests above limits, a probe on a port the
// container does not name, an env key the ConfigMap/Secret lacks, a namespace nobody creates, and
// Endpoints whose port names do not match their Service.
import { cronProblem } from '../cron.js';
import { editDistance, isNamespacedBuiltin } from '../kinds.js';
import { formatField } from '../parse.js';
import { containersOf, get, isObject, namespaceOf, podTemplate } from '../pods.js';
import { parseQuantity } from '../quantity.js';
import type { FieldPath, Manifest, Rule } from '../types.js';

/** Controllers whose pods must restart forever; Jobs must not. */
const alwaysRestart = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
]);

/** restartPolicyRule: `restartPolicy: Never` in a Deployment (only Always), `Always` in a Job. */
export const restartPolicyRule: Rule = {
  id: 'invalid-value',
  run({ manifests, report }) {
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod || m.kind === 'Pod') continue;
      const policy = pod.spec.restartPolicy;
      // A value outside Always/OnFailure/Never is already an Unsupported value from the schema.
      if (policy !== 'Always' && policy !== 'OnFailure' && policy !== 'Never') continue;
      const path = [...pod.specPath, 'restartPolicy'];
      if (alwaysRestart.has(m.kind) && policy !== 'Always')
        report({
          manifest: m,
          path,
          rule: 'invalid-value',
          severity: 'error',
          variant: 'restart-policy',
          vars: { field: formatField(path), value: policy, kind: m.kind, supported: '"Always"' },
        });
      else if ((m.kind === 'Job' || m.kind === 'CronJob') && policy === 'Always')
        report({
          manifest: m,
          path,
          rule: 'invalid-value',
          severity: 'error',
          variant: 'restart-policy-job',
          vars: { field: formatField(path), value: policy, kind: m.kind, supported: '"OnFailure", "Never"' },
        });
    }
  },
};

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainComponent = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** imageProblem says why a container image reference cannot be parsed (distribution/reference grammar). */
export function imageProblem(
  image: string,
): { variant: 'whitespace' | 'uppercase' | 'invalid'; repository: string } | undefined {
  if (image.trim() !== image) return { variant: 'whitespace', repository: image.trim() };
  if (image === '') return undefined; // the schema's business
  const [ref, digest, ...rest] = image.split('@');
  if (rest.length > 0 || (digest !== undefined && !digestPattern.test(digest)))
    return { variant: 'invalid', repository: ref ?? '' };
  const slash = ref!.lastIndexOf('/');
  const colon = ref!.lastIndexOf(':');
  const name = colon > slash ? ref!.slice(0, colon) : ref!;
  const tag = colon > slash ? ref!.slice(colon + 1) : undefined;
  if (tag !== undefined && !tagPattern.test(tag)) return { variant: 'invalid', repository: name };
  const parts = name.split('/');
  const first = parts[0]!;
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain) {
    const [host, port] = first.split(':');
    if (
      !host!.split('.').every((c) => domainComponent.test(c)) ||
      (port !== undefined && !/^[0-9]+$/.test(port))
    )
      return { variant: 'invalid', repository: name };
  }
  const path = hasDomain ? parts.slice(1) : parts;
  if (path.length === 0 || path.some((c) => c === '')) return { variant: 'invalid', repository: name };
  if (path.every((c) => pathComponent.test(c.toLowerCase())) && path.some((c) => c !== c.toLowerCase()))
    return { variant: 'uppercase', repository: path.join('/') };
  if (!path.every((c) => pathComponent.test(c))) return { variant: 'invalid', repository: name };
  return undefined;
}

/** imageReferenceRule: an image the kubelet cannot parse (InvalidImageName) or the API server rejects. */
export const imageReferenceRule: Rule = {
  id: 'invalid-image',
  run({ manifests, report }) {
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod) continue;
      for (const { path, container } of containersOf(pod)) {
        if (typeof container.image !== 'string') continue;
        const problem = imageProblem(container.image);
        if (!problem) continue;
        const at = [...path, 'image'];
        report({
          manifest: m,
          path: at,
          rule: 'invalid-image',
          severity: 'error',
          variant: problem.variant,
          vars: {
            field: formatField(at),
            image: container.image,
            repository: problem.repository,
            suggestion: container.image.trim().toLowerCase(),
          },
        });
      }
    }
  },
};

/** scheduleRule: a CronJob schedule that is not cron syntax (`spec.schedule: Invalid value`). */
export const scheduleRule: Rule = {
  id: 'invalid-schedule',
  run({ manifests, report }) {
    for (const m of manifests) {
      if (m.kind !== 'CronJob') continue;
      const schedule = get(m.value, ['spec', 'schedule']);
      if (typeof schedule !== 'string') continue;
      const problem = cronProblem(schedule);
      if (!problem) continue;
      report({
        manifest: m,
        path: ['spec', 'schedule'],
        rule: 'invalid-schedule',
        severity: 'error',
        variant: problem.startsWith('cannot use TZ') ? 'time-zone' : 'message',
        vars: { value: schedule, problem },
      });
    }
  },
};

/** requestsRule: a request above its limit (`must be less than or equal to cpu limit of 1`). */
export const requestsRule: Rule = {
  id: 'requests-above-limits',
  run({ manifests, report }) {
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod) continue;
      for (const { path, container } of containersOf(pod)) {
        const requests = get(container, ['resources', 'requests']);
        const limits = get(container, ['resources', 'limits']);
        if (!isObject(requests) || !isObject(limits)) continue;
        for (const [resource, request] of Object.entries(requests)) {
          const limit = limits[resource];
          if (typeof request !== 'string' && typeof request !== 'number') continue;
          if (typeof limit !== 'string' && typeof limit !== 'number') continue;
          const r = parseQuantity(request);
          const l = parseQuantity(limit);
          if (r === undefined || l === undefined || r <= l) continue;
          const at: FieldPath = [...path, 'resources', 'requests', resource];
          report({
            manifest: m,
            path: at,
            rule: 'requests-above-limits',
            severity: 'error',
            vars: {
              field: formatField([...path, 'resources', 'requests']),
              resource,
              request: String(request),
              limit: String(limit),
            },
          });
        }
      }
    }
  },
};

const probes = ['readinessProbe', 'livenessProbe', 'startupProbe'];

/** probePortRule: a probe on a named port the container does not declare never succeeds. */
export const probePortRule: Rule = {
  id: 'undefined-port',
  run({ manifests, report }) {
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod) continue;
      for (const { path, container } of containersOf(pod)) {
        const ports = Array.isArray(container.ports) ? container.ports.filter(isObject) : [];
        const names = ports.map((p) => p.name).filter((n): n is string => typeof n === 'string');
        for (const probe of [...probes, 'lifecycle']) {
          const handlers: [FieldPath, unknown][] =
            probe === 'lifecycle'
              ? ['postStart', 'preStop'].map((h) => [[probe, h], get(container, [probe, h])])
              : [[[probe], container[probe]]];
          for (const [base, handler] of handlers) {
            for (const action of ['httpGet', 'tcpSocket']) {
              const port = get(handler, [action, 'port']);
              if (typeof port !== 'string' || /^[0-9]+$/.test(port) || names.includes(port)) continue;
              const at = [...path, ...base, action, 'port'];
              report({
                manifest: m,
                path: at,
                rule: 'undefined-port',
                severity: 'error',
                vars: {
                  field: formatField(at),
                  port,
                  container: String(container.name ?? ''),
                  names: names.join(', ') || '-',
                },
              });
            }
          }
        }
      }
    }
  },
};

/** keyRule: an env var from a key the input's ConfigMap/Secret does not have (CreateContainerConfigError). */
export const keyRule: Rule = {
  id: 'missing-key',
  run({ manifests, report }) {
    // Keys of every definition of a ConfigMap/Secret: separate examples in one directory may define
    // the same one differently (duplicate-object warns about that), and whichever is applied wins,
    // so a key is missing only when no definition has it.
    const stores = new Map<string, Set<string>>();
    for (const m of manifests) {
      if (m.kind !== 'ConfigMap' && m.kind !== 'Secret') continue;
      const id = `${m.kind}/${namespaceOf(m)}/${m.name}`;
      const keys = stores.get(id) ?? new Set<string>();
      for (const field of ['data', 'binaryData', 'stringData']) {
        const data = m.value[field];
        if (isObject(data)) for (const k of Object.keys(data)) keys.add(k);
      }
      stores.set(id, keys);
    }
    if (stores.size === 0) return;
    for (const m of manifests) {
      const pod = podTemplate(m);
      if (!pod) continue;
      for (const { path, container } of containersOf(pod)) {
        const env = Array.isArray(container.env) ? container.env : [];
        env.forEach((e, i) => {
          for (const [field, kind] of [
            ['configMapKeyRef', 'ConfigMap'],
            ['secretKeyRef', 'Secret'],
          ] as const) {
            const ref = get(e, ['valueFrom', field]);
            if (!isObject(ref) || ref.optional === true) continue;
            if (typeof ref.name !== 'string' || typeof ref.key !== 'string') continue;
            const keys = stores.get(`${kind}/${pod.namespace}/${ref.name}`);
            if (!keys || keys.has(ref.key)) continue;
            report({
              manifest: m,
              path: [...path, 'env', i, 'valueFrom', field, 'key'],
              rule: 'missing-key',
              severity: 'error',
              vars: {
                kind,
                name: ref.name,
                key: ref.key,
                namespace: pod.namespace,
                keys: [...keys].join(', ') || '-',
              },
            });
          }
        });
      }
    }
  },
};

/** Namespaces every cluster has. */
const builtinNamespaces = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * namespaceRefRule: objects in a namespace the input never creates (`namespaces "shop" not found`).
 * Often it was created with kubectl beforehand, so this is an info; when the input creates other
 * namespaces itself, a missing one is likely a typo: a warning, with the near name.
 */
export const namespaceRefRule: Rule = {
  id: 'undefined-namespace',
  run({ manifests, report }) {
    const defined = manifests.filter((m) => m.kind === 'Namespace').map((m) => m.name);
    const reported = new Set<string>();
    for (const m of manifests) {
      const ns = m.namespace;
      if (ns === undefined || builtinNamespaces.has(ns) || defined.includes(ns)) continue;
      if (!isNamespacedBuiltin(m.kind)) continue; // custom resources may be cluster-scoped
      // One finding per namespace: at the first object that uses it.
      if (reported.has(ns)) continue;
      reported.add(ns);
      const suggestion = defined.find((d) => editDistance(d, ns) <= 2);
      report({
        manifest: m,
        path: ['metadata', 'namespace'],
        rule: 'undefined-namespace',
        severity: defined.length > 0 ? 'warning' : 'info',
        variant: suggestion ? 'typo' : 'message',
        vars: { namespace: ns, object: `${m.kind}/${m.name}`, suggestion: suggestion ?? '' },
      });
    }
  },
};

function portNames(ports: unknown): string[] {
  return Array.isArray(ports)
    ? ports.filter(isObject).map((p) => (typeof p.name === 'string' ? p.name : ''))
    : [];
}

/** endpointsRule: hand-written Endpoints must name their ports as the Service does. */
export const endpointsRule: Rule = {
  id: 'mismatching-endpoints',
  run({ manifests, report }) {
    const services = new Map<string, Manifest>();
    for (const m of manifests) if (m.kind === 'Service') services.set(`${namespaceOf(m)}/${m.name}`, m);
    for (const m of manifests) {
      if (m.kind !== 'Endpoints') continue;
      const service = services.get(`${namespaceOf(m)}/${m.name}`);
      // With a selector the control plane writes the Endpoints itself.
      if (!service || isObject(get(service.value, ['spec', 'selector']))) continue;
      const wanted = portNames(get(service.value, ['spec', 'ports']));
      const subsets = get(m.value, ['subsets']);
      if (!Array.isArray(subsets)) continue;
      subsets.forEach((subset, i) => {
        const have = portNames(get(subset, ['ports']));
        const missing = wanted.filter((w) => !have.includes(w));
        if (missing.length === 0) return;
        report({
          manifest: m,
          path: ['subsets', i, 'ports'],
          rule: 'mismatching-endpoints',
          severity: 'error',
          vars: {
            service: service.name,
            missing: missing.map((n) => `"${n}"`).join(', '),
            have: have.map((n) => `"${n}"`).join(', ') || '-',
          },
        });
      });
    }
  },
};
