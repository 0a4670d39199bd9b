// Server-side apply (PATCH application/apply-patch+yaml): merge the applied configuration into
// the live object, track ownership per field manager in metadata.managedFields, report conflicts
// with other managers (409, FieldManagerConflict causes) unless force=true, and remove fields the
// applier owned before and no longer applies.
import { ApiError } from '../api-error.js';
import { listSemantics, parseType, typeFields } from '../schema/index.js';
import type { KubeObject, ManagedFieldsEntry } from '../types.js';
import { isJsonObject, type JsonObject } from '../types.js';
import { entryKeys, leafValues, pathKey, stripForFields, toFieldsV1 } from './managed-fields.js';

function mergeApplied(live: unknown, applied: unknown, typeName: string | undefined): unknown {
  if (!isJsonObject(applied)) return structuredClone(applied);
  const out: JsonObject = isJsonObject(live) ? structuredClone(live) : {};
  const fields = typeName ? typeFields(typeName) : undefined;
  for (const [k, v] of Object.entries(applied)) {
    const t = fields?.[k];
    const parsed = t ? parseType(t) : undefined;
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const sem = typeName ? listSemantics(typeName, k) : {};
      const item = parsed?.shape === 'list' ? parseType(parsed.item) : undefined;
      const itemType = item?.shape === 'struct' ? item.name : undefined;
      if (sem.mapKeys && Array.isArray(out[k])) {
        const keys = sem.mapKeys;
        const merged = [...(out[k] as unknown[])];
        for (const it of v) {
          const idx = merged.findIndex(
            (m) =>
              isJsonObject(m) &&
              isJsonObject(it) &&
              keys.every(
                (key) =>
                  (m[key] ?? null) === (it[key] ?? null) ||
                  (key === 'protocol' && (m[key] ?? 'TCP') === (it[key] ?? 'TCP')),
              ),
          );
          if (idx >= 0) merged[idx] = mergeApplied(merged[idx], it, itemType);
          else merged.push(structuredClone(it));
        }
        out[k] = merged;
      } else if (sem.set && Array.isArray(out[k])) {
        const merged = [...(out[k] as unknown[])];
        for (const it of v)
          if (!merged.some((m) => JSON.stringify(m) === JSON.stringify(it))) merged.push(it);
        out[k] = merged;
      } else out[k] = structuredClone(v);
    } else if (isJsonObject(v)) {
      if (parsed?.shape === 'map') {
        const vt = parseType(parsed.value);
        const m: JsonObject = isJsonObject(out[k]) ? structuredClone(out[k] as JsonObject) : {};
        for (const [mk, mv] of Object.entries(v))
          m[mk] = mergeApplied(m[mk], mv, vt.shape === 'struct' ? vt.name : undefined);
        out[k] = m;
      } else out[k] = mergeApplied(out[k], v, parsed?.shape === 'struct' ? parsed.name : undefined);
    } else out[k] = v;
  }
  return out;
}

function removePath(obj: JsonObject, path: string[]): void {
  let node: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    const el = path[i]!;
    const last = i === path.length - 1 || (i === path.length - 2 && path[i + 1] === '.');
    if (el === '.') return;
    if (el.startsWith('f:')) {
      if (!isJsonObject(node)) return;
      const k = el.slice(2);
      if (last) {
        delete node[k];
        return;
      }
      node = node[k];
    } else if (el.startsWith('k:') || el.startsWith('v:')) {
      if (!Array.isArray(node)) return;
      const want = JSON.parse(el.slice(2)) as unknown;
      const idx = node.findIndex((it) =>
        el.startsWith('v:')
          ? JSON.stringify(it) === JSON.stringify(want)
          : isJsonObject(it) && isJsonObject(want) && Object.entries(want).every(([k, v]) => it[k] === v),
      );
      if (idx < 0) return;
      if (last) {
        node.splice(idx, 1);
        return;
      }
      node = node[idx];
    }
  }
}

