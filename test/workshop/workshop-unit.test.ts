// The workshop's pure parts: objects, quota parsing, which steps are cluster-wide, 403 texts,
// the progress record and the facilitator's view, the watch stream splitter.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/index.js';
import { explainDenied, explainText } from '../../src/workshop/forbidden.js';
import { learnerKubeconfig, readLearnerKubeconfig } from '../../src/workshop/kubeconfig.js';
import { splitJsonStream } from '../../src/workshop/live.js';
import {
  learnerNames,
  learnerObjects,
  managedByLabel,
  parseQuota,
  viewClusterRole,
} from '../../src/workshop/objects.js';
import type { Progress } from '../../src/workshop/progress.js';
import { parseDuration } from '../../src/workshop/provision.js';
import { buildView } from '../../src/workshop/rows.js';
import { clusterWideReason } from '../../src/workshop/scope.js';
import { formatDuration } from '../../src/workshop/table.js';

const t = createTranslator('en');

describe('provision objects', () => {
  it('names learners with a zero-padded number', () => {
    expect(learnerNames('learner-', 3)).toEqual(['learner-01', 'learner-02', 'learner-03']);
    expect(learnerNames('s', 120)[0]).toBe('s001');
  });

  it('labels every object and fences the role to the namespace', () => {
    const objects = learnerObjects('learner-07', { cpu: '2', pods: '20' });
    expect(objects.map((o) => o.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'ClusterRoleBinding',
      'ResourceQuota',
      'LimitRange',
    ]);
    for (const o of [...objects, viewClusterRole()])
      expect(o.metadata.labels?.[managedByLabel]).toBe('k8s-learn-workshop');
    for (const o of objects.filter((o) => !['Namespace', 'ClusterRoleBinding'].includes(o.kind)))
      expect(o.metadata.namespace).toBe('learner-07');
    const role = objects.find((o) => o.kind === 'Role') as unknown as {
      rules: { resources: string[]; resourceNames?: string[] }[];
    };
    const resources = role.rules.flatMap((r) => r.resources);
    expect(resources).not.toContain('secrets');
    expect(resources).not.toContain('roles');
    expect(role.rules.find((r) => r.resources.includes('namespaces'))?.resourceNames).toEqual(['learner-07']);
    // The cluster view is read-only.
    const view = viewClusterRole() as unknown as { rules: { verbs: string[] }[] };
    expect(view.rules.flatMap((r) => r.verbs).every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
  });

  it('parses --quota and refuses nonsense', () => {
    expect(parseQuota('cpu=2,memory=2Gi,pods=20')).toEqual({ cpu: '2', memory: '2Gi', pods: '20' });
    expect(parseQuota('requests.cpu=500m, count/deployments.apps=5')).toEqual({
      'requests.cpu': '500m',
      'count/deployments.apps': '5',
    });
    expect(parseQuota('none')).toBeUndefined();
    expect(learnerObjects('l', undefined).map((o) => o.kind)).not.toContain('ResourceQuota');
    expect(() => parseQuota('cpu')).toThrow(/invalid --quota entry/);
    expect(() => parseQuota('cpu=two')).toThrow(/invalid quantity/);
  });

  it('reads token durations like kubectl', () => {
    expect(parseDuration('8h')).toBe(28800);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('learner kubeconfig', () => {
  it('round-trips: context with the namespace, token as the user', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-kc-'));
    const file = join(dir, 'l.kubeconfig');
    writeFileSync(
      file,
      learnerKubeconfig(
        { name: 'prod', server: 'https://10.0.0.1:6443', certificateAuthorityData: 'Q0E=' },
        'learner-02',
        'tok',
      ),
    );
    expect(readLearnerKubeconfig(file)).toEqual({ context: 'prod-learner-02', namespace: 'learner-02' });
    expect(() => readLearnerKubeconfig(join(dir, 'missing'))).toThrow(/cannot read the kubeconfig/);
  });
});

describe('cluster-wide steps', () => {
  const ws = mkdtempSync(join(tmpdir(), 'ws-scope-'));
  writeFileSync(join(ws, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: k8s-test\n');
  writeFileSync(
    join(ws, 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: k8s-test\n',
  );
  writeFileSync(
    join(ws, 'rbac.yaml'),
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: app\n',
  );
  it.each([
    ['kubectl apply -f ns.yaml', true],
    // Identities and grants, and asking as someone else: beyond a learner's Role even in its namespace.
    ['kubectl apply -f rbac.yaml', true],
    ['kubectl auth can-i list secrets -n k8s-test --as=system:serviceaccount:k8s-test:k8s-core', true],
    ['kubectl auth can-i list secrets -n k8s-test', false],
    ['kubectl apply -f cm.yaml', false],
    ['kubectl create namespace k8s-test', true],
    ['kubectl taint nodes worker key=value:NoSchedule', true],
    ['kubectl label node worker disk=ssd', true],
    [
      'kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml',
      true,
    ],
    ['kind create cluster --name k8s-learn', true],
    ['kubectl get nodes -o wide', false],
    ['kubectl scale deployment/x --replicas=2', false],
    ['docker build -t app:1 app', false],
    ['kubectl drain k8s-learn-worker --ignore-daemonsets', true],
    // Load through one's own Service is the learner's; --fast changes the shared cluster's clock.
    ['k8s-learn load svc/k8s-core -n k8s-test --duration 90s', false],
    ['k8s-learn load svc/k8s-core -n k8s-test --duration 45s --fast', true],
  ])('%s → cluster-wide: %s', (line, wide) => {
    expect(clusterWideReason(line, ws) !== undefined).toBe(wide);
  });
});

describe('403 explained', () => {
  const ns = 'learner-01';
  it('cluster scope, another namespace, own namespace, quota, expired token', () => {
    expect(
      explainDenied(
        'Error from server (Forbidden): namespaces is forbidden: User "system:serviceaccount:learner-01:learner" cannot create resource "namespaces" in API group "" at the cluster scope',
        t,
        ns,
      ),
    ).toMatch(/cannot create namespaces across the whole cluster/);
    expect(
      explainDenied(
        'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:learner-01:learner" cannot list resource "pods" in API group "" in the namespace "learner-02"',
        t,
        ns,
      ),
    ).toMatch(/in the namespace learner-02: that is not yours \(yours is learner-01\)/);
    expect(
      explainDenied(
        'secrets is forbidden: User "x" cannot get resource "secrets" in API group "" in the namespace "learner-01"',
        t,
        ns,
      ),
    ).toMatch(/even in your namespace/);
    expect(
      explainDenied(
        'Error from server (Forbidden): error when creating "k8s/d.yaml": pods "x" is forbidden: exceeded quota: k8s-learn-quota, requested: pods=1, used: pods=20, limited: pods=20',
        t,
        ns,
      ),
    ).toMatch(/quota \(k8s-learn-quota\) is used up \(this needed pods=1\)/);
    expect(explainDenied('error: You must be logged in to the server (Unauthorized)', t, ns)).toMatch(
      /no longer accepts/,
    );
    expect(explainText('deployment.apps/x created\nall fine', t, ns)).toBe(
      'deployment.apps/x created\nall fine',
    );
  });

  it('is translated', () => {
    const zh = createTranslator('zh-CN');
    expect(explainDenied('error: You must be logged in to the server (Unauthorized)', zh, ns)).toMatch(
      /讲师/,
    );
  });
});

function progress(over: Partial<Progress>): Progress {
  return {
    version: 1,
    course: 'k8s-learn',
    state: 'working',
    step: { key: 'a/b', number: 3, title: 'B', lesson: 'A' },
    totalSteps: 14,
    doneSteps: 2,
    attempts: 1,
    hintsShown: 0,
    stepStartedAt: '2026-01-01T10:00:00Z',
    updatedAt: '2026-01-01T10:00:00Z',
    ...over,
  };
}

describe('the facilitator view', () => {
  const now = new Date('2026-01-01T10:10:00Z');
  const ns = (name: string) => ({ metadata: { name, labels: { 'k8s-learn.io/learner': name } } });
  const cm = (namespace: string, p: Progress) => ({
    metadata: { name: 'k8s-learn-progress', namespace },
    data: { 'progress.json': JSON.stringify(p) },
  });

  it('puts failing learners first, longest stuck first, then working, not started, done', () => {
    const view = buildView(
      [ns('l1'), ns('l2'), ns('l3'), ns('l4'), ns('l5')],
      [
        cm('l1', progress({ state: 'done' })),
        cm(
          'l2',
          progress({
            state: 'failing',
            stepStartedAt: '2026-01-01T10:08:00Z',
            lastFailure: { check: 'c', cause: 'image pull', at: '' },
          }),
        ),
        cm(
          'l3',
          progress({
            state: 'failing',
            stepStartedAt: '2026-01-01T10:01:00Z',
            lastFailure: { check: 'c', cause: 'image pull', at: '' },
          }),
        ),
        cm('l5', progress({ state: 'working', step: { key: 'x/y', number: 5, title: 'Y', lesson: 'X' } })),
      ],
      now,
    );
    expect(view.learners.map((l) => [l.learner, l.state])).toEqual([
      ['l3', 'failing'],
      ['l2', 'failing'],
      ['l5', 'working'],
      ['l4', 'not-started'],
      ['l1', 'done'],
    ]);
    expect(view.learners[0]!.stuckSeconds).toBe(540);
    expect(view.histogram).toEqual([
      { number: 3, key: 'a/b', title: 'B', count: 2 },
      { number: 5, key: 'x/y', title: 'Y', count: 1 },
    ]);
    expect(view.failures).toEqual([{ cause: 'c: image pull', count: 2, learners: ['l3', 'l2'] }]);
  });

  it('formats stuck times', () => {
    expect([
      formatDuration(45),
      formatDuration(185),
      formatDuration(3720),
      formatDuration(undefined),
    ]).toEqual(['45s', '3m05s', '1h02m', '-']);
  });
});

describe('watch stream', () => {
  it('splits concatenated pretty JSON across chunk borders, braces inside strings included', () => {
    const seen: unknown[] = [];
    const feed = splitJsonStream((v) => seen.push(v));
    const a = JSON.stringify({ type: 'ADDED', object: { data: { x: '{"not": [a brace]}' } } }, null, 2);
    const b = JSON.stringify({ type: 'MODIFIED', object: { s: 'quote \\" and }' } }, null, 2);
    const text = `${a}\n${b}\n`;
    for (let i = 0; i < text.length; i += 7) feed(text.slice(i, i + 7));
    expect(seen).toEqual([JSON.parse(a), JSON.parse(b)]);
  });
});
