// Values the API server validates beyond types: port ranges, base64 in Secret data, and names that
// must be unique within a pod (containers, volumes, container ports).
import { formatField } from '../parse.js';
import { containersOf, get, isObject, podTemplate } from '../pods.js';
import type { FieldPath, Manifest, Report, Rule } from '../types.js';

function checkPort(m: Manifest, report: Report, path: FieldPath, value: unknown, nodePort = false) {
  if (typeof value !== 'number') return;
  const [low, high] = nodePort ? [30000, 32767] : [1, 65535];
  if (value >= low && value <= high) return;
  report({
    manifest: m,
    path,
    rule: 'invalid-value',
    severity: 'error',
    variant: nodePort ? 'node-port' : 'port',
    vars: { field: formatField(path), value },
  });
}

/** base64Problem says why a Secret data value is not standard base64 (newlines are allowed). */
export function base64Problem(value: string): string | undefined {
  const compact = value.replace(/[\r\n]/g, '');
  const bad = compact.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  if (compact.length % 4 !== 0 || /=[^=]/.test(compact)) return 'illegal base64 data (length or padding)';
  return undefined;
}

/** checkUnique reports the second and later uses of a name in a list (`Duplicate value`). */
function checkUnique(m: Manifest, report: Report, list: { path: FieldPath; name: unknown }[]) {
  const seen = new Set<string>();
  for (const { path, name } of list) {
    if (typeof name !== 'string') continue;
    if (seen.has(name))
      report({
        manifest: m,
        path,
        rule: 'invalid-name',
        severity: 'error',
        variant: 'duplicate',
        vars: { field: formatField(path), value: name },
      });
    seen.add(name);
  }
}

function checkPodValues(m: Manifest, report: Report) {
  const pod = podTemplate(m);
  if (!pod) return;
  const unique = (list: { path: FieldPath; name: unknown }[]) => checkUnique(m, report, list);
  const containers = containersOf(pod);
  unique(containers.map((c) => ({ path: [...c.path, 'name'], name: c.container.name })));
  const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
  unique(volumes.map((v, i) => ({ path: [...pod.specPath, 'volumes', i, 'name'], name: get(v, ['name']) })));
  for (const { path, container } of containers) {
    const ports = Array.isArray(container.ports) ? container.ports : [];
    unique(ports.map((p, i) => ({ path: [...path, 'ports', i, 'name'], name: get(p, ['name']) })));
    ports.forEach((p, i) => {
      if (!isObject(p)) return;
      checkPort(m, report, [...path, 'ports', i, 'containerPort'], p.containerPort);
      checkPort(m, report, [...path, 'ports', i, 'hostPort'], p.hostPort);
    });
  }
}

/** valuesRule checks port ranges, Secret base64 and unique names inside a pod. */
export const valuesRule: Rule = {
  id: 'invalid-value',
  run({ manifests, report }) {
    for (const m of manifests) {
      checkPodValues(m, report);
      if (m.kind === 'Service') {
        const ports = get(m.value, ['spec', 'ports']);
        if (Array.isArray(ports) && ports.length > 1) {
          // With several ports each needs a unique name (EndpointSlices and named targets use it).
          ports.forEach((p, i) => {
            if (isObject(p) && (p.name === undefined || p.name === ''))
              report({
                manifest: m,
                path: ['spec', 'ports', i],
                rule: 'missing-field',
                severity: 'error',
                vars: { field: formatField(['spec', 'ports', i, 'name']) },
              });
          });
          checkUnique(
            m,
            report,
            ports.map((p, i) => ({ path: ['spec', 'ports', i, 'name'], name: get(p, ['name']) })),
          );
        }
        if (Array.isArray(ports))
          ports.forEach((p, i) => {
            if (!isObject(p)) return;
            checkPort(m, report, ['spec', 'ports', i, 'port'], p.port);
            checkPort(m, report, ['spec', 'ports', i, 'targetPort'], p.targetPort);
            checkPort(m, report, ['spec', 'ports', i, 'nodePort'], p.nodePort, true);
          });
      }
      const binary =
        m.kind === 'Secret' ? m.value.data : m.kind === 'ConfigMap' ? m.value.binaryData : undefined;
      if (isObject(binary)) {
        const field = m.kind === 'Secret' ? 'data' : 'binaryData';
        for (const [k, v] of Object.entries(binary)) {
          const problem = typeof v === 'string' ? base64Problem(v) : undefined;
          if (problem)
            report({
              manifest: m,
              path: [field, k],
              rule: 'invalid-value',
              severity: 'error',
              variant: 'base64',
              vars: { field: formatField([field, k]), kind: m.kind, problem },
            });
        }
      }
    }
  },
};
