// Generates src/check/schemas/k8s.json, the compact strict schemas `k8s-learn check` validates
// against, for the Kubernetes the course targets (1.33). Source: the `kubernetes-models` devDependency
// pinned to 4.5.1, whose TypeScript declarations are generated from the Kubernetes v1.33.0 OpenAPI
// definitions with their enums (required fields are non-optional, enums are string-literal unions,
// Quantity and IntOrString are `number | string`, descriptions are the API's field docs). Upstream
// defaulting is applied before required fields are listed: a field the API server fills in
// (SetDefaults_*, or a description saying "Defaults to …") is not required of the learner.
// Only the types reachable from the kinds we cover are kept, so the runtime ships ~45 KB, not the
// package. kind's `Cluster` config has no npm source: it is written by hand below from kind's
// pkg/apis/config/v1alpha4 types. Run: `npm run gen:schemas` (output is committed); with `--check` it
// only compares, and a test runs that, so the committed file cannot drift from the generator.
//
// Type references in the output: s string, n number, b boolean, q quantity (string or number),
// is int-or-string, any (free-form), e:A|B (string enum), [X array of X, {X map of X, or a type name.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const modelsRoot = dirname(require.resolve('kubernetes-models/package.json'));
const machineryRoot = dirname(
  createRequire(join(modelsRoot, 'package.json')).resolve('@kubernetes-models/apimachinery/package.json'),
);
const version = JSON.parse(readFileSync(join(modelsRoot, 'package.json'), 'utf8')).version;
/** The Kubernetes version kubernetes-models@4.5.x is generated from (its changelog: "schema version to v1.33.0"). */
const kubernetesVersion = '1.33';

