// Reads single settings out of the learner's own manifests for --from-course. A learner may have
// edited a file into anything, so every reader takes `unknown`, keeps only what the API server would
// accept in that place (the same bounds and enums), and reports the rest as a problem: init's default
// then stands in for it. Nothing here throws on odd input.
import type { PolicyRule } from './context.js';

/** Json is a parsed YAML mapping. */
export type Json = Record<string, unknown>;

/** isObject: a mapping (not a list, not a scalar). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** asObject is the mapping, or {} for anything else, so that lookups into odd documents are safe. */
export function asObject(value: unknown): Json {
  return isObject(value) ? value : {};
}

/** Odd reports one field that could not be used: its path and the value (as JSON). */
export type Odd = (field: string, value: unknown) => void;

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** describe renders an odd value for the one-line report. */
export const describeValue = shown;

function isInt(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isStringList(value: unknown, nonEmpty: boolean): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') && (!nonEmpty || value.length > 0);
}

/** intOrPercent: an IntOrString as a PodDisruptionBudget takes it (0 or more, or "N%"). */
export function intOrPercent(value: unknown): number | string | undefined {
  if (isInt(value, 0)) return value;
  if (typeof value === 'string' && /^\d{1,3}%$/.test(value) && Number(value.slice(0, -1)) <= 100)
    return value;
  return undefined;
}

/** integerField reads an optional whole number in [min, max]; present but odd is reported. */
export function integerField(
  spec: Json,
  key: string,
  path: string,
  min: number,
  max: number,
  odd: Odd,
): number | undefined {
  if (!(key in spec)) return undefined;
  const value = spec[key];
  if (isInt(value, min, max)) return value;
  odd(path, value);
  return undefined;
}

/** hpaCpuTarget finds the CPU Utilization target among an HPA's metrics; other metrics are reported. */
export function hpaCpuTarget(metrics: unknown, odd: Odd): number | undefined {
  if (metrics === undefined) return undefined;
  if (!Array.isArray(metrics)) {
    odd('spec.metrics', metrics);
    return undefined;
  }
  let cpu: number | undefined;
  metrics.forEach((metric, i) => {
    const resource = asObject(asObject(metric).resource);
    const target = asObject(resource.target);
    if (
      asObject(metric).type === 'Resource' &&
      resource.name === 'cpu' &&
      target.type === 'Utilization' &&
      isInt(target.averageUtilization, 1) &&
      cpu === undefined
    ) {
      cpu = target.averageUtilization;
      return;
    }
    // init's HPA scales on CPU utilization only: any other metric is left behind, and said so.
    odd(`spec.metrics[${i}]`, metric);
  });
  return cpu;
}

/** hpaBehavior keeps the parts of an HPA's behavior autoscaling/v2 accepts (HPAScalingRules). */
export function hpaBehavior(behavior: unknown, odd: Odd): Json | undefined {
  if (behavior === undefined) return undefined;
  if (!isObject(behavior)) {
    odd('spec.behavior', behavior);
    return undefined;
  }
  const out: Json = {};
  for (const [direction, rules] of Object.entries(behavior)) {
    const path = `spec.behavior.${direction}`;
    if ((direction !== 'scaleUp' && direction !== 'scaleDown') || !isObject(rules)) {
      odd(path, rules);
      continue;
    }
    const kept: Json = {};
    for (const [key, value] of Object.entries(rules)) {
      if (key === 'stabilizationWindowSeconds' && isInt(value, 0, 3600)) kept[key] = value;
      else if (key === 'selectPolicy' && (value === 'Max' || value === 'Min' || value === 'Disabled'))
        kept[key] = value;
      else if (key === 'policies' && Array.isArray(value)) {
        const policies = value.filter((p, i) => {
          const policy = asObject(p);
          const ok =
            Object.keys(policy).length === 3 &&
            (policy.type === 'Pods' || policy.type === 'Percent') &&
            isInt(policy.value, 1) &&
            isInt(policy.periodSeconds, 1, 1800);
          if (!ok) odd(`${path}.policies[${i}]`, p);
          return ok;
        });
        if (policies.length > 0) kept[key] = policies;
      } else odd(`${path}.${key}`, value);
    }
    if (Object.keys(kept).length > 0) out[direction] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** policyRule keeps a Role rule the API server accepts (a resource rule: groups, resources, verbs). */
export function policyRule(rule: unknown): PolicyRule | undefined {
  const r = asObject(rule);
  const known = new Set(['apiGroups', 'resources', 'verbs', 'resourceNames']);
  if (Object.keys(r).some((k) => !known.has(k))) return undefined;
  if (!isStringList(r.apiGroups, true) || !isStringList(r.resources, true) || !isStringList(r.verbs, true))
    return undefined;
  if (r.resourceNames !== undefined && !isStringList(r.resourceNames, false)) return undefined;
  const out: PolicyRule = { apiGroups: r.apiGroups, resources: r.resources, verbs: r.verbs };
  if (Array.isArray(r.resourceNames) && r.resourceNames.length > 0)
    out.resourceNames = r.resourceNames as string[];
  return out;
}

/** describeRule is a rule in one line: `get configmaps/casc-network-config`. */
export function describeRule(rule: PolicyRule): string {
  const names = rule.resourceNames ? `/${rule.resourceNames.join(',')}` : '';
  return `${rule.verbs.join(',')} ${rule.resources.join(',')}${names}`;
}

const BOOLEANS = {
  pod: ['runAsNonRoot'],
  container: ['runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation'],
};
const IDS = {
  pod: ['runAsUser', 'runAsGroup', 'fsGroup'],
  container: ['runAsUser', 'runAsGroup'],
};

/**
 * securityContext keeps the settings init's Deployment knows at that level: user and group ids,
 * runAsNonRoot, and for the container the file system, privilege escalation and capabilities; for
 * the pod the seccomp profile (RuntimeDefault or Unconfined). `privileged` and anything else is
 * reported and left out: it would clash with what init keeps (privileged with no escalation is
 * refused by the API server).
 */
export function securityContext(value: unknown, level: 'pod' | 'container', path: string, odd: Odd): Json {
  if (value === undefined) return {};
  if (!isObject(value)) {
    odd(path, value);
    return {};
  }
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (BOOLEANS[level].includes(key) && typeof v === 'boolean') out[key] = v;
    else if (IDS[level].includes(key) && isInt(v, 0, 2147483647)) out[key] = v;
    else if (
      level === 'pod' &&
      key === 'seccompProfile' &&
      isObject(v) &&
      Object.keys(v).length === 1 &&
      (v.type === 'RuntimeDefault' || v.type === 'Unconfined')
    )
      out[key] = { type: v.type };
    else if (
      level === 'container' &&
      key === 'capabilities' &&
      isObject(v) &&
      Object.keys(v).every((k) => (k === 'add' || k === 'drop') && isStringList(v[k], false))
    )
      out[key] = v;
    else odd(`${path}.${key}`, v);
  }
  return out;
}

/** describeSettings renders settings in one line: `runAsNonRoot: true, capabilities.drop: [ALL]`. */
export function describeSettings(settings: Json, prefix = ''): string {
  return Object.entries(settings)
    .map(([key, value]) =>
      isObject(value) && !Array.isArray(value)
        ? describeSettings(value, `${prefix}${key}.`)
        : `${prefix}${key}: ${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}`,
    )
    .join(', ');
}
