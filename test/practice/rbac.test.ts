// RBAC with the real kubectl: the imperative `create role|rolebinding|clusterrole|
// clusterrolebinding` (protobuf bodies on kubectl ≥ 1.32), kind's default ClusterRoles and
// bindings, enforcement for ServiceAccount tokens and impersonation with upstream's 403 texts,
// whoami, can-i (incl. --list), SubjectAccessReview, and `create token` whose token works in a
// kubeconfig of its own — two learners, each confined to their namespace.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ plugins: [] });
});

afterAll(async () => {
  await t?.stop();
});

async function ok(...args: string[]): Promise<string> {
  const r = await t.kubectl(args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, args.join(' ')).toBe(0);
  return r.stdout;
}

async function json(...args: string[]): Promise<Record<string, unknown>> {
  return JSON.parse(await ok(...args, '-o', 'json')) as Record<string, unknown>;
}

/** learnerKubeconfig writes a kubeconfig whose user is a ServiceAccount token from `create token`. */
async function learnerKubeconfig(namespace: string, sa: string): Promise<string> {
  const token = (await ok('-n', namespace, 'create', 'token', sa, '--duration=30m')).trim();
  const file = join(t.dataDir, `kubeconfig-${sa}`);
  copyFileSync(t.cluster.kubeconfigPath, file);
  await ok('--kubeconfig', file, 'config', 'set-credentials', sa, `--token=${token}`);
  await ok(
    '--kubeconfig',
    file,
    'config',
    'set-context',
    '--current',
    `--user=${sa}`,
    `--namespace=${namespace}`,
  );
  return file;
}

describe('RBAC objects from the imperative generators', () => {
  it('creates roles, cluster roles and their bindings (protobuf bodies) with every field', async () => {
    await ok('create', 'namespace', 'gen');
    await ok(
      '-n',
      'gen',
      'create',
      'role',
      'pod-reader',
      '--verb=get,list,watch',
      '--resource=pods,pods/log',
    );
    await ok(
      '-n',
      'gen',
      'create',
      'role',
      'one-cm',
      '--verb=get',
      '--resource=configmaps',
      '--resource-name=app',
    );
    await ok('-n', 'gen', 'create', 'serviceaccount', 'bot');
    await ok(
      '-n',
      'gen',
      'create',
      'rolebinding',
      'read-pods',
      '--role=pod-reader',
      '--serviceaccount=gen:bot',
      '--user=ann',
      '--group=devs',
    );
    await ok('create', 'clusterrole', 'node-reader', '--verb=get,list', '--resource=nodes');
    await ok('create', 'clusterrole', 'metrics', '--verb=get', '--non-resource-url=/metrics,/logs/*');
    await ok('create', 'clusterrole', 'monitoring', '--aggregation-rule=team=monitoring');
    await ok('create', 'clusterrolebinding', 'read-nodes', '--clusterrole=node-reader', '--user=bob');

    const role = await json('-n', 'gen', 'get', 'role', 'pod-reader');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect((await json('-n', 'gen', 'get', 'role', 'one-cm')).rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'], verbs: ['get'] },
    ]);
    const rb = await json('-n', 'gen', 'get', 'rolebinding', 'read-pods');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' });
    expect(rb.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'ann' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'bot', namespace: 'gen' },
    ]);
    expect((await json('get', 'clusterrole', 'metrics')).rules).toEqual([
      { nonResourceURLs: ['/metrics', '/logs/*'], verbs: ['get'] },
    ]);
    expect((await json('get', 'clusterrole', 'monitoring')).aggregationRule).toEqual({
      clusterRoleSelectors: [{ matchLabels: { team: 'monitoring' } }],
    });
    const crb = await json('get', 'clusterrolebinding', 'read-nodes');
    expect(crb.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'node-reader',
    });
    expect(crb.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' }]);
  });

  it('aggregates a cluster role from the roles its selector matches', async () => {
    await ok('create', 'clusterrole', 'scrape', '--verb=get,list', '--resource=endpoints');
    await ok('label', 'clusterrole', 'scrape', 'team=monitoring');
    await expect
      .poll(async () => (await json('get', 'clusterrole', 'monitoring')).rules, { timeout: 5000 })
      .toEqual([{ apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list'] }]);
  });
});

describe('the default roles and bindings of a kind 1.33 cluster', () => {
  it('has cluster-admin, admin, edit, view and the system roles, aggregated', async () => {
    const names = await ok('get', 'clusterroles', '-o', 'name');
    for (const n of [
      'admin',
      'cluster-admin',
      'edit',
      'view',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
    ])
      expect(names).toContain(`clusterrole.rbac.authorization.k8s.io/${n}\n`);
    const view = JSON.stringify((await json('get', 'clusterrole', 'view')).rules);
    expect(view).toContain('"pods"');
    expect(view).not.toContain('"secrets"');
    const edit = JSON.stringify((await json('get', 'clusterrole', 'edit')).rules);
    expect(edit).toContain('"secrets"'); // edit gets view's rules and its own
    expect(edit).toContain('"replicationcontrollers/scale"');
    const admin = JSON.stringify((await json('get', 'clusterrole', 'admin')).rules);
    expect(admin).toContain('"rolebindings"');
    const crb = await json('get', 'clusterrolebinding', 'cluster-admin');
    expect(crb.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' },
    ]);
    expect(await ok('get', 'clusterrolebindings')).toMatch(
      /system:basic-user\s+ClusterRole\/system:basic-user\s+\d+s/,
    );
  });
});

