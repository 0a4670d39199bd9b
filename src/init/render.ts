// Renders the project from templates/init (Handlebars, `.hbs` stripped; other files copied as they
// are). The Node app's server.js and Dockerfile are the course's own (templates/app): one source.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { render } from '../engine/templates.js';
import { templatesDir } from '../paths.js';
import type { ProjectOptions } from './context.js';

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

/** templateVars are the variables every template sees. */
export function templateVars(o: ProjectOptions, lang: string): Record<string, unknown> {
  const config = { ...defaultConfig(o.name), ...o.config };
  return {
    ...o,
    lang,
    maxReplicas: Math.min(50, Math.max(5, o.replicas * 2)),
    image: o.name,
    tag: FIRST_TAG,
    imageRef: `${o.name}:${FIRST_TAG}`,
    // The base images' unprivileged users: node's `node` (1000); 65532 for Python (no named user needed).
    uid: o.template === 'node' ? 1000 : 65532,
    templateLabel: o.template === 'node' ? 'Node.js' : 'Python',
    configName: `${o.name}-config`,
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
