// Deployment, Service and HPA diagnosis: a rollout past its progress deadline, a Service whose
// EndpointSlices hold no ready endpoint, an HPA that cannot compute its metrics.
import { eventsFor, eventTime } from './pods.js';
import type { Alert, ClusterSnapshot, K8sObject } from './types.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** diagnoseDeployment flags `Progressing=False/ProgressDeadlineExceeded`. */
export function diagnoseDeployment(dep: K8sObject): Alert[] {
  const conditions: Condition[] = dep.status?.conditions ?? [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.status !== 'False' || progressing.reason !== 'ProgressDeadlineExceeded') return [];
  return [
    {
      severity: 'critical',
      object: `Deployment/${dep.metadata.name}`,
      namespace: dep.metadata.namespace ?? 'default',
      reason: 'ProgressDeadlineExceeded',
      message: progressing.message ?? '',
      details: { deadline: dep.spec?.progressDeadlineSeconds ?? 600 },
      ...(progressing.lastTransitionTime ? { since: progressing.lastTransitionTime } : {}),
    },
  ];
}

/** matchesSelector is true when every selector label is on the object. */
export function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: Record<string, string>,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** readyEndpointCount counts ready endpoints of a Service's slices (ready unset counts as ready). */
export function readyEndpointCount(slices: K8sObject[], namespace: string, service: string): number {
  let count = 0;
  for (const slice of slices) {
    if ((slice.metadata.namespace ?? namespace) !== namespace) continue;
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== service) continue;
    const endpoints: { conditions?: { ready?: boolean | null } }[] =
      (slice as { endpoints?: [] }).endpoints ?? [];
    count += endpoints.filter((e) => e.conditions?.ready !== false).length;
  }
  return count;
}

/** diagnoseService flags a selector Service with no ready endpoint. */
export function diagnoseService(svc: K8sObject, snapshot: ClusterSnapshot): Alert[] {
  const selector: Record<string, string> | undefined = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName') return [];
  const ns = svc.metadata.namespace ?? 'default';
  if (readyEndpointCount(snapshot.endpointSlices, ns, svc.metadata.name) > 0) return [];
  const matching = snapshot.pods.filter(
    (p) => (p.metadata.namespace ?? ns) === ns && matchesSelector(p.metadata.labels, selector),
  );
  const selectorText = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return [
    {
      severity: 'warning',
      object: `Service/${svc.metadata.name}`,
      namespace: ns,
      reason: 'NoReadyEndpoints',
      message:
        matching.length === 0
          ? `selector ${selectorText} matches no pods`
          : `${matching.length} pod(s) match ${selectorText}, none ready`,
      details: { selector: selectorText, matchingPods: matching.length },
      ...(svc.metadata.creationTimestamp ? { since: svc.metadata.creationTimestamp } : {}),
    },
  ];
}

/** diagnoseHpa flags an HPA whose `ScalingActive` is False because metrics cannot be computed. */
export function diagnoseHpa(hpa: K8sObject, snapshot: ClusterSnapshot): Alert[] {
  const ns = hpa.metadata.namespace ?? 'default';
  const conditions: Condition[] = hpa.status?.conditions ?? [];
  const active = conditions.find((c) => c.type === 'ScalingActive');
  const events = eventsFor(snapshot.events, 'HorizontalPodAutoscaler', ns, hpa.metadata.name);
  const metricEvent = [...events]
    .reverse()
    .find((e) => /^FailedGet.*Metric|^FailedComputeMetricsReplicas/.test(e.reason ?? ''));
  const failing =
    active?.status === 'False' && /FailedGet|FailedCompute|InvalidMetric/.test(active.reason ?? '');
  if (!failing) return [];
  const message = active?.message ?? metricEvent?.message ?? '';
  const missingRequest = /missing request for cpu/.test(`${message} ${metricEvent?.message ?? ''}`);
  return [
    {
      severity: 'warning',
      object: `HorizontalPodAutoscaler/${hpa.metadata.name}`,
      namespace: ns,
      reason: missingRequest ? 'MissingCpuRequest' : 'MetricsUnavailable',
      message,
      details: { target: `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}` },
      ...((active?.lastTransitionTime ?? (metricEvent ? eventTime(metricEvent, 'first') : undefined))
        ? { since: active?.lastTransitionTime ?? eventTime(metricEvent!, 'first') }
        : {}),
    },
  ];
}