describe('authorization', () => {
  it('says no for a namespace default ServiceAccount, and yes for the learner', async () => {
    const no = await t.kubectl([
      'auth',
      'can-i',
      'list',
      'pods',
      '--as=system:serviceaccount:default:default',
    ]);
    expect(no.stdout).toBe('no\n');
    expect(no.code).toBe(1);
    expect(await ok('auth', 'can-i', 'create', 'clusterrolebindings', '--all-namespaces')).toBe('yes\n');
    expect(await ok('auth', 'can-i', 'get', 'pods', '-n', 'gen', '--as=system:serviceaccount:gen:bot')).toBe(
      'yes\n',
    );
    expect(await ok('auth', 'can-i', 'get', 'pods/log', '-n', 'gen', '--as=ann')).toBe('yes\n');
    expect(await ok('auth', 'can-i', 'get', 'pods', '-n', 'gen', '--as=carol', '--as-group=devs')).toBe(
      'yes\n',
    );
    expect((await t.kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'gen', '--as=ann'])).stdout).toBe(
      'no\n',
    );
    expect((await t.kubectl(['auth', 'can-i', 'get', 'pods', '-n', 'default', '--as=ann'])).stdout).toBe(
      'no\n',
    );
    // resourceNames: one ConfigMap only.
    await ok('-n', 'gen', 'create', 'rolebinding', 'fay-cm', '--role=one-cm', '--user=fay');
    expect(await ok('auth', 'can-i', 'get', 'configmap/app', '-n', 'gen', '--as=fay')).toBe('yes\n');
    expect(
      (await t.kubectl(['auth', 'can-i', 'get', 'configmap/other', '-n', 'gen', '--as=fay'])).stdout,
    ).toBe('no\n');
    expect((await t.kubectl(['auth', 'can-i', 'list', 'configmaps', '-n', 'gen', '--as=fay'])).stdout).toBe(
      'no\n',
    );
  });

  it('refuses with upstream 403 texts for impersonated users', async () => {
    const pods = await t.kubectl(['get', 'pods', '--as=system:serviceaccount:default:default']);
    expect(pods.code).toBe(1);
    expect(pods.stderr).toBe(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"\n',
    );
    const nodes = await t.kubectl(['get', 'node', 'k8s-learn-worker', '--as=ann']);
    expect(nodes.stderr).toBe(
      'Error from server (Forbidden): nodes "k8s-learn-worker" is forbidden: User "ann" cannot get resource "nodes" in API group "" at the cluster scope\n',
    );
    expect(await ok('get', 'node', 'k8s-learn-worker', '--as=bob', '-o', 'name')).toBe(
      'node/k8s-learn-worker\n',
    );
    const deploy = await t.kubectl(['-n', 'gen', 'create', 'deployment', 'web', '--image=nginx', '--as=ann']);
    expect(deploy.stderr).toBe(
      'error: failed to create deployment: deployments.apps is forbidden: User "ann" cannot create resource "deployments" in API group "apps" in the namespace "gen"\n',
    );
    const raw = await t.kubectl(['get', '--raw', '/metrics', '--as=ann']);
    expect(raw.stderr).toContain(
      'Error from server (Forbidden): forbidden: User "ann" cannot get path "/metrics"',
    );
    expect(await ok('get', '--raw', '/healthz', '--as=ann')).toBe('ok');
  });

  it('names a missing role in the reason, as the RBAC authorizer does', async () => {
    await ok('-n', 'gen', 'create', 'rolebinding', 'ghostly', '--role=ghost', '--user=dan');
    const r = await t.kubectl(['-n', 'gen', 'get', 'secrets', '--as=dan']);
    expect(r.stderr).toBe(
      'Error from server (Forbidden): secrets is forbidden: User "dan" cannot list resource "secrets" in API group "" in the namespace "gen": RBAC: role.rbac.authorization.k8s.io "ghost" not found\n',
    );
  });

  it('lists a user’s rules with can-i --list and tells who is asking with whoami', async () => {
    const list = await ok('auth', 'can-i', '--list', '-n', 'gen', '--as=system:serviceaccount:gen:bot');
    expect(list).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n/);
    expect(list).toMatch(/\npods\s+\[\]\s+\[\]\s+\[get list watch\]\n/);
    expect(list).toMatch(/\npods\/log\s+\[\]\s+\[\]\s+\[get list watch\]\n/);
    expect(list).toMatch(/\nselfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]\n/);
    expect(list).toMatch(/\n\s+\[\/api\/\*\]\s+\[\]\s+\[get\]\n/);
    expect(await ok('auth', 'whoami')).toBe(
      'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n',
    );
    expect(await ok('auth', 'whoami', '--as=system:serviceaccount:gen:bot')).toBe(
      'ATTRIBUTE   VALUE\nUsername    system:serviceaccount:gen:bot\nGroups      [system:serviceaccounts system:serviceaccounts:gen system:authenticated]\n',
    );
    expect(
      await ok('auth', 'whoami', '--as=carol', '--as-group=devs', '-o', 'jsonpath={.status.userInfo}'),
    ).toBe('{"groups":["devs","system:authenticated"],"username":"carol"}');
  });

  it('answers SubjectAccessReview and LocalSubjectAccessReview', async () => {
    const review = (kind: string, ns: string | undefined, user: string) =>
      JSON.stringify({
        apiVersion: 'authorization.k8s.io/v1',
        kind,
        metadata: ns ? { namespace: ns } : {},
        spec: { user, resourceAttributes: { namespace: 'gen', verb: 'list', resource: 'pods' } },
      });
    const create = async (body: string) => {
      const r = await t.kubectl(['create', '-f', '-', '-o', 'jsonpath={.status.allowed}'], { input: body });
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    expect(await create(review('SubjectAccessReview', undefined, 'ann'))).toBe('true');
    expect(await create(review('SubjectAccessReview', undefined, 'eve'))).toBe('false');
    expect(await create(review('LocalSubjectAccessReview', 'gen', 'ann'))).toBe('true');
  });
});

