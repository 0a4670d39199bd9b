// --from-course: seeds the answers from the learner's course workspace, so the project continues
// what they built: the namespace, the app (the Deployment a Service selects that they touched
// last), its replicas and port, the data of the ConfigMaps it reads (and the variables it reads from
// them), its HorizontalPodAutoscaler and PodDisruptionBudget, its ServiceAccount's token setting,
// the Role bound to that account, its securityContext, and the kind cluster.
//
// Every file is read with the yaml library; a file that does not parse is left out as a whole and a
// field that is odd is left out alone, each said in one line: init's default stands in for it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { statePath } from '../engine/state.js';
import { UserError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import type { Carried, CarriedEnv, InitContext, PolicyRule, Seed, SeedItem, SeedProblem } from './context.js';
import {
  asObject,
  describeRule,
  describeSettings,
  describeValue,
  hpaBehavior,
  hpaCpuTarget,
  integerField,
  intOrPercent,
  isObject,
  type Json,
  type Odd,
  policyRule,
  securityContext,
} from './course-settings.js';
import { checkReplicas } from './validate.js';

/** APP_CONFIGMAP stands, in carried Role rules, for the project's own ConfigMap (named at render time). */
export const APP_CONFIGMAP = '\u0000app-config';

/** RESERVED_ENV are the variables init's Deployment sets itself; a carried one may not replace them. */
const RESERVED_ENV = new Set([
  'PORT',
  'CONFIG_DIR',
  'CONFIG_ENV_PREFIX',
  'APP_MESSAGE',
  'POD_NAME',
  'POD_NAMESPACE',
  'NODE_NAME',
]);

export interface Found {
  doc: Json;
  kind: string;
  /** The file, relative to the workspace's k8s/. */
  file: string;
  mtime: number;
}

function name(doc: Json): string | undefined {
  const n = asObject(doc.metadata).name;
  return typeof n === 'string' ? n : undefined;
}

function namespaceOf(doc: Json): string | undefined {
  const n = asObject(doc.metadata).namespace;
  return typeof n === 'string' ? n : undefined;
}

function labelsMatch(selector: unknown, labels: Json): boolean {
  const sel = asObject(selector);
  return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
}

/** readManifests parses every YAML file under dir; a file with a YAML error is reported and skipped. */
async function readManifests(dir: string, problems: SeedProblem[]): Promise<Found[]> {
  const found: Found[] = [];
  if (!existsSync(dir)) return found;
  const { parseAllDocuments } = await import('../yaml.js');
  for (const file of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const path = join(dir, file);
    try {
      if (!statSync(path).isFile()) continue;
      const mtime = statSync(path).mtimeMs;
      // YAML 1.1, as kubectl reads it (`yes`/`no` are booleans), like the checker.
      const parsed = parseAllDocuments(readFileSync(path, 'utf8'), { version: '1.1' });
      const docs = Array.isArray(parsed) ? parsed : [];
      const error = docs.flatMap((d) => d.errors)[0];
      if (error) {
        problems.push({ file, detail: error.message.split('\n')[0]! });
        continue;
      }
      const fromFile: Found[] = [];
      for (const d of docs) {
        const doc: unknown = d.toJS();
        if (isObject(doc) && typeof doc.kind === 'string')
          fromFile.push({ doc, kind: doc.kind, file, mtime });
      }
      found.push(...fromFile);
    } catch (err) {
      // toJS throws on an alias without its anchor; a file may also vanish or be unreadable.
      problems.push({ file, detail: (err as Error).message.split('\n')[0]! });
    }
  }
  return found;
}

/** readCourseSeed reads `<workspace>/.k8s-learn/state.json` and the manifests under `<workspace>/k8s`. */
export async function readCourseSeed(ctx: Pick<InitContext, 'workspace' | 't'>): Promise<Seed> {
  const { workspace, t } = ctx;
  if (!existsSync(statePath(workspace)))
    throw new UserError(
      t('init.fromCourse.noWorkspace', { dir: workspace }),
      t('init.fromCourse.noWorkspace.next'),
    );
  let state: { backend?: unknown; context?: unknown } = {};
  try {
    state = asObject(JSON.parse(readFileSync(statePath(workspace), 'utf8')));
  } catch {
    // The state only tells which cluster the course ran on; without it the cluster is init's default.
  }
  const dir = join(workspace, 'k8s');
  const problems: SeedProblem[] = [];
  const found = await readManifests(dir, problems);
  if (found.length === 0 && problems.length === 0)
    throw new UserError(t('init.fromCourse.noManifests', { dir }), t('init.fromCourse.noWorkspace.next'));
  const seed = seedFrom(found, problems, t);
  seed.source = dir;
  // Reuse the course's kind cluster when the course ran on kind (kind-NAME is kind's context name).
  if (state.backend === 'kind' && typeof state.context === 'string' && state.context.startsWith('kind-'))
    seed.clusterName = state.context.slice(5);
  return seed;
}

/** seedFrom picks the app among the manifests and reads what the project carries from it. */
export function seedFrom(found: Found[], problems: SeedProblem[], t: Translate): Seed {
  const carried: Carried = { sources: {} };
  const seed: Seed = { source: '', carried, lines: [], problems };
  const sources = carried.sources!;
  const line = (item: SeedItem, value: string, file?: string) => {
    seed.lines.push(file ? { item, value, file } : { item, value });
    if (file) sources[item] = file;
  };
  const oddIn =
    (file: string): Odd =>
    (field, value) =>
      problems.push({ file, field, detail: describeValue(value) });

  const ofKind = (kind: string) => found.filter((f) => f.kind === kind);
  const services = ofKind('Service');
  const templateLabels = (d: Json) => asObject(asObject(asObject(asObject(d.spec).template).metadata).labels);
  const selected = (d: Json) =>
    services.some((s) => labelsMatch(asObject(s.doc.spec).selector, templateLabels(d)));
  const replicasOf = (d: Json) => {
    const r = asObject(d.spec).replicas;
    return typeof r === 'number' ? r : 1;
  };
  const deployments = ofKind('Deployment').sort(
    (a, b) =>
      Number(selected(b.doc)) - Number(selected(a.doc)) ||
      b.mtime - a.mtime ||
      replicasOf(b.doc) - replicasOf(a.doc),
  );
  const appFound = deployments[0];
  const app = appFound?.doc ?? {};
  const appName = name(app);
  const namespace = namespaceOf(app) ?? ofKind('Namespace').map((f) => name(f.doc))[0];
  const sameNamespace = (d: Json) => {
    const ns = namespaceOf(d);
    return ns === undefined || namespace === undefined || ns === namespace;
  };
  if (namespace) seed.namespace = namespace;
  if (appName) seed.name = appName;
  const replicas = asObject(app.spec).replicas;
  if (typeof replicas === 'number' && checkReplicas(String(replicas)) === undefined) seed.replicas = replicas;
  const podSpec = asObject(asObject(asObject(app.spec).template).spec);
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers.map(asObject) : [];
  const container = containers[0] ?? {};
  const port = asObject(Array.isArray(container.ports) ? container.ports[0] : undefined).containerPort;
  if (typeof port === 'number') seed.port = port;
  if (appFound)
    line(
      'app',
      `${appName ?? '?'}, namespace ${namespace ?? '-'}, replicas ${replicasOf(app)}${typeof port === 'number' ? `, port ${port}` : ''}`,
      appFound.file,
    );

  // The ConfigMaps the app reads: mounted, every key as variables (envFrom), single keys (env).
  const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes.map(asObject) : [];
  const envFrom = Array.isArray(container.envFrom) ? container.envFrom.map(asObject) : [];
  const env = Array.isArray(container.env) ? container.env.map(asObject) : [];
  const refName = (ref: unknown) => {
    const n = asObject(ref).name;
    return typeof n === 'string' ? n : undefined;
  };
  const appConfigMaps = new Set<string>();
  for (const v of volumes) if (refName(v.configMap)) appConfigMaps.add(refName(v.configMap)!);
  for (const c of containers) {
    for (const e of Array.isArray(c.envFrom) ? c.envFrom : [])
      if (refName(asObject(e).configMapRef)) appConfigMaps.add(refName(asObject(e).configMapRef)!);
    for (const e of Array.isArray(c.env) ? c.env : []) {
      const ref = asObject(asObject(e).valueFrom).configMapKeyRef;
      if (refName(ref)) appConfigMaps.add(refName(ref)!);
    }
  }
  const config: Record<string, string> = {};
  const configFiles = new Set<string>();
  for (const cmName of appConfigMaps) {
    const cm = ofKind('ConfigMap').find((f) => name(f.doc) === cmName && sameNamespace(f.doc));
    if (!cm) continue;
    configFiles.add(cm.file);
    for (const [k, v] of Object.entries(asObject(cm.doc.data))) config[k] = String(v);
  }
  if (Object.keys(config).length > 0) {
    seed.config = config;
    line('config', Object.keys(config).join(', '), [...configFiles].join(', '));
  }
  const carriedEnv: CarriedEnv[] = [];
  env.forEach((e, i) => {
    const ref = asObject(asObject(e.valueFrom).configMapKeyRef);
    const cmName = refName(ref);
    if (!cmName || !appFound) return;
    const envName = e.name;
    const key = ref.key;
    const optional = ref.optional === true;
    // A key the ConfigMap does not have stops the pod (CreateContainerConfigError) unless optional.
    if (
      typeof envName !== 'string' ||
      !envName ||
      RESERVED_ENV.has(envName) ||
      typeof key !== 'string' ||
      (!(key in config) && !optional)
    ) {
      oddIn(appFound.file)(`spec.template.spec.containers[0].env[${i}]`, e);
      return;
    }
    carriedEnv.push(optional ? { name: envName, key, optional } : { name: envName, key });
  });
  if (carriedEnv.length > 0) carried.env = carriedEnv;
  const fromMap = envFrom.find((e) => refName(e.configMapRef));
  if (fromMap && appFound) {
    const prefix = fromMap.prefix ?? '';
    if (typeof prefix === 'string') carried.envFromPrefix = prefix;
    else oddIn(appFound.file)('spec.template.spec.containers[0].envFrom[0].prefix', prefix);
  }
  if (appFound && (carried.env || carried.envFromPrefix !== undefined)) {
    const parts = (carried.env ?? []).map((e) => `${e.name} ← ${e.key}`);
    if (carried.envFromPrefix !== undefined)
      parts.push(`envFrom${carried.envFromPrefix ? ` (prefix ${carried.envFromPrefix})` : ''}`);
    line('env', parts.join(', '), appFound.file);
  }

  // The HorizontalPodAutoscaler that scales the app.
  const hpaFound = ofKind('HorizontalPodAutoscaler')
    .filter((f) => {
      const target = asObject(asObject(f.doc.spec).scaleTargetRef);
      return appName && target.kind === 'Deployment' && target.name === appName && sameNamespace(f.doc);
    })
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (hpaFound) {
    const spec = asObject(hpaFound.doc.spec);
    const odd = oddIn(hpaFound.file);
    const min = integerField(spec, 'minReplicas', 'spec.minReplicas', 1, 50, odd);
    const max = integerField(spec, 'maxReplicas', 'spec.maxReplicas', Math.max(1, min ?? 1), 1000, odd);
    const cpu = hpaCpuTarget(spec.metrics, odd);
    const behavior = hpaBehavior(spec.behavior, odd);
    // The HPA's minimum is the count the learner settled on; the Deployment's replicas yield to it.
    if (min !== undefined) seed.replicas = min;
    const hpa: NonNullable<Carried['hpa']> = {};
    if (max !== undefined) hpa.maxReplicas = max;
    if (cpu !== undefined) hpa.cpuUtilization = cpu;
    if (behavior) hpa.behavior = behavior;
    const parts = [
      min !== undefined ? `minReplicas ${min}` : '',
      max !== undefined ? `maxReplicas ${max}` : '',
      cpu !== undefined ? `cpu averageUtilization ${cpu}` : '',
      behavior ? describeSettings(behavior, 'behavior.') : '',
    ].filter(Boolean);
    if (parts.length > 0) {
      carried.hpa = hpa;
      line('hpa', parts.join(', '), hpaFound.file);
    }
  }
  if (!carried.hpa) line('hpa', t('init.carry.default.hpa'));

  // The PodDisruptionBudget that selects the app's pods.
  const pdbFound = ofKind('PodDisruptionBudget')
    .filter(
      (f) =>
        appFound &&
        sameNamespace(f.doc) &&
        labelsMatch(asObject(asObject(f.doc.spec).selector).matchLabels, templateLabels(app)),
    )
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (pdbFound) {
    const spec = asObject(pdbFound.doc.spec);
    const odd = oddIn(pdbFound.file);
    const keys = (['minAvailable', 'maxUnavailable'] as const).filter((k) => k in spec);
    // The API server takes one of the two, never both.
    if (keys.length === 1) {
      const key = keys[0]!;
      const value = intOrPercent(spec[key]);
      if (value === undefined) odd(`spec.${key}`, spec[key]);
      else {
        carried.pdb = key === 'minAvailable' ? { minAvailable: value } : { maxUnavailable: value };
        line('pdb', `${key} ${value}`, pdbFound.file);
      }
    } else odd('spec', { minAvailable: spec.minAvailable, maxUnavailable: spec.maxUnavailable });
  }
  if (!carried.pdb) line('pdb', t('init.carry.default.pdb'));

  // The app's ServiceAccount: its token setting, and the Role(s) bound to it.
  const accountName =
    typeof podSpec.serviceAccountName === 'string'
      ? podSpec.serviceAccountName
      : typeof podSpec.serviceAccount === 'string'
        ? podSpec.serviceAccount
        : undefined;
  const accountFound = ofKind('ServiceAccount').find(
    (f) => accountName && name(f.doc) === accountName && sameNamespace(f.doc),
  );
  const tokenFrom =
    'automountServiceAccountToken' in podSpec
      ? { value: podSpec.automountServiceAccountToken, file: appFound?.file, path: 'spec.template.spec' }
      : accountFound && 'automountServiceAccountToken' in accountFound.doc
        ? { value: accountFound.doc.automountServiceAccountToken, file: accountFound.file, path: '' }
        : undefined;
  if (tokenFrom?.file) {
    if (typeof tokenFrom.value === 'boolean') {
      carried.automountToken = tokenFrom.value;
      line('token', `automountServiceAccountToken: ${tokenFrom.value}`, tokenFrom.file);
    } else
      oddIn(tokenFrom.file)(
        `${tokenFrom.path}${tokenFrom.path ? '.' : ''}automountServiceAccountToken`,
        tokenFrom.value,
      );
  }
  if (carried.automountToken === undefined) line('token', t('init.carry.default.token'));

  const rules: PolicyRule[] = [];
  const ruleFiles = new Set<string>();
  if (accountName && accountName !== 'default') {
    for (const binding of ofKind('RoleBinding').filter((f) => sameNamespace(f.doc))) {
      const subjects = Array.isArray(binding.doc.subjects) ? binding.doc.subjects.map(asObject) : [];
      const bound = subjects.some(
        (s) =>
          s.kind === 'ServiceAccount' &&
          s.name === accountName &&
          (s.namespace === undefined ||
            s.namespace === namespaceOf(binding.doc) ||
            s.namespace === namespace),
      );
      if (!bound) continue;
      const roleRef = asObject(binding.doc.roleRef);
      if (roleRef.kind !== 'Role') {
        // A ClusterRole reaches past the project's namespace: a project keeps to its own.
        oddIn(binding.file)('roleRef', roleRef);
        continue;
      }
      const role = ofKind('Role').find((f) => name(f.doc) === roleRef.name && sameNamespace(f.doc));
      if (!role) continue;
      const list = Array.isArray(role.doc.rules) ? role.doc.rules : [];
      list.forEach((r, i) => {
        const rule = policyRule(r);
        if (!rule) {
          oddIn(role.file)(`rules[${i}]`, r);
          return;
        }
        if (rules.some((have) => JSON.stringify(have) === JSON.stringify(rule))) return;
        rules.push(rule);
        ruleFiles.add(role.file);
      });
    }
  }
  if (rules.length > 0) {
    line('role', rules.map(describeRule).join('; '), [...ruleFiles].join(', '));
    // The Role named the app's ConfigMaps; in the project they are one ConfigMap of its own name.
    carried.roleRules = rules.map((rule) => {
      if (!rule.resourceNames || !rule.resources.includes('configmaps')) return rule;
      const names = [...new Set(rule.resourceNames.map((n) => (appConfigMaps.has(n) ? APP_CONFIGMAP : n)))];
      return { ...rule, resourceNames: names };
    });
  } else line('role', t('init.carry.default.role'));

  // The securityContext of the pod and of the app's container.
  if (appFound) {
    const odd = oddIn(appFound.file);
    const pod = securityContext(podSpec.securityContext, 'pod', 'spec.template.spec.securityContext', odd);
    const own = securityContext(
      container.securityContext,
      'container',
      'spec.template.spec.containers[0].securityContext',
      odd,
    );
    if (Object.keys(pod).length > 0) {
      carried.podSecurityContext = pod;
      line('podSecurityContext', describeSettings(pod), appFound.file);
    }
    if (Object.keys(own).length > 0) {
      carried.containerSecurityContext = own;
      line('containerSecurityContext', describeSettings(own), appFound.file);
    }
  }
  if (!carried.podSecurityContext) line('podSecurityContext', t('init.carry.default.podSecurityContext'));
  if (!carried.containerSecurityContext)
    line('containerSecurityContext', t('init.carry.default.containerSecurityContext'));
  return seed;
}

/** displayWidth counts the columns a terminal gives a string: two for each CJK (East Asian wide) character. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

/**
 * seedReport is the note shown before the questions: each setting and where it comes from. A line
 * wider than `columns` puts its value on a line of its own, so that the file stays in sight.
 */
export function seedReport(seed: Seed, t: Translate, columns = 96): string {
  const labels = seed.lines.map((l) => t(`init.carry.${l.item}`));
  const width = Math.max(...labels.map(displayWidth));
  return seed.lines
    .flatMap((l, i) => {
      const label = labels[i]! + ' '.repeat(width - displayWidth(labels[i]!));
      const head = l.file ? `← ${l.file}` : t('init.carry.builtIn');
      const one = `${label}  ${l.file ? `${l.value}  ${head}` : `${head}: ${l.value}`}`;
      return displayWidth(one) <= columns ? [one] : [`${label}  ${head}`, `    ${l.value}`];
    })
    .join('\n');
}

/** seedProblemLine says in one line what could not be used, and that init's default stands in. */
export function seedProblemLine(problem: SeedProblem, t: Translate): string {
  return problem.field
    ? t('init.carry.oddField', { file: problem.file, field: problem.field, value: problem.detail })
    : t('init.carry.unreadable', { file: problem.file, error: problem.detail });
}
