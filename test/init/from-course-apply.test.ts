// The project `init --from-course` makes from a course workspace (written from the course's own
// templates) applies cleanly to the practice cluster with the real kubectl, and the cluster then
// holds the learner's HorizontalPodAutoscaler, PodDisruptionBudget, ServiceAccount, Role and
// securityContext — not init's defaults — and, once running, the HPA keeps the learner's minimum and
// the budget allows one eviction.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { writeCourseWorkspace } from './course-workspace.js';
import { kubectl, machine } from './project.js';

const m = machine();
const ctx = ['--context', 'k8s-learn-practice'];

afterAll(() => {
  cli(['practice', 'stop'], { env: m.env, timeoutMs: 30_000 });
});

const get = async (args: string[]) => {
  const r = await kubectl(m, [...ctx, 'get', '-n', 'k8s-test', ...args]);
  expect(r.stderr).toBe('');
  return r.stdout;
};

describe('init --from-course on the practice cluster', () => {
  it("applies, and the cluster holds the learner's autoscaler, budget and security settings", async () => {
    const workspace = writeCourseWorkspace(join(m.home, 'lab'));
    const init = cli(['init', 'continued', '-y', '--from-course', '--dir', workspace], {
      cwd: m.home,
      env: m.env,
    });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const project = join(m.home, 'continued');

    const start = cli(['practice', 'start'], { env: m.env, timeoutMs: 60_000 });
    expect(start.code).toBe(0);
    const apply = await kubectl(m, [...ctx, 'apply', '-k', join(project, 'k8s')]);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    for (const object of [
      'namespace/k8s-test',
      'serviceaccount/k8s-core',
      'role.rbac.authorization.k8s.io/k8s-core',
      'rolebinding.rbac.authorization.k8s.io/k8s-core',
      'configmap/k8s-core-config',
      'service/k8s-core',
      'deployment.apps/k8s-core',
      'poddisruptionbudget.policy/k8s-core',
      'horizontalpodautoscaler.autoscaling/k8s-core',
    ])
      expect(apply.stdout).toContain(`${object} created`);

    // The learner's HPA: minReplicas 2, 50 % CPU, a 30 s scale-down window (init's: 1, 70 %, 60 s).
    expect(
      await get([
        'hpa',
        'k8s-core',
        '-o',
        'jsonpath={.spec.scaleTargetRef.name} {.spec.minReplicas} {.spec.maxReplicas} {.spec.metrics[0].resource.name} {.spec.metrics[0].resource.target.averageUtilization} {.spec.behavior.scaleDown.stabilizationWindowSeconds}',
      ]),
    ).toBe('k8s-core 2 5 cpu 50 30');
    // The learner's budget: minAvailable 1 (init's: maxUnavailable 1).
    expect(
      await get([
        'pdb',
        'k8s-core',
        '-o',
        'jsonpath={.spec.minAvailable}|{.spec.maxUnavailable}|{.spec.selector.matchLabels.app}',
      ]),
    ).toBe('1||k8s-core');
    expect(await get(['serviceaccount', 'k8s-core', '-o', 'jsonpath={.automountServiceAccountToken}'])).toBe(
      'false',
    );
    expect(
      await get([
        'deployment',
        'k8s-core',
        '-o',
        'jsonpath={.spec.template.spec.serviceAccountName} {.spec.template.spec.automountServiceAccountToken} {.spec.template.spec.containers[0].securityContext.runAsNonRoot} {.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem} {.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation}',
      ]),
    ).toBe('k8s-core false true true false');

    // The Role, as the API server's authorizer reads it: the project's ConfigMap, and nothing more.
    const canI = async (...args: string[]) =>
      (
        await kubectl(m, [
          ...ctx,
          'auth',
          'can-i',
          ...args,
          '-n',
          'k8s-test',
          '--as=system:serviceaccount:k8s-test:k8s-core',
        ])
      ).stdout.trim();
    expect(await canI('get', 'configmap/k8s-core-config')).toBe('yes');
    expect(await canI('get', 'configmap/casc-network-config')).toBe('no');
    expect(await canI('list', 'secrets')).toBe('no');

    // Running: the HPA holds the learner's minimum of 2 pods (the Deployment names no replicas, so
    // it starts with 1), and the budget then lets exactly one of them be evicted.
    expect(cli(['practice', 'load-image', 'k8s-core:0.1.0'], { env: m.env, timeoutMs: 60_000 }).code).toBe(0);
    const wait = (args: string[]) => kubectl(m, [...ctx, 'wait', '-n', 'k8s-test', '--timeout=90s', ...args]);
    expect((await wait(['--for=jsonpath={.status.readyReplicas}=2', 'deployment/k8s-core'])).code).toBe(0);
    expect((await wait(['--for=jsonpath={.status.disruptionsAllowed}=1', 'pdb/k8s-core'])).code).toBe(0);
    expect(
      await get(['pdb', 'k8s-core', '-o', 'jsonpath={.status.currentHealthy}/{.status.desiredHealthy}']),
    ).toBe('2/1');
  }, 180_000);
});
