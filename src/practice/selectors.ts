// Label and field selectors as the API server parses them (`?labelSelector=app=web,tier!=db`,
// `?fieldSelector=metadata.name=x`). Parse errors are 400s with upstream-like texts.
import { badRequest } from './api-error.js';
import type { KubeObject } from './types.js';

/** Requirement is one clause of a label selector. */
export interface Requirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | '!' | '=' | '!=';
  values: string[];
}

/** ObjectPredicate decides whether an object matches a selector. */
export type ObjectPredicate = (obj: KubeObject) => boolean;

// Splits on commas that are not inside parentheses: `env in (a,b),tier`.
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** parseLabelSelector parses the string form of a label selector into requirements. */
export function parseLabelSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      out.push({ key: m[1]!, operator: m[2] as 'in' | 'notin', values });
      continue;
    }
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
    if (m) {
      out.push({ key: m[1]!, operator: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
      continue;
    }
    m = /^(!?)\s*([^\s!=(),]+)$/.exec(part);
    if (m) {
      out.push({ key: m[2]!, operator: m[1] ? '!' : 'exists', values: [] });
      continue;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return out;
}

/** labelsMatch tells whether a label map satisfies every requirement. */
export function labelsMatch(labels: Record<string, string> | undefined, reqs: Requirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.operator) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
    }
    return false;
  });
}

/** matchLabelSelectorObject matches a structured `LabelSelector` (matchLabels, matchExpressions). */
export function selectorObjectToRequirements(selector: unknown): Requirement[] {
  const out: Requirement[] = [];
  if (typeof selector !== 'object' || selector === null) return out;
  const s = selector as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  for (const [key, value] of Object.entries(s.matchLabels ?? {}))
    out.push({ key, operator: '=', values: [value] });
  for (const raw of s.matchExpressions ?? []) {
    const e = raw as { key: string; operator: string; values?: string[] };
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }[e.operator];
    if (op) out.push({ key: e.key, operator: op as Requirement['operator'], values: e.values ?? [] });
  }
  return out;
}

/** fieldValue reads a dotted field path (`spec.nodeName`, `involvedObject.uid`) as a string. */
export function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

/** parseFieldSelector parses `a=b,c!=d` into a predicate over dotted field paths. */
export function parseFieldSelector(text: string): ObjectPredicate {
  const clauses: { path: string; equal: boolean; value: string }[] = [];
  for (const part of splitTopLevel(text)) {
    const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    clauses.push({ path: m[1]!, equal: m[2] !== '!=', value: m[3]! });
  }
  return (obj) => clauses.every((c) => (fieldValue(obj, c.path) === c.value) === c.equal);
}

/** selectorPredicate combines optional label and field selector strings into one predicate. */
export function selectorPredicate(
  labelSelector?: string,
  fieldSelector?: string,
): ObjectPredicate | undefined {
  const reqs = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  if (reqs.length === 0 && !fields) return undefined;
  return (obj) => labelsMatch(obj.metadata.labels, reqs) && (!fields || fields(obj));
}