/** The kinds checked strictly: apiVersion/kind → type name. */
const covered = [
  ['v1', 'Namespace', 'core.v1.Namespace'],
  ['v1', 'ConfigMap', 'core.v1.ConfigMap'],
  ['v1', 'Secret', 'core.v1.Secret'],
  ['v1', 'ServiceAccount', 'core.v1.ServiceAccount'],
  ['v1', 'Pod', 'core.v1.Pod'],
  ['v1', 'Service', 'core.v1.Service'],
  ['v1', 'PersistentVolumeClaim', 'core.v1.PersistentVolumeClaim'],
  ['apps/v1', 'Deployment', 'apps.v1.Deployment'],
  ['apps/v1', 'ReplicaSet', 'apps.v1.ReplicaSet'],
  ['apps/v1', 'StatefulSet', 'apps.v1.StatefulSet'],
  ['apps/v1', 'DaemonSet', 'apps.v1.DaemonSet'],
  ['batch/v1', 'Job', 'batch.v1.Job'],
  ['batch/v1', 'CronJob', 'batch.v1.CronJob'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'autoscaling.v2.HorizontalPodAutoscaler'],
  ['rbac.authorization.k8s.io/v1', 'Role', 'rbac.v1.Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rbac.v1.RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'rbac.v1.ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'rbac.v1.ClusterRoleBinding'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networking.v1.NetworkPolicy'],
  ['networking.k8s.io/v1', 'Ingress', 'networking.v1.Ingress'],
  ['policy/v1', 'PodDisruptionBudget', 'policy.v1.PodDisruptionBudget'],
];

/** Enumerations the API server enforces ("Unsupported value") but the declarations type as string. */
const enums = {
  'core.v1.ServiceSpec.type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  'core.v1.ServiceSpec.externalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'core.v1.ServicePort.protocol': ['TCP', 'UDP', 'SCTP'],
  'core.v1.ContainerPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'core.v1.Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.v1.PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'core.v1.PodSpec.dnsPolicy': ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
  'apps.v1.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'networking.v1.HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'autoscaling.v2.MetricTarget.type': ['Utilization', 'Value', 'AverageValue'],
  'autoscaling.v2.MetricSpec.type': ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'],
};

/** Fields the API server requires in effect (it reports their children as `Required value`). */
const alsoRequired = {
  'apps.v1.Deployment': ['spec'],
  'apps.v1.ReplicaSet': ['spec'],
  'apps.v1.StatefulSet': ['spec'],
  'apps.v1.DaemonSet': ['spec'],
  'batch.v1.Job': ['spec'],
  'batch.v1.CronJob': ['spec'],
  'core.v1.Pod': ['spec'],
  'autoscaling.v2.HorizontalPodAutoscaler': ['spec'],
  'policy.v1.PodDisruptionBudget': ['spec'],
};

/**
 * Required fields upstream defaults before validating (SetDefaults_* in k8s.io/kubernetes
 * pkg/apis/<group>/v1/defaults.go). Most also say "Defaults to …" in their description, which the
 * generator honours on its own; listed here are the ones the course's learners meet, so the source
 * is explicit (SetDefaults_Job sets an onPodConditions pattern's empty status to True).
 */
const defaulted = {
  'batch.v1.PodFailurePolicyOnPodConditionsPattern': ['status'],
};

/**
 * API versions kubernetes-models still carries for old clusters but Kubernetes 1.33 no longer serves
 * (the Kubernetes deprecated API migration guide): a Deployment under apps/v1beta1 is "no matches
 * for kind", so these must not count as places where a kind lives.
 */
const removedVersions = new Set([
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1beta1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
  'rbac.authorization.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1alpha1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1',
  'apiregistration.k8s.io/v1beta1',
  'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'authorization.k8s.io/v1beta1',
]);
/** Group versions still served in 1.33 for newer kinds, but no longer for these. */
const removedKinds = {
  'networking.k8s.io/v1beta1': ['Ingress', 'IngressClass'],
  'storage.k8s.io/v1beta1': [
    'CSIDriver',
    'CSINode',
    'CSIStorageCapacity',
    'StorageClass',
    'VolumeAttachment',
  ],
  'storage.k8s.io/v1alpha1': ['CSIStorageCapacity', 'VolumeAttachment'],
  'admissionregistration.k8s.io/v1beta1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'certificates.k8s.io/v1beta1': ['CertificateSigningRequest'],
  'coordination.k8s.io/v1beta1': ['Lease'],
  'authentication.k8s.io/v1beta1': ['TokenReview'],
};

/** typeNameOf names a declaration file: apps/v1/Deployment → apps.v1.Deployment, v1/Pod → core.v1.Pod. */
function typeNameOf(file) {
  const inMachinery = file.startsWith(machineryRoot);
  const parts = relative(inMachinery ? machineryRoot : modelsRoot, file)
    .replace(/\.d\.ts$/, '')
    .split('/');
  const name = parts.pop();
  if (inMachinery) {
    // apis/meta/v1/ObjectMeta → meta.v1.ObjectMeta; api/resource/Quantity → api.resource.Quantity
    const rest = parts[0] === 'apis' ? parts.slice(1) : parts;
    return [...rest, name].join('.');
  }
  if (parts.length === 1) return `core.${parts[0]}.${name}`;
  return `${parts[0].split('.')[0]}.${parts[1]}.${name}`;
}

function allDeclarationFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '_schemas') out.push(...allDeclarationFiles(full));
    } else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') out.push(full);
  }
  return out;
}

/** Raw declarations: type name → { node, imports (local name → type name), doc (field → description) }. */
const declarations = new Map();
/** Every kind and the apiVersions that declare it, for "Deployment lives in apps/v1". */
const knownKinds = {};

function moduleFile(from, specifier) {
  if (specifier.startsWith('@kubernetes-models/apimachinery/'))
    return `${join(machineryRoot, specifier.slice('@kubernetes-models/apimachinery/'.length))}.d.ts`;
  return `${resolve(dirname(from), specifier)}.d.ts`;
}

/** Declaration files by type name; parsed with the TypeScript compiler only when a type is reached. */
const files = new Map();
for (const file of [...allDeclarationFiles(modelsRoot), ...allDeclarationFiles(machineryRoot)]) {
  files.set(typeNameOf(file), file);
  // Kinds are found with a pattern, not a parse: thousands of files, most never reached.
  const text = readFileSync(file, 'utf8');
  const apiVersion = /^\s*"apiVersion": "([^"]+)";$/m.exec(text);
  const kind = /^\s*"kind": "([^"]+)";$/m.exec(text);
  if (apiVersion && kind) recordKind(apiVersion[1], kind[1]);
}

