// What the input's kustomization files say about the other files: which files one kustomization
// applies together (a duplicate object among them is a real collision), and which files are
// patches (partial objects: required fields are not expected; JSON 6902 patches are not objects).
// Paths are resolved as strings relative to each kustomization's directory; nothing is read here.
import { dirname, join, normalize } from 'node:path';
import { parse } from 'yaml';

/** KustomizeLayout is what the kustomizations in the input say about its files. */
export interface KustomizeLayout {
  /** input file → the kustomization files that include it (directly or through a directory). */
  groups: Map<string, Set<string>>;
  /** strategic-merge patch files: checked as partial objects. */
  patches: Set<string>;
  /** JSON 6902 patch files: lists of operations, not objects. */
  jsonPatches: Set<string>;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function paths(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => {
    if (typeof x === 'string') return [x];
    if (x && typeof x === 'object' && typeof (x as { path?: unknown }).path === 'string')
      return [(x as { path: string }).path];
    return [];
  });
}

/** isJsonPatchText: a JSON 6902 patch is a list of {op, path} operations. */
function isJsonPatchText(text: string): boolean {
  return /^\s*-\s*(\{\s*)?["']?op["']?\s*:/m.test(text) && !/^apiVersion\s*:/m.test(text);
}

/** kustomizeLayout reads every kustomization among the inputs (bad YAML there is reported elsewhere). */
export function kustomizeLayout(
  inputs: { path: string; text: string }[],
  isKustomization: (path: string) => boolean,
): KustomizeLayout {
  const layout: KustomizeLayout = { groups: new Map(), patches: new Set(), jsonPatches: new Set() };
  const kustomizations = inputs.filter((i) => isKustomization(i.path));
  if (kustomizations.length === 0) return layout;
  const files = inputs.map((i) => ({ path: i.path, norm: normalize(i.path), text: i.text }));
  for (const k of kustomizations) {
    let value: unknown;
    try {
      value = parse(k.text, { maxAliasCount: 100 });
    } catch {
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    const spec = value as Record<string, unknown>;
    const base = dirname(k.path);
    const resolveAll = (list: string[]) => list.map((p) => normalize(join(base, p)));
    const members = resolveAll([
      ...strings(spec.resources),
      ...strings(spec.bases),
      ...strings(spec.components),
      ...paths(spec.crds),
    ]);
    const patchFiles = resolveAll([...strings(spec.patchesStrategicMerge), ...paths(spec.patches)]);
    const jsonPatchFiles = resolveAll(paths(spec.patchesJson6902));
    for (const f of files) {
      if (f.path === k.path) continue;
      const inside = members.some((m) => f.norm === m || f.norm.startsWith(`${m}/`));
      if (inside || patchFiles.includes(f.norm) || jsonPatchFiles.includes(f.norm)) {
        const set = layout.groups.get(f.path) ?? new Set<string>();
        set.add(k.path);
        layout.groups.set(f.path, set);
      }
      if (jsonPatchFiles.includes(f.norm) || (patchFiles.includes(f.norm) && isJsonPatchText(f.text)))
        layout.jsonPatches.add(f.path);
      else if (patchFiles.includes(f.norm)) layout.patches.add(f.path);
    }
  }
  return layout;
}

/** sameKustomization: two files one kustomization applies together. */
export function sameKustomization(layout: KustomizeLayout, a: string, b: string): string | undefined {
  const ga = layout.groups.get(a);
  const gb = layout.groups.get(b);
  if (!ga || !gb) return undefined;
  for (const k of ga) if (gb.has(k)) return k;
  return undefined;
}
