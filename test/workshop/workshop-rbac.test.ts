// A workshop end to end on the practice cluster with RBAC enforced for ServiceAccount tokens and
// the real kubectl: provision 3 learners (real tokens from TokenRequest), run the course as two of
// them in parallel, check each stayed fenced in its namespace (403 in the other's, 403 on
// cluster-scoped writes), `status --json`, idempotent provision, and a teardown that leaves the
// cluster's object list exactly as it was, an unrelated namespace included. Quotas are checked when
// the practice cluster serves ResourceQuota and LimitRange (see the skip reason otherwise).
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../src/runner.js';
import { kubectlPath } from '../helpers/practice.js';
import { cli, courseSteps, startWorkshopCluster, statusJson, type WorkshopCluster } from './helpers.js';

let w: WorkshopCluster;
let quotaKinds = false;
let out = '';
let before: string[] = [];
const learners = ['learner-01', 'learner-02', 'learner-03'];

/** as runs kubectl with a learner's kubeconfig file (their token, their namespace). */
async function as(learner: string, args: string[]) {
  const r = await createRunner({ env: w.env as NodeJS.ProcessEnv }).run(
    kubectlPath,
    ['--kubeconfig', join(out, `${learner}.kubeconfig`), ...args],
    { timeoutMs: 30_000 },
  );
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/** objectList is every object of every listable kind (events aside: see below), by name. */
async function objectList(): Promise<string[]> {
  const kinds = await w.tc.kubectl(['api-resources', '--verbs=list', '-o', 'name']);
  // Events record what happened (learners' pods come and go); they are not objects anyone made.
  const names = kinds.stdout.split('\n').filter((k) => k && !/^events(\.events\.k8s\.io)?$/.test(k));
  const r = await w.tc.kubectl(['get', names.join(','), '-A', '-o', 'name']);
  expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('Warning:'))).toEqual([]);
  return r.stdout.split('\n').filter(Boolean).sort();
}

beforeAll(async () => {
  w = await startWorkshopCluster();
  out = join(w.dir, 'handouts');
  const kinds = await w.tc.kubectl(['api-resources', '-o', 'name']);
  quotaKinds = /^resourcequotas$/m.test(kinds.stdout) && /^limitranges$/m.test(kinds.stdout);
  // Something that is not the workshop's and must survive teardown.
  await w.tc.kubectl(['create', 'namespace', 'bystander']);
  await w.tc.kubectl(['create', 'configmap', 'keep-me', '-n', 'bystander', '--from-literal=a=b']);
  before = await objectList();
}, 60_000);

afterAll(async () => {
  if (!quotaKinds) {
    console.warn(
      'workshop-rbac: the practice cluster serves no ResourceQuota/LimitRange: provision ran with --quota none, the quota test was skipped',
    );
  }
  await w?.tc.stop();
});

const quotaFlags = () => (quotaKinds ? ['--quota', 'cpu=2,memory=2Gi,pods=20'] : ['--quota', 'none']);
const provisionThree = () =>
  cli(w, ['workshop', 'provision', ...w.admin, '--learners', '3', '--out', out, ...quotaFlags()]);

