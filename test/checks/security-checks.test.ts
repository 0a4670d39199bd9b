// The security and cluster lessons' checks (can-i, cluster-answer) and `k8s-learn tree`'s builder,
// with the REAL kubectl against the practice cluster's RBAC and nodes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMatches, wordsOf } from '../../src/checks/kube/answer.js';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckContext, CheckResult, CheckType } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createRunner } from '../../src/runner.js';
import { buildTree, type KubeItem } from '../../src/tree/build.js';
import { renderTree } from '../../src/tree/render.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let tc: TestCluster;
let ctx: CheckContext;
const ns = 'k8s-test';
const sa = `system:serviceaccount:${ns}:k8s-core`;

const check = (name: string) => {
  const found = (kubeCheckTypes as CheckType[]).find((c) => c.name === name);
  if (!found) throw new Error(`no check ${name}`);
  return (spec: Record<string, unknown>, c: CheckContext = ctx): Promise<CheckResult> => found.run(spec, c);
};

async function k(args: string[], input?: string) {
  const r = await tc.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function role(rules: unknown[]) {
  return JSON.stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'k8s-core', namespace: ns },
    rules,
  });
}

beforeAll(async () => {
  tc = await startTestCluster();
  const runner = createRunner({
    env: { PATH: process.env.PATH, HOME: tc.dataDir, KUBECACHEDIR: `${tc.dataDir}/kubectl-cache` },
  });
  const cluster = { backend: 'practice', context: tc.cluster.context, kubeconfig: tc.cluster.kubeconfigPath };
  ctx = { runner, workspace: tc.dataDir, lang: 'en', t: createTranslator('en'), vars: {}, cluster };
  await k(['create', 'namespace', ns]);
  await k(['-n', ns, 'create', 'serviceaccount', 'k8s-core']);
  await k([
    '-n',
    ns,
    'create',
    'rolebinding',
    'k8s-core',
    '--role=k8s-core',
    `--serviceaccount=${ns}:k8s-core`,
  ]);
}, 60_000);

afterAll(async () => {
  await tc?.stop();
});

