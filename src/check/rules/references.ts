// References between objects that the input does not define: ConfigMaps, Secrets and the
// ServiceAccount a pod uses, the Service an Ingress sends to, the workload an HPA scales, the Role
// and ServiceAccounts of a RoleBinding. Info only: they may well be created elsewhere.
import { clusterScopedKinds } from '../kinds.js';
import { isDNS1123Subdomain } from '../names.js';
import { containersOf, get, isObject, namespaceOf, podTemplate } from '../pods.js';
import type { FieldPath, Manifest, Rule } from '../types.js';

interface Reference {
  kind: string;
  name: string;
  namespace: string;
  path: FieldPath;
  /** `pod`: the pod cannot start without it; `other`: the referring object does nothing useful. */
  effect: 'pod' | 'service-account' | 'other';
}

function podReferences(m: Manifest): Reference[] {
  const pod = podTemplate(m);
  if (!pod) return [];
  const refs: Reference[] = [];
  const add = (kind: string, holder: unknown, field: string, path: FieldPath) => {
    if (!isObject(holder) || holder.optional === true || typeof holder[field] !== 'string') return;
    refs.push({
      kind,
      name: holder[field] as string,
      namespace: pod.namespace,
      path: [...path, field],
      effect: 'pod',
    });
  };
  const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
  volumes.forEach((v, i) => {
    const base = [...pod.specPath, 'volumes', i];
    add('ConfigMap', get(v, ['configMap']), 'name', [...base, 'configMap']);
    add('Secret', get(v, ['secret']), 'secretName', [...base, 'secret']);
    const sources = get(v, ['projected', 'sources']);
    if (Array.isArray(sources))
      sources.forEach((s, j) => {
        add('ConfigMap', get(s, ['configMap']), 'name', [...base, 'projected', 'sources', j, 'configMap']);
        add('Secret', get(s, ['secret']), 'name', [...base, 'projected', 'sources', j, 'secret']);
      });
  });
  for (const { path, container } of containersOf(pod)) {
    const envFrom = Array.isArray(container.envFrom) ? container.envFrom : [];
    envFrom.forEach((e, i) => {
      add('ConfigMap', get(e, ['configMapRef']), 'name', [...path, 'envFrom', i, 'configMapRef']);
      add('Secret', get(e, ['secretRef']), 'name', [...path, 'envFrom', i, 'secretRef']);
    });
    const env = Array.isArray(container.env) ? container.env : [];
    env.forEach((e, i) => {
      const base = [...path, 'env', i, 'valueFrom'];
      add('ConfigMap', get(e, ['valueFrom', 'configMapKeyRef']), 'name', [...base, 'configMapKeyRef']);
      add('Secret', get(e, ['valueFrom', 'secretKeyRef']), 'name', [...base, 'secretKeyRef']);
    });
  }
  const account = pod.spec.serviceAccountName;
  if (typeof account === 'string' && account !== 'default')
    refs.push({
      kind: 'ServiceAccount',
      name: account,
      namespace: pod.namespace,
      path: [...pod.specPath, 'serviceAccountName'],
      effect: 'service-account',
    });
  return refs;
}

function objectReferences(m: Manifest): Reference[] {
  const ns = namespaceOf(m);
  const refs: Reference[] = [];
  const other = (kind: unknown, name: unknown, path: FieldPath, namespace = ns) => {
    if (typeof kind === 'string' && typeof name === 'string')
      refs.push({ kind, name, namespace, path, effect: 'other' });
  };
  if (m.kind === 'Ingress') {
    other('Service', get(m.value, ['spec', 'defaultBackend', 'service', 'name']), [
      'spec',
      'defaultBackend',
      'service',
      'name',
    ]);
    const rules = get(m.value, ['spec', 'rules']);
    (Array.isArray(rules) ? rules : []).forEach((r, i) => {
      const paths = get(r, ['http', 'paths']);
      (Array.isArray(paths) ? paths : []).forEach((p, j) => {
        const at = ['spec', 'rules', i, 'http', 'paths', j, 'backend', 'service', 'name'];
        other('Service', get(p, ['backend', 'service', 'name']), at);
      });
    });
  }
  if (m.kind === 'HorizontalPodAutoscaler') {
    const ref = get(m.value, ['spec', 'scaleTargetRef']);
    if (isObject(ref)) other(ref.kind, ref.name, ['spec', 'scaleTargetRef', 'name']);
  }
  if (m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') {
    const role = get(m.value, ['roleRef']);
    if (isObject(role)) other(role.kind, role.name, ['roleRef', 'name'], role.kind === 'Role' ? ns : '');
    const subjects = get(m.value, ['subjects']);
    (Array.isArray(subjects) ? subjects : []).forEach((s, i) => {
      if (isObject(s) && s.kind === 'ServiceAccount')
        other(
          'ServiceAccount',
          s.name,
          ['subjects', i, 'name'],
          typeof s.namespace === 'string' ? s.namespace : ns,
        );
    });
  }
  return refs;
}

/** referenceRule: objects the input refers to but does not define (info: they may exist already). */
export const referenceRule: Rule = {
  id: 'undefined-reference',
  run({ manifests, report }) {
    const key = (kind: string, namespace: string, name: string) =>
      `${kind}/${clusterScopedKinds.has(kind) ? '' : namespace}/${name}`;
    const defined = new Set(manifests.map((m) => key(m.kind, namespaceOf(m), m.name)));
    for (const m of manifests) {
      for (const ref of [...podReferences(m), ...objectReferences(m)]) {
        if (defined.has(key(ref.kind, ref.namespace, ref.name))) continue;
        const invalid = isDNS1123Subdomain(ref.name).length > 0 && ref.effect === 'pod';
        report({
          manifest: m,
          path: ref.path,
          rule: 'undefined-reference',
          severity: 'info',
          variant: invalid ? 'invalid-name' : ref.effect === 'pod' ? 'message' : ref.effect,
          vars: { kind: ref.kind, name: ref.name, namespace: ref.namespace || '-' },
        });
      }
    }
  },
};
