// Conversion between served versions and the storage version: HorizontalPodAutoscaler is stored
// as autoscaling/v2 and served as v1 too; events.k8s.io/v1 Events are stored as core v1 Events.
import { apiVersionOf, type ResourceDef } from '../resources.js';
import { isJsonObject, type JsonObject, type KubeObject } from '../types.js';

type Obj = JsonObject;

function o(v: unknown): Obj {
  return isJsonObject(v) ? v : {};
}

function pick(src: Obj, map: Record<string, string>): Obj {
  const out: Obj = {};
  for (const [from, to] of Object.entries(map)) if (src[from] !== undefined) out[to] = src[from];
  return out;
}

function cpuMetric(metrics: unknown): number | undefined {
  if (!Array.isArray(metrics)) return undefined;
  for (const m of metrics) {
    const r = o(o(m).resource);
    if (o(m).type === 'Resource' && r.name === 'cpu') {
      const v = o(r.target).averageUtilization ?? o(r.current).averageUtilization;
      if (typeof v === 'number') return v;
    }
  }
  return undefined;
}

function hpaV1ToV2(src: KubeObject): KubeObject {
  const spec = o(src.spec);
  const status = o(src.status);
  const out: KubeObject = { ...src, apiVersion: 'autoscaling/v2' };
  const v2spec: Obj = pick(spec, {
    scaleTargetRef: 'scaleTargetRef',
    minReplicas: 'minReplicas',
    maxReplicas: 'maxReplicas',
  });
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    v2spec.metrics = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
        },
      },
    ];
  }
  out.spec = v2spec;
  if (src.status !== undefined) {
    const v2status: Obj = pick(status, {
      observedGeneration: 'observedGeneration',
      lastScaleTime: 'lastScaleTime',
      currentReplicas: 'currentReplicas',
      desiredReplicas: 'desiredReplicas',
    });
    if (typeof status.currentCPUUtilizationPercentage === 'number') {
      v2status.currentMetrics = [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } },
        },
      ];
    }
    out.status = v2status;
  }
  return out;
}

function hpaV2ToV1(src: KubeObject): KubeObject {
  const spec = o(src.spec);
  const status = o(src.status);
  const out: KubeObject = { ...src, apiVersion: 'autoscaling/v1' };
  const v1spec = pick(spec, {
    scaleTargetRef: 'scaleTargetRef',
    minReplicas: 'minReplicas',
    maxReplicas: 'maxReplicas',
  });
  const target = cpuMetric(spec.metrics);
  if (target !== undefined) v1spec.targetCPUUtilizationPercentage = target;
  out.spec = v1spec;
  const v1status = pick(status, {
    observedGeneration: 'observedGeneration',
    lastScaleTime: 'lastScaleTime',
    currentReplicas: 'currentReplicas',
    desiredReplicas: 'desiredReplicas',
  });
  const current = cpuMetric(status.currentMetrics);
  if (current !== undefined) v1status.currentCPUUtilizationPercentage = current;
  v1status.currentReplicas ??= 0;
  v1status.desiredReplicas ??= 0;
  out.status = v1status;
  return out;
}

// biome-ignore format: a field map
const EVENT_FIELDS: Record<string, string> = {
  involvedObject: 'regarding', message: 'note', reason: 'reason', type: 'type', eventTime: 'eventTime',
  action: 'action', related: 'related', reportingComponent: 'reportingController',
  reportingInstance: 'reportingInstance', source: 'deprecatedSource', firstTimestamp: 'deprecatedFirstTimestamp',
  lastTimestamp: 'deprecatedLastTimestamp', count: 'deprecatedCount',
};

function eventCoreToEvents(src: KubeObject): KubeObject {
  const out: KubeObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: src.metadata,
    ...pick(src, EVENT_FIELDS),
  };
  const series = o(src.series);
  if (src.series) out.series = { count: series.count, lastObservedTime: series.lastObservedTime };
  out.eventTime ??= null;
  return out;
}

function eventEventsToCore(src: KubeObject): KubeObject {
  const reverse = Object.fromEntries(Object.entries(EVENT_FIELDS).map(([a, b]) => [b, a]));
  const out: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: src.metadata, ...pick(src, reverse) };
  if (src.series) out.series = src.series;
  return out;
}

/** toStorage converts an object received in `version` to the storage version of `def`. */
export function toStorage(def: ResourceDef, version: string, obj: KubeObject): KubeObject {
  if (def.kind === 'HorizontalPodAutoscaler' && version === 'v1') return hpaV1ToV2(obj);
  if (def.group === 'events.k8s.io') return eventEventsToCore(obj);
  return { ...obj, apiVersion: apiVersionOf(def.group, def.versions[0]!), kind: def.kind };
}

/** fromStorage converts a stored object to the version a request asked for. */
export function fromStorage(def: ResourceDef, version: string, obj: KubeObject): KubeObject {
  if (def.kind === 'HorizontalPodAutoscaler' && version === 'v1') return hpaV2ToV1(obj);
  if (def.group === 'events.k8s.io') return eventCoreToEvents(obj);
  return obj;
}
