// Renders the project from templates/init (Handlebars, `.hbs` stripped; other files copied as they
// are). The Node app's server.js and Dockerfile are the course's own (templates/app): one source.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { render } from '../engine/templates.js';
import { templatesDir } from '../paths.js';
import { Document, isScalar, visit } from '../yaml.js';
import type { Carried, ProjectOptions } from './context.js';
import { APP_CONFIGMAP } from './from-course.js';

/** FIRST_TAG is the image tag of a new project (kustomization.yaml's newTag, package.json's version). */
export const FIRST_TAG = '0.1.0';
/** ZX_VERSION is the zx the generated scripts are written for. */
export const ZX_VERSION = '^8.8.5';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** blockScalar renders ConfigMap data as YAML under `data:` (JSON strings are valid YAML scalars). */
export function configDataYaml(config: Record<string, string>): string {
  return Object.entries(config)
    .map(([key, value]) => {
      if (!value.includes('\n')) return `  ${key}: ${JSON.stringify(value)}`;
      const body = value.endsWith('\n') ? value.slice(0, -1) : value;
      const indicator = value.endsWith('\n') ? '|' : '|-';
      return `  ${key}: ${indicator}\n${body
        .split('\n')
        .map((l) => (l ? `    ${l}` : ''))
        .join('\n')}`;
    })
    .join('\n');
}

/** defaultConfig is the ConfigMap of a new project: a message (also an env var) and a settings file. */
export function defaultConfig(name: string): Record<string, string> {
  return {
    APP_MESSAGE: `Hello from ${name}`,
    'settings.json': `${JSON.stringify({ greeting: 'hello', features: [] }, null, 2)}\n`,
  };
}

/**
 * yamlBlock renders a value as YAML indented by `indent` spaces: YAML 1.1 quoting (as kubectl reads
 * it: a string `yes` stays a string), lists of scalars in flow style as the templates write them.
 */
export function yamlBlock(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  const doc = new Document(value, { version: '1.1' });
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return doc
    .toString({ flowCollectionPadding: false })
    .trimEnd()
    .split('\n')
    .map((l) => `${pad}${l}`)
    .join('\n');
}

/** carriedVars are the template variables of the settings --from-course carried, else init's defaults. */
function carriedVars(o: ProjectOptions, uid: number, configName: string): Record<string, unknown> {
  const c: Carried = o.carried;
  const from = c.sources ?? {};
  const defaultMax = Math.min(50, Math.max(5, o.replicas * 2));
  // The learner's maximum stays unless a larger --replicas (the minimum) went past it.
  const maxReplicas =
    c.hpa?.maxReplicas !== undefined && c.hpa.maxReplicas >= o.replicas ? c.hpa.maxReplicas : defaultMax;
  const pdb = c.pdb ?? { maxUnavailable: 1 };
  const [pdbField, pdbValue] = Object.entries(pdb)[0] as [string, number | string];
  const podSecurity = {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
    ...c.podSecurityContext,
  };
  const defaultCapabilities = { drop: ['ALL'] };
  const containerSecurity = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    ...c.containerSecurityContext,
    capabilities: { ...defaultCapabilities, ...(c.containerSecurityContext?.capabilities as object) },
  };
  const roleRules = (c.roleRules ?? []).map((rule) =>
    rule.resourceNames
      ? { ...rule, resourceNames: rule.resourceNames.map((n) => (n === APP_CONFIGMAP ? configName : n)) }
      : rule,
  );
  const env = (c.env ?? []).map((e) => ({
    name: e.name,
    valueFrom: {
      configMapKeyRef: e.optional
        ? { name: configName, key: e.key, optional: true }
        : { name: configName, key: e.key },
    },
  }));
  const envFrom =
    c.envFromPrefix === undefined
      ? []
      : [
          c.envFromPrefix
            ? { prefix: c.envFromPrefix, configMapRef: { name: configName } }
            : { configMapRef: { name: configName } },
        ];
  return {
    maxReplicas,
    hpaFrom: c.hpa ? (from.hpa ?? '') : '',
    cpuTarget: c.hpa?.cpuUtilization ?? 70,
    hpaBehavior: c.hpa?.behavior ? yamlBlock(c.hpa.behavior, 4) : '',
    pdbFrom: c.pdb ? (from.pdb ?? '') : '',
    pdbField,
    pdbValue: typeof pdbValue === 'string' ? JSON.stringify(pdbValue) : pdbValue,
    // minAvailable as large as the minimum number of pods leaves a drain nothing it may evict.
    pdbBlocksDrain:
      pdbField === 'minAvailable' &&
      ((typeof pdbValue === 'number' && pdbValue >= o.replicas) || pdbValue === '100%'),
    automountToken: c.automountToken ?? false,
    tokenFrom: c.automountToken !== undefined ? (from.token ?? '') : '',
    role: roleRules.length > 0,
    roleFrom: from.role ?? '',
    roleRules: roleRules.length > 0 ? yamlBlock(roleRules, 2) : '',
    securityFrom:
      c.podSecurityContext || c.containerSecurityContext
        ? (from.containerSecurityContext ?? from.podSecurityContext ?? '')
        : '',
    podSecurityContext: yamlBlock(podSecurity, 8),
    containerSecurityContext: yamlBlock(containerSecurity, 12),
    carriedEnv: env.length > 0 ? yamlBlock(env, 12) : '',
    carriedEnvFrom: envFrom.length > 0 ? yamlBlock(envFrom, 12) : '',
    envFrom: from.env ?? '',
  };
}

