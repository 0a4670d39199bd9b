// The shapes the alerts diagnosis reads (a subset of the Kubernetes API objects) and produces.

/** K8sObject is the part of any API object we read. */
export interface K8sObject {
  kind?: string;
  apiVersion?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    generation?: number;
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
  };
  // biome-ignore lint/suspicious/noExplicitAny: API objects are open-ended JSON; fields are read defensively.
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: see spec.
  status?: any;
}

/** K8sEvent is a core/v1 Event (what `kubectl get events -o json` lists). */
export interface K8sEvent {
  metadata: { name: string; namespace?: string };
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
}

/** ClusterSnapshot is everything one diagnosis pass reads. */
export interface ClusterSnapshot {
  pods: K8sObject[];
  deployments: K8sObject[];
  services: K8sObject[];
  endpointSlices: K8sObject[];
  hpas: K8sObject[];
  /** ReplicaSets tell which pods are a Deployment's current ones (fail-fast checks). */
  replicaSets?: K8sObject[];
  events: K8sEvent[];
  /** Last log lines of failing containers, keyed `namespace/pod/container`. */
  logs: Record<string, string>;
}

/** AlertReason names what is wrong; its text is `alerts.<reason>.means` / `.fix`. */
export type AlertReason =
  | 'ErrImagePull'
  | 'ImagePullBackOff'
  | 'ErrImageNeverPull'
  | 'InvalidImageName'
  | 'CreateContainerConfigError'
  | 'CrashLoopBackOff'
  | 'OOMKilled'
  | 'Unschedulable'
  | 'ReadinessFailing'
  | 'NoReadyEndpoints'
  | 'ProgressDeadlineExceeded'
  | 'MissingCpuRequest'
  | 'MetricsUnavailable';

/** Alert is one active problem. */
export interface Alert {
  severity: 'critical' | 'warning';
  /** `Pod/k8s-core-6d4f-abcde`, `Service/k8s-core`, … */
  object: string;
  namespace: string;
  container?: string;
  reason: AlertReason;
  /** When the problem started (ISO time), when known. */
  since?: string;
  /** What the cluster said (event or status message), verbatim. */
  message: string;
  /** Values for the explanation: image, exitCode, restarts, logTail, selector… */
  details: Record<string, string | number>;
}

/** alertKey identifies an alert across watch rounds. */
export function alertKey(alert: Alert): string {
  return `${alert.namespace}/${alert.object}/${alert.container ?? ''}/${alert.reason}`;
}
