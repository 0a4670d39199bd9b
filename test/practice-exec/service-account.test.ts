// A pod's ServiceAccount token, with the real kubectl: the ServiceAccount admission mounts a
// bound token the API server accepts (RBAC as system:serviceaccount:NS:SA), unless
// automountServiceAccountToken is false; programs in the pod reach the API server at
// kubernetes.default.svc with it and get upstream's Status answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { eventually, ok, startWorkloadCluster } from '../practice-workloads/e2e.js';

const DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

let tc: TestCluster;
let token = '';
beforeAll(async () => {
  tc = await startWorkloadCluster();
  await ok(
    tc,
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: Namespace
metadata: {name: k8s-test}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: k8s-core, namespace: k8s-test}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: k8s-test}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: k8s-test}
data: {level: debug}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: k8s-test}
data: {x: "1"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: read-app-config, namespace: k8s-test}
rules:
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [app-config]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-app-config, namespace: k8s-test}
subjects:
- {kind: ServiceAccount, name: reader, namespace: k8s-test}
- {kind: ServiceAccount, name: k8s-core, namespace: k8s-test}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-app-config}
`,
  );
  const pod = (name: string, sa: string, image: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: k8s-test}
spec:
  serviceAccountName: ${sa}
${extra}  containers:
  - {name: main, image: "${image}", command: [sleep, "3600"]}
`;
  await ok(
    tc,
    ['apply', '-f', '-'],
    [
      pod('reader', 'reader', 'curlimages/curl:8.11.1'),
      pod('box', 'reader', 'busybox:1.36'),
      pod('core', 'k8s-core', 'busybox:1.36'),
      pod('core-opt-in', 'k8s-core', 'busybox:1.36', '  automountServiceAccountToken: true\n'),
    ].join('---\n'),
  );
  await ok(tc, ['wait', '--for=condition=Ready', 'pod', '--all', '-n', 'k8s-test', '--timeout=60s']);
  token = await ok(tc, ['exec', 'reader', '-n', 'k8s-test', '--', 'cat', `${DIR}/token`]);
});
afterAll(async () => tc?.stop());

