// Rules about the document set as a whole: is each apiVersion/kind pair real, is an object defined
// twice, does an object sit in another namespace than the rest.
import { clusterScopedKinds, isNamespacedBuiltin, resolveKind } from '../kinds.js';
import { sameKustomization } from '../kustomize.js';
import { namespaceOf } from '../pods.js';
import type { Rule } from '../types.js';

/** kindRule reports missing or unknown apiVersion/kind pairs, and kinds checked without a schema. */
export const kindRule: Rule = {
  id: 'unknown-kind',
  run({ manifests, report }) {
    for (const m of manifests) {
      const r = resolveKind(m.apiVersion, m.kind);
      const vars = {
        apiVersion: m.apiVersion,
        kind: m.kind,
        suggestion: r.suggestion ?? '',
        best: r.suggestion?.split(', ')[0] ?? '',
      };
      if (r.status === 'missing') {
        const missing = !m.apiVersion ? 'apiVersion' : 'kind';
        report({
          manifest: m,
          path: [missing],
          key: true,
          rule: 'unknown-kind',
          severity: 'error',
          variant: 'missing',
          vars: { field: missing },
        });
      } else if (r.status === 'wrong-version') {
        report({
          manifest: m,
          path: ['apiVersion'],
          rule: 'unknown-kind',
          severity: 'error',
          variant: 'wrong-version',
          vars,
        });
      } else if (r.status === 'unknown-kind') {
        report({
          manifest: m,
          path: ['kind'],
          rule: 'unknown-kind',
          severity: 'error',
          variant: r.suggestion ? 'did-you-mean' : 'message',
          vars,
        });
      } else if (r.status === 'no-schema') {
        report({ manifest: m, path: ['kind'], rule: 'no-schema', severity: 'info', vars });
      }
    }
  },
};

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * duplicateRule reports the same object (group, kind, namespace, name) defined twice: an error in
 * one file or in files one kustomization applies together, a warning across files nothing ties
 * together (a directory of independent examples often reuses names).
 */
export const duplicateRule: Rule = {
  id: 'duplicate-object',
  run({ manifests, layout, report }) {
    const seen = new Map<string, (typeof manifests)[number][]>();
    for (const m of manifests) {
      if (!m.kind || !m.name) continue;
      const ns = clusterScopedKinds.has(m.kind) ? '' : namespaceOf(m);
      const key = `${groupOf(m.apiVersion)}/${m.kind}/${ns}/${m.name}`;
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, [m]);
        continue;
      }
      earlier.push(m);
      // The closest earlier definition: same file first, then one sharing a kustomization.
      const sameFile = earlier.find((e) => e !== m && e.file === m.file);
      const together = sameFile
        ? undefined
        : earlier.find((e) => e !== m && sameKustomization(layout, e.file, m.file));
      const first = sameFile ?? together ?? earlier[0]!;
      const where = first.at(['metadata', 'name']);
      const vars = {
        object: `${m.kind}/${m.name}`,
        namespace: ns || '-',
        first: `${first.file === '-' ? '<stdin>' : first.file}:${where.line}`,
        kustomization: together ? (sameKustomization(layout, together.file, m.file) ?? '') : '',
      };
      report({
        manifest: m,
        path: ['metadata', 'name'],
        rule: 'duplicate-object',
        severity: sameFile || together ? 'error' : 'warning',
        variant: sameFile ? 'message' : together ? 'kustomization' : 'separate-files',
        vars,
      });
    }
  },
};

/** namespaceRule reports built-in namespaced objects outside the namespace most of the input uses. */
export const namespaceRule: Rule = {
  id: 'mixed-namespaces',
  run({ manifests, report }) {
    // Custom resources are left out: their scope is unknown here.
    const namespaced = manifests.filter((m) => isNamespacedBuiltin(m.kind));
    const counts = new Map<string, number>();
    for (const m of namespaced) counts.set(namespaceOf(m), (counts.get(namespaceOf(m)) ?? 0) + 1);
    if (counts.size < 2) return;
    const [main, mainCount] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    if ([...counts.values()].filter((c) => c === mainCount).length > 1) return; // no clear majority
    for (const m of namespaced) {
      const ns = namespaceOf(m);
      if (ns === main) continue;
      report({
        manifest: m,
        path: m.namespace === undefined ? ['metadata'] : ['metadata', 'namespace'],
        key: m.namespace === undefined,
        rule: 'mixed-namespaces',
        severity: 'info',
        variant: m.namespace === undefined ? 'omitted' : 'message',
        vars: { object: `${m.kind}/${m.name}`, namespace: ns, main },
      });
    }
  },
};
