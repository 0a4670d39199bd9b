import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/practice/types.js';
import { deployment, type Harness, loadImage, podsOf, startHarness, statusOf, until } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  loadImage(h.store, 'docker.io/library/k8s-core:1.0');
  loadImage(h.store, 'docker.io/library/k8s-core:latest');
});
afterEach(async () => h.stop());

const DEP = 'deployments.apps';

function waitingReason(pod: KubeObject | undefined): string | undefined {
  const cs = (statusOf(pod).containerStatuses ?? []) as { state: { waiting?: { reason: string } } }[];
  return cs[0]?.state.waiting?.reason;
}

function events(reason?: string): KubeObject[] {
  return h.store.list('events', { namespace: 'demo' }).items.filter((e) => !reason || e.reason === reason);
}

describe('failures with kubelet reasons and events', () => {
  it('a loaded :latest image still fails: Always pulls → ErrImagePull → ImagePullBackOff', async () => {
    h.store.create(DEP, deployment('web', { replicas: 1, image: 'k8s-core:latest' }));
    await until(
      () => waitingReason(podsOf(h.store, 'web')[0]) === 'ImagePullBackOff',
      10_000,
      'ImagePullBackOff',
    );
    const msgs = events().map((e) => `${e.type} ${e.reason} ${e.message}`);
    expect(msgs).toContain('Normal Pulling Pulling image "k8s-core:latest"');
    expect(
      msgs.some((m) => m.startsWith('Warning Failed Failed to pull image "k8s-core:latest": rpc error:')),
    ).toBe(true);
    expect(msgs).toContain('Warning Failed Error: ErrImagePull');
    expect(msgs).toContain('Normal BackOff Back-off pulling image "k8s-core:latest"');
    expect(msgs).toContain('Warning Failed Error: ImagePullBackOff');
    expect(statusOf(podsOf(h.store, 'web')[0]).phase).toBe('Pending');
  });

  it('IfNotPresent with a loaded tag starts; Never without the image is ErrImageNeverPull', async () => {
    h.store.create(
      DEP,
      deployment('never', { replicas: 1, image: 'other:2.0', container: { imagePullPolicy: 'Never' } }),
    );
    await until(
      () => waitingReason(podsOf(h.store, 'never')[0]) === 'ErrImageNeverPull',
      10_000,
      'ErrImageNeverPull',
    );
    expect(events('ErrImageNeverPull')[0]?.message).toBe(
      'Container image "other:2.0" is not present with pull policy of Never',
    );
  });

  it('CreateContainerConfigError for a missing ConfigMap key, recovered when the ConfigMap appears', async () => {
    const env = [{ name: 'NETWORK', valueFrom: { configMapKeyRef: { name: 'net', key: 'cidr' } } }];
    h.store.create(DEP, deployment('cfg', { replicas: 1, container: { env } }));
    await until(
      () => waitingReason(podsOf(h.store, 'cfg')[0]) === 'CreateContainerConfigError',
      10_000,
      'config error',
    );
    expect(events('Failed').map((e) => e.message)).toContain('Error: configmap "net" not found');
    h.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'net', namespace: 'demo' },
      data: { cidr: '10.0.0.0/8' },
    });
    await until(() => statusOf(h.store.get(DEP, 'demo', 'cfg')).availableReplicas === 1, 10_000, 'recovery');
  });

  it('an invalid CIDR in the config crashes the app: CrashLoopBackOff, restarts grow, previous logs', async () => {
    h.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'net', namespace: 'demo' },
      data: { 'network.yaml': 'cidr: 20.0.0.0/4\n' },
    });
    const podSpec = { volumes: [{ name: 'config', configMap: { name: 'net' } }] };
    const container = { volumeMounts: [{ name: 'config', mountPath: '/etc/casc' }] };
    h.store.create(DEP, deployment('crash', { replicas: 1, podSpec, container }));
    const pod = await until(
      () => {
        const p = podsOf(h.store, 'crash')[0];
        const cs = (statusOf(p).containerStatuses ?? []) as { restartCount: number }[];
        return waitingReason(p) === 'CrashLoopBackOff' && (cs[0]?.restartCount ?? 0) >= 2 ? p : undefined;
      },
      15_000,
      'crash loop',
    );
    const cs = (statusOf(pod).containerStatuses as Record<string, unknown>[])[0] as {
      lastState: { terminated: { exitCode: number; reason: string } };
      state: { waiting: { message: string } };
    };
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(cs.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=app pod=crash-/);
    expect(events('BackOff')[0]).toMatchObject({ type: 'Warning' });
    expect(statusOf(pod).phase).toBe('Running');
  });

  it('FailedScheduling for a CPU request no node can hold', async () => {
    h.store.create(
      DEP,
      deployment('huge', { replicas: 1, container: { resources: { requests: { cpu: '64' } } } }),
    );
    const pod = await until(
      () => {
        const p = podsOf(h.store, 'huge')[0];
        return (statusOf(p).conditions as { reason?: string }[] | undefined)?.some(
          (c) => c.reason === 'Unschedulable',
        )
          ? p
          : undefined;
      },
      10_000,
      'unschedulable',
    );
    const cond = (statusOf(pod).conditions as { type: string; message: string }[]).find(
      (c) => c.type === 'PodScheduled',
    );
    expect(cond?.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect(events('FailedScheduling')[0]).toMatchObject({ type: 'Warning', message: cond?.message });
  });

  it('a nodeSelector no node matches: FailedScheduling by node affinity; a node label places it at once', async () => {
    // Real time: the periodic retry is 10 s away, so only the label change itself can place the pod
    // within the wait below (upstream's NodeAffinity plugin requeues on UpdateNodeLabel).
    const slow = await startHarness(1);
    try {
      slow.store.create(
        DEP,
        deployment('pinned', { replicas: 1, podSpec: { nodeSelector: { disktype: 'ssd' } } }),
      );
      const pending = await until(
        () => {
          const p = podsOf(slow.store, 'pinned')[0];
          const scheduled = (
            statusOf(p).conditions as { type: string; message?: string }[] | undefined
          )?.find((c) => c.type === 'PodScheduled');
          return scheduled?.message;
        },
        5_000,
        'unschedulable',
      );
      expect(pending).toBe(
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
      const node = structuredClone(slow.store.get('nodes', undefined, 'k8s-learn-worker2')!);
      node.metadata.labels = { ...node.metadata.labels, disktype: 'ssd' };
      node.metadata.resourceVersion = '';
      slow.store.update('nodes', node);
      const placed = await until(
        () => (podsOf(slow.store, 'pinned')[0]?.spec as { nodeName?: string } | undefined)?.nodeName,
        5_000,
        'the pod placed after the label',
      );
      expect(placed).toBe('k8s-learn-worker2');
    } finally {
      await slow.stop();
    }
  });

  it('a failing readiness probe keeps the pod out of Ready with Unhealthy events', async () => {
    const readinessProbe = {
      httpGet: { path: '/healthz', port: 9090 },
      periodSeconds: 1,
      failureThreshold: 1,
      successThreshold: 1,
      timeoutSeconds: 1,
    };
    h.store.create(DEP, deployment('probe', { replicas: 1, container: { readinessProbe } }));
    await until(() => events('Unhealthy').length > 0, 10_000, 'Unhealthy');
    const pod = podsOf(h.store, 'probe')[0];
    expect(statusOf(pod).phase).toBe('Running');
    expect(
      (statusOf(pod).conditions as { type: string; status: string }[]).find((c) => c.type === 'Ready')
        ?.status,
    ).toBe('False');
    expect(events('Unhealthy')[0]?.message).toMatch(
      /^Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:9090\/healthz": dial tcp .*connection refused$/,
    );
  });
});

