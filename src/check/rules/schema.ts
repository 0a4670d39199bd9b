// Strict schema check: unknown fields (with the kind they belong to, or the likely typo), missing
// required fields, wrong types and unsupported enum values — what the API server's strict decoding
// and validation reject.
import { compactSchemas, editDistance } from '../kinds.js';
import { formatField } from '../parse.js';
import type { FieldPath, Manifest, Report, Rule } from '../types.js';

const { types, kinds } = compactSchemas;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

const expectedNames: Record<string, string> = {
  s: 'string',
  n: 'number',
  b: 'boolean',
  q: 'quantity (string or number)',
  is: 'integer or string',
};

/** elementType strips list and map markers from a reference (`[core.v1.Container` → `core.v1.Container`). */
function elementType(ref: string): string {
  let out = ref;
  while (out.startsWith('[') || out.startsWith('{')) out = out.slice(1);
  return out;
}

/**
 * deeperPath finds where a field really lives below the type it was written in (breadth first, a
 * few levels): `containers` written in a DeploymentSpec belongs at `template.spec.containers`.
 */
function deeperPath(typeName: string, field: string): FieldPath | undefined {
  let frontier: [string, FieldPath][] = [[typeName, []]];
  const seen = new Set([typeName]);
  for (let depth = 0; depth < 4; depth++) {
    const next: [string, FieldPath][] = [];
    for (const [name, path] of frontier) {
      const fields = types[name]?.f ?? {};
      if (depth > 0 && field in fields) return [...path, field];
      for (const [child, ref] of Object.entries(fields)) {
        const t = elementType(ref);
        if (!types[t] || seen.has(t) || ref.startsWith('{')) continue;
        seen.add(t);
        next.push([t, ref.startsWith('[') ? [...path, child, 0] : [...path, child]]);
      }
    }
    frontier = next;
  }
  return undefined;
}

/** typeAt resolves the type written at a path below a root type (indexes and map keys step into elements). */
function typeAt(root: string, path: FieldPath): string | undefined {
  let ref: string | undefined = root;
  for (const seg of path) {
    if (!ref) return undefined;
    if (ref.startsWith('[') || ref.startsWith('{')) {
      ref = ref.slice(1);
      continue;
    }
    ref = typeof seg === 'string' ? types[ref]?.f[seg] : undefined;
  }
  return ref && types[ref] ? ref : undefined;
}

/** higherPath finds the nearest ancestor that declares the field (`volumes` written inside a container). */
function higherPath(root: string, path: FieldPath, field: string): FieldPath | undefined {
  for (let n = path.length - 1; n >= 0; n--) {
    const prefix = path.slice(0, n);
    const t = typeAt(root, prefix);
    if (t && field in types[t]!.f) return [...prefix, field];
  }
  return undefined;
}

/** kindsWithField lists the covered kinds where the same (index-free) path is a declared field. */
function kindsWithField(path: FieldPath, except: string): string[] {
  const names = path.filter((s): s is string => typeof s === 'string');
  const found: string[] = [];
  for (const [key, root] of Object.entries(kinds)) {
    const kind = key.slice(key.lastIndexOf('/') + 1);
    if (root === except || found.includes(kind)) continue;
    let ref: string | undefined = root;
    for (const name of names) {
      while (ref && (ref.startsWith('[') || ref.startsWith('{'))) ref = ref.slice(1);
      ref = ref ? types[ref]?.f[name] : undefined;
      if (!ref) break;
    }
    if (ref) found.push(kind);
  }
  return found;
}

function check(manifest: Manifest, report: Report, value: unknown, ref: string, path: FieldPath): void {
  if (value === null || value === undefined || ref === 'any') return;
  const wrong = (expected: string) =>
    report({
      manifest,
      path,
      rule: 'wrong-type',
      severity: 'error',
      vars: { field: formatField(path), expected, actual: typeName(value) },
    });
  if (ref in expectedNames) {
    const ok =
      (ref === 's' && typeof value === 'string') ||
      (ref === 'n' && typeof value === 'number') ||
      (ref === 'b' && typeof value === 'boolean') ||
      ((ref === 'q' || ref === 'is') && (typeof value === 'string' || typeof value === 'number'));
    if (!ok) wrong(expectedNames[ref]!);
    return;
  }
  if (ref.startsWith('e:')) {
    const allowed = ref.slice(2).split('|');
    if (typeof value !== 'string') {
      wrong('string');
      return;
    }
    if (!allowed.includes(value)) {
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
    const deeperRel = deeperPath(ref, field);
    const deeper = deeperRel
      ? [...path, ...deeperRel]
      : manifest.schemaType
        ? higherPath(manifest.schemaType, path, field)
        : undefined;
    const owners = path.length === 0 || deeper ? [] : kindsWithField(at, manifest.schemaType ?? '');
    const typo = Object.keys(type.f).find(
      (known) => editDistance(known.toLowerCase(), field.toLowerCase()) <= 2,
    );
    const variant = deeperRel
      ? 'misplaced'
      : deeper
        ? 'misplaced-up'
        : owners.length > 0
          ? 'other-kind'
          : typo
            ? 'typo'
            : 'message';
    report({
      manifest,
      path: at,
      key: true,
      rule: 'unknown-field',
      severity: 'error',
      variant,
      vars: {
        field: formatField(at),
        kinds: owners.join(', '),
        suggestion: typo ?? '',
        kind: manifest.kind,
        place: deeper ? formatField(deeper) : '',
      },
    });
  }
  for (const field of type.r ?? []) {
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
