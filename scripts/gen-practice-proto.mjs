// Generates src/practice/schema/proto.json: protobuf field numbers of every kind (a message with
// an ObjectMeta `metadata`) in the API groups kubectl may send as protobuf request bodies (its
// generators: create role|job|token|…, expose, autoscale, run, drain's evictions, auth can-i),
// read from the upstream generated.proto files at the served Kubernetes version. Run by hand:
//   node scripts/gen-practice-proto.mjs <kubernetes/api checkout at v0.33.x> <kubernetes/apimachinery checkout>
// The group → package table the decoder uses is PROTO_PACKAGES in src/practice/server/protobuf.ts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [apiDir, machineryDir] = process.argv.slice(2);
// biome-ignore format: one package per line
const apiPackages = [
  'core/v1', 'apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'rbac/v1', 'networking/v1',
  'policy/v1', 'storage/v1', 'authorization/v1', 'authentication/v1', 'coordination/v1', 'discovery/v1',
  'events/v1', 'scheduling/v1', 'certificates/v1', 'node/v1',
];
const files = [
  ...apiPackages.map((p) => join(apiDir, p, 'generated.proto')).filter((f) => existsSync(f)),
  join(machineryDir, 'pkg/apis/meta/v1/generated.proto'),
  join(machineryDir, 'pkg/util/intstr/generated.proto'),
  join(machineryDir, 'pkg/api/resource/generated.proto'),
  join(machineryDir, 'pkg/runtime/generated.proto'),
];
const OBJECT_META = 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const roots = ['k8s.io.apimachinery.pkg.runtime.Unknown'];

const messages = {};
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const pkg = /^package ([\w.]+);/m.exec(text)[1];
  const re = /^message (\w+) \{([\s\S]*?)^\}/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const fields = {};
    for (const line of m[2].split('\n')) {
      const f = /^\s+(optional|repeated)?\s*(map<\s*string,\s*([\w.]+)>|[\w.]+)\s+(\w+)\s*=\s*(\d+);/.exec(
        line,
      );
      if (!f) continue;
      const qualify = (t) =>
        /^(string|bytes|bool|int32|int64|double|float|uint32|uint64)$/.test(t)
          ? t
          : t.includes('.')
            ? t.replace(/^\./, '')
            : `${pkg}.${t}`;
      const entry = f[3]
        ? { name: f[4], type: qualify(f[3]), map: true }
        : { name: f[4], type: qualify(f[2]) };
      if (f[1] === 'repeated') entry.repeated = true;
      fields[f[5]] = entry;
    }
    messages[`${pkg}.${m[1]}`] = fields;
    if (pkg.startsWith('k8s.io.api.') && fields['1']?.name === 'metadata' && fields['1'].type === OBJECT_META)
      roots.push(`${pkg}.${m[1]}`);
  }
}
// Embedded Go structs (`json:",inline"`) are one field in protobuf but flattened in JSON
// (Volume.volumeSource, IngressRule.ingressRuleValue, Probe.handler, …): mark them.
for (const file of files.filter((f) => f.startsWith(join(apiDir, '/')))) {
  const typesFile = file.replace(/generated\.proto$/, 'types.go');
  if (!existsSync(typesFile)) continue;
  const pkg = /^package ([\w.]+);/m.exec(readFileSync(file, 'utf8'))[1];
  let struct = '';
  for (const line of readFileSync(typesFile, 'utf8').split('\n')) {
    const t = /^type (\w+) struct \{/.exec(line);
    if (t) struct = t[1];
    const f = /^\s+[\w.]+\s+`json:",inline" protobuf:"bytes,(\d+),/.exec(line);
    const fields = f && messages[`${pkg}.${struct}`];
    if (fields?.[f[1]]) fields[f[1]].inline = true;
  }
}
const out = {};
const queue = [...roots];
while (queue.length) {
  const name = queue.shift();
  if (out[name] || !messages[name]) continue;
  out[name] = messages[name];
  for (const f of Object.values(messages[name])) if (messages[f.type] && !out[f.type]) queue.push(f.type);
}
writeFileSync('src/practice/schema/proto.json', `${JSON.stringify(out)}\n`);
console.log(`${Object.keys(out).length} messages written`);