describe('can-i', () => {
  const canI = check('can-i');
  const readOne = { verb: 'get', resource: 'configmap', name: 'casc-network-config', namespace: ns, as: sa };

  it('over-broad: the article’s role lets the account read secrets; the denial check fails at once', async () => {
    await k(['apply', '-f', '-'], role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]));
    const r = await canI({ verb: 'list', resource: 'secrets', namespace: ns, as: sa, allowed: false });
    expect(r).toMatchObject({ ok: false, causeId: 'over-privileged', stuck: true });
    expect(r.title).toBe(`${sa} may not list secrets in ${ns}`);
    // What the account may do is shown: the learner's own rule, not the discovery noise.
    expect(r.saw).toContain(`$ kubectl auth can-i list secrets -n ${ns} --as=${sa}\nyes`);
    expect(r.saw).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    expect(r.saw).not.toContain('/healthz');
    expect(r.hint).toContain(`kubectl auth can-i --list -n ${ns} --as=${sa}`);
  });

  it('narrowed to one ConfigMap by name: that one yes, another one, secrets and pods no', async () => {
    await k(
      ['apply', '-f', '-'],
      role([
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['casc-network-config'],
          verbs: ['get'],
        },
      ]),
    );
    expect(await canI({ ...readOne, allowed: true })).toMatchObject({ ok: true });
    expect(await canI({ ...readOne, name: 'employee-config', allowed: false })).toMatchObject({ ok: true });
    expect(
      await canI({ verb: 'list', resource: 'secrets', namespace: ns, as: sa, allowed: false }),
    ).toMatchObject({ ok: true });
    expect(
      await canI({ verb: 'create', resource: 'pods', namespace: ns, as: sa, allowed: false }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('too narrow: a typo in the resource denies what the app needs', async () => {
    await k(
      ['apply', '-f', '-'],
      role([
        { apiGroups: [''], resources: ['configmap'], resourceNames: ['casc-network-config'], verbs: ['get'] },
      ]),
    );
    const r = await canI({ ...readOne, allowed: true });
    expect(r).toMatchObject({ ok: false, causeId: 'not-allowed', stuck: true });
    expect(r.saw).toContain('\nno');
    expect(r.cause).toContain('No rule bound to');
  });

  it('a kubectl failure is not an answer', async () => {
    const lost = { ...ctx, cluster: { ...ctx.cluster!, context: 'no-such-context' } };
    const r = await canI({ ...readOne, allowed: false }, lost);
    expect(r).toMatchObject({ ok: false, causeId: 'kubectl-error' });
    expect(r.saw).toContain('no-such-context');
  });
});

describe('cluster-answer', () => {
  const answer = check('cluster-answer');
  const file = 'answers.yaml';
  const write = (text: string) => writeFileSync(join(tc.dataDir, file), text);
  const nodes = {
    file,
    key: 'nodes',
    kind: 'nodes',
    jsonpath: '{.items[*].metadata.name}',
    compare: 'count',
  };
  const taint = {
    file,
    key: 'taint',
    kind: 'nodes',
    selector: 'node-role.kubernetes.io/control-plane',
    jsonpath: '{range .items[*].spec.taints[*]}{.key}:{.effect} {end}',
    compare: 'set',
  };

  it('the practice cluster has kind’s shape: 3 nodes, the control plane tainted NoSchedule', async () => {
    write(
      'nodes: 3\ncontrol-plane: k8s-learn-control-plane\ntaint: node-role.kubernetes.io/control-plane:NoSchedule\n',
    );
    expect(await answer(nodes)).toMatchObject({ ok: true });
    expect(await answer(taint)).toMatchObject({ ok: true });
    expect(
      await answer({
        file,
        key: 'control-plane',
        kind: 'nodes',
        selector: 'node-role.kubernetes.io/control-plane',
        jsonpath: '{.items[*].metadata.name}',
      }),
    ).toMatchObject({ ok: true });
  });

  it('a wrong answer says what was written and how to ask the cluster, not the answer', async () => {
    write('nodes: 2\ntaint: node-role.kubernetes.io/control-plane\n');
    const wrong = await answer(nodes);
    expect(wrong).toMatchObject({
      ok: false,
      causeId: 'wrong-answer',
      stuck: true,
      saw: 'you wrote `nodes: 2`',
    });
    expect(wrong.hint).toContain("kubectl get nodes -o 'jsonpath={.items[*].metadata.name}'");
    expect(await answer(taint)).toMatchObject({ ok: false, causeId: 'wrong-answer' });
  });

  it('a missing key or file is named', async () => {
    write('# TODO(k8s-learn): nodes\n');
    expect(await answer(nodes)).toMatchObject({ ok: false, causeId: 'answer-missing' });
    expect(await answer({ ...nodes, file: 'none.yaml' })).toMatchObject({
      ok: false,
      causeId: 'file-missing',
    });
  });

  it('compares words, sets and counts', () => {
    expect(wordsOf(['a', 'b c'])).toEqual(['a', 'b', 'c']);
    expect(wordsOf(3)).toEqual(['3']);
    expect(answerMatches(['b', 'a'], ['a', 'b'], 'set')).toBe(true);
    expect(answerMatches(['b', 'a'], ['a', 'b'], 'value')).toBe(false);
    expect(answerMatches(['3'], ['x', 'y', 'z'], 'count')).toBe(true);
    expect(answerMatches(['3', '4'], ['x', 'y', 'z'], 'count')).toBe(false);
  });
});

describe('tree', () => {
  it('arranges objects by owner, collapses idle ReplicaSets, leaves out the built-in ones', async () => {
    const t = createTranslator('en');
    const owner = (kind: string, name: string, uid: string) => ({ ownerReferences: [{ kind, name, uid }] });
    const items: KubeItem[] = [
      { kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', uid: 'c0' } },
      { kind: 'ConfigMap', metadata: { name: 'cfg', uid: 'c1' }, data: { K: 'v' } },
      { kind: 'ServiceAccount', metadata: { name: 'default', uid: 's0' } },
      { kind: 'ServiceAccount', metadata: { name: 'app', uid: 's1' }, automountServiceAccountToken: false },
      {
        kind: 'Deployment',
        metadata: { name: 'app', uid: 'd1' },
        spec: {
          replicas: 1,
          template: {
            spec: {
              serviceAccountName: 'app',
              containers: [{ image: 'app:1' }],
              volumes: [{ configMap: { name: 'cfg' } }],
            },
          },
        },
        status: { readyReplicas: 1 },
      },
      {
        kind: 'ReplicaSet',
        metadata: { name: 'app-new', uid: 'r2', ...owner('Deployment', 'app', 'd1') },
        spec: { replicas: 1 },
        status: { readyReplicas: 1 },
      },
      {
        kind: 'ReplicaSet',
        metadata: { name: 'app-old', uid: 'r1', ...owner('Deployment', 'app', 'd1') },
        spec: { replicas: 0 },
      },
      {
        kind: 'Pod',
        metadata: { name: 'app-new-x', uid: 'p1', ...owner('ReplicaSet', 'app-new', 'r2') },
        spec: { nodeName: 'w1', containers: [{}] },
        status: { phase: 'Running', containerStatuses: [{ ready: true }] },
      },
      {
        kind: 'Service',
        metadata: { name: 'app', uid: 'v1' },
        spec: { type: 'ClusterIP', clusterIP: '10.96.0.9', ports: [{ port: 80, targetPort: 8080 }] },
      },
      {
        kind: 'EndpointSlice',
        metadata: { name: 'app-abc', uid: 'e1', ...owner('Service', 'app', 'v1') },
        endpoints: [{ addresses: ['10.244.1.2'], conditions: { ready: true } }],
      },
      {
        kind: 'Role',
        metadata: { name: 'app', uid: 'o1' },
        rules: [{ verbs: ['get'], resources: ['configmaps'], resourceNames: ['cfg'] }],
      },
    ];
    expect(renderTree('Namespace/ns', buildTree(items, t))).toEqual([
      'Namespace/ns',
      '├─ Deployment/app  1/1 ready · app:1',
      '│  ├─ ReplicaSet/app-new  1/1 ready',
      '│  │  └─ Pod/app-new-x  Running 1/1 on w1',
      '│  └─ + 1 older ReplicaSet(s) at 0 pods, kept for `kubectl rollout undo`',
      '├─ Service/app  ClusterIP 10.96.0.9 · port 80→8080',
      '│  └─ EndpointSlice/app-abc  1/1 endpoints ready: 10.244.1.2',
      '├─ ConfigMap/cfg  keys K; used by Deployment/app',
      '├─ ServiceAccount/app  no token mounted (automountServiceAccountToken: false); used by Deployment/app',
      '└─ Role/app  get configmaps/cfg',
    ]);
  });
});
