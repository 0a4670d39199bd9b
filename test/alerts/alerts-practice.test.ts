// Each failure of the facts table produced on the practice cluster (objects applied with the real
// kubectl; status and events written as kubelet / controllers would — part 2's controllers are
// not used here), detected through the real kubectl, then fixed, then cleared. Also the CLI:
// table, --json, exit codes, --watch streaming a change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/alerts/collect.js';
import { diagnose } from '../../src/alerts/diagnose.js';
import type { ClusterSnapshot, K8sObject } from '../../src/alerts/types.js';
import type { Kubectl } from '../../src/kubectl.js';
import { createRunner } from '../../src/runner.js';
import { root } from '../helpers/cli.js';
import { pinnedKubectl, startTestCluster, type TestCluster } from '../helpers/practice.js';
import * as f from './fixtures.js';

let tc: TestCluster;
let kubectl: Kubectl;
let env: Record<string, string | undefined>;

const apiVersions: Record<string, string> = {
  Pod: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
};
const plural: Record<string, string> = {
  Pod: 'pod',
  Deployment: 'deployment',
  HorizontalPodAutoscaler: 'horizontalpodautoscaler',
};

async function k(args: string[], input?: string) {
  const r = await tc.kubectl(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** specOnly turns a fixture object into what a user applies (no status), in namespace ns. */
function specOnly(obj: K8sObject, ns: string): Record<string, unknown> {
  const { status: _status, ...rest } = obj as K8sObject & Record<string, unknown>;
  const spec = { ...(rest.spec ?? {}) } as Record<string, unknown>;
  if (obj.kind === 'Deployment') {
    spec.selector = { matchLabels: { app: obj.metadata.name } };
    spec.template = {
      metadata: { labels: { app: obj.metadata.name } },
      spec: { containers: [{ name: 'app', image: 'k8s-core:1.0' }] },
    };
  }
  if (obj.kind === 'HorizontalPodAutoscaler')
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ];
  const out: Record<string, unknown> = {
    ...rest,
    apiVersion: apiVersions[obj.kind ?? ''],
    metadata: { name: obj.metadata.name, namespace: ns, labels: obj.metadata.labels ?? {} },
  };
  if (obj.kind !== 'EndpointSlice') out.spec = spec;
  else out.addressType = 'IPv4';
  return out;
}

/** produce applies a fixture snapshot to namespace ns: objects, then status, then events. */
async function produce(snap: ClusterSnapshot, ns: string) {
  await k(['create', 'namespace', ns]);
  const objects = [...snap.pods, ...snap.deployments, ...snap.services, ...snap.endpointSlices, ...snap.hpas];
  await k(['apply', '-f', '-'], stream(objects.map((o) => specOnly(o, ns))));
  for (const o of objects) {
    if (o.status && plural[o.kind ?? '']) await patchStatus(plural[o.kind!]!, o.metadata.name, ns, o.status);
  }
  if (snap.events.length > 0) {
    const events = snap.events.map((e, i) => ({
      apiVersion: 'v1',
      kind: 'Event',
      ...e,
      metadata: { name: `${e.involvedObject.name}.${i}`, namespace: ns },
      involvedObject: {
        ...e.involvedObject,
        namespace: ns,
        apiVersion: apiVersions[e.involvedObject.kind ?? ''],
      },
      source: { component: e.involvedObject.kind === 'Pod' ? 'kubelet' : 'horizontal-pod-autoscaler' },
    }));
    await k(['apply', '-f', '-'], stream(events));
  }
}

/** stream is a multi-document YAML stream (JSON documents) for `kubectl apply -f -`. */
const stream = (items: unknown[]) => items.map((i) => JSON.stringify(i)).join('\n---\n');

const patchStatus = (kind: string, name: string, ns: string, status: unknown) =>
  k([
    '-n',
    ns,
    'patch',
    kind,
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status }),
  ]);

const healthyPod = {
  phase: 'Running',
  conditions: [
    { type: 'PodScheduled', status: 'True' },
    { type: 'Ready', status: 'True' },
  ],
  containerStatuses: [
    {
      name: 'app',
      image: 'k8s-core:1.0',
      imageID: '',
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: '2026-11-25T11:00:00Z' } },
    },
  ],
  initContainerStatuses: [],
};

