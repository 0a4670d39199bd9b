// Names: every name field is checked with the rule the API server applies to it, and reported with
// the API server's own wording plus a plain explanation and a suggested valid name.
import { type NameKind, suggestName, validators } from '../names.js';
import { formatField } from '../parse.js';
import { containersOf, get, isObject, podTemplate } from '../pods.js';
import type { FieldPath, Manifest, Report, Rule } from '../types.js';

/** objectNameKind: which rule metadata.name follows for a kind (kind's own config is skipped). */
function objectNameKind(kind: string): NameKind | 'path-segment' | undefined {
  if (kind === 'Cluster') return undefined;
  if (kind === 'Namespace') return 'label';
  if (kind === 'Service') return 'dns1035';
  if (/^(Cluster)?Role(Binding)?$/.test(kind)) return 'path-segment';
  return 'subdomain';
}

function checkValue(
  m: Manifest,
  report: Report,
  path: FieldPath,
  value: unknown,
  kind: NameKind,
  key = false,
) {
  if (typeof value !== 'string') return;
  const errors = validators[kind](value);
  if (errors.length === 0) return;
  report({
    manifest: m,
    path,
    key,
    rule: kind === 'label-key' || kind === 'label-value' ? 'invalid-label' : 'invalid-name',
    severity: 'error',
    variant: kind,
    vars: {
      field: formatField(path),
      value,
      api: errors.join(', '),
      suggestion: suggestName(value, kind === 'subdomain'),
    },
  });
}

function checkLabels(m: Manifest, report: Report, path: FieldPath) {
  const labels = get(m.value, path);
  if (!isObject(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    checkValue(m, report, [...path, k], k, 'label-key', true);
    checkValue(m, report, [...path, k], typeof v === 'number' ? String(v) : v, 'label-value');
  }
}

function checkPodNames(m: Manifest, report: Report) {
  const pod = podTemplate(m);
  if (!pod) return;
  for (const ref of containersOf(pod)) {
    checkValue(m, report, [...ref.path, 'name'], ref.container.name, 'label');
    const ports = ref.container.ports;
    if (Array.isArray(ports))
      ports.forEach((p, i) => {
        if (isObject(p)) checkValue(m, report, [...ref.path, 'ports', i, 'name'], p.name, 'port-name');
      });
  }
  const volumes = pod.spec.volumes;
  if (Array.isArray(volumes))
    volumes.forEach((v, i) => {
      if (isObject(v)) checkValue(m, report, [...pod.specPath, 'volumes', i, 'name'], v.name, 'label');
    });
  if (pod.specPath.length > 0) checkLabels(m, report, [...pod.specPath.slice(0, -1), 'metadata', 'labels']);
}

/** namesRule checks object, namespace, label, container, volume, port and data key names. */
export const namesRule: Rule = {
  id: 'names',
  run({ manifests, report }) {
    for (const m of manifests) {
      const meta = m.value.metadata;
      const nameKind = objectNameKind(m.kind);
      if (isObject(meta) && nameKind) {
        if (meta.name === undefined && meta.generateName === undefined) {
          report({
            manifest: m,
            path: ['metadata'],
            key: true,
            rule: 'invalid-name',
            severity: 'error',
            variant: 'required',
          });
        } else if (nameKind === 'path-segment') {
          const name = String(meta.name ?? '');
          if (name === '.' || name === '..' || name.includes('/') || name.includes('%'))
            report({
              manifest: m,
              path: ['metadata', 'name'],
              rule: 'invalid-name',
              severity: 'error',
              variant: 'path-segment',
              vars: { field: 'metadata.name', value: name },
            });
        } else {
          checkValue(m, report, ['metadata', 'name'], meta.name, nameKind);
        }
        checkValue(m, report, ['metadata', 'namespace'], meta.namespace, 'label');
        checkLabels(m, report, ['metadata', 'labels']);
      } else if (nameKind && meta === undefined) {
        report({ manifest: m, path: [], rule: 'invalid-name', severity: 'error', variant: 'required' });
      }
      checkPodNames(m, report);
      if (
        m.kind === 'Deployment' ||
        m.kind === 'ReplicaSet' ||
        m.kind === 'StatefulSet' ||
        m.kind === 'DaemonSet'
      )
        checkLabels(m, report, ['spec', 'selector', 'matchLabels']);
      if (m.kind === 'Service') {
        checkLabels(m, report, ['spec', 'selector']);
        const ports = get(m.value, ['spec', 'ports']);
        if (Array.isArray(ports))
          ports.forEach((p, i) => {
            if (!isObject(p)) return;
            checkValue(m, report, ['spec', 'ports', i, 'name'], p.name, 'label');
            if (typeof p.targetPort === 'string')
              checkValue(m, report, ['spec', 'ports', i, 'targetPort'], p.targetPort, 'port-name');
          });
      }
      if (m.kind === 'ConfigMap' || m.kind === 'Secret') {
        for (const field of ['data', 'binaryData', 'stringData']) {
          const data = m.value[field];
          if (isObject(data))
            for (const k of Object.keys(data)) checkValue(m, report, [field, k], k, 'config-key', true);
        }
      }
    }
  },
};