function formatPath(key: string): string {
  const parts = key.split('\u0000').filter((p) => p !== '.');
  let out = '';
  for (const p of parts) {
    if (p.startsWith('f:')) out += `.${p.slice(2)}`;
    else if (p.startsWith('k:')) {
      const o = JSON.parse(p.slice(2)) as JsonObject;
      out += `[${Object.entries(o)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    } else if (p.startsWith('v:')) out += `[=${p.slice(2)}]`;
  }
  return out;
}

/** ApplyResult is the merged object (managedFields updated). */
export interface ApplyOptions {
  manager: string;
  force: boolean;
  typeName: string | undefined;
  apiVersion: string;
}

/** serverSideApply merges `applied` into `live` (undefined when creating) for `manager`. */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: ApplyOptions,
): KubeObject {
  const appliedLeaves = leafValues(stripForFields(applied), opts.typeName);
  const liveLeaves = live ? leafValues(stripForFields(live), opts.typeName) : new Map<string, unknown>();
  const entries: ManagedFieldsEntry[] = (live?.metadata.managedFields ?? []).map((e) => ({ ...e }));
  const conflicts = new Map<string, string[]>();
  const isMine = (e: ManagedFieldsEntry) =>
    e.manager === opts.manager && e.operation === 'Apply' && !e.subresource;
  for (const e of entries) {
    if (isMine(e) || e.subresource) continue;
    const owned = entryKeys(e);
    for (const [k, v] of appliedLeaves) {
      if (k.endsWith('\u0000.')) continue;
      if (owned.has(k) && liveLeaves.has(k) && JSON.stringify(liveLeaves.get(k)) !== JSON.stringify(v)) {
        const who = `"${e.manager}"${e.operation === 'Update' ? ` using ${e.apiVersion}` : ''}`;
        conflicts.set(who, [...(conflicts.get(who) ?? []), k]);
      }
    }
  }
  if (conflicts.size && !opts.force) throw conflictError(conflicts);
  const previous = entries.find(isMine);
  const previousKeys = previous ? entryKeys(previous) : new Set<string>();
  const result: ManagedFieldsEntry[] = [];
  const forced = new Set([...conflicts.values()].flat());
  for (const e of entries) {
    if (isMine(e)) continue;
    const keys = entryKeys(e);
    if (opts.force) for (const k of forced) keys.delete(k);
    if (keys.size) result.push({ ...e, fieldsV1: toFieldsV1(keys) });
  }
  const mineKeys = [...appliedLeaves.keys()];
  result.push({
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: opts.apiVersion,
    time: `${new Date().toISOString().slice(0, 19)}Z`,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(mineKeys),
  });
  const base = live
    ? structuredClone(live)
    : ({ apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} } as KubeObject);
  const merged = mergeApplied(
    base,
    { ...applied, metadata: { ...applied.metadata } },
    opts.typeName,
  ) as KubeObject;
  // Fields this manager applied before and no longer does, owned by nobody else, are removed.
  const ownedByOthers = new Set(result.slice(0, -1).flatMap((e) => [...entryKeys(e)]));
  // Parents first (a list item's `.` marker before its fields), skipping what a removed parent held.
  const removed = [...previousKeys]
    .filter((k) => !appliedLeaves.has(k) && !ownedByOthers.has(k))
    .map((k) => (k.endsWith('\u0000.') ? k.slice(0, -2) : k))
    .sort((a, b) => a.length - b.length);
  const done: string[] = [];
  for (const k of removed) {
    if (done.some((d) => k === d || k.startsWith(`${d}\u0000`))) continue;
    removePath(merged as unknown as JsonObject, k.split('\u0000'));
    done.push(k);
  }
  merged.metadata.managedFields = result;
  return merged;
}

function conflictError(conflicts: Map<string, string[]>): ApiError {
  const total = [...conflicts.values()].reduce((n, l) => n + l.length, 0);
  const causes = [...conflicts.entries()].flatMap(([who, keys]) =>
    keys.map((k) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${who}`,
      field: formatPath(k),
    })),
  );
  let message: string;
  if (total === 1) {
    const [who, keys] = [...conflicts.entries()][0]!;
    message = `Apply failed with 1 conflict: conflict with ${who}: ${formatPath(keys[0]!)}`;
  } else {
    const parts = [...conflicts.entries()].map(
      ([who, keys]) => `conflicts with ${who}:\n${keys.map((k) => `- ${formatPath(k)}`).join('\n')}`,
    );
    message = `Apply failed with ${total} conflicts: ${parts.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

export { pathKey };