describe('memory', () => {
  it('a memory limit below what the app needs: OOMKilled, exit 137, restarts', async () => {
    h.store.create(
      DEP,
      deployment('oom', { replicas: 1, container: { resources: { limits: { memory: '4Mi' } } } }),
    );
    const pod = await until(
      () => {
        const p = podsOf(h.store, 'oom')[0];
        const cs = (statusOf(p).containerStatuses ?? []) as {
          restartCount: number;
          lastState: { terminated?: { reason: string; exitCode: number } };
        }[];
        return (cs[0]?.restartCount ?? 0) >= 1 && cs[0]?.lastState.terminated ? cs[0] : undefined;
      },
      10_000,
      'OOMKilled',
    );
    expect(pod.lastState.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  });
});

describe('startup probes', () => {
  it('hold started/ready until they pass, and restart the container when they keep failing', async () => {
    const good = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 3 };
    h.store.create(DEP, deployment('slow', { replicas: 1, container: { startupProbe: good } }));
    await until(() => statusOf(h.store.get(DEP, 'demo', 'slow')).availableReplicas === 1, 10_000, 'started');
    const cs = (
      statusOf(podsOf(h.store, 'slow')[0]).containerStatuses as { started: boolean; ready: boolean }[]
    )[0];
    expect(cs).toMatchObject({ started: true, ready: true });
    const bad = { httpGet: { path: '/healthz', port: 9999 }, periodSeconds: 1, failureThreshold: 2 };
    h.store.create(DEP, deployment('never', { replicas: 1, container: { startupProbe: bad } }));
    await until(
      () =>
        events('Killing').some((e) => e.message === 'Container app failed startup probe, will be restarted'),
      10_000,
      'killed',
    );
    expect(
      events('Unhealthy').some((e) => String(e.message).startsWith('Startup probe failed: Get "http://')),
    ).toBe(true);
    const st = (
      statusOf(podsOf(h.store, 'never')[0]).containerStatuses as { started: boolean; ready: boolean }[]
    )[0];
    expect(st?.ready).toBe(false);
  });
});
