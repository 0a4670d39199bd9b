// --from-course after an unattended run of the built-in course on the practice cluster: the project
// carries over the app's name, namespace, config, autoscaler, budget and Role, passes the checker, and its own
// up.mjs continues on the course's cluster — taking over the course's Deployment — while down.mjs
// keeps everything the course had made.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { generate, kubectl, machine, script } from './project.js';

const m = machine();
m.env.K8S_LEARN_PRACTICE_TIME_SCALE = '0.1';
const lab = join(m.home, 'lab');

afterAll(() => {
  cli(['practice', 'stop'], { env: m.env });
});

describe('init --from-course', () => {
  it('continues what the course built', async () => {
    const course = cli(['--yes', '--cluster', 'practice', '--dir', lab], { env: m.env, timeoutMs: 170_000 });
    expect(course.stdout).toContain('Course complete');
    expect(course.code).toBe(0);

    const project = generate(m, 'continued', ['--from-course', '--dir', lab]);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    // The app is the Deployment a Service selects that the learner touched last: k8s-core, which
    // the security lesson moved to its own ServiceAccount.
    expect(pkg.k8sLearn).toMatchObject({
      name: 'k8s-core',
      namespace: 'k8s-test',
      image: 'k8s-core',
    });
    const configmap = readFileSync(join(project, 'k8s/configmap.yaml'), 'utf8');
    // The config the learner fixed in the ConfigMap lesson (16.0.0.0/4, not the article's 20.0.0.0/4).
    expect(configmap).toContain('  CASC_NETWORK_CONFIG: |');
    expect(configmap).toContain('16.0.0.0/4');
    // The autoscaler, budget and Role the learner settled on in the autoscaling and security lessons.
    const hpa = readFileSync(join(project, 'k8s/hpa.yaml'), 'utf8');
    expect(hpa).toContain('minReplicas: 2');
    expect(hpa).toContain('averageUtilization: 50');
    expect(hpa).toContain('stabilizationWindowSeconds: 30');
    expect(readFileSync(join(project, 'k8s/pdb.yaml'), 'utf8')).toContain('minAvailable: 1');
    expect(readFileSync(join(project, 'k8s/role.yaml'), 'utf8')).toContain(
      'resourceNames: [k8s-core-config]',
    );
    // The whole k8s/ folder, as the project's `npm run check` runs it (kustomization.yaml included).
    expect(cli(['check', '--strict', join(project, 'k8s')]).code).toBe(0);

    const ctx = ['--context', 'k8s-learn-practice'];
    const courseObjects = await kubectl(m, [
      ...ctx,
      'get',
      'deployments,services,configmaps',
      '-n',
      'k8s-test',
      '-o',
      'name',
    ]);
    const up = await script(m, project, 'up');
    expect(up.out).not.toContain('practice start');
    expect(up.out).toMatch(/kept by `npm run down`: .*namespace\/k8s-test.*deployment\.apps\/k8s-core/);
    expect(up.out).toMatch(/✓ k8s-core answered 6 requests through its Service/);
    expect(up.code).toBe(0);
    const down = await script(m, project, 'down');
    expect(down.code).toBe(0);
    expect(down.out).toContain('configmap "k8s-core-config" deleted');
    expect(down.out).not.toContain('deployment.apps "k8s-core" deleted');
    const after = await kubectl(m, [
      ...ctx,
      'get',
      'deployments,services,configmaps',
      '-n',
      'k8s-test',
      '-o',
      'name',
    ]);
    expect(after.stdout).toBe(courseObjects.stdout);
  }, 300_000);

  it('says what to do when there is no course workspace', () => {
    const r = cli(['init', 'x', '-y', '--from-course', '--dir', join(m.home, 'nowhere')], {
      cwd: m.home,
      env: m.env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No course workspace at');
    // The command as this learner runs k8s-learn (npx, npm start --, or a k8s-learn on PATH).
    expect(r.stderr).toMatch(/Run the course first \(`(npx |npm start -- )?k8s-learn`\)/);
  });
});
