// Rules that connect objects: a Deployment's selector and its template, a Service and the pods it
// should reach (by labels and by target port), and the ConfigMaps/Secrets a pod refers to.
import { containersOf, get, isObject, namespaceOf, podTemplate, selectorMatches } from '../pods.js';
import type { FieldPath, Rule } from '../types.js';

/** goMap prints labels as the API server does (Go's %#v of a map, keys sorted). */
function goMap(labels: Record<string, unknown>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(labels[k]))}`);
  return `map[string]string{${pairs.join(', ')}}`;
}

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
          labels: goMap(pod.labels),
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
            // The containers list their ports and this is not one: almost always a typo.
            severity: 'error',
            variant: 'number',
            vars: { port: n, ports: containerPorts.map((cp) => String(cp.containerPort)).join(', ') },
          });
        }
      });
    }
  },
};
