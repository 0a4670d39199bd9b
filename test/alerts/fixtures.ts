// Realistic API objects for each failure of the facts table (field paths and event reasons as a
// real kubelet / controller writes them), to drive the pure diagnosis.
import type { ClusterSnapshot, K8sEvent, K8sObject } from '../../src/alerts/types.js';

export const ns = 'k8s-test';
export const now = new Date('2026-11-25T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

/** snapshot builds a snapshot with defaults. */
export function snapshot(parts: Partial<ClusterSnapshot>): ClusterSnapshot {
  return {
    pods: [],
    deployments: [],
    services: [],
    endpointSlices: [],
    hpas: [],
    events: [],
    logs: {},
    ...parts,
  };
}

/** event builds a core/v1 Event about an object. */
export function event(
  kind: string,
  name: string,
  reason: string,
  type: 'Normal' | 'Warning',
  message: string,
  firstS = 120,
  lastS = 10,
): K8sEvent {
  return {
    metadata: { name: `${name}.${reason}`, namespace: ns },
    involvedObject: { kind, name, namespace: ns },
    reason,
    type,
    message,
    count: 3,
    firstTimestamp: ago(firstS),
    lastTimestamp: ago(lastS),
  };
}

/** pod builds a pod of the `k8s-core` Deployment with the given container status. */
export function pod(
  name: string,
  containerStatus: Record<string, unknown>,
  extra: {
    phase?: string;
    conditions?: unknown[];
    image?: string;
    readinessProbe?: boolean;
    init?: boolean;
  } = {},
): K8sObject {
  const container = {
    name: 'app',
    image: extra.image ?? 'k8s-core:latest',
    imagePullPolicy: 'Always',
    ...(extra.readinessProbe ? { readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } } : {}),
  };
  const status = { name: 'app', image: container.image, restartCount: 0, ready: false, ...containerStatus };
  return {
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'k8s-core' }, creationTimestamp: ago(300) },
    spec: extra.init
      ? { initContainers: [container], containers: [{ name: 'main', image: 'k8s-core:1.0' }] }
      : { containers: [container] },
    status: {
      phase: extra.phase ?? 'Pending',
      startTime: ago(300),
      conditions: extra.conditions ?? [
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: ago(300) },
      ],
      ...(extra.init
        ? {
            initContainerStatuses: [status],
            containerStatuses: [
              {
                name: 'main',
                ready: false,
                restartCount: 0,
                state: { waiting: { reason: 'PodInitializing' } },
              },
            ],
          }
        : { containerStatuses: [status] }),
    },
  };
}

const podName = 'k8s-core-6d4f8b9c7d-x2x7q';

export const imagePull = snapshot({
  pods: [
    pod(podName, {
      state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "k8s-core:latest"' } },
    }),
  ],
  events: [
    event('Pod', podName, 'Pulling', 'Normal', 'Pulling image "k8s-core:latest"', 200),
    event(
      'Pod',
      podName,
      'Failed',
      'Warning',
      'Failed to pull image "k8s-core:latest": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/k8s-core:latest": failed to resolve reference "docker.io/library/k8s-core:latest": pull access denied, repository does not exist or may require authorization',
      190,
    ),
    event('Pod', podName, 'Failed', 'Warning', 'Error: ErrImagePull', 190),
    // The pull back-off event is type Normal: the diagnosis must not rely on Warning alone.
    event('Pod', podName, 'BackOff', 'Normal', 'Back-off pulling image "k8s-core:latest"', 180),
    event('Pod', podName, 'Failed', 'Warning', 'Error: ImagePullBackOff', 180),
  ],
});

export const errImagePull = snapshot({
  pods: [
    pod(podName, {
      state: { waiting: { reason: 'ErrImagePull', message: 'failed to pull and unpack image' } },
    }),
  ],
  events: [
    event('Pod', podName, 'Failed', 'Warning', 'Failed to pull image "k8s-core:latest": not found', 30),
  ],
});

export const neverPull = snapshot({
  pods: [
    pod(
      podName,
      {
        state: {
          waiting: {
            reason: 'ErrImageNeverPull',
            message: 'Container image "k8s-core:1.0" is not present with pull policy of Never',
          },
        },
      },
      { image: 'k8s-core:1.0' },
    ),
  ],
  events: [
    event(
      'Pod',
      podName,
      'ErrImageNeverPull',
      'Warning',
      'Container image "k8s-core:1.0" is not present with pull policy of Never',
      60,
    ),
  ],
});

export const invalidName = snapshot({
  pods: [
    pod(
      podName,
      {
        state: {
          waiting: {
            reason: 'InvalidImageName',
            message:
              'Failed to apply default image tag "K8s-Core:1.0": couldn\'t parse image name "K8s-Core:1.0": invalid reference format: repository name must be lowercase',
          },
        },
      },
      { image: 'K8s-Core:1.0' },
    ),
  ],
  events: [
    event(
      'Pod',
      podName,
      'InspectFailed',
      'Warning',
      'Failed to apply default image tag "K8s-Core:1.0": couldn\'t parse image name',
      60,
    ),
  ],
});

export const configError = snapshot({
  pods: [
    pod(
      podName,
      {
        state: {
          waiting: {
            reason: 'CreateContainerConfigError',
            message: 'configmap "casc-network-config" not found',
          },
        },
      },
      { image: 'k8s-core:1.0' },
    ),
  ],
  events: [
    event('Pod', podName, 'Failed', 'Warning', 'Error: configmap "casc-network-config" not found', 90),
  ],
});

