// The three PATCH flavours besides apply: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and
// strategic merge patch with its directives ($patch, $retainKeys, $setElementOrder/…,
// $deleteFromPrimitiveList/…) and per-list merge keys from the schema.
import { ApiError, badRequest } from '../api-error.js';
import { listSemantics, parseType, typeFields } from '../schema/index.js';
import { isJsonObject, type JsonObject } from '../types.js';

/** mergePatch applies an RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const out: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function patchError(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function decodePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw patchError(`invalid JSON pointer: ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(
  doc: unknown,
  parts: string[],
  path: string,
): { parent: JsonObject | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isJsonObject(cur)) cur = cur[p];
    else cur = undefined;
    if (cur === undefined) throw patchError(`doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(cur) && !isJsonObject(cur))
    throw patchError(`doc is missing path: "${path}": missing value`);
  return { parent: cur, key: parts[parts.length - 1] ?? '' };
}

function getAt(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const p of decodePointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isJsonObject(cur) ? cur[p] : undefined;
    if (cur === undefined) throw patchError(`doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function arrayIndex(list: unknown[], key: string, forAdd: boolean, path: string): number {
  if (forAdd && key === '-') return list.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > list.length || (!forAdd && i >= list.length)) {
    throw patchError(`Unable to access invalid index: ${key}: invalid index referenced: ${path}`);
  }
  return i;
}

/** jsonPatch applies an RFC 6902 JSON patch to a copy of `doc`. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root = structuredClone(doc);
  const add = (path: string, value: unknown) => {
    const parts = decodePointer(path);
    if (parts.length === 0) {
      root = value;
      return;
    }
    const { parent, key } = parentOf(root, parts, path);
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, path), 0, value);
    else parent[key] = value;
  };
  const remove = (path: string) => {
    const { parent, key } = parentOf(root, decodePointer(path), path);
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, path), 1);
    else {
      if (!(key in parent)) throw patchError(`Unable to remove nonexistent key: ${key}: missing value`);
      delete parent[key];
    }
  };
  for (const raw of ops) {
    if (!isJsonObject(raw)) throw badRequest('invalid JSON patch operation');
    const op = raw.op;
    const path = String(raw.path ?? '');
    switch (op) {
      case 'add':
        add(path, structuredClone(raw.value));
        break;
      case 'remove':
        remove(path);
        break;
      case 'replace':
        getAt(root, path);
        remove(path);
        add(path, structuredClone(raw.value));
        break;
      case 'move': {
        const v = getAt(root, String(raw.from));
        remove(String(raw.from));
        add(path, v);
        break;
      }
      case 'copy':
        add(path, structuredClone(getAt(root, String(raw.from))));
        break;
      case 'test':
        if (JSON.stringify(getAt(root, path)) !== JSON.stringify(raw.value)) {
          throw patchError(`testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw patchError(`Unexpected kind: ${String(op)}`);
    }
  }
  return root;
}

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** strategicMergePatch applies a strategic merge patch to `original` of schema type `typeName`. */
export function strategicMergePatch(original: unknown, patch: unknown, typeName: string): unknown {
  if (!isJsonObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeStruct(isJsonObject(original) ? original : {}, patch, typeName);
}

function fieldType(typeName: string | undefined, key: string): string | undefined {
  return typeName ? typeFields(typeName)?.[key] : undefined;
}

function mergeStruct(
  original: JsonObject,
  patch: JsonObject,
  typeName: string | undefined,
): JsonObject | undefined {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: JsonObject = structuredClone(original);
  const retain = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const drop = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
      if (Array.isArray(out[field]))
        out[field] = (out[field] as unknown[]).filter((v) => !drop.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const t = fieldType(typeName, key);
    const parsed = t ? parseType(t) : undefined;
    if (Array.isArray(value)) {
      const sem = typeName ? listSemantics(typeName, key) : {};
      const order = patch[`${SET_ORDER}${key}`];
      const item = parsed?.shape === 'list' ? parsed.item : undefined;
      out[key] = mergeList(
        Array.isArray(out[key]) ? (out[key] as unknown[]) : [],
        value,
        sem.mergeKey,
        sem.set,
        item,
        order,
      );
    } else if (isJsonObject(value)) {
      const sub = parsed?.shape === 'struct' ? parsed.name : undefined;
      const merged = isJsonObject(out[key])
        ? parsed?.shape === 'map'
          ? mergeMapValues(out[key] as JsonObject, value, parsed.value)
          : mergeStruct(out[key] as JsonObject, value, sub)
        : mergeStruct({}, value, sub);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const field = key.slice(SET_ORDER.length);
    if (!(field in patch) && Array.isArray(out[field])) {
      const sem = typeName ? listSemantics(typeName, field) : {};
      out[field] = orderList(out[field] as unknown[], patch[key], sem.mergeKey);
    }
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

function mergeMapValues(original: JsonObject, patch: JsonObject, valueType: string): JsonObject {
  const parsed = parseType(valueType);
  const out = structuredClone(original);
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (v === null) delete out[k];
    else if (isJsonObject(v) && isJsonObject(out[k]) && parsed.shape === 'struct') {
      const m = mergeStruct(out[k] as JsonObject, v, parsed.name);
      if (m === undefined) delete out[k];
      else out[k] = m;
    } else out[k] = v;
  }
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return rest;
  }
  return out;
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  mergeKey: string | undefined,
  isSet: boolean | undefined,
  itemType: string | undefined,
  order: unknown,
): unknown[] {
  if (patch.some((p) => isJsonObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isJsonObject(p) && p.$patch === 'replace'));
  }
  if (!mergeKey) {
    if (!isSet) return structuredClone(patch);
    const out = [...original];
    for (const v of patch) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(v);
    return orderList(out, order, undefined);
  }
  const struct = itemType && parseType(itemType).shape === 'struct' ? itemType : undefined;
  const out: unknown[] = structuredClone(original);
  for (const p of patch) {
    if (!isJsonObject(p)) continue;
    const idx = out.findIndex((o) => isJsonObject(o) && o[mergeKey] === p[mergeKey]);
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeStruct(out[idx] as JsonObject, p, struct);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else out.push(mergeStruct({}, p, struct));
  }
  return orderList(out, order, mergeKey);
}

function orderList(list: unknown[], order: unknown, mergeKey: string | undefined): unknown[] {
  if (!Array.isArray(order)) return list;
  const keyOf = (v: unknown) => JSON.stringify(mergeKey && isJsonObject(v) ? v[mergeKey] : v);
  const rank = new Map(order.map((v, i) => [keyOf(v), i]));
  const inOrder = list
    .filter((v) => rank.has(keyOf(v)))
    .sort((a, b) => rank.get(keyOf(a))! - rank.get(keyOf(b))!);
  const rest = list.filter((v) => !rank.has(keyOf(v)));
  return [...inOrder, ...rest];
}