function declaration(name) {
  if (declarations.has(name)) return declarations.get(name);
  const file = files.get(name);
  if (!file) return undefined;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports = new Map();
  for (const stmt of source.statements) {
    if (!ts.isImportDeclaration(stmt) || !stmt.importClause?.namedBindings) continue;
    const specifier = stmt.moduleSpecifier.text;
    if (!specifier.startsWith('.') && !specifier.startsWith('@kubernetes-models/apimachinery/')) continue;
    for (const el of stmt.importClause.namedBindings.elements)
      imports.set(el.name.text, typeNameOf(moduleFile(file, specifier)));
  }
  const base = name.slice(name.lastIndexOf('.') + 1);
  const node = source.statements.find(
    (stmt) =>
      (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt)) && stmt.name.text === `I${base}`,
  );
  const decl = node ? { node, imports } : undefined;
  declarations.set(name, decl);
  return decl;
}

function recordKind(apiVersion, kind) {
  if (kind.endsWith('List')) return;
  if (removedVersions.has(apiVersion) || removedKinds[apiVersion]?.includes(kind)) return;
  knownKinds[kind] ??= [];
  if (!knownKinds[kind].includes(apiVersion)) knownKinds[kind].push(apiVersion);
}

const types = {};
const queue = covered.map(([, , name]) => name);
/** Required fields dropped because upstream defaults them, for the report below. */
const defaultedFound = [];

function resolveName(name, ctx) {
  const qualified = ctx.imports.get(name);
  if (!qualified) return 'any';
  if (qualified === 'api.resource.Quantity') return 'q';
  if (qualified === 'util.intstr.IntOrString') return 'is';
  const decl = declaration(qualified);
  if (!decl) throw new Error(`unresolved type ${qualified}`);
  if (ts.isTypeAliasDeclaration(decl.node)) return refOf(decl.node.type, decl);
  if (decl.node.members.length === 0) return 'any'; // RawExtension, FieldsV1, JSON: free-form
  queue.push(qualified);
  return qualified;
}

function refOf(node, ctx) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return 's';
    case ts.SyntaxKind.NumberKeyword:
      return 'n';
    case ts.SyntaxKind.BooleanKeyword:
      return 'b';
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return 'any';
    case ts.SyntaxKind.LiteralType:
      return ts.isStringLiteral(node.literal) ? `e:${node.literal.text}` : 'any';
    case ts.SyntaxKind.ArrayType:
      return `[${refOf(node.elementType, ctx)}`;
    case ts.SyntaxKind.ParenthesizedType:
      return refOf(node.type, ctx);
    case ts.SyntaxKind.UnionType: {
      const parts = node.types.map((t) => refOf(t, ctx));
      if (parts.every((p) => p.startsWith('e:'))) return `e:${parts.map((p) => p.slice(2)).join('|')}`;
      const sorted = [...new Set(parts)].sort();
      if (sorted.join('|') === 'n|s') return 'is';
      return 'any';
    }
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find((m) => ts.isIndexSignatureDeclaration(m));
      return index ? `{${refOf(index.type, ctx)}` : 'any';
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array') return `[${refOf(node.typeArguments[0], ctx)}`;
      return resolveName(name, ctx);
    }
    default:
      return 'any';
  }
}

/** description is a property's doc comment (the API's field description). */
function description(member) {
  return ts
    .getJSDocCommentsAndTags(member)
    .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
    .join(' ');
}

