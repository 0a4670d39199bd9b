// WorkloadContext: what every workloads controller and handler of one cluster shares.

import type { InClusterApi } from '../extensions.js';
import type { CpuMeter } from '../metrics.js';
import type { ObjectStore } from '../store.js';
import type { LogBook } from '../workloads/logs.js';
import type { EventRecorder } from './events.js';
import type { WorkloadOptions } from './options.js';
import type { PodWorker, RunningApp } from './pod-worker.js';
import type { Clock } from './runtime.js';

/** WorkloadContext is the shared state of the workloads plugin on one cluster. */
export interface WorkloadContext {
  store: ObjectStore;
  clock: Clock;
  events: EventRecorder;
  logs: LogBook;
  cpu: CpuMeter;
  options: WorkloadOptions;
  nodeNames: string[];
  /** The API server as pods reach it: projected tokens, kubernetes.default.svc. */
  inCluster?: InClusterApi;
  /** appOf finds the app running in a pod's container (for the proxy and probes). */
  appOf(podUid: string, container?: string): RunningApp | undefined;
  /** workerOf finds the kubelet's worker of a pod (exec, attach, port-forward, exec probes). */
  workerOf(podUid: string): PodWorker | undefined;
}
