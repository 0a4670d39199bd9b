// Rules that connect objects: a Deployment's selector and its template, a Service and the pods it
// should reach (by labels and by target port), and the ConfigMaps/Secrets a pod refers to.
import { isDNS1123Subdomain } from '../names.js';
import { containersOf, get, isObject, namespaceOf, podTemplate, selectorMatches } from '../pods.js';
import type { FieldPath, Rule } from '../types.js';

/** selectorRule: a controller's matchLabels must all be in its template's labels. */
export const selectorRule: Rule = {
  id: 'mismatching-selector',
  run({ manifests, report }) {
    for (const m of manifests) {
      if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(m.kind)) continue;
      const matchLabels = get(m.value, ['spec', 'selector', 'matchLabels']);
      const pod = podTemplate(m);
      if (!isObject(matchLabels) || !pod || Object.keys(matchLabels).length === 0) continue;
      if (selectorMatches(matchLabels, pod.labels)) continue;
      const labelsPath: FieldPath = ['spec', 'template', 'metadata', 'labels'];
      report({
        manifest: m,
        path: get(m.value, labelsPath) === undefined ? ['spec', 'template'] : labelsPath,
        key: get(m.value, labelsPath) === undefined,
        rule: 'mismatching-selector',
        severity: 'error',
        vars: {
          selector: JSON.stringify(matchLabels),
          labels: JSON.stringify(pod.labels),
        },
      });
    }
  },
};

/** serviceRule: a Service whose selector matches no workload, or whose targetPort no container exposes. */
export const serviceRule: Rule = {
  id: 'dangling-service',
  run({ manifests, report }) {
    const pods = manifests.map(podTemplate).filter((p) => p !== undefined);
    if (pods.length === 0) return; // nothing in the input to compare with
    for (const m of manifests) {
      if (m.kind !== 'Service') continue;
      const selector = get(m.value, ['spec', 'selector']);
      if (!isObject(selector) || Object.keys(selector).length === 0) continue;
      const ns = namespaceOf(m);
      const matching = pods.filter((p) => p.namespace === ns && selectorMatches(selector, p.labels));
      if (matching.length === 0) {
        const elsewhere = pods.filter((p) => selectorMatches(selector, p.labels));
        report({
          manifest: m,
          path: ['spec', 'selector'],
          key: true,
          rule: 'dangling-service',
          severity: 'warning',
          variant: elsewhere.length > 0 ? 'namespace' : 'message',
          vars: {
            selector: JSON.stringify(selector),
            namespace: ns,
            other: elsewhere.map((p) => `${p.manifest.kind}/${p.manifest.name} (${p.namespace})`).join(', '),
          },
        });
        continue;
      }
      const containerPorts = matching.flatMap((p) =>
        containersOf(p, false).flatMap((c) =>
          Array.isArray(c.container.ports) ? c.container.ports.filter(isObject) : [],
        ),
      );
      const ports = get(m.value, ['spec', 'ports']);
      if (!Array.isArray(ports)) continue;
      ports.forEach((sp, i) => {
        if (!isObject(sp)) return;
        const target = sp.targetPort ?? sp.port;
        const path: FieldPath = ['spec', 'ports', i, sp.targetPort === undefined ? 'port' : 'targetPort'];
        if (typeof target === 'string' && !/^\d+$/.test(target)) {
          if (containerPorts.some((cp) => cp.name === target)) return;
          report({
            manifest: m,
            path,
            rule: 'invalid-target-port',
            severity: 'error',
            variant: 'name',
            vars: {
              port: target,
              names:
                containerPorts
                  .map((cp) => cp.name)
                  .filter(Boolean)
                  .join(', ') || '-',
            },
          });
        } else if (target !== undefined) {
          const n = Number(target);
          if (containerPorts.length === 0 || containerPorts.some((cp) => cp.containerPort === n)) return;
          report({
            manifest: m,
            path,
            rule: 'invalid-target-port',
            severity: 'warning',
            variant: 'number',
            vars: { port: n, ports: containerPorts.map((cp) => String(cp.containerPort)).join(', ') },
          });
        }
      });
    }
  },
};

interface Reference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  path: FieldPath;
}

function referencesOf(m: Parameters<typeof podTemplate>[0]): Reference[] {
  const pod = podTemplate(m);
  if (!pod) return [];
  const refs: Reference[] = [];
  const add = (kind: Reference['kind'], holder: unknown, field: string, path: FieldPath) => {
    if (!isObject(holder) || holder.optional === true || typeof holder[field] !== 'string') return;
    refs.push({ kind, name: holder[field] as string, path: [...path, field] });
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
    const envFrom = container.envFrom;
    if (Array.isArray(envFrom))
      envFrom.forEach((e, i) => {
        add('ConfigMap', get(e, ['configMapRef']), 'name', [...path, 'envFrom', i, 'configMapRef']);
        add('Secret', get(e, ['secretRef']), 'name', [...path, 'envFrom', i, 'secretRef']);
      });
    const env = container.env;
    if (Array.isArray(env))
      env.forEach((e, i) => {
        add('ConfigMap', get(e, ['valueFrom', 'configMapKeyRef']), 'name', [
          ...path,
          'env',
          i,
          'valueFrom',
          'configMapKeyRef',
        ]);
        add('Secret', get(e, ['valueFrom', 'secretKeyRef']), 'name', [
          ...path,
          'env',
          i,
          'valueFrom',
          'secretKeyRef',
        ]);
      });
  }
  return refs;
}

/** referenceRule: ConfigMaps/Secrets a pod needs that the input does not define (maybe created elsewhere). */
export const referenceRule: Rule = {
  id: 'undefined-reference',
  run({ manifests, report }) {
    const defined = new Set(manifests.map((m) => `${m.kind}/${namespaceOf(m)}/${m.name}`));
    for (const m of manifests) {
      for (const ref of referencesOf(m)) {
        if (defined.has(`${ref.kind}/${namespaceOf(m)}/${ref.name}`)) continue;
        const invalid = isDNS1123Subdomain(ref.name).length > 0;
        report({
          manifest: m,
          path: ref.path,
          rule: 'undefined-reference',
          severity: 'info',
          variant: invalid ? 'invalid-name' : 'message',
          vars: { kind: ref.kind, name: ref.name, namespace: namespaceOf(m) },
        });
      }
    }
  },
};
