// Field ownership for server-side apply: field sets as paths (`f:spec`, `k:{"name":"web"}`,
// `v:"x"`), conversion to and from the FieldsV1 form stored in metadata.managedFields, and the
// ownership changes of ordinary updates (the updater takes every field it changed).
import { listSemantics, parseType, typeFields } from '../schema/index.js';
import type { KubeObject, ManagedFieldsEntry } from '../types.js';
import { isJsonObject, type JsonObject } from '../types.js';

/** FieldPath is a list of path elements like `f:spec`, `k:{"name":"web"}`, `v:"x"`. */
export type FieldPath = string[];

/** pathKey joins a path into a map key. */
export const pathKey = (p: FieldPath): string => p.join('\u0000');
const splitKey = (k: string): FieldPath => (k === '' ? [] : k.split('\u0000'));

function itemKey(item: unknown, keys: string[]): string {
  const o: JsonObject = {};
  for (const k of keys) if (isJsonObject(item) && item[k] !== undefined) o[k] = item[k];
  return `k:${JSON.stringify(o)}`;
}

/** leafValues walks an object (typed by schema) and maps every owned leaf path to its value. */
export function leafValues(value: unknown, typeName: string | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  walk(value, typeName, [], out);
  return out;
}

function walk(
  value: unknown,
  typeName: string | undefined,
  path: FieldPath,
  out: Map<string, unknown>,
): void {
  if (!isJsonObject(value) || Object.keys(value).length === 0) {
    if (path.length) out.set(pathKey(path), value);
    return;
  }
  const fields = typeName ? typeFields(typeName) : undefined;
  for (const [k, v] of Object.entries(value)) {
    if (path.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
    if (
      path.length === 1 &&
      path[0] === 'f:metadata' &&
      !['labels', 'annotations', 'finalizers', 'ownerReferences'].includes(k)
    )
      continue;
    const p = [...path, `f:${k}`];
    const t = fields?.[k];
    const parsed = t ? parseType(t) : undefined;
    if (Array.isArray(v)) {
      const sem = typeName ? listSemantics(typeName, k) : {};
      const item = parsed?.shape === 'list' ? parseType(parsed.item) : undefined;
      if (sem.mapKeys && v.every(isJsonObject)) {
        for (const it of v) {
          const ip = [...p, itemKey(it, sem.mapKeys)];
          out.set(pathKey([...ip, '.']), true);
          walk(it, item?.shape === 'struct' ? item.name : undefined, ip, out);
        }
      } else if (sem.set) {
        for (const it of v) out.set(pathKey([...p, `v:${JSON.stringify(it)}`]), it);
      } else out.set(pathKey(p), v);
    } else if (isJsonObject(v)) {
      if (parsed?.shape === 'map') {
        const vt = parseType(parsed.value);
        if (Object.keys(v).length === 0) out.set(pathKey(p), v);
        for (const [mk, mv] of Object.entries(v))
          walk(mv, vt.shape === 'struct' ? vt.name : undefined, [...p, `f:${mk}`], out);
      } else walk(v, parsed?.shape === 'struct' ? parsed.name : undefined, p, out);
    } else out.set(pathKey(p), v);
  }
}

/** toFieldsV1 renders a set of path keys as the nested FieldsV1 object. */
export function toFieldsV1(keys: Iterable<string>): JsonObject {
  const root: JsonObject = {};
  for (const k of keys) {
    let node = root;
    for (const el of splitKey(k)) {
      if (!isJsonObject(node[el])) node[el] = {};
      node = node[el] as JsonObject;
    }
  }
  return root;
}

/** fromFieldsV1 flattens a FieldsV1 object into path keys (leaves and `.` markers). */
export function fromFieldsV1(fields: unknown, prefix: FieldPath = [], out = new Set<string>()): Set<string> {
  if (!isJsonObject(fields)) return out;
  const entries = Object.entries(fields);
  if (entries.length === 0 && prefix.length) out.add(pathKey(prefix));
  for (const [k, v] of entries) fromFieldsV1(v, [...prefix, k], out);
  return out;
}

/** managerSets reads managedFields into per-manager path sets (key: manager + operation). */
export function managerSets(meta: { managedFields?: ManagedFieldsEntry[] }): ManagedFieldsEntry[] {
  return (meta.managedFields ?? []).map((e) => ({ ...e }));
}

/** entryKeys returns the path keys an entry owns. */
export function entryKeys(e: ManagedFieldsEntry): Set<string> {
  return fromFieldsV1(e.fieldsV1);
}

function now(): string {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

/**
 * recordUpdate gives `manager` the fields an Update changed (all fields on create) and takes
 * them from other managers, as the API server's field manager does for non-apply writes.
 */
export function recordUpdate(
  obj: KubeObject,
  old: KubeObject | undefined,
  manager: string,
  typeName: string | undefined,
  subresource?: string,
): void {
  const after = leafValues(stripForFields(obj, subresource), typeName);
  const before = old ? leafValues(stripForFields(old, subresource), typeName) : new Map<string, unknown>();
  const changed = new Set<string>();
  for (const [k, v] of after)
    if (!before.has(k) || JSON.stringify(before.get(k)) !== JSON.stringify(v)) changed.add(k);
  const entries = (old?.metadata.managedFields ?? obj.metadata.managedFields ?? []).map((e) => ({ ...e }));
  if (changed.size === 0 && entries.length) {
    obj.metadata.managedFields = entries;
    return;
  }
  const result: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of entries) {
    const keys = entryKeys(e);
    if (e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? '')) {
      mine = e;
      for (const k of changed) keys.add(k);
      for (const k of [...keys]) if (!after.has(k) && !k.endsWith('\u0000.')) keys.delete(k);
      e.fieldsV1 = toFieldsV1(keys);
      e.time = now();
      e.apiVersion = obj.apiVersion;
      result.push(e);
      continue;
    }
    for (const k of changed) keys.delete(k);
    if (keys.size) result.push({ ...e, fieldsV1: toFieldsV1(keys) });
  }
  if (!mine) {
    const entry: ManagedFieldsEntry = {
      manager,
      operation: 'Update',
      apiVersion: obj.apiVersion,
      time: now(),
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(changed),
    };
    if (subresource) entry.subresource = subresource;
    result.push(entry);
  }
  obj.metadata.managedFields = result;
}

/** stripForFields drops what field ownership ignores (status on main-resource writes, server metadata). */
export function stripForFields(obj: KubeObject, subresource?: string): KubeObject {
  const { metadata, status, ...rest } = obj;
  const meta: JsonObject = {};
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
    if (metadata[k] !== undefined) meta[k] = metadata[k];
  }
  if (subresource === 'status')
    return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: {}, status } as KubeObject;
  return { ...rest, metadata: meta } as KubeObject;
}