/** templateVars are the variables every template sees. */
export function templateVars(o: ProjectOptions, lang: string): Record<string, unknown> {
  const config = { ...defaultConfig(o.name), ...o.config };
  const uid = o.template === 'node' ? 1000 : 65532;
  const configName = `${o.name}-config`;
  return {
    ...o,
    ...carriedVars(o, uid, configName),
    lang,
    image: o.name,
    tag: FIRST_TAG,
    imageRef: `${o.name}:${FIRST_TAG}`,
    // The base images' unprivileged users: node's `node` (1000); 65532 for Python (no named user needed).
    uid,
    templateLabel: o.template === 'node' ? 'Node.js' : 'Python',
    configName,
    configDir: '/etc/app/config',
    envPrefix: 'APP_',
    configData: configDataYaml(config),
    zxVersion: ZX_VERSION,
    ingressHostPort: 80,
  };
}

/** renderProject returns every file of the project: relative path (with /) → content. */
export function renderProject(o: ProjectOptions, lang: string): Map<string, string> {
  const vars = templateVars(o, lang);
  const root = join(templatesDir(), 'init');
  const files = new Map<string, string>();
  const add = (base: string, file: string, to = relative(base, file).split(sep).join('/')) => {
    const text = readFileSync(file, 'utf8');
    files.set(to.replace(/\.hbs$/, ''), file.endsWith('.hbs') ? render(text, vars, `template ${to}`) : text);
  };
  const common = join(root, 'common');
  for (const file of walk(common)) {
    const to = relative(common, file).split(sep).join('/');
    if (to === 'k8s/hpa.yaml.hbs' && !o.hpa) continue;
    if (to === 'k8s/ingress.yaml.hbs' && !o.ingress) continue;
    if (to === 'k8s/role.yaml.hbs' && !vars.role) continue;
    if (to.startsWith('README.')) {
      const wanted = lang === 'zh-CN' ? 'README.zh-CN.md.hbs' : 'README.md.hbs';
      if (to === wanted) add(common, file, 'README.md.hbs');
      continue;
    }
    // npm drops .gitignore files from published packages, so the template is called _gitignore.
    add(common, file, to === '_gitignore' ? '.gitignore' : to);
  }
  const own = join(root, o.template);
  for (const file of walk(own)) add(own, file);
  if (o.template === 'node') {
    add(templatesDir(), join(templatesDir(), 'app', 'server.js'));
    add(templatesDir(), join(templatesDir(), 'app', 'Dockerfile'));
  }
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
