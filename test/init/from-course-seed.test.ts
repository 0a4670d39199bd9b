// --from-course's seeding, read from workspaces written from the course's own templates: the
// learner's HPA, PDB, ServiceAccount token setting, Role and securityContext are carried into the
// project; what the learner did not build, or a file they broke, falls back to init's defaults,
// said in one line each; every generated project passes the checker.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createTranslator } from '../../src/i18n/index.js';
import type { Seed } from '../../src/init/context.js';
import { APP_CONFIGMAP, readCourseSeed, seedProblemLine, seedReport } from '../../src/init/from-course.js';
import { checkGenerated } from '../../src/init/next-steps.js';
import { gatherOptions } from '../../src/init/options.js';
import { renderProject, templateVars } from '../../src/init/render.js';
import { createScriptedUI } from '../../src/ui/scripted.js';
import { cli } from '../helpers/cli.js';
import { BEFORE_AUTOSCALING, writeCourseWorkspace } from './course-workspace.js';

const t = createTranslator('en');
const scratch = mkdtempSync(join(tmpdir(), 'k8s-learn-seed-'));
let n = 0;
const workspace = (files?: Parameters<typeof writeCourseWorkspace>[1]) =>
  writeCourseWorkspace(join(scratch, `ws-${++n}`), files);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Obj = Record<string, unknown> & { spec: Record<string, unknown> };

/** project renders the project `init -y --from-course` would write, plus extra flags. */
async function project(seed: Seed, flags: Record<string, string> = {}) {
  const ui = createScriptedUI({ answers: [], interactive: false, write: () => {} });
  const options = await gatherOptions({
    flags: { fromCourse: true, force: false, dir: 'continued', ...flags },
    seed,
    yes: true,
    ui,
    t,
    cwd: scratch,
  });
  const files = renderProject(options, 'en');
  const docs = (path: string) => parseAllDocuments(files.get(path) ?? '').map((d) => d.toJS() as Obj);
  return { options, files, docs, problems: checkGenerated({ files, lang: 'en' }) };
}

