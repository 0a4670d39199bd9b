// The pure diagnosis over fixtures of every failure in the facts table, and the rendering.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/alerts/diagnose.js';
import { explain, formatSince, renderAlerts } from '../../src/alerts/render.js';
import { diffAlerts } from '../../src/alerts/watch.js';
import { createTranslator } from '../../src/i18n/index.js';
import * as f from './fixtures.js';

const en = createTranslator('en');
const zh = createTranslator('zh-CN');

describe('alerts diagnosis', () => {
  const cases: [string, ReturnType<typeof f.snapshot>, string, RegExp][] = [
    ['ImagePullBackOff', f.imagePull, 'ImagePullBackOff', /pull access denied/],
    ['ErrImagePull', f.errImagePull, 'ErrImagePull', /not found/],
    ['ErrImageNeverPull', f.neverPull, 'ErrImageNeverPull', /not present with pull policy of Never/],
    ['InvalidImageName', f.invalidName, 'InvalidImageName', /parse image name/],
    [
      'CreateContainerConfigError',
      f.configError,
      'CreateContainerConfigError',
      /configmap "casc-network-config" not found/,
    ],
    ['CrashLoopBackOff', f.crashLoop, 'CrashLoopBackOff', /restarting failed container/],
    ['OOMKilled', f.oom, 'OOMKilled', /137/],
    ['Unschedulable', f.unschedulable, 'Unschedulable', /0\/3 nodes are available/],
    ['readiness failing', f.readiness, 'ReadinessFailing', /Readiness probe failed/],
    ['init container image pull', f.initImagePull, 'ImagePullBackOff', /busybox:nope/],
    ['Service selector matching no pods', f.selectorMismatch, 'NoReadyEndpoints', /matches no pods/],
    ['Service endpoints not ready', f.endpointsNotReady, 'NoReadyEndpoints', /none ready/],
    ['rollout past its progress deadline', f.deadline, 'ProgressDeadlineExceeded', /timed out progressing/],
    ['HPA without CPU request', f.hpaNoRequest, 'MissingCpuRequest', /missing request for cpu/],
    ['HPA without metrics API', f.hpaNoMetrics, 'MetricsUnavailable', /metrics\.k8s\.io/],
  ];
  for (const [label, snap, reason, message] of cases) {
    it(`detects ${label}`, () => {
      const alerts = diagnose(snap, f.now);
      expect(alerts.map((a) => a.reason)).toEqual([reason]);
      expect(alerts[0]!.message).toMatch(message);
      expect(alerts[0]!.since).toBeDefined();
      const text = explain(alerts[0]!, en);
      expect(text.means).not.toMatch(/^alerts\./);
      expect(text.fix).not.toMatch(/^alerts\./);
      expect(explain(alerts[0]!, zh).means).toMatch(/[\u4e00-\u9fff]/);
    });
  }

  it('uses the pull failure event (type Warning Failed) for the message and the first event for since', () => {
    const [alert] = diagnose(f.imagePull, f.now);
    expect(alert!.container).toBe('app');
    expect(alert!.details.image).toBe('k8s-core:latest');
    expect(alert!.since).toBe(new Date(f.now.getTime() - 190_000).toISOString());
  });

  it('keeps the last exit code and the log tail of a crash loop', () => {
    const [alert] = diagnose(f.crashLoop, f.now);
    expect(alert!.details).toMatchObject({ exitCode: 1, restarts: 4 });
    expect(alert!.details.logTail).toMatch(/host bits set/);
    const lines = renderAlerts([alert!], en, f.now).join('\n');
    expect(lines).toMatch(/\| Error: 20.0.0.0\/4 has host bits set/);
    expect(lines).toMatch(/last exit code 1, 4 restarts/);
  });

  it('stays quiet about healthy objects and old OOM kills', () => {
    expect(diagnose(f.endpointsOk, f.now)).toEqual([]);
    expect(diagnose(f.oomOld, f.now)).toEqual([]);
    expect(renderAlerts([], en, f.now).join('')).toMatch(/No active alerts/);
  });

  it('a running container without a readiness probe event is not flagged during its first minute', () => {
    const fresh = f.snapshot({
      pods: [
        f.pod(
          'p',
          { ready: false, state: { running: { startedAt: new Date(f.now.getTime() - 5000).toISOString() } } },
          { phase: 'Running', readinessProbe: true },
        ),
      ],
    });
    expect(diagnose(fresh, f.now)).toEqual([]);
  });

  it('sorts critical before warning and renders a table with since', () => {
    const both = f.snapshot({ ...f.readiness, deployments: f.deadline.deployments });
    const alerts = diagnose(both, f.now);
    expect(alerts.map((a) => a.severity)).toEqual(['critical', 'warning']);
    const table = renderAlerts(alerts, en, f.now);
    expect(table[0]).toMatch(/^SEVERITY\s+OBJECT\s+REASON\s+SINCE$/);
    expect(table[1]).toMatch(/critical\s+k8s-test\/Deployment\/k8s-core\s+ProgressDeadlineExceeded\s+30s/);
    expect(renderAlerts(alerts, zh, f.now)[0]).toMatch(/^级别/);
  });

  it('formats ages like kubectl and diffs passes for --watch', () => {
    expect(formatSince(new Date(f.now.getTime() - 59_000).toISOString(), f.now)).toBe('59s');
    expect(formatSince(new Date(f.now.getTime() - 3 * 3600_000).toISOString(), f.now)).toBe('3h');
    expect(formatSince(undefined, f.now)).toBe('-');
    const before = diagnose(f.crashLoop, f.now);
    const after = diagnose(f.readiness, f.now);
    expect(diffAlerts(before, after).map((c) => `${c.change}:${c.alert.reason}`)).toEqual([
      'raised:ReadinessFailing',
      'cleared:CrashLoopBackOff',
    ]);
    expect(diffAlerts(before, before)).toEqual([]);
  });
});