describe('ServiceAccount tokens: two learners, each in their own namespace', () => {
  let alice: string;
  let bobby: string;

  beforeAll(async () => {
    for (const [ns, sa] of [
      ['team-a', 'alice'],
      ['team-b', 'bobby'],
    ] as const) {
      await ok('create', 'namespace', ns);
      await ok('-n', ns, 'create', 'serviceaccount', sa);
      await ok(
        '-n',
        ns,
        'create',
        'rolebinding',
        `${sa}-edit`,
        '--clusterrole=edit',
        `--serviceaccount=${ns}:${sa}`,
      );
    }
    alice = await learnerKubeconfig('team-a', 'alice');
    bobby = await learnerKubeconfig('team-b', 'bobby');
  });

  it('acts in its own namespace with the token from kubectl create token', async () => {
    const as = (file: string, ...args: string[]) => t.kubectl(['--kubeconfig', file, ...args]);
    let r = await as(alice, 'create', 'configmap', 'notes', '--from-literal=a=1');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('configmap/notes created\n');
    r = await as(alice, 'create', 'deployment', 'web', '--image=nginx:1.27');
    expect(r.stdout).toBe('deployment.apps/web created\n');
    r = await as(alice, 'get', 'cm', 'notes', '-o', 'jsonpath={.data.a}');
    expect(r.stdout).toBe('1');
    r = await t.kubectl(['--kubeconfig', bobby, 'apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  b: "2"\n',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('configmap/notes created\n');
    expect((await as(alice, 'auth', 'whoami')).stdout).toMatch(
      /^ATTRIBUTE\s+VALUE\nUsername\s+system:serviceaccount:team-a:alice\nUID\s+[0-9a-f-]{36}\nGroups\s+\[system:serviceaccounts system:serviceaccounts:team-a system:authenticated\]\nExtra: authentication\.kubernetes\.io\/credential-id\s+\[JTI=[0-9a-f-]{36}\]\n$/,
    );
  });

  it('gets 403 in the other learner’s namespace and on cluster-scoped writes', async () => {
    const as = (file: string, ...args: string[]) => t.kubectl(['--kubeconfig', file, ...args]);
    let r = await as(alice, '-n', 'team-b', 'get', 'configmaps');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:team-a:alice" cannot list resource "configmaps" in API group "" in the namespace "team-b"\n',
    );
    r = await as(bobby, '-n', 'team-a', 'delete', 'configmap', 'notes');
    expect(r.stderr).toBe(
      'Error from server (Forbidden): configmaps "notes" is forbidden: User "system:serviceaccount:team-b:bobby" cannot delete resource "configmaps" in API group "" in the namespace "team-a"\n',
    );
    r = await as(alice, 'create', 'namespace', 'mine');
    expect(r.stderr).toBe(
      'Error from server (Forbidden): namespaces is forbidden: User "system:serviceaccount:team-a:alice" cannot create resource "namespaces" in API group "" at the cluster scope\n',
    );
    r = await as(alice, 'get', 'nodes');
    expect(r.stderr).toBe(
      'Error from server (Forbidden): nodes is forbidden: User "system:serviceaccount:team-a:alice" cannot list resource "nodes" in API group "" at the cluster scope\n',
    );
    r = await as(alice, 'get', 'pods', '--as=bobby');
    expect(r.stderr).toBe(
      'Error from server (Forbidden): users "bobby" is forbidden: User "system:serviceaccount:team-a:alice" cannot impersonate resource "users" in API group "" at the cluster scope\n',
    );
    expect((await as(alice, 'auth', 'can-i', 'create', 'pods')).stdout).toBe('yes\n');
    expect((await as(alice, 'auth', 'can-i', 'create', 'pods', '-n', 'team-b')).stdout).toBe('no\n');
    // The learner's own credential keeps every right.
    expect(await ok('-n', 'team-a', 'get', 'cm', 'notes', '-o', 'name')).toBe('configmap/notes\n');
  });

  it('rejects too short durations, unknown accounts, and tokens of deleted accounts', async () => {
    let r = await t.kubectl(['-n', 'team-a', 'create', 'token', 'alice', '--duration=5m']);
    expect(r.stderr).toBe(
      'error: failed to create token: TokenRequest.authentication.k8s.io "alice" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n',
    );
    r = await t.kubectl(['-n', 'team-a', 'create', 'token', 'nobody']);
    expect(r.stderr).toBe('error: failed to create token: serviceaccounts "nobody" not found\n');
    await ok('-n', 'team-b', 'delete', 'serviceaccount', 'bobby');
    r = await t.kubectl(['--kubeconfig', bobby, 'get', 'configmaps']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('You must be logged in to the server');
  });
});
