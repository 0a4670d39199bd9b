// Rules that connect objects: a Deployment's selector and its template, a Service and the pods it
// should reach (by labels and by target port), and the ConfigMaps/Secrets a pod refers to.
import {
  containersOf,
  get,
  isObject,
  namespaceOf,
  type PodTemplate,
  podTemplate,
  selectorMatches,
} from '../pods.js';
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

/**
 * indexByLabel maps each `key=value` label to the pod templates carrying it, so matching a Service
 * selector looks at the templates sharing one of its labels, not at every template (linear scale).
 */
function indexByLabel(pods: PodTemplate[]): Map<string, PodTemplate[]> {
  const index = new Map<string, PodTemplate[]>();
  for (const pod of pods)
    for (const [k, v] of Object.entries(pod.labels)) {
      const key = `${k}=${String(v)}`;
      const list = index.get(key);
      if (list) list.push(pod);
      else index.set(key, [pod]);
    }
  return index;
}

/** candidatesFor is the shortest list of templates that share one pair of the selector (all must match). */
function candidatesFor(index: Map<string, PodTemplate[]>, selector: Record<string, unknown>): PodTemplate[] {
  let best: PodTemplate[] | undefined;
  for (const [k, v] of Object.entries(selector)) {
    const list = index.get(`${k}=${String(v)}`) ?? [];
    if (!best || list.length < best.length) best = list;
  }
  return best ?? [];
}

/** serviceRule: a Service whose selector matches no workload, or whose targetPort no container exposes. */
export const serviceRule: Rule = {
  id: 'dangling-service',
  run({ manifests, report }) {
    const pods = manifests.map(podTemplate).filter((p) => p !== undefined);
    if (pods.length === 0) return; // nothing in the input to compare with
    const index = indexByLabel(pods);
    for (const m of manifests) {
      if (m.kind !== 'Service') continue;
      const selector = get(m.value, ['spec', 'selector']);
      if (!isObject(selector) || Object.keys(selector).length === 0) continue;
      const ns = namespaceOf(m);
      const candidates = candidatesFor(index, selector);
      const matching = candidates.filter((p) => p.namespace === ns && selectorMatches(selector, p.labels));
      if (matching.length === 0) {
        const elsewhere = candidates.filter((p) => selectorMatches(selector, p.labels));
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
