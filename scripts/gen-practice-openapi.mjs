// Generates src/practice/schema/openapi-v3.json: the OpenAPI v3 component schemas the practice
// cluster publishes under /openapi/v3/<group-version> so `kubectl explain` works. Source: the
// Kubernetes 1.33 OpenAPI v3 documents (upstream kubernetes/kubernetes api/openapi-spec/v3/, as
// `api__v1_openapi.json`, `apis__apps__v1_openapi.json`, … or as `api/v1.json`, `apis/apps/v1.json`:
// the same files under kubectl-validate's pkg/openapiclient/builtins/1.33/). Schemas are copied
// verbatim (descriptions, enums, x-kubernetes-* extensions); only the paths are left behind (the
// server writes its own, server/openapi.ts) and only the schemas reachable from a kind of the
// group versions below are kept (one shared pool: ObjectMeta, PodSpec, … are stored once).
//
// The checked-in upstream documents are generated without enums, but a running 1.33 API server
// publishes them (OpenAPIEnums): a `+enum` field's description ends in "Possible enum values: …"
// and its schema lists `enum`, which `kubectl explain` prints. Those come from the kubernetes-models
// devDependency (its declarations are generated from the 1.33 definitions with enums): a field whose
// declared type is a union of string literals and whose doc comment is upstream's description plus
// the enum list gets both.
// Run by hand when updating the Kubernetes version (output is committed):
//   node scripts/gen-practice-openapi.mjs <dir with the 1.33 v3 documents>
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** The group versions the practice cluster serves (src/practice/resources.ts). */
const GROUP_VERSIONS = [
  'v1',
  'apps/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'coordination.k8s.io/v1',
  'networking.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'storage.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'node.k8s.io/v1',
];
const KUBERNETES_VERSION = '1.33';

const dir = resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error(
    'usage: node scripts/gen-practice-openapi.mjs <dir with the Kubernetes 1.33 OpenAPI v3 documents>',
  );
  process.exit(2);
}

function walk(d) {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** groupVersionOf maps a document's file name to its group version, in either layout. */
function groupVersionOf(file) {
  const rel = relative(dir, file).replaceAll('\\', '/');
  let m = /^(?:.*\/)?api__v1_openapi\.json$/.exec(rel) ?? /^api\/v1\.json$/.exec(rel);
  if (m) return 'v1';
  m = /^(?:.*\/)?apis__(.+)__(v[^_]+)_openapi\.json$/.exec(rel) ?? /^apis\/(.+)\/(v[^/]+)\.json$/.exec(rel);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

const found = new Map();
for (const file of walk(dir)) {
  const gv = groupVersionOf(file);
  if (gv && GROUP_VERSIONS.includes(gv)) found.set(gv, file);
}
const missing = GROUP_VERSIONS.filter((gv) => !found.has(gv));
if (missing.length) {
  console.error(`missing documents for: ${missing.join(', ')}`);
  process.exit(1);
}

const pool = {};
for (const gv of GROUP_VERSIONS) {
  const doc = JSON.parse(readFileSync(found.get(gv), 'utf8'));
  const schemas = doc.components.schemas;
  const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
  // Roots: the kinds of this group version (lists are not explained; apimachinery's DeleteOptions,
  // Status, WatchEvent carry every group's GVK and come in only when referenced).
  const roots = Object.keys(schemas).filter(
    (name) =>
      (schemas[name]['x-kubernetes-group-version-kind'] ?? []).some(
        (g) => g.group === group && g.version === version && !g.kind.endsWith('List'),
      ) && !name.startsWith('io.k8s.apimachinery.'),
  );
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop();
    if (pool[name]) continue;
    const schema = schemas[name];
    if (!schema) throw new Error(`${gv}: dangling reference ${name}`);
    pool[name] = schema;
    for (const m of JSON.stringify(schema).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) queue.push(m[1]);
  }
}

// Enums from kubernetes-models: its declarations export each type under the schema's name in
// PascalCase (io.k8s.api.apps.v1.DeploymentStrategy → IIoK8sApiAppsV1DeploymentStrategy).
const require = createRequire(import.meta.url);
const modelsRoot = dirname(require.resolve('kubernetes-models/package.json'));
const machineryRoot = dirname(
  createRequire(join(modelsRoot, 'package.json')).resolve('@kubernetes-models/apimachinery/package.json'),
);
const declarationFiles = new Map();
for (const root of [modelsRoot, machineryRoot]) {
  for (const file of walk(root)) {
    const rel = relative(root, file);
    if (!file.endsWith('.d.ts') || rel.includes('node_modules') || rel.startsWith('_schemas')) continue;
    const m = /^export \{ I\w+ as (I\w+)/m.exec(readFileSync(file, 'utf8'));
    if (m) declarationFiles.set(m[1], file);
  }
}
const pascal = (name) =>
  `I${name
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')}`;
function stringLiterals(node) {
  if (ts.isParenthesizedTypeNode(node)) return stringLiterals(node.type);
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return [node.literal.text];
  if (ts.isUnionTypeNode(node)) {
    const parts = node.types.map(stringLiterals);
    return parts.every(Boolean) ? parts.flat() : undefined;
  }
  return undefined;
}
const sortKeys = (o) =>
  Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
let enriched = 0;
for (const [name, schema] of Object.entries(pool)) {
  const file = declarationFiles.get(pascal(name));
  if (!file || !schema.properties) continue;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const decl = source.statements.find((s) => ts.isInterfaceDeclaration(s));
  if (!decl) continue;
  for (const member of decl.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const field = member.name.text;
    const prop = schema.properties[field];
    if (prop?.type !== 'string' || prop.enum) continue;
    // apiVersion and kind are literals in the models, not enums.
    if (field === 'apiVersion' || field === 'kind') continue;
    const values = stringLiterals(member.type);
    const doc = ts
      .getJSDocCommentsAndTags(member)
      .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
      .join('');
    const at = doc.indexOf('\n\nPossible enum values:');
    if (!values || at < 0 || doc.slice(0, at) !== (prop.description ?? '')) continue;
    schema.properties[field] = sortKeys({ ...prop, description: doc, enum: values });
    enriched++;
  }
}
console.log(
  `${enriched} enum fields from kubernetes-models ${JSON.parse(readFileSync(join(modelsRoot, 'package.json'), 'utf8')).version}`,
);

// One schema per line, sorted: readable diffs when the Kubernetes version changes.
const names = Object.keys(pool).sort();
const lines = names.map((n) => `${JSON.stringify(n)}:${JSON.stringify(pool[n])}`);
const header = `{"kubernetes":${JSON.stringify(KUBERNETES_VERSION)},"schemas":{\n`;
writeFileSync('src/practice/schema/openapi-v3.json', `${header}${lines.join(',\n')}\n}}\n`);
console.log(`${names.length} schemas written (${GROUP_VERSIONS.length} group versions)`);
