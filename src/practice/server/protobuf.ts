// Decodes the protobuf request bodies kubectl ≥ 1.32 sends for its generators (`create
// namespace|configmap|role|rolebinding|job|token|…`, `expose`, `autoscale`, `run`, evictions,
// access reviews): the magic `k8s\0`, then a runtime.Unknown {typeMeta, raw}, raw being the
// object's own message. Field numbers come from the upstream generated.proto files
// (schema/proto.json, made by scripts/gen-practice-proto.mjs for every kind of the groups below).

import { badRequest } from '../api-error.js';
import protoSchema from '../schema/proto.json' with { type: 'json' };
import type { JsonObject } from '../types.js';

interface FieldDef {
  name: string;
  type: string;
  repeated?: boolean;
  map?: boolean;
  /** An embedded Go struct: its fields belong to the parent in JSON. */
  inline?: boolean;
}

const messages = protoSchema as unknown as Record<string, Record<string, FieldDef>>;
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const TIME = 'k8s.io.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime';
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
// Pointer fields whose explicit zero means something (gogo emits non-pointer zero values always).
const KEEP_ZERO = new Set(['replicas', 'minReplicas']);
// Pointer structs whose empty value means something (`emptyDir: {}`).
const KEEP_EMPTY = new Set(['emptyDir', 'tcpSocket']);

/** isProtobuf tells whether a body starts with the Kubernetes protobuf magic. */
export function isProtobuf(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(MAGIC);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw badRequest('protobuf: unexpected end of data in varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw badRequest('protobuf: varint too long');
  }
  bytes(): Buffer {
    const len = this.varint();
    if (len > this.buf.length - this.pos) throw badRequest('protobuf: length out of range');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw badRequest(`protobuf: unsupported wire type ${wireType}`);
    if (this.pos > this.buf.length) throw badRequest('protobuf: unexpected end of data');
  }
}

function toInt32(n: number): number {
  return n > 0x7fffffff ? n - 0x100000000 : n;
}

function decodeScalar(type: string, wireType: number, r: Reader): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'bool':
      return r.varint() !== 0;
    case 'int32':
      return toInt32(r.varint() % 0x100000000);
    case 'int64':
    case 'uint32':
    case 'uint64':
      return r.varint();
    case 'double': {
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    default:
      r.skip(wireType);
      return undefined;
  }
}

function special(type: string, msg: JsonObject): unknown {
  if (type === TIME || type === MICRO_TIME) {
    const seconds = Number(msg.seconds ?? 0);
    if (!seconds) return undefined;
    return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
  }
  if (type === QUANTITY) return msg.string;
  // map<string, ExtraValue> (user extra info) is map[string][]string in JSON.
  if (type.endsWith('.ExtraValue')) return listAt(msg, 'items');
  if (type === INT_OR_STRING) return Number(msg.type ?? 0) === 1 ? (msg.strVal ?? '') : (msg.intVal ?? 0);
  return msg;
}

function isEmpty(v: unknown, name: string): boolean {
  if (v === undefined || v === '' || v === false) return true;
  if (v === 0) return !KEEP_ZERO.has(name);
  if (typeof v === 'object' && v !== null && !Array.isArray(v))
    return Object.keys(v).length === 0 && !KEEP_EMPTY.has(name);
  return false;
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function listAt(o: JsonObject, key: string): unknown[] {
  const v = o[key];
  return Array.isArray(v) ? v : [];
}

/** decodeMessage decodes one message of the named type into its JSON form. */
export function decodeMessage(buf: Buffer, type: string, depth = 0): JsonObject {
  if (depth > 64) throw badRequest('protobuf: nesting too deep');
  const fields = messages[type];
  const out: JsonObject = {};
  const r = new Reader(buf);
  while (!r.done) {
    const tag = r.varint();
    const num = Math.floor(tag / 8);
    const wireType = tag & 7;
    const def = fields?.[String(num)];
    if (!def) {
      r.skip(wireType);
      continue;
    }
    if (def.map) {
      if (wireType !== 2) throw badRequest('protobuf: bad map entry');
      const entry = new Reader(r.bytes());
      let key = '';
      let value: unknown;
      while (!entry.done) {
        const t = entry.varint();
        const n = Math.floor(t / 8);
        if (n === 1) key = entry.bytes().toString('utf8');
        else if (n === 2) value = readValue(def.type, t & 7, entry, depth);
        else entry.skip(t & 7);
      }
      const map = (isObject(out[def.name]) ? out[def.name] : {}) as JsonObject;
      out[def.name] = map;
      map[key] = value ?? '';
      continue;
    }
    if (def.repeated && wireType === 2 && /^(int32|int64|bool|double)$/.test(def.type)) {
      const packed = new Reader(r.bytes());
      const list: unknown[] = [];
      while (!packed.done) list.push(decodeScalar(def.type, 0, packed));
      out[def.name] = [...listAt(out, def.name), ...list];
      continue;
    }
    const value = readValue(def.type, wireType, r, depth);
    if (def.inline && isObject(value)) {
      Object.assign(out, value);
      continue;
    }
    if (def.repeated) out[def.name] = [...listAt(out, def.name), value ?? {}];
    else if (!isEmpty(value, def.name)) out[def.name] = value;
  }
  return out;
}

function readValue(type: string, wireType: number, r: Reader, depth: number): unknown {
  if (messages[type]) {
    if (wireType !== 2) throw badRequest(`protobuf: wire type ${wireType} for message ${type}`);
    return special(type, decodeMessage(r.bytes(), type, depth + 1));
  }
  return decodeScalar(type, wireType, r);
}

/** PROTO_PACKAGES maps an API group to its protobuf package under `k8s.io.api.`: the one table. */
// biome-ignore format: a lookup table
export const PROTO_PACKAGES: Record<string, string> = {
  '': 'core', apps: 'apps', autoscaling: 'autoscaling', batch: 'batch', policy: 'policy',
  'rbac.authorization.k8s.io': 'rbac', 'authorization.k8s.io': 'authorization',
  'authentication.k8s.io': 'authentication', 'networking.k8s.io': 'networking',
  'storage.k8s.io': 'storage', 'coordination.k8s.io': 'coordination', 'discovery.k8s.io': 'discovery',
  'events.k8s.io': 'events', 'scheduling.k8s.io': 'scheduling', 'certificates.k8s.io': 'certificates',
  'node.k8s.io': 'node',
};

/** protoMessageType names the message of a kind (`k8s.io.api.rbac.v1.Role`), if one is known. */
export function protoMessageType(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = PROTO_PACKAGES[group ?? ''];
  const type = pkg && `k8s.io.api.${pkg}.${version}.${kind}`;
  return type && messages[type] ? type : undefined;
}

/** decodeProtobufObject decodes a `k8s\0` + runtime.Unknown body into a JSON object. */
export function decodeProtobufObject(body: Buffer): JsonObject {
  if (!isProtobuf(body)) throw badRequest('protobuf: missing the k8s magic prefix');
  const unknown = decodeMessage(body.subarray(4), 'k8s.io.apimachinery.pkg.runtime.Unknown');
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? '';
  const kind = typeMeta.kind ?? '';
  const type = protoMessageType(apiVersion, kind);
  if (!type) {
    throw badRequest(`protobuf: no decoder for ${apiVersion}, Kind=${kind}; send JSON instead`);
  }
  const raw = Buffer.from(String(unknown.raw ?? ''), 'base64');
  return { apiVersion, kind, ...decodeMessage(raw, type) };
}
