// `k8s-learn init` as a user runs it (the built CLI, no terminal): the files it writes across flag
// combinations and both templates, that every generated manifest passes `k8s-learn check --strict`
// and renders with `kubectl kustomize`, and its refusals.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { chooseWorkspace, refuseNestedWorkspace } from '../../src/engine/workspace.js';
import { cli } from '../helpers/cli.js';

const base = mkdtempSync(join(tmpdir(), 'k8s-learn-init-'));
let n = 0;
const fresh = () => {
  const dir = join(base, `case-${++n}`);
  mkdirSync(dir);
  return dir;
};

function kustomize(
  project: string,
): { kind: string; name: string; namespace?: string; doc: Record<string, unknown> }[] {
  const r = spawnSync('kubectl', ['kustomize', join(project, 'k8s')], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return parseAllDocuments(r.stdout).map((d) => {
    const doc = d.toJS() as { kind: string; metadata: { name: string; namespace?: string } };
    return { kind: doc.kind, name: doc.metadata.name, namespace: doc.metadata.namespace, doc };
  });
}

const combos: {
  label: string;
  args: string[];
  template: 'node' | 'python';
  hpa: boolean;
  ingress: boolean;
}[] = [
  { label: 'defaults (node, HPA, no Ingress)', args: [], template: 'node', hpa: true, ingress: false },
  {
    label: 'python, no HPA, Ingress, own names',
    args: [
      '--template',
      'python',
      '--no-hpa',
      '--ingress',
      '--name',
      'shop',
      '--namespace',
      'shop-dev',
      '--port',
      '5000',
      '--replicas',
      '3',
      '--cluster-name',
      'dev',
    ],
    template: 'python',
    hpa: false,
    ingress: true,
  },
  {
    label: 'node, HPA and Ingress, one replica',
    args: ['--hpa', '--ingress', '--replicas', '1'],
    template: 'node',
    hpa: true,
    ingress: true,
  },
  {
    label: 'python, neither',
    args: ['--template', 'python', '--no-hpa', '--no-ingress'],
    template: 'python',
    hpa: false,
    ingress: false,
  },
];

describe('init -y across flag combinations', () => {
  for (const combo of combos) {
    it(`${combo.label}: files, check --strict, kubectl kustomize`, () => {
      const cwd = fresh();
      const r = cli(['init', 'proj', '-y', ...combo.args], { cwd });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('cd proj && npm run up');
      const project = join(cwd, 'proj');
      const app = combo.template === 'node' ? 'app/server.js' : 'app/server.py';
      for (const f of [
        app,
        'app/Dockerfile',
        'app/.dockerignore',
        'README.md',
        'package.json',
        'kind-config.yaml',
        '.gitignore',
        '.github/workflows/ci.yml',
        'scripts/up.mjs',
        'scripts/down.mjs',
        'scripts/smoke.mjs',
        'scripts/check.mjs',
        'k8s/kustomization.yaml',
      ])
        expect(existsSync(join(project, f)), f).toBe(true);
      expect(existsSync(join(project, 'k8s/hpa.yaml'))).toBe(combo.hpa);
      expect(existsSync(join(project, 'k8s/ingress.yaml'))).toBe(combo.ingress);

      // The whole k8s/ folder passes the offline checker, warnings included, as `npm run check`
      // runs it: kustomization.yaml is skipped with one info, the files it lists are checked.
      const check = cli(['check', '--strict', join(project, 'k8s')]);
      expect(check.stdout).toContain('0 error(s), 0 warning(s), 1 info');
      expect(check.stdout).toMatch(/kustomization\.yaml\n\s+\d+:\d+\s+info not-kubernetes/);
      expect(check.code).toBe(0);
      // kind's config too (the checker carries kind's Cluster schema).
      expect(cli(['check', '--strict', join(project, 'kind-config.yaml')]).code).toBe(0);

      const objects = kustomize(project);
      const kinds = objects.map((o) => o.kind).sort();
      const expected = [
        'ConfigMap',
        'Deployment',
        'Namespace',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
      ];
      if (combo.hpa) expected.push('HorizontalPodAutoscaler');
      if (combo.ingress) expected.push('Ingress');
      expect(kinds).toEqual(expected.sort());
      const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
      const ns = pkg.k8sLearn.namespace;
      for (const o of objects)
        if (o.kind !== 'Namespace') expect(o.namespace, `${o.kind} namespace`).toBe(ns);
      const deploy = objects.find((o) => o.kind === 'Deployment')!.doc as {
        spec: {
          replicas?: number;
          template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
        };
      };
      const pod = deploy.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: combo.template === 'node' ? 1000 : 65532,
      });
      const c = pod.containers[0]!;
      expect(c.image).toBe(`${pkg.k8sLearn.image}:0.1.0`);
      expect(c.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(c).toHaveProperty('readinessProbe');
      expect(c).toHaveProperty('livenessProbe');
      expect(c.resources).toMatchObject({ requests: { cpu: '100m' }, limits: { memory: '128Mi' } });
      // With an HPA the Deployment leaves replicas to it, so an apply does not reset the count.
      const replicasFlag = combo.args.indexOf('--replicas');
      const replicas = replicasFlag >= 0 ? Number(combo.args[replicasFlag + 1]) : 2;
      expect(deploy.spec.replicas).toBe(combo.hpa ? undefined : replicas);
      const kindConfig = readFileSync(join(project, 'kind-config.yaml'), 'utf8');
      expect(kindConfig.match(/role: worker/g)).toHaveLength(2);
      expect(kindConfig.includes('extraPortMappings')).toBe(combo.ingress);
      expect(pkg.devDependencies).toEqual({ zx: expect.stringMatching(/^\^8\./) });
      expect(pkg.dependencies).toBeUndefined();
    });
  }

  it('the Node app is the course app, byte for byte (one source of truth)', () => {
    const cwd = fresh();
    expect(cli(['init', 'p', '-y'], { cwd }).code).toBe(0);
    const root = join(import.meta.dirname, '../..');
    for (const f of ['server.js', 'Dockerfile'])
      expect(readFileSync(join(cwd, 'p/app', f), 'utf8')).toBe(
        readFileSync(join(root, 'templates/app', f), 'utf8'),
      );
  });

  it('names the app after DIR, and writes the next steps in Chinese for a Chinese locale', () => {
    const cwd = fresh();
    const r = cli(['init', 'My_Shop', '-y'], { cwd, env: { LANG: 'zh_CN.UTF-8' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('下一步');
    expect(r.stdout).toContain('cd My_Shop && npm run up');
    expect(JSON.parse(readFileSync(join(cwd, 'My_Shop/package.json'), 'utf8')).k8sLearn.name).toBe('my-shop');
    expect(readFileSync(join(cwd, 'My_Shop/README.md'), 'utf8')).toContain('两条命令');
  });
});

describe('a project made by init', () => {
  it('is not mistaken for a course workspace that lost its progress', () => {
    const cwd = fresh();
    expect(cli(['init', 'proj', '-y'], { cwd }).code).toBe(0);
    const project = join(cwd, 'proj');
    expect(() => refuseNestedWorkspace(chooseWorkspace(undefined, project), project)).not.toThrow();
    // Without init's record the same files (k8s/namespace.yaml, k8s/configmap.yaml) look like one.
    rmSync(join(project, '.k8s-learn-init.json'));
    expect(() => refuseNestedWorkspace(chooseWorkspace(undefined, project), project)).toThrow(
      /looks like a k8s-learn workspace/,
    );
  });
});

describe('init --dry-run', () => {
  it('prints the tree and every file, and writes nothing', () => {
    const cwd = fresh();
    const r = cli(['init', 'proj', '-y', '--dry-run', '--ingress'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/proj\/\n├── \.github\//);
    expect(r.stdout).toContain('└── README.md');
    expect(r.stdout).toContain('-- k8s/ingress.yaml --');
    expect(r.stdout).toContain('kind: Deployment');
    expect(r.stdout).toContain('nothing written');
    expect(existsSync(join(cwd, 'proj'))).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('init refuses', () => {
  it('a non-empty DIR without --force, changing nothing', () => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'proj'));
    writeFileSync(join(cwd, 'proj/notes.txt'), 'mine\n');
    const r = cli(['init', 'proj', '-y'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('proj is not empty (1 entries)');
    expect(r.stderr).toContain('--force');
    expect(readdirSync(join(cwd, 'proj'))).toEqual(['notes.txt']);
  });

  it('invalid names and ports, in the API server wording, with exit 2', () => {
    const cwd = fresh();
    const name = cli(['init', 'p', '-y', '--name', 'My_App'], { cwd });
    expect(name.code).toBe(2);
    expect(name.stderr).toContain(
      `--name: Invalid value: "My_App": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character`,
    );
    const ns = cli(['init', 'p', '-y', '--namespace', 'team.a'], { cwd });
    expect(ns.code).toBe(2);
    expect(ns.stderr).toContain(
      `--namespace: Invalid value: "team.a": a lowercase RFC 1123 label must consist of`,
    );
    const port = cli(['init', 'p', '-y', '--port', '70000'], { cwd });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port: Invalid value: "70000": must be between 1 and 65535, inclusive');
    expect(cli(['init', 'p', '-y', '--template', 'ruby'], { cwd }).code).toBe(2);
    expect(cli(['init', 'p', '-y', '--hpa', '--no-hpa'], { cwd }).code).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('to wait for answers without a terminal: exit 2 at once without --yes', () => {
    const cwd = fresh();
    const r = cli(['init', 'p'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('init --force', () => {
  it('keeps a file the learner changed (diff shown), updates its own untouched files, deletes nothing', () => {
    const cwd = fresh();
    expect(cli(['init', 'proj', '-y'], { cwd }).code).toBe(0);
    const project = join(cwd, 'proj');
    const deployment = join(project, 'k8s/deployment.yaml');
    const edited = readFileSync(deployment, 'utf8').replace('cpu: 100m', 'cpu: 250m');
    writeFileSync(deployment, edited);
    writeFileSync(join(project, 'notes.txt'), 'mine\n');
    // A second run with another replica count: service.yaml is unchanged, hpa.yaml is init's own
    // untouched file and is updated, deployment.yaml is the learner's and is kept.
    const r = cli(['init', 'proj', '-y', '--force', '--replicas', '4'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('k8s/deployment.yaml (yours)');
    expect(r.stdout).toMatch(/^-\s+cpu: 250m$/m);
    expect(r.stdout).toMatch(/^\+\s+cpu: 100m$/m);
    expect(r.stdout).toContain('kept your k8s/deployment.yaml');
    expect(r.stdout).toMatch(/hpa\.yaml {2}\(updated\)/);
    expect(readFileSync(deployment, 'utf8')).toBe(edited);
    expect(readFileSync(join(project, 'k8s/hpa.yaml'), 'utf8')).toContain('minReplicas: 4');
    expect(readFileSync(join(project, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(`${deployment}.orig`)).toBe(false);
  });

  it('keeps a file of the same name that init did not write', () => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'proj'));
    writeFileSync(join(cwd, 'proj/README.md'), '# my own readme\n');
    const r = cli(['init', 'proj', '-y', '--force'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kept your README.md');
    expect(readFileSync(join(cwd, 'proj/README.md'), 'utf8')).toBe('# my own readme\n');
    expect(existsSync(join(cwd, 'proj/k8s/deployment.yaml'))).toBe(true);
  });
});