/** fix brings every object of the fixture to a healthy state, as the learner's fix would. */
async function fix(snap: ClusterSnapshot, ns: string) {
  for (const p of snap.pods) {
    // A merge patch replaces lists whole: the broken container statuses are gone after this.
    await patchStatus('pod', p.metadata.name, ns, healthyPod);
  }
  for (const d of snap.deployments) {
    await patchStatus('deployment', d.metadata.name, ns, {
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    });
  }
  for (const s of snap.services) {
    await k(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${s.metadata.name}-abcde`,
          namespace: ns,
          labels: { 'kubernetes.io/service-name': s.metadata.name },
        },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.244.1.9'], conditions: { ready: true } }],
      }),
    );
  }
  for (const h of snap.hpas) {
    await patchStatus('horizontalpodautoscaler', h.metadata.name, ns, {
      currentReplicas: 3,
      desiredReplicas: 3,
      conditions: [{ type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' }],
    });
  }
}

async function cli(argv: string[]) {
  const r = await createRunner({ env: env as NodeJS.ProcessEnv }).run(
    process.execPath,
    [`${root}/bin/k8s-learn.js`, ...argv],
    { timeoutMs: 30_000 },
  );
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  // API only (no part-2 controllers): status and events are written by the test, as kubelet would.
  tc = await startTestCluster({ plugins: [] });
  kubectl = pinnedKubectl(tc);
  env = { PATH: process.env.PATH, HOME: tc.dataDir, KUBECONFIG: tc.cluster.kubeconfigPath, LANG: 'C' };
}, 60_000);

afterAll(async () => {
  await tc?.stop();
});

const cases: [string, ClusterSnapshot, string][] = [
  ['image-pull', f.imagePull, 'ImagePullBackOff'],
  ['err-image-pull', f.errImagePull, 'ErrImagePull'],
  ['never-pull', f.neverPull, 'ErrImageNeverPull'],
  ['invalid-name', f.invalidName, 'InvalidImageName'],
  ['config-error', f.configError, 'CreateContainerConfigError'],
  ['crash-loop', f.crashLoop, 'CrashLoopBackOff'],
  ['oom', f.oom, 'OOMKilled'],
  ['unschedulable', f.unschedulable, 'Unschedulable'],
  ['readiness', f.readiness, 'ReadinessFailing'],
  ['init-pull', f.initImagePull, 'ImagePullBackOff'],
  ['selector', f.selectorMismatch, 'NoReadyEndpoints'],
  ['deadline', f.deadline, 'ProgressDeadlineExceeded'],
  ['hpa-request', f.hpaNoRequest, 'MissingCpuRequest'],
  ['hpa-metrics', f.hpaNoMetrics, 'MetricsUnavailable'],
];

describe('alerts on the practice cluster', () => {
  for (const [ns, snap, reason] of cases) {
    it(`${reason}: produced, detected, fixed, cleared (${ns})`, async () => {
      await produce(snap, ns);
      const found = diagnose(await collectSnapshot(kubectl, ns));
      expect(found.map((a) => a.reason)).toContain(reason);
      await fix(snap, ns);
      expect(diagnose(await collectSnapshot(kubectl, ns))).toEqual([]);
    });
  }

  it('CLI: table and exit 1 while active, --json, exit 0 once cleared; --watch streams the change', async () => {
    await produce(f.crashLoop, 'cli-test');
    const table = await cli(['alerts', '--cluster', `context:${tc.cluster.context}`, '-n', 'cli-test']);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^SEVERITY\s+OBJECT\s+REASON\s+SINCE/m);
    expect(table.stdout).toMatch(
      /critical\s+cli-test\/Pod\/k8s-core-6d4f8b9c7d-x2x7q \[app\]\s+CrashLoopBackOff/,
    );
    expect(table.stdout).toMatch(/fix: Read the log lines below/);
    const json = await cli([
      'alerts',
      '--cluster',
      `context:${tc.cluster.context}`,
      '-n',
      'cli-test',
      '--json',
      '--lang',
      'zh-CN',
    ]);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      reason: string;
      means: string;
      details: { exitCode: number };
    }[];
    expect(parsed[0]).toMatchObject({ reason: 'CrashLoopBackOff', details: { exitCode: 1 } });
    expect(parsed[0]!.means).toMatch(/容器启动后又退出/);

    const watcher = createRunner({ env: env as NodeJS.ProcessEnv }).run(
      process.execPath,
      [
        `${root}/bin/k8s-learn.js`,
        'alerts',
        '--cluster',
        `context:${tc.cluster.context}`,
        '-n',
        'cli-test',
        '--watch',
        '--json',
      ],
      { timeoutMs: 7_500 },
    );
    await new Promise((r) => setTimeout(r, 2500));
    await fix(f.crashLoop, 'cli-test');
    const watched = await watcher;
    const lines = watched.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { changes: { change: string; reason: string }[]; active: number });
    expect(lines[0]!.changes).toMatchObject([{ change: 'raised', reason: 'CrashLoopBackOff' }]);
    expect(lines.at(-1)!).toMatchObject({
      active: 0,
      changes: [{ change: 'cleared', reason: 'CrashLoopBackOff' }],
    });

    const cleared = await cli(['alerts', '--cluster', `context:${tc.cluster.context}`, '-n', 'cli-test']);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/No active alerts/);
  });
});