export const crashLoop = snapshot({
  pods: [
    pod(
      podName,
      {
        restartCount: 4,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 1m20s restarting failed container=app pod=${podName}_${ns}(uid)`,
          },
        },
        lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: ago(20) } },
      },
      { phase: 'Running', image: 'k8s-core:1.0' },
    ),
  ],
  events: [
    event(
      'Pod',
      podName,
      'BackOff',
      'Warning',
      `Back-off restarting failed container app in pod ${podName}_${ns}(uid)`,
      150,
    ),
  ],
  logs: { [`${ns}/${podName}/app`]: 'reading CASC_NETWORK_CONFIG\nError: 20.0.0.0/4 has host bits set' },
});

export const oom = snapshot({
  pods: [
    pod(
      podName,
      {
        restartCount: 2,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(30) } },
      },
      { phase: 'Running', image: 'k8s-core:1.0' },
    ),
  ],
});

export const oomOld = snapshot({
  pods: [
    pod(
      podName,
      {
        restartCount: 1,
        ready: true,
        state: { running: { startedAt: ago(3600) } },
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(3600) } },
      },
      { phase: 'Running', image: 'k8s-core:1.0', conditions: [{ type: 'Ready', status: 'True' }] },
    ),
  ],
});

export const unschedulable = snapshot({
  pods: [
    {
      kind: 'Pod',
      metadata: { name: podName, namespace: ns, labels: { app: 'k8s-core' } },
      spec: { containers: [{ name: 'app', image: 'k8s-core:1.0', resources: { requests: { cpu: '64' } } }] },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            lastTransitionTime: ago(400),
            message:
              '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
          },
        ],
      },
    },
  ],
  events: [
    event('Pod', podName, 'FailedScheduling', 'Warning', '0/3 nodes are available: 2 Insufficient cpu.', 400),
  ],
});

export const readiness = snapshot({
  pods: [
    pod(
      podName,
      { ready: false, state: { running: { startedAt: ago(200) } } },
      { phase: 'Running', image: 'k8s-core:1.0', readinessProbe: true },
    ),
  ],
  events: [
    event(
      'Pod',
      podName,
      'Unhealthy',
      'Warning',
      'Readiness probe failed: HTTP probe failed with statuscode: 404',
      190,
    ),
  ],
});

export const initImagePull = snapshot({
  pods: [
    pod(
      podName,
      { state: { waiting: { reason: 'ImagePullBackOff' } } },
      { init: true, image: 'busybox:nope' },
    ),
  ],
  events: [event('Pod', podName, 'Failed', 'Warning', 'Failed to pull image "busybox:nope": not found', 50)],
});

function service(name: string, selector: Record<string, string>): K8sObject {
  return {
    kind: 'Service',
    metadata: { name, namespace: ns, creationTimestamp: ago(600) },
    spec: { selector, ports: [{ name: 'http', port: 80 }] },
  };
}

function slice(svc: string, ready: (boolean | null)[]): K8sObject {
  const endpoints = ready.map((r, i) => ({
    addresses: [`10.244.1.${i + 2}`],
    conditions: r === null ? {} : { ready: r },
  }));
  // EndpointSlices carry `endpoints` at the top level, beside metadata.
  const object: K8sObject & { endpoints: typeof endpoints } = {
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    endpoints,
  };
  return object;
}

const healthyPod = pod(
  'k8s-core-ok',
  { ready: true, state: { running: { startedAt: ago(600) } } },
  { phase: 'Running', image: 'k8s-core:1.0', conditions: [{ type: 'Ready', status: 'True' }] },
);

export const selectorMismatch = snapshot({
  services: [service('k8s-core', { app: 'k8s-cor' })],
  endpointSlices: [slice('k8s-core', [])],
  pods: [healthyPod],
});
export const endpointsNotReady = snapshot({
  services: [service('k8s-core', { app: 'k8s-core' })],
  endpointSlices: [slice('k8s-core', [false, false])],
  pods: [healthyPod],
});
export const endpointsOk = snapshot({
  services: [service('k8s-core', { app: 'k8s-core' })],
  endpointSlices: [slice('k8s-core', [true, null])],
  pods: [healthyPod],
});

export const deadline = snapshot({
  deployments: [
    {
      kind: 'Deployment',
      metadata: { name: 'k8s-core', namespace: ns },
      spec: { progressDeadlineSeconds: 600, replicas: 3 },
      status: {
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "k8s-core-6d4f8b9c7d" has timed out progressing.',
            lastTransitionTime: ago(30),
          },
        ],
      },
    },
  ],
});

function hpa(message: string, reason: string): K8sObject {
  return {
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'k8s-employee', namespace: ns },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'k8s-employee' }, minReplicas: 1, maxReplicas: 5 },
    status: {
      currentReplicas: 3,
      desiredReplicas: 3,
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale' },
        { type: 'ScalingActive', status: 'False', reason, message, lastTransitionTime: ago(120) },
      ],
    },
  };
}

export const hpaNoRequest = snapshot({
  hpas: [
    hpa(
      'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod k8s-employee-7f9c-abcde',
      'FailedGetResourceMetric',
    ),
  ],
  events: [
    event(
      'HorizontalPodAutoscaler',
      'k8s-employee',
      'FailedGetResourceMetric',
      'Warning',
      'failed to get cpu utilization: missing request for cpu in container app of Pod k8s-employee-7f9c-abcde',
    ),
  ],
});

export const hpaNoMetrics = snapshot({
  hpas: [
    hpa(
      'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
      'FailedGetResourceMetric',
    ),
  ],
});