describe('the mounted ServiceAccount token', () => {
  it('is a projected kube-api-access volume, mounted read-only in every container', async () => {
    const volumes = await ok(tc, [
      'get',
      'pod',
      'reader',
      '-n',
      'k8s-test',
      '-o',
      'jsonpath={.spec.volumes}',
    ]);
    const [volume] = JSON.parse(volumes) as { name: string; projected: { sources: unknown[] } }[];
    expect(volume?.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume?.projected.sources).toEqual([
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ]);
    const mounts = await ok(tc, [
      'get',
      'pod',
      'reader',
      '-n',
      'k8s-test',
      '-o',
      'jsonpath={.spec.containers[0].volumeMounts}',
    ]);
    expect(JSON.parse(mounts)).toEqual([{ name: volume?.name, readOnly: true, mountPath: DIR }]);
    expect(await ok(tc, ['exec', 'box', '-n', 'k8s-test', '--', 'ls', DIR])).toBe(
      'ca.crt\nnamespace\ntoken\n',
    );
    expect(await ok(tc, ['exec', 'box', '-n', 'k8s-test', '--', 'cat', `${DIR}/namespace`])).toBe('k8s-test');
    const ca = await ok(tc, ['exec', 'box', '-n', 'k8s-test', '--', 'cat', `${DIR}/ca.crt`]);
    expect(ca).toBe(tc.cluster.caCert);
  });

  it('is a token the API server accepts as the ServiceAccount, bound to the pod', async () => {
    expect(token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    const whoami = await ok(tc, ['--token', token, 'auth', 'whoami', '-o', 'json']);
    const status = JSON.parse(whoami).status.userInfo;
    expect(status.username).toBe('system:serviceaccount:k8s-test:reader');
    expect(status.groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:k8s-test',
      'system:authenticated',
    ]);
    expect(status.extra['authentication.kubernetes.io/pod-name']).toEqual(['reader']);
  });

  it('is authorized by RBAC: the one ConfigMap the Role names, 403 for the rest', async () => {
    expect(
      await ok(tc, ['--token', token, 'get', 'configmap', 'app-config', '-n', 'k8s-test', '-o', 'name']),
    ).toBe('configmap/app-config\n');
    const other = await tc.kubectl(['--token', token, 'get', 'configmap', 'other', '-n', 'k8s-test']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      'Error from server (Forbidden): configmaps "other" is forbidden: User "system:serviceaccount:k8s-test:reader" cannot get resource "configmaps" in API group "" in the namespace "k8s-test"',
    );
    const secrets = await tc.kubectl(['--token', token, 'get', 'secrets', '-n', 'k8s-test']);
    expect(secrets.stderr).toContain(
      'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:k8s-test:reader" cannot list resource "secrets" in API group "" in the namespace "k8s-test"',
    );
  });

  it('reaches the API server from inside the pod: curl with the token gets upstream Status JSON', async () => {
    const curl = (args: string) =>
      tc.kubectl(['exec', 'reader', '-n', 'k8s-test', '--', 'sh', '-c', `curl ${args}`]);
    const auth = `-H "Authorization: Bearer $(cat ${DIR}/token)"`;
    const denied = await curl(
      `-sk ${auth} https://kubernetes.default.svc/api/v1/namespaces/k8s-test/secrets`,
    );
    expect(denied.stdout).toBe(
      `${JSON.stringify(
        {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message:
            'secrets is forbidden: User "system:serviceaccount:k8s-test:reader" cannot list resource "secrets" in API group "" in the namespace "k8s-test"',
          reason: 'Forbidden',
          details: { kind: 'secrets' },
          code: 403,
        },
        null,
        2,
      )}\n`,
    );
    const allowed = await curl(
      `-s --cacert ${DIR}/ca.crt ${auth} https://kubernetes.default.svc.cluster.local/api/v1/namespaces/k8s-test/configmaps/app-config`,
    );
    expect(JSON.parse(allowed.stdout)).toMatchObject({ kind: 'ConfigMap', data: { level: 'debug' } });
    const viaEnv = await curl(
      `-sk ${auth} https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/k8s-test/configmaps/app-config -o /dev/null -w '%{http_code}'`,
    );
    expect(viaEnv.stdout).toBe('200');
    const anonymous = await curl('-sk https://kubernetes.default.svc/api/v1/namespaces/k8s-test/secrets');
    expect(JSON.parse(anonymous.stdout).message).toBe(
      'secrets is forbidden: User "system:anonymous" cannot list resource "secrets" in API group "" in the namespace "k8s-test"',
    );
    const version = await curl('-sk https://kubernetes.default.svc/version');
    expect(JSON.parse(version.stdout).gitVersion).toMatch(/^v1\.33\./);
    const badToken = await curl('-sk -H "Authorization: Bearer nope" https://kubernetes.default.svc/api');
    expect(JSON.parse(badToken.stdout)).toMatchObject({ reason: 'Unauthorized', code: 401 });
    const unverified = await curl(`-s ${auth} https://kubernetes.default.svc/api`);
    expect(unverified.code).toBe(60);
    const verbose = await curl('-S -s https://kubernetes.default.svc/api');
    expect(verbose.stderr).toContain(
      'curl: (60) SSL certificate problem: unable to get local issuer certificate',
    );
    const plain = await curl('-s http://kubernetes.default.svc:443/api');
    expect(plain.stdout).toBe('Client sent an HTTP request to an HTTPS server.\n');
  });

  it('works with busybox wget --header too', async () => {
    const r = await tc.kubectl([
      'exec',
      'box',
      '-n',
      'k8s-test',
      '--',
      'sh',
      '-c',
      `wget -qO- --header "Authorization: Bearer $(cat ${DIR}/token)" https://kubernetes.default.svc/api/v1/namespaces/k8s-test/configmaps/app-config`,
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'app-config' } });
    const denied = await tc.kubectl([
      'exec',
      'box',
      '-n',
      'k8s-test',
      '--',
      'sh',
      '-c',
      `wget -qO- --header "Authorization: Bearer $(cat ${DIR}/token)" https://kubernetes.default.svc/api/v1/namespaces/k8s-test/secrets`,
    ]);
    expect(denied.stderr).toContain('wget: server returned error: HTTP/1.1 403 Forbidden');
  });

  it('is not mounted when automountServiceAccountToken is false on the ServiceAccount; the pod may opt in', async () => {
    expect(await ok(tc, ['get', 'pod', 'core', '-n', 'k8s-test', '-o', 'jsonpath={.spec.volumes}'])).toBe('');
    const ls = await tc.kubectl(['exec', 'core', '-n', 'k8s-test', '--', 'ls', DIR]);
    expect(ls.code).not.toBe(0);
    expect(ls.stderr).toContain(`ls: ${DIR}: No such file or directory`);
    expect(await ok(tc, ['exec', 'core-opt-in', '-n', 'k8s-test', '--', 'ls', DIR])).toBe(
      'ca.crt\nnamespace\ntoken\n',
    );
    // What the ServiceAccount may do is the same either way.
    const as = ['-n', 'k8s-test', '--as=system:serviceaccount:k8s-test:k8s-core'];
    expect(await ok(tc, ['auth', 'can-i', 'get', 'configmap/app-config', ...as])).toBe('yes\n');
    const list = await tc.kubectl(['auth', 'can-i', 'list', 'configmaps', ...as]);
    expect(list.stdout).toBe('no\n');
  });

  it('dies with its pod', async () => {
    const t = await ok(tc, ['exec', 'box', '-n', 'k8s-test', '--', 'cat', `${DIR}/token`]);
    expect((await tc.kubectl(['--token', t, 'auth', 'whoami'])).code).toBe(0);
    await ok(tc, ['delete', 'pod', 'box', '-n', 'k8s-test', '--wait=true']);
    const after = await tc.kubectl(['--token', t, 'auth', 'whoami']);
    expect(after.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });

  it('refuses a pod whose ServiceAccount does not exist; a Deployment retries until it does', async () => {
    const r = await tc.kubectl(['apply', '-n', 'k8s-test', '-f', '-'], {
      input:
        'apiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec:\n  serviceAccountName: ghost\n  containers: [{name: c, image: "busybox:1.36"}]\n',
    });
    expect(r.stderr).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "lonely" is forbidden: error looking up service account k8s-test/ghost: serviceaccount "ghost" not found\n',
    );
    await ok(
      tc,
      ['apply', '-n', 'k8s-test', '-f', '-'],
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: later}
spec:
  selector: {matchLabels: {app: later}}
  template:
    metadata: {labels: {app: later}}
    spec:
      serviceAccountName: later
      containers: [{name: c, image: "busybox:1.36", command: [sleep, "3600"]}]
`,
    );
    const events = await eventually(
      tc,
      [
        'get',
        'events',
        '-n',
        'k8s-test',
        '--field-selector',
        'reason=FailedCreate',
        '-o',
        'jsonpath={.items[*].message}',
      ],
      (x) => x.stdout.includes('error looking up service account'),
    );
    expect(events.stdout).toMatch(
      /Error creating: pods "later-[a-z0-9]+-" is forbidden: error looking up service account k8s-test\/later: serviceaccount "later" not found/,
    );
    await ok(tc, ['create', 'serviceaccount', 'later', '-n', 'k8s-test']);
    await ok(tc, ['rollout', 'status', 'deployment/later', '-n', 'k8s-test', '--timeout=60s']);
  });
});
