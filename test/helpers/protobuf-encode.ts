// A protobuf encoder for tests: writes a JSON object as kubectl's `k8s\0` + runtime.Unknown body,
// using the same field table (schema/proto.json) the server decodes with, so each served kind
// can be round-tripped without kubectl.
import protoSchema from '../../src/practice/schema/proto.json' with { type: 'json' };

interface FieldDef {
  name: string;
  type: string;
  repeated?: boolean;
  map?: boolean;
  inline?: boolean;
}
const messages = protoSchema as unknown as Record<string, Record<string, FieldDef>>;

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

const tag = (num: number, wire: number) => varint(num * 8 + wire);
const lengthDelimited = (num: number, body: Buffer) =>
  Buffer.concat([tag(num, 2), varint(body.length), body]);

function encodeValue(num: number, type: string, value: unknown): Buffer {
  if (type === 'k8s.io.apimachinery.pkg.apis.meta.v1.Time') {
    const seconds = Math.floor(Date.parse(String(value)) / 1000);
    return lengthDelimited(num, Buffer.concat([tag(1, 0), varint(seconds)]));
  }
  if (type === 'k8s.io.apimachinery.pkg.api.resource.Quantity')
    return lengthDelimited(num, lengthDelimited(1, Buffer.from(String(value))));
  if (type === 'k8s.io.apimachinery.pkg.util.intstr.IntOrString') {
    const body =
      typeof value === 'string'
        ? Buffer.concat([tag(1, 0), varint(1), lengthDelimited(3, Buffer.from(value))])
        : Buffer.concat([tag(1, 0), varint(0), tag(2, 0), varint(Number(value))]);
    return lengthDelimited(num, body);
  }
  if (type.endsWith('.ExtraValue')) return lengthDelimited(num, encodeMessage({ items: value }, type));
  if (messages[type]) return lengthDelimited(num, encodeMessage(value as Record<string, unknown>, type));
  if (type === 'string') return lengthDelimited(num, Buffer.from(String(value)));
  if (type === 'bytes') return lengthDelimited(num, Buffer.from(String(value), 'base64'));
  if (type === 'bool') return Buffer.concat([tag(num, 0), varint(value ? 1 : 0)]);
  return Buffer.concat([tag(num, 0), varint(Number(value))]);
}

/** encodeMessage encodes a JSON object as the named message. */
export function encodeMessage(obj: Record<string, unknown>, type: string): Buffer {
  const fields = messages[type];
  if (!fields) throw new Error(`no message ${type}`);
  const parts: Buffer[] = [];
  for (const [num, def] of Object.entries(fields)) {
    if (def.inline) {
      // An embedded Go struct: its JSON fields sit in the parent.
      const names = new Set(Object.values(messages[def.type] ?? {}).map((f) => f.name));
      const sub = Object.fromEntries(Object.entries(obj).filter(([k]) => names.has(k)));
      if (Object.keys(sub).length) parts.push(encodeValue(Number(num), def.type, sub));
      continue;
    }
    const value = obj[def.name];
    if (value === undefined) continue;
    const n = Number(num);
    if (def.map) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        parts.push(
          lengthDelimited(
            n,
            Buffer.concat([lengthDelimited(1, Buffer.from(k)), encodeValue(2, def.type, v)]),
          ),
        );
    } else if (def.repeated) for (const v of value as unknown[]) parts.push(encodeValue(n, def.type, v));
    else parts.push(encodeValue(n, def.type, value));
  }
  return Buffer.concat(parts);
}

/** encodeProtobufObject wraps an object as kubectl sends it: magic, runtime.Unknown{typeMeta, raw}. */
export function encodeProtobufObject(obj: Record<string, unknown>, messageType: string): Buffer {
  const typeMeta = Buffer.concat([
    lengthDelimited(1, Buffer.from(String(obj.apiVersion))),
    lengthDelimited(2, Buffer.from(String(obj.kind))),
  ]);
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const unknown = Buffer.concat([
    lengthDelimited(1, typeMeta),
    lengthDelimited(2, encodeMessage(rest, messageType)),
  ]);
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
}
