// CIDRs in ConfigMap values (plain or inside JSON/YAML text), kind's pod/service subnets and
// NetworkPolicy ipBlocks must be network addresses, not host addresses with a prefix.
import { checkCidr, findCidrs } from '../cidr.js';
import { get, isObject } from '../pods.js';
import type { FieldPath, Manifest, Report, Rule } from '../types.js';

function checkText(m: Manifest, report: Report, path: FieldPath, text: string) {
  const range = m.range(path);
  let cursor = range?.[0] ?? 0;
  for (const cidr of findCidrs(text)) {
    const found = range ? m.text.indexOf(cidr, cursor) : -1;
    const offset = found >= 0 && range && found < range[1] ? found : undefined;
    if (offset !== undefined) cursor = offset + cidr.length;
    const problem = checkCidr(cidr);
    if (!problem) continue;
    report({
      manifest: m,
      path,
      offset,
      rule: 'invalid-cidr',
      severity: 'error',
      variant: problem.kind,
      vars: {
        cidr,
        prefix: cidr.slice(cidr.indexOf('/')),
        network: problem.kind === 'host-bits' ? problem.network : '',
        reason: problem.kind === 'invalid' ? problem.reason : '',
      },
    });
  }
}

/** cidrRule scans the places CIDRs are written. */
export const cidrRule: Rule = {
  id: 'invalid-cidr',
  run({ manifests, report }) {
    for (const m of manifests) {
      if (m.kind === 'ConfigMap' && isObject(m.value.data)) {
        for (const [k, v] of Object.entries(m.value.data))
          if (typeof v === 'string') checkText(m, report, ['data', k], v);
      }
      if (m.kind === 'Cluster') {
        for (const f of ['podSubnet', 'serviceSubnet']) {
          const v = get(m.value, ['networking', f]);
          if (typeof v === 'string') checkText(m, report, ['networking', f], v);
        }
      }
      if (m.kind === 'NetworkPolicy') {
        for (const dir of ['ingress', 'egress']) {
          const rules = get(m.value, ['spec', dir]);
          if (!Array.isArray(rules)) continue;
          rules.forEach((r, i) => {
            const peers = get(r, [dir === 'ingress' ? 'from' : 'to']);
            if (!Array.isArray(peers)) return;
            peers.forEach((p, j) => {
              const base = ['spec', dir, i, dir === 'ingress' ? 'from' : 'to', j, 'ipBlock'];
              const cidr = get(p, ['ipBlock', 'cidr']);
              if (typeof cidr === 'string') checkText(m, report, [...base, 'cidr'], cidr);
              const except = get(p, ['ipBlock', 'except']);
              if (Array.isArray(except))
                except.forEach((e, k) => {
                  if (typeof e === 'string') checkText(m, report, [...base, 'except', k], e);
                });
            });
          });
        }
      }
    }
  },
};