describe('readCourseSeed', () => {
  it("carries the learner's HPA, PDB, token setting, Role and securityContext", async () => {
    const seed = await readCourseSeed({ workspace: workspace(), t });
    expect(seed.problems).toEqual([]);
    // The HPA's minimum, not the Deployment's replicas: 1, is the count the learner settled on.
    expect(seed.replicas).toBe(2);
    expect(seed.carried).toMatchObject({
      hpa: {
        maxReplicas: 5,
        cpuUtilization: 50,
        behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
      },
      pdb: { minAvailable: 1 },
      automountToken: false,
      roleRules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [APP_CONFIGMAP] },
      ],
      containerSecurityContext: {
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      },
    });
    expect(seed.carried.podSecurityContext).toBeUndefined();
    // Each setting with the file it came from, or init's default where the course had nothing.
    expect(seedReport(seed, t).split('\n')).toEqual([
      'app                        k8s-core, namespace k8s-test, replicas 1, port 8080  ← k8s-core.yaml',
      'ConfigMap data             CASC_NETWORK_CONFIG  ← configmap.yaml',
      'HorizontalPodAutoscaler    ← k8s-core-hpa.yaml',
      '    minReplicas 2, maxReplicas 5, cpu averageUtilization 50, behavior.scaleDown.stabilizationWindowSeconds: 30',
      'PodDisruptionBudget        minAvailable 1  ← k8s-core-pdb.yaml',
      'ServiceAccount token       automountServiceAccountToken: false  ← k8s-core-rbac.yaml',
      'Role                       get configmaps/casc-network-config  ← k8s-core-rbac.yaml',
      'container securityContext  ← k8s-core.yaml',
      '    runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false',
      "pod securityContext        init's default (nothing usable in your course)",
      "    runAsNonRoot: true, runAsUser/runAsGroup: the image's user, seccompProfile: RuntimeDefault",
    ]);

    const { docs, files, problems } = await project(seed);
    expect(problems).toEqual([]);
    const [hpa] = docs('k8s/hpa.yaml');
    expect(hpa!.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
    });
    expect(files.get('k8s/hpa.yaml')).toContain("# Carried from your course's k8s-core-hpa.yaml");
    expect(docs('k8s/pdb.yaml')[0]!.spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { app: 'k8s-core' } },
    });
    const [role, binding] = docs('k8s/role.yaml');
    // The Role named the course's ConfigMap; the project's own is k8s-core-config.
    expect(role!.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['k8s-core-config'] },
    ]);
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      subjects: [{ kind: 'ServiceAccount', name: 'k8s-core', namespace: 'k8s-test' }],
      roleRef: { kind: 'Role', name: 'k8s-core' },
    });
    expect(parse(files.get('k8s/kustomization.yaml')!).resources).toContain('role.yaml');
    expect(docs('k8s/serviceaccount.yaml')[0]!.automountServiceAccountToken).toBe(false);
    const pod = (docs('k8s/deployment.yaml')[0]!.spec.template as { spec: Obj }).spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    // init's settings stay; the learner's are laid over them.
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect((pod.containers as Obj[])[0]!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it("falls back to init's defaults for what the learner did not build", async () => {
    const seed = await readCourseSeed({ workspace: workspace(BEFORE_AUTOSCALING), t });
    expect(seed.problems).toEqual([]);
    expect(seed.replicas).toBe(3);
    expect(seed.carried).toEqual({ sources: { app: 'k8s-core.yaml', config: 'configmap.yaml' } });
    const report = seedReport(seed, t);
    for (const item of [
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'ServiceAccount token',
      'Role',
      'pod securityContext',
      'container securityContext',
    ])
      expect(report).toMatch(new RegExp(`^${item} +init's default \\(nothing usable in your course\\)`, 'm'));
    const { docs, files, problems } = await project(seed);
    expect(problems).toEqual([]);
    expect(docs('k8s/hpa.yaml')[0]!.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [{ resource: { target: { averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
    });
    expect(docs('k8s/pdb.yaml')[0]!.spec).toMatchObject({ maxUnavailable: 1 });
    expect(files.has('k8s/role.yaml')).toBe(false);
    expect(parse(files.get('k8s/kustomization.yaml')!).resources).not.toContain('role.yaml');
    expect(docs('k8s/serviceaccount.yaml')[0]!.automountServiceAccountToken).toBe(false);
  });

  it('leaves out a file that does not parse and the odd fields of others, one line each', async () => {
    const ws = workspace();
    // A half-edited HPA: a list left open.
    writeFileSync(
      join(ws, 'k8s/k8s-core-hpa.yaml'),
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: k8s-core\nspec:\n  minReplicas: [2\n',
    );
    // A PDB with a value the API server refuses, and both fields at once.
    writeFileSync(
      join(ws, 'k8s/k8s-core-pdb.yaml'),
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: k8s-core\n  namespace: k8s-test\nspec:\n  minAvailable: lots\n  selector:\n    matchLabels:\n      app: k8s-core\n',
    );
    // Role rules as a learner might mistype them: verbs as a string, a rule that is fine.
    writeFileSync(
      join(ws, 'k8s/k8s-core-rbac.yaml'),
      [
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata: {name: k8s-core, namespace: k8s-test}',
        'automountServiceAccountToken: maybe',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: Role',
        'metadata: {name: k8s-core, namespace: k8s-test}',
        'rules:',
        '  - {apiGroups: [""], resources: [configmaps], verbs: get}',
        '  - {apiGroups: [""], resources: [pods], verbs: [list]}',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: RoleBinding',
        'metadata: {name: k8s-core, namespace: k8s-test}',
        'subjects: [{kind: ServiceAccount, name: k8s-core, namespace: k8s-test}]',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: k8s-core}',
        '',
      ].join('\n'),
    );
    // Not Kubernetes objects at all: a scalar, a list, and an alias without its anchor.
    writeFileSync(join(ws, 'k8s/notes.yaml'), 'just some notes\n');
    writeFileSync(join(ws, 'k8s/list.yaml'), '- 1\n- 2\n');
    writeFileSync(join(ws, 'k8s/alias.yaml'), 'kind: ConfigMap\ndata: *missing\n');

    const seed = await readCourseSeed({ workspace: ws, t });
    const lines = seed.problems.map((p) => seedProblemLine(p, t));
    expect(lines).toEqual([
      expect.stringMatching(
        /^alias\.yaml was not read \(.*missing.*\); init's defaults stand in for what it held$/,
      ),
      expect.stringMatching(/^k8s-core-hpa\.yaml was not read \(.+\); init's defaults stand in/),
      'k8s-core-pdb.yaml: spec.minAvailable is "lots", which init cannot use; init\'s default stands in for it',
      'k8s-core-rbac.yaml: automountServiceAccountToken is "maybe", which init cannot use; init\'s default stands in for it',
      'k8s-core-rbac.yaml: rules[0] is {"apiGroups":[""],"resources":["configmaps"],"verbs":"get"}, which init cannot use; init\'s default stands in for it',
    ]);
    // What was sound is still carried: the Deployment's security settings and the good rule.
    expect(seed.carried.hpa).toBeUndefined();
    expect(seed.carried.pdb).toBeUndefined();
    expect(seed.carried.automountToken).toBeUndefined();
    expect(seed.carried.roleRules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
    expect(seed.carried.containerSecurityContext).toMatchObject({ readOnlyRootFilesystem: true });
    const { docs, problems } = await project(seed);
    expect(problems).toEqual([]);
    expect(docs('k8s/hpa.yaml')[0]!.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5 });
    expect(docs('k8s/pdb.yaml')[0]!.spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('keeps the sound parts of an odd HPA and of odd security settings', async () => {
    const ws = workspace();
    writeFileSync(
      join(ws, 'k8s/k8s-core-hpa.yaml'),
      [
        'apiVersion: autoscaling/v2',
        'kind: HorizontalPodAutoscaler',
        'metadata: {name: k8s-core, namespace: k8s-test}',
        'spec:',
        '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: k8s-core}',
        '  minReplicas: 3',
        '  maxReplicas: two',
        '  metrics:',
        '    - {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}',
        '    - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}',
        '  behavior:',
        '    scaleDown: {stabilizationWindowSeconds: -5, policies: [{type: Pods, value: 1, periodSeconds: 60}]}',
        '    scaleUp: {selectPolicy: Max}',
        '',
      ].join('\n'),
    );
    // privileged would clash with allowPrivilegeEscalation: false; a negative user id is refused.
    const deployment = join(ws, 'k8s/k8s-core.yaml');
    writeFileSync(
      deployment,
      readFileSync(deployment, 'utf8').replace(
        'allowPrivilegeEscalation: false\n',
        'allowPrivilegeEscalation: false\n            privileged: true\n            runAsUser: -1\n',
      ),
    );
    const seed = await readCourseSeed({ workspace: ws, t });
    expect(seed.problems.map((p) => p.field)).toEqual([
      'spec.maxReplicas',
      'spec.metrics[0]',
      'spec.behavior.scaleDown.stabilizationWindowSeconds',
      'spec.template.spec.containers[0].securityContext.privileged',
      'spec.template.spec.containers[0].securityContext.runAsUser',
    ]);
    expect(seed.carried.containerSecurityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(seed.replicas).toBe(3);
    expect(seed.carried.hpa).toEqual({
      cpuUtilization: 60,
      behavior: {
        scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        scaleUp: { selectPolicy: 'Max' },
      },
    });
    const { docs, problems } = await project(seed);
    expect(problems).toEqual([]);
    expect(docs('k8s/hpa.yaml')[0]!.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 60 } } }],
      behavior: { scaleUp: { selectPolicy: 'Max' } },
    });
  });

  it('carries the variables the app reads from its ConfigMap, not one naming a missing key', async () => {
    const env = (regionKey: string) => ({
      'namespace.yaml': BEFORE_AUTOSCALING['namespace.yaml']!,
      'k8s-core-service.yaml': BEFORE_AUTOSCALING['k8s-core-service.yaml']!,
      // The alerts lesson's Deployment reading settings as variables, here as the app.
      'k8s-core.yaml': {
        template: 'k8s/settings-env.yaml.hbs',
        vars: { name: 'k8s-core', region_key: regionKey },
      },
    });
    const fixed = await readCourseSeed({ workspace: workspace(env('REGION')), t });
    expect(fixed.problems).toEqual([]);
    expect(fixed.config).toEqual({ LOG_LEVEL: 'info', REGION: 'cn-east' });
    expect(fixed.carried).toMatchObject({ env: [{ name: 'CASC_REGION', key: 'REGION' }], envFromPrefix: '' });
    expect(seedReport(fixed, t)).toMatch(
      /variables from the ConfigMap +CASC_REGION ← REGION, envFrom {2}← k8s-core\.yaml/,
    );
    const { docs, problems } = await project(fixed);
    expect(problems).toEqual([]);
    const container = (
      (docs('k8s/deployment.yaml')[0]!.spec.template as { spec: Obj }).spec.containers as Obj[]
    )[0]!;
    expect(container.env).toContainEqual({
      name: 'CASC_REGION',
      valueFrom: { configMapKeyRef: { name: 'k8s-core-config', key: 'REGION' } },
    });
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'k8s-core-config' } }]);

    // The lesson's fault: key `region` where the ConfigMap has REGION. Carried, the pod would not start.
    const broken = await readCourseSeed({ workspace: workspace(env('region')), t });
    expect(broken.problems.map((p) => p.field)).toEqual(['spec.template.spec.containers[0].env[0]']);
    expect(broken.carried.env).toBeUndefined();
    expect(broken.carried.envFromPrefix).toBe('');
  });

  it('a --replicas above the learner’s maximum raises the maximum; flags still win', async () => {
    const seed = await readCourseSeed({ workspace: workspace(), t });
    const { options } = await project(seed, { replicas: '7' });
    expect(options.replicas).toBe(7);
    expect(templateVars(options, 'en').maxReplicas).toBe(14);
    expect(templateVars({ ...options, replicas: 4 }, 'en').maxReplicas).toBe(5);
  });

  it('the CLI prints where each setting comes from, and a broken file in one line, and still writes', () => {
    const ws = workspace();
    writeFileSync(join(ws, 'k8s/k8s-core-pdb.yaml'), 'spec:\n\tminAvailable: 1\n');
    const r = cli(['init', join(scratch, 'cli-project'), '-y', '--from-course', '--dir', ws], {
      cwd: scratch,
    });
    expect(r.code).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain('From your course');
    expect(out).toMatch(/HorizontalPodAutoscaler +← k8s-core-hpa\.yaml\n +minReplicas 2, maxReplicas 5/);
    expect(out).toMatch(
      /PodDisruptionBudget +init's default \(nothing usable in your course\): maxUnavailable 1/,
    );
    expect(out.match(/k8s-core-pdb\.yaml was not read/g)).toHaveLength(1);
    expect(out).toContain('role.yaml');
  });
});