while (queue.length > 0) {
  const name = queue.shift();
  if (types[name]) continue;
  const decl = declaration(name);
  const fields = {};
  const required = [];
  types[name] = { f: fields };
  for (const m of decl.node.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const field = m.name.text;
    const enumValues = enums[`${name}.${field}`];
    // An object's own apiVersion and kind (literal types) are checked by the kind rule, which also
    // fixes up a wrong apiVersion; references such as roleRef.kind stay ordinary required fields.
    const typeMeta = (field === 'apiVersion' || field === 'kind') && ts.isLiteralTypeNode(m.type);
    fields[field] = typeMeta ? 's' : enumValues ? `e:${enumValues.join('|')}` : refOf(m.type, decl);
    if (m.questionToken || typeMeta) continue;
    if (/\bDefaults? to\b/i.test(description(m)) || defaulted[name]?.includes(field)) {
      defaultedFound.push(`${name}.${field}`);
      continue;
    }
    required.push(field);
  }
  required.push(...(alsoRequired[name] ?? []));
  if (required.length > 0) types[name].r = required;
}

// kind's Cluster config (kind.x-k8s.io/v1alpha4), from kind's pkg/apis/config/v1alpha4/types.go.
Object.assign(types, {
  'kind.v1alpha4.Cluster': {
    f: {
      apiVersion: 's',
      kind: 's',
      name: 's',
      nodes: '[kind.v1alpha4.Node',
      networking: 'kind.v1alpha4.Networking',
      featureGates: '{b',
      runtimeConfig: '{s',
      kubeadmConfigPatches: '[s',
      kubeadmConfigPatchesJSON6902: '[kind.v1alpha4.PatchJSON6902',
      containerdConfigPatches: '[s',
      containerdConfigPatchesJSON6902: '[s',
    },
  },
  'kind.v1alpha4.Node': {
    f: {
      role: 'e:control-plane|worker',
      image: 's',
      labels: '{s',
      extraMounts: '[kind.v1alpha4.Mount',
      extraPortMappings: '[kind.v1alpha4.PortMapping',
      gpus: 's',
      kubeadmConfigPatches: '[s',
      kubeadmConfigPatchesJSON6902: '[kind.v1alpha4.PatchJSON6902',
    },
  },
  'kind.v1alpha4.Networking': {
    f: {
      ipFamily: 'e:ipv4|ipv6|dual',
      apiServerPort: 'n',
      apiServerAddress: 's',
      podSubnet: 's',
      serviceSubnet: 's',
      disableDefaultCNI: 'b',
      kubeProxyMode: 'e:iptables|ipvs|nftables|none',
      dnsSearch: '[s',
    },
  },
  'kind.v1alpha4.Mount': {
    f: {
      containerPath: 's',
      hostPath: 's',
      readOnly: 'b',
      selinuxRelabel: 'b',
      propagation: 'e:None|HostToContainer|Bidirectional',
    },
  },
  'kind.v1alpha4.PortMapping': {
    f: { containerPort: 'n', hostPort: 'n', listenAddress: 's', protocol: 'e:TCP|UDP|SCTP' },
  },
  'kind.v1alpha4.PatchJSON6902': {
    f: { group: 's', version: 's', kind: 's', patch: 's' },
    r: ['group', 'version', 'kind', 'patch'],
  },
});
knownKinds.Cluster = ['kind.x-k8s.io/v1alpha4'];

const kinds = Object.fromEntries(covered.map(([apiVersion, kind, name]) => [`${apiVersion}/${kind}`, name]));
kinds['kind.x-k8s.io/v1alpha4/Cluster'] = 'kind.v1alpha4.Cluster';

const out = {
  source: `kubernetes-models@${version} (Kubernetes OpenAPI ${kubernetesVersion}, upstream defaulting applied) + kind v1alpha4`,
  defaulted: defaultedFound.sort(),
  kinds,
  known: Object.fromEntries(Object.entries(knownKinds).sort(([a], [b]) => a.localeCompare(b))),
  types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
};
const target = new URL('../src/check/schemas/k8s.json', import.meta.url);
const text = `${JSON.stringify(out)}\n`;
if (process.argv.includes('--check')) {
  // CI: the committed file must be what the generator produces from the installed package.
  if (readFileSync(target, 'utf8') !== text) {
    console.error(`${target.pathname} is out of date: run npm run gen:schemas and commit it`);
    process.exit(1);
  }
  console.log(`${target.pathname} is up to date (${Object.keys(out.types).length} types)`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target.pathname}: ${Object.keys(out.types).length} types, ${text.length} bytes`);
}
