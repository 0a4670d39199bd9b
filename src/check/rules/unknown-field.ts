// Explaining an unknown field: where it belongs instead (deeper, higher up, in another kind), the
// likely typo, or the label it was meant to be. Used by the schema rule.
import { compactSchemas, editDistance } from '../kinds.js';
import { formatField } from '../parse.js';
import type { FieldPath, Manifest } from '../types.js';

const { types, kinds } = compactSchemas;

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

/** explainUnknown picks the most helpful explanation of an unknown field, and its variables. */
export function explainUnknown(
  manifest: Manifest,
  ref: string,
  path: FieldPath,
  field: string,
  value: unknown,
) {
  const at = [...path, field];
  const deeperRel = deeperPath(ref, field);
  const deeper = deeperRel
    ? [...path, ...deeperRel]
    : manifest.schemaType
      ? higherPath(manifest.schemaType, path, field)
      : undefined;
  const owners = path.length === 0 || deeper ? [] : kindsWithField(at, manifest.schemaType ?? '');
  const typo = Object.keys(types[ref]?.f ?? {}).find(
    (known) => editDistance(known.toLowerCase(), field.toLowerCase()) <= 2,
  );
  // `metadata: {app: web}` and `selector: {app: web}` mean labels (common in hand-written YAML).
  const scalar = value !== null && typeof value !== 'object';
  const labelLike = !typo && scalar && (ref === 'meta.v1.ObjectMeta' || ref === 'meta.v1.LabelSelector');
  let variant = 'message';
  if (labelLike) variant = ref === 'meta.v1.ObjectMeta' ? 'label' : 'match-labels';
  else if (deeperRel) variant = 'misplaced';
  else if (deeper) variant = 'misplaced-up';
  else if (owners.length > 0) variant = 'other-kind';
  else if (typo) variant = 'typo';
  const vars = {
    field: formatField(at),
    kinds: owners.join(', '),
    suggestion: typo ?? '',
    kind: manifest.kind,
    place: labelLike
      ? formatField([...path, ref === 'meta.v1.ObjectMeta' ? 'labels' : 'matchLabels', field])
      : deeper
        ? formatField(deeper)
        : '',
  };
  return { variant, vars };
}
