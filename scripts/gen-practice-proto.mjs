// Generates src/practice/schema/proto.json: protobuf field numbers of the messages kubectl ≥ 1.32
// sends as request bodies (create namespace/configmap/secret/deployment/service, expose,
// autoscale), read from the upstream generated.proto files. Run by hand:
//   node scripts/gen-practice-proto.mjs <kubernetes/api checkout> <kubernetes/apimachinery checkout>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [apiDir, machineryDir] = process.argv.slice(2);
const files = [
  join(apiDir, 'core/v1/generated.proto'),
  join(apiDir, 'apps/v1/generated.proto'),
  join(apiDir, 'autoscaling/v1/generated.proto'),
  join(apiDir, 'autoscaling/v2/generated.proto'),
  join(machineryDir, 'pkg/apis/meta/v1/generated.proto'),
  join(machineryDir, 'pkg/util/intstr/generated.proto'),
  join(machineryDir, 'pkg/api/resource/generated.proto'),
  join(machineryDir, 'pkg/runtime/generated.proto'),
];
const roots = [
  'k8s.io.api.core.v1.Namespace',
  'k8s.io.api.core.v1.ConfigMap',
  'k8s.io.api.core.v1.Secret',
  'k8s.io.api.core.v1.Service',
  'k8s.io.api.core.v1.Pod',
  'k8s.io.api.core.v1.ServiceAccount',
  'k8s.io.api.apps.v1.Deployment',
  'k8s.io.api.autoscaling.v1.HorizontalPodAutoscaler',
  'k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler',
  'k8s.io.apimachinery.pkg.runtime.Unknown',
];

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
