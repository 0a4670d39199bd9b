// Strict schema check: unknown fields (explained by unknown-field.ts), missing required fields,
// wrong types and unsupported enum values: what the API server's strict decoding and validation
// reject.
import { compactSchemas } from '../kinds.js';
import { formatField } from '../parse.js';
import { formatBytes, parseQuantity, quantityError, suggestQuantity } from '../quantity.js';
import type { FieldPath, Manifest, Report, Rule } from '../types.js';
import { explainUnknown } from './unknown-field.js';

const { types } = compactSchemas;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

const expectedNames: Record<string, string> = {
  s: 'string',
  n: 'integer',
  b: 'boolean',
  q: 'quantity (string or number)',
  is: 'integer or string',
};

/** written is a scalar as the learner wrote it (`yes`, not the boolean it became); strings as parsed. */
function written(manifest: Manifest, path: FieldPath, value: unknown): string {
  if (typeof value === 'object' || value === null) return '';
  if (typeof value === 'string') return value;
  const range = manifest.range(path);
  return range ? manifest.text.slice(range[0], range[1]).trim() : String(value);
}

/** wrongTypeVariant picks the explanation that says what to write instead. */
function wrongTypeVariant(manifest: Manifest, path: FieldPath, expected: string, value: unknown): string {
  if (expected === 'list' || expected === 'map') return expected;
  const last = path[path.length - 1];
  if (
    manifest.kind === 'Service' &&
    path.length === 3 &&
    path[0] === 'spec' &&
    path[1] === 'selector' &&
    (last === 'matchLabels' || last === 'matchExpressions')
  )
    return 'service-selector';
  if (
    typeof value === 'string' &&
    (expected === 'integer' || expected.startsWith('integer or')) &&
    /^[+-]?[0-9]+$/.test(value.trim())
  )
    return 'quoted-number';
  if (typeof value === 'string' && expected === 'boolean' && /^(true|false)$/i.test(value))
    return 'quoted-boolean';
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean'))
    return 'needs-quotes';
  return 'message';
}

/** quantityProblem reports a string the API server cannot read as a quantity, with a near value. */
function checkQuantity(manifest: Manifest, report: Report, value: string, path: FieldPath): void {
  const problem = quantityError(value);
  if (problem === undefined) return;
  const near = suggestQuantity(value);
  const vars: Record<string, string> = { field: formatField(path), value, problem };
  if (near) {
    vars.binary = near.binary;
    vars.decimal = near.decimal ?? '';
    const b = parseQuantity(near.binary);
    const d = near.decimal ? parseQuantity(near.decimal) : undefined;
    vars.binaryBytes = b === undefined ? '' : formatBytes(b);
    vars.decimalBytes = d === undefined ? '' : formatBytes(d);
  }
  report({
    manifest,
    path,
    rule: 'invalid-quantity',
    severity: 'error',
    variant: near ? (near.decimal ? 'did-you-mean-units' : 'did-you-mean') : 'message',
    vars,
  });
}

function check(manifest: Manifest, report: Report, value: unknown, ref: string, path: FieldPath): void {
  if (value === null || value === undefined || ref === 'any') return;
  const wrong = (expected: string) =>
    report({
      manifest,
      path,
      rule: 'wrong-type',
      severity: 'error',
      variant: wrongTypeVariant(manifest, path, expected, value),
      vars: {
        field: formatField(path),
        expected,
        actual: typeName(value),
        value: written(manifest, path, value),
      },
    });
  if (ref in expectedNames) {
    const ok =
      (ref === 's' && typeof value === 'string') ||
      // Every number field of the covered kinds is an int32/int64 in the OpenAPI definitions.
      (ref === 'n' && Number.isInteger(value)) ||
      (ref === 'b' && typeof value === 'boolean') ||
      (ref === 'q' && (typeof value === 'string' || typeof value === 'number')) ||
      (ref === 'is' && (typeof value === 'string' || Number.isInteger(value)));
    if (!ok) wrong(expectedNames[ref]!);
    else if (ref === 'q' && typeof value === 'string') checkQuantity(manifest, report, value, path);
    return;
  }
  if (ref.startsWith('e:')) {
    const allowed = ref.slice(2).split('|');
    if (typeof value !== 'string') {
      wrong('string');
      return;
    }
    // An empty string is "not set" for the API server's enums (a Toleration's effect: "" means all).
    if (value !== '' && !allowed.includes(value)) {
      report({
        manifest,
        path,
        rule: 'invalid-value',
        severity: 'error',
        vars: {
          field: formatField(path),
          value,
          supported: allowed.map((v) => `"${v}"`).join(', '),
        },
      });
    }
    return;
  }
  if (ref.startsWith('[')) {
    if (!Array.isArray(value)) {
      wrong('list');
      return;
    }
    value.forEach((item, i) => {
      check(manifest, report, item, ref.slice(1), [...path, i]);
    });
    return;
  }
  if (ref.startsWith('{')) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      wrong('map');
      return;
    }
    for (const [k, v] of Object.entries(value)) check(manifest, report, v, ref.slice(1), [...path, k]);
    return;
  }
  const type = types[ref];
  if (!type) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    wrong('map');
    return;
  }
  const object = value as Record<string, unknown>;
  for (const [field, v] of Object.entries(object)) {
    const fieldRef = type.f[field];
    if (fieldRef) {
      check(manifest, report, v, fieldRef, [...path, field]);
      continue;
    }
    const at = [...path, field];
    report({
      manifest,
      path: at,
      key: true,
      rule: 'unknown-field',
      severity: 'error',
      ...explainUnknown(manifest, ref, path, field, v),
    });
  }
  // A kustomize patch names only what it changes: required fields come from the base.
  for (const field of manifest.partial ? [] : (type.r ?? [])) {
    if (object[field] === undefined || object[field] === null) {
      report({
        manifest,
        path,
        key: path.length > 0,
        rule: 'missing-field',
        severity: 'error',
        vars: { field: formatField([...path, field]) },
      });
    }
  }
}

/** schemaRule validates every covered document against its generated schema. */
export const schemaRule: Rule = {
  id: 'schema',
  run({ manifests, report }) {
    for (const m of manifests) {
      if (m.schemaType) check(m, report, m.value, m.schemaType, []);
    }
  },
};
