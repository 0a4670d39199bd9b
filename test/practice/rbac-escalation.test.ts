// RBAC escalation prevention with the real kubectl: a ServiceAccount allowed to write Roles and
// RoleBindings may grant only what it holds, unless it may `escalate` (roles) or `bind` (the
// referenced role); upstream's 403 text lists what is missing. The learner's admin is exempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let t: TestCluster;
const AS = '--as=system:serviceaccount:esc:dev';
const WHO =
  'user "system:serviceaccount:esc:dev" (groups=["system:serviceaccounts" "system:serviceaccounts:esc" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:';

async function ok(args: string[], input?: string): Promise<string> {
  const r = await t.kubectl(args, { input });
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, args.join(' ')).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  t = await startTestCluster({ plugins: [] });
  await ok(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: Namespace
metadata: {name: esc}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: dev, namespace: esc}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rbac-writer, namespace: esc}
rules:
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [get, list, create, update, patch]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rbac-writer, namespace: esc}
subjects: [{kind: ServiceAccount, name: dev, namespace: esc}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: rbac-writer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: clusterrole-writer}
rules:
- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles]
  verbs: [create]
- apiGroups: [""]
  resources: [namespaces]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: dev-clusterrole-writer}
subjects: [{kind: ServiceAccount, name: dev, namespace: esc}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: clusterrole-writer}
`,
  );
});

afterAll(async () => {
  await t?.stop();
});

describe('RBAC escalation prevention', () => {
  it('lets a ServiceAccount create a Role with rights it holds', async () => {
    expect(
      await ok(['-n', 'esc', 'create', 'role', 'cm-reader', '--verb=get', '--resource=configmaps', AS]),
    ).toBe('role.rbac.authorization.k8s.io/cm-reader created\n');
    expect(
      await ok(['-n', 'esc', 'create', 'rolebinding', 'cm-reader', '--role=cm-reader', '--user=someone', AS]),
    ).toBe('rolebinding.rbac.authorization.k8s.io/cm-reader created\n');
  });

  it('refuses a Role granting what the requester does not hold, listing the missing rights', async () => {
    const r = await t.kubectl(['-n', 'esc', 'apply', '-f', '-', AS], {
      input: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader}
rules:
- apiGroups: [""]
  resources: [secrets, configmaps]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments]
  resourceNames: [web]
  verbs: [delete]
`,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (Forbidden): error when creating "STDIN": roles.rbac.authorization.k8s.io "secret-reader" is forbidden: ${WHO}\n` +
        '{APIGroups:[""], Resources:["configmaps"], Verbs:["watch"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list" "watch"]}\n' +
        '{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["delete"]}\n',
    );
    expect((await t.kubectl(['-n', 'esc', 'get', 'role', 'secret-reader'])).code).toBe(1);
  });

  it('checks updates too: adding a verb the requester lacks is refused', async () => {
    const r = await t.kubectl([
      '-n',
      'esc',
      'patch',
      'role',
      'cm-reader',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/rules/0/verbs/-","value":"delete"}]',
      AS,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (Forbidden): roles.rbac.authorization.k8s.io "cm-reader" is forbidden: ${WHO}\n{APIGroups:[""], Resources:["configmaps"], Verbs:["delete"]}\n`,
    );
  });

  it('refuses a RoleBinding to a role with more rights than the requester holds, unless it may bind it', async () => {
    let r = await t.kubectl([
      '-n',
      'esc',
      'create',
      'rolebinding',
      'dev-edit',
      '--clusterrole=edit',
      '--user=x',
      AS,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "dev-edit" is forbidden: ${WHO}\n`,
    );
    expect(r.stderr).toContain(
      '\n{APIGroups:[""], Resources:["pods"], Verbs:["create" "delete" "deletecollection" "patch" "update" "get" "list" "watch"]}\n',
    );
    r = await t.kubectl(['-n', 'esc', 'create', 'rolebinding', 'ghost', '--role=ghost', '--user=x', AS]);
    expect(r.stderr).toBe(
      'error: failed to create rolebinding: roles.rbac.authorization.k8s.io "ghost" not found\n',
    );
    // `bind` on that one ClusterRole is enough.
    await ok([
      '-n',
      'esc',
      'create',
      'role',
      'bind-edit',
      '--verb=bind',
      '--resource=clusterroles',
      '--resource-name=edit',
    ]);
    await ok([
      '-n',
      'esc',
      'create',
      'rolebinding',
      'bind-edit',
      '--role=bind-edit',
      '--serviceaccount=esc:dev',
    ]);
    expect(
      await ok(['-n', 'esc', 'create', 'rolebinding', 'dev-edit', '--clusterrole=edit', '--user=x', AS]),
    ).toBe('rolebinding.rbac.authorization.k8s.io/dev-edit created\n');
    r = await t.kubectl([
      '-n',
      'esc',
      'create',
      'rolebinding',
      'dev-admin',
      '--clusterrole=admin',
      '--user=x',
      AS,
    ]);
    expect(r.stderr).toContain('is attempting to grant RBAC permissions not currently held');
  });

  it('lets a requester that may escalate roles create any Role', async () => {
    await ok(['-n', 'esc', 'create', 'role', 'escalate', '--verb=escalate', '--resource=roles']);
    await ok([
      '-n',
      'esc',
      'create',
      'rolebinding',
      'escalate',
      '--role=escalate',
      '--serviceaccount=esc:dev',
    ]);
    expect(
      await ok(['-n', 'esc', 'create', 'role', 'secret-reader', '--verb=get', '--resource=secrets', AS]),
    ).toBe('role.rbac.authorization.k8s.io/secret-reader created\n');
  });

  it('requires full authority for an aggregationRule', async () => {
    const r = await t.kubectl(['create', '-f', '-', AS], {
      input: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: gather}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {team: web}}]
rules: []
`,
    });
    expect(r.stderr).toBe(
      'Error from server (Forbidden): error when creating "STDIN": clusterroles.rbac.authorization.k8s.io "gather" is forbidden: must have cluster-admin privileges to use the aggregationRule\n',
    );
  });

  it('never limits the learner’s own credential', async () => {
    expect(await ok(['-n', 'esc', 'create', 'role', 'everything', '--verb=*', '--resource=*.*'])).toBe(
      'role.rbac.authorization.k8s.io/everything created\n',
    );
    expect(
      await ok(['create', 'clusterrolebinding', 'x-admin', '--clusterrole=cluster-admin', '--user=x']),
    ).toBe('clusterrolebinding.rbac.authorization.k8s.io/x-admin created\n');
  });
});