describe('alerts --watch loop', () => {
  it('prints the first pass, then only changes, and returns what is active at the end', async () => {
    const { watchAlerts } = await import('../../src/alerts/watch.js');
    const passes = [f.crashLoop, f.crashLoop, f.endpointsOk];
    const seen: string[][] = [];
    const active = await watchAlerts({
      read: async () => passes.shift()!,
      onChange: (changes) => seen.push(changes.map((c) => `${c.change}:${c.alert.reason}`)),
      intervalMs: 1,
      rounds: 3,
    });
    expect(seen).toEqual([['raised:CrashLoopBackOff'], ['cleared:CrashLoopBackOff']]);
    expect(active).toEqual([]);
  });
});

describe('pods still starting', () => {
  it('are listed when nothing has failed yet, so "no alerts" is not read as healthy', async () => {
    const { startingPods } = await import('../../src/alerts/diagnose.js');
    const creating = f.pod('k8s-core-new', { state: { waiting: { reason: 'ContainerCreating' } } });
    const ready = f.pod('k8s-core-old', { ready: true, state: { running: {} } }, { phase: 'Running' });
    const done = f.pod('job-pod', { state: { terminated: { exitCode: 0 } } }, { phase: 'Succeeded' });
    const snap = f.snapshot({ pods: [creating, ready, done] });
    const alerts = diagnose(snap, f.now);
    expect(alerts).toEqual([]);
    expect(startingPods(snap, alerts)).toEqual([
      { name: 'k8s-core-new', namespace: f.ns, state: 'ContainerCreating' },
    ]);
  });

  it('leave out a pod that already has an alert', async () => {
    const { startingPods } = await import('../../src/alerts/diagnose.js');
    const alerts = diagnose(f.imagePull, f.now);
    expect(alerts.length).toBeGreaterThan(0);
    expect(startingPods(f.imagePull, alerts)).toEqual([]);
  });
});
