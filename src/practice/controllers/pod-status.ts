// Pod status as kubelet reports it: phase from container states (upstream getPhase), the
// conditions in upstream order, containerStatuses sorted by name.
import type { JsonObject } from '../types.js';

/** ContainerStatus is one entry of status.containerStatuses. */
export interface ContainerStatus {
  name: string;
  state: JsonObject;
  lastState: JsonObject;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started: boolean;
}

/** PodView is what the pod worker knows when it writes status. */
export interface PodView {
  sandboxReady: boolean;
  podIP?: string;
  hostIP: string;
  startTime: string;
  restartPolicy: string;
  containers: ContainerStatus[];
  /** Ephemeral containers (`kubectl debug`): reported apart, not counted in phase or readiness. */
  ephemeral?: ContainerStatus[];
}

/** podPhase is upstream's getPhase for pods without init containers. */
export function podPhase(view: PodView): string {
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.containers) {
    if (c.state.running) running++;
    else if (c.state.terminated) {
      stopped++;
      if ((c.state.terminated as JsonObject).exitCode === 0) succeeded++;
    } else if (c.state.waiting) {
      if (c.lastState.terminated) stopped++;
      else waiting++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (view.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (view.restartPolicy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function condition(
  previous: JsonObject[],
  type: string,
  status: boolean,
  now: string,
  reason?: string,
  message?: string,
): JsonObject {
  const prev = previous.find((c) => c.type === type);
  const s = status ? 'True' : 'False';
  const c: JsonObject = {
    type,
    status: s,
    lastProbeTime: null,
    lastTransitionTime: prev && prev.status === s ? prev.lastTransitionTime : now,
  };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** buildPodStatus merges the worker's view into the pod's previous status. */
export function buildPodStatus(previous: JsonObject, view: PodView, now: string): JsonObject {
  const prevConds = (Array.isArray(previous.conditions) ? previous.conditions : []) as JsonObject[];
  const containers = [...view.containers].sort((a, b) => (a.name < b.name ? -1 : 1));
  const unready = containers.filter((c) => !c.ready).map((c) => c.name);
  const ready = unready.length === 0;
  const phase = podPhase(view);
  const why = ready ? undefined : phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady';
  const msg =
    ready || phase === 'Succeeded' ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const scheduled = prevConds.find((c) => c.type === 'PodScheduled');
  const conditions = [
    condition(prevConds, 'PodReadyToStartContainers', view.sandboxReady, now),
    condition(prevConds, 'Initialized', true, now),
    condition(prevConds, 'Ready', ready, now, why, msg),
    condition(prevConds, 'ContainersReady', ready, now, why, msg),
  ];
  if (scheduled) conditions.push(scheduled);
  const entry = (c: ContainerStatus): JsonObject => {
    const out: JsonObject = {
      name: c.name,
      state: c.state,
      lastState: c.lastState,
      ready: c.ready,
      restartCount: c.restartCount,
      image: c.image,
      imageID: c.imageID,
      started: c.started,
    };
    if (c.containerID) out.containerID = c.containerID;
    return out;
  };
  const status: JsonObject = {
    ...previous,
    phase,
    conditions,
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    startTime: view.startTime,
    containerStatuses: containers.map(entry),
  };
  if (view.ephemeral?.length) status.ephemeralContainerStatuses = view.ephemeral.map(entry);
  if (view.podIP) {
    status.podIP = view.podIP;
    status.podIPs = [{ ip: view.podIP }];
  }
  return status;
}
