// The few fields of a HorizontalPodAutoscaler the live view shows: replicas, CPU against the
// target, the bounds, and a condition that says the HPA cannot work (no metrics, no CPU request).

/** HpaObject is the part of an autoscaling/v2 HPA read here. */
export interface HpaObject {
  metadata?: { name?: string };
  spec?: {
    minReplicas?: number;
    maxReplicas?: number;
    scaleTargetRef?: { kind?: string; name?: string };
    metrics?: { type?: string; resource?: { name?: string; target?: { averageUtilization?: number } } }[];
  };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: {
      type?: string;
      resource?: { name?: string; current?: { averageUtilization?: number } };
    }[];
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** HpaState is one reading of the HPA. */
export interface HpaState {
  name: string;
  replicas: number;
  desired: number;
  min: number;
  max: number;
  /** CPU utilization in % of the pods' requests; undefined while the HPA has no reading. */
  cpu?: number;
  target?: number;
  /** Why the HPA cannot scale (ScalingActive=False), with its reason. */
  problem?: { reason: string; message: string };
}

/** hpaState reads an HPA object. */
export function hpaState(hpa: HpaObject): HpaState {
  const cpuSpec = hpa.spec?.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const cpuNow = hpa.status?.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const active = hpa.status?.conditions?.find((c) => c.type === 'ScalingActive');
  const min = hpa.spec?.minReplicas ?? 1;
  return {
    name: hpa.metadata?.name ?? '',
    replicas: hpa.status?.currentReplicas ?? 0,
    desired: hpa.status?.desiredReplicas ?? 0,
    min,
    max: hpa.spec?.maxReplicas ?? min,
    ...(cpuNow?.resource?.current?.averageUtilization !== undefined
      ? { cpu: cpuNow.resource.current.averageUtilization }
      : {}),
    ...(cpuSpec?.resource?.target?.averageUtilization !== undefined
      ? { target: cpuSpec.resource.target.averageUtilization }
      : {}),
    ...(active?.status === 'False'
      ? { problem: { reason: active.reason ?? '', message: active.message ?? '' } }
      : {}),
  };
}