describe('a workshop on one shared cluster', () => {
  it('provision makes 3 fenced learners with kubeconfig files and handouts', async () => {
    const r = await provisionThree();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Learners created: 3; already there and left as they were: 0.');
    for (const l of learners) {
      const file = join(out, `${l}.kubeconfig`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const whoami = await as(l, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
      expect(whoami.stdout).toBe(`system:serviceaccount:${l}:learner`);
    }
    const md = readFileSync(join(out, 'handout.md'), 'utf8');
    expect(md.match(/^## learner-0\d$/gm)).toEqual(['## learner-01', '## learner-02', '## learner-03']);
    expect(md).toContain('npx k8s-learn --kubeconfig learner-02.kubeconfig');
    const html = readFileSync(join(out, 'handout.html'), 'utf8');
    expect(html.match(/<section class="card">/g)).toHaveLength(3);
    expect(html).not.toMatch(/https?:\/\//); // printable offline, nothing fetched
  }, 120_000);

  it('provision again changes nothing and keeps the kubeconfig files', async () => {
    const list = async () =>
      (
        await w.tc.kubectl([
          'get',
          'namespaces,serviceaccounts,roles,rolebindings,clusterroles,clusterrolebindings',
          '-A',
          '-l',
          'app.kubernetes.io/managed-by=k8s-learn-workshop',
          '-o',
          'jsonpath={range .items[*]}{.kind}/{.metadata.name}@{.metadata.resourceVersion}{"\\n"}{end}',
        ])
      ).stdout;
    const objects = await list();
    const files = learners.map((l) => readFileSync(join(out, `${l}.kubeconfig`), 'utf8'));
    const r = await provisionThree();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Learners created: 0; already there and left as they were: 3.');
    expect(await list()).toBe(objects);
    expect(learners.map((l) => readFileSync(join(out, `${l}.kubeconfig`), 'utf8'))).toEqual(files);
  }, 60_000);

  it('two learners run the course in parallel with their own credentials', async () => {
    const [r1, r2] = await Promise.all(
      ['learner-01', 'learner-02'].map((l) =>
        cli(
          w,
          ['--yes', '--kubeconfig', join(out, `${l}.kubeconfig`), '--dir', join(w.dir, `lab-${l}`)],
          300_000,
        ),
      ),
    );
    for (const r of [r1!, r2!]) {
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout.slice(-2500)).toBe(0);
      expect(r.stdout).toContain('Done by the facilitator');
      // The quota's LimitRange fills in the CPU request the autoscaling drill leaves out.
      expect(r.stdout).toContain('has a LimitRange that gives every container a CPU request of 100m');
      expect(r.stdout).toContain('Course complete');
    }
    const view = await statusJson(w);
    expect(view.learners.map((l) => [l.learner, l.state, l.step?.number])).toEqual([
      ['learner-03', 'not-started', undefined],
      ['learner-01', 'done', courseSteps.length],
      ['learner-02', 'done', courseSteps.length],
    ]);
  }, 400_000);

  it("each token is fenced: 403 in the other's namespace and on cluster-scoped writes; reads what the course shows", async () => {
    const other = await as('learner-01', ['get', 'deployments', '-n', 'learner-02']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      'User "system:serviceaccount:learner-01:learner" cannot list resource "deployments" in API group "apps" in the namespace "learner-02"',
    );
    const write = await as('learner-02', ['create', 'configmap', 'x', '-n', 'learner-01']);
    expect(write.stderr).toContain(
      'cannot create resource "configmaps" in API group "" in the namespace "learner-01"',
    );
    const ns = await as('learner-01', ['create', 'namespace', 'mine']);
    expect(ns.stderr).toContain('cannot create resource "namespaces" in API group "" at the cluster scope');
    const node = await as('learner-01', ['label', 'node', 'k8s-learn-worker', 'x=y']);
    expect(node.stderr).toContain('cannot patch resource "nodes" in API group "" at the cluster scope');
    const rbac = await as('learner-01', [
      'create',
      'rolebinding',
      'more',
      '--clusterrole=admin',
      '--serviceaccount=learner-01:learner',
    ]);
    expect(rbac.stderr).toContain('cannot create resource "rolebindings"');
    const secrets = await as('learner-01', ['get', 'secrets']);
    expect(secrets.stderr).toContain(
      'cannot list resource "secrets" in API group "" in the namespace "learner-01"',
    );
    // What the course shows: nodes (read-only), its own namespace, its own workloads.
    expect((await as('learner-01', ['get', 'nodes', '-o', 'name'])).code).toBe(0);
    expect((await as('learner-01', ['get', 'namespace', 'learner-01', '-o', 'name'])).stdout.trim()).toBe(
      'namespace/learner-01',
    );
    expect((await as('learner-01', ['get', 'deployments', '-o', 'name'])).stdout).toContain(
      'deployment.apps/k8s-employee',
    );
    // `alerts` looks at the learner's namespace only (all namespaces would be a 403), with the
    // file or from the workspace that remembers the workshop.
    for (const where of [
      ['--kubeconfig', join(out, 'learner-01.kubeconfig')],
      ['--dir', join(w.dir, 'lab-learner-02')],
    ]) {
      const alerts = await cli(w, ['alerts', ...where]);
      expect(alerts.stderr).toBe('');
      expect(alerts.code).toBe(0);
    }
    // Nothing of the course landed outside the learners' namespaces.
    expect((await w.tc.kubectl(['get', 'namespace', 'k8s-test'])).stderr).toContain('NotFound');
  }, 60_000);

  it('a 403 inside the course is explained, never shown raw', async () => {
    const course = resolve(import.meta.dirname, 'fixtures/denied-course');
    const r = await cli(w, [
      '--yes',
      '--course',
      course,
      '--kubeconfig',
      join(out, 'learner-03.kubeconfig'),
      '--dir',
      join(w.dir, 'lab-denied'),
    ]);
    expect(r.code).toBe(1);
    const all = r.stdout + r.stderr;
    expect(all).toContain('Your workshop credential cannot list secrets, even in your namespace learner-03');
    expect(all).not.toContain('Error from server (Forbidden)');
    expect(all).not.toContain('system:serviceaccount');
  }, 60_000);

  it('quotas and limit ranges are applied and enforced in every learner namespace', async (ctx) => {
    // Decided at run time: whether the practice cluster serves these kinds is known after beforeAll.
    if (!quotaKinds) ctx.skip('the practice cluster does not serve ResourceQuota/LimitRange');
    for (const l of learners) {
      const q = await w.tc.kubectl([
        'get',
        'resourcequota',
        'k8s-learn-quota',
        '-n',
        l,
        '-o',
        'jsonpath={.spec.hard}',
      ]);
      expect(JSON.parse(q.stdout)).toEqual({ cpu: '2', memory: '2Gi', pods: '20' });
      const lr = await w.tc.kubectl(['get', 'limitrange', 'k8s-learn-limits', '-n', l, '-o', 'name']);
      expect(lr.stdout.trim()).toBe('limitrange/k8s-learn-limits');
    }
    const pod = (name: string, cpu?: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'learner-03' },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'k8s-core:1.0',
              ...(cpu ? { resources: { requests: { cpu }, limits: { cpu } } } : {}),
            },
          ],
        },
      });
    const apply = (input: string) =>
      createRunner({ env: w.env as NodeJS.ProcessEnv }).run(
        kubectlPath,
        ['--kubeconfig', join(out, 'learner-03.kubeconfig'), 'apply', '-f', '-'],
        { input, timeoutMs: 30_000 },
      );
    // The LimitRange gives a container without requests the default ones…
    expect((await apply(pod('small'))).exitCode).toBe(0);
    const requests = await w.tc.kubectl([
      'get',
      'pod',
      'small',
      '-n',
      'learner-03',
      '-o',
      'jsonpath={.spec.containers[0].resources.requests.cpu}',
    ]);
    expect(requests.stdout).toBe('100m');
    // …and the quota refuses what goes beyond it (3 CPUs, with a limit to match: the LimitRange's
    // default limit of 500m would make the request invalid before the quota is asked).
    const big = await apply(pod('big', '3'));
    expect(big.exitCode).toBe(1);
    expect(big.stderr).toContain('exceeded quota: k8s-learn-quota');
    // The learner cannot raise their own quota.
    const raise = await as('learner-03', [
      'patch',
      'resourcequota',
      'k8s-learn-quota',
      '-p',
      '{"spec":{"hard":{"pods":"100"}}}',
    ]);
    expect(raise.stderr).toContain('cannot patch resource "resourcequotas"');
  }, 60_000);

  it('teardown removes exactly what provision made; an unrelated namespace survives; a torn-down learner gets a clear message', async () => {
    const noYes = await cli(w, ['workshop', 'teardown', ...w.admin]);
    expect(noYes.code).toBe(2);
    const r = await cli(w, ['workshop', 'teardown', ...w.admin, '--yes'], 360_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Namespace/learner-02');
    expect(r.stdout).toContain(`ClusterRole/k8s-learn-workshop-view`);
    expect(r.stdout).not.toContain('bystander');
    expect(await objectList()).toEqual(before);
    expect(
      (await w.tc.kubectl(['get', 'configmap', 'keep-me', '-n', 'bystander', '-o', 'name'])).stdout.trim(),
    ).toBe('configmap/keep-me');
    const gone = await cli(w, [
      '--yes',
      '--kubeconfig',
      join(out, 'learner-03.kubeconfig'),
      '--dir',
      join(w.dir, 'lab-gone'),
    ]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Your workshop credential for the namespace learner-03 no longer works');
    // Nothing left to tear down.
    const again = await cli(w, ['workshop', 'teardown', ...w.admin, '--yes']);
    expect(again.stdout).toContain('nothing to delete');
  }, 420_000);
});
