// Defaulting as the API server's defaulters and admission plugins do it for the served kinds
// (pkg/apis/*/v1/defaults.go, ServiceAccount and DefaultTolerationSeconds admission).

import { isJsonObject, type JsonObject, type KubeObject } from '../types.js';
import { parseQuantity } from '../workloads/quantity.js';
import { applyMoreDefaults } from './defaults-more.js';

type Obj = JsonObject;

function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isJsonObject(v)) return v;
  const created: Obj = {};
  o[key] = created;
  return created;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter(isJsonObject) as Obj[]) : [];
}

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** pullPolicyFor is upstream's rule: `Always` for `:latest` or no tag, else `IfNotPresent`. */
export function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tail = image.slice(lastSlash + 1);
  const colon = tail.lastIndexOf(':');
  const tag = colon < 0 ? '' : tail.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isJsonObject(p)) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (isJsonObject(p.httpGet)) setDefault(p.httpGet, 'scheme', 'HTTP');
}

function defaultContainer(c: Obj): void {
  if (typeof c.image === 'string') setDefault(c, 'imagePullPolicy', pullPolicyFor(c.image));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  for (const p of list(c.ports)) setDefault(p, 'protocol', 'TCP');
  for (const e of list(c.env)) {
    const from = e.valueFrom;
    if (isJsonObject(from) && isJsonObject(from.fieldRef)) setDefault(from.fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** defaultPodSpec fills a pod spec (pods and templates). */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) defaultContainer(c);
  for (const v of list(spec.volumes)) {
    for (const kind of ['configMap', 'secret']) {
      const src = v[kind];
      if (isJsonObject(src)) setDefault(src, 'defaultMode', 420);
    }
  }
}

/**
 * qosClassOf is upstream's GetPodQOS for cpu and memory: BestEffort without any request or limit,
 * Guaranteed when every container limits both and requests (defaulted from limits) equal them
 * (kindnet's pods), Burstable otherwise.
 */
function qosClassOf(containers: Obj[]): string {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const r = (c.resources ?? {}) as { requests?: Obj; limits?: Obj };
    const limits = r.limits ?? {};
    const requests = { ...limits, ...(r.requests ?? {}) };
    for (const name of ['cpu', 'memory']) {
      const request = requests[name] === undefined ? 0 : parseQuantity(requests[name]);
      const limit = limits[name] === undefined ? 0 : parseQuantity(limits[name]);
      if (request > 0 || limit > 0) any = true;
      if (limit <= 0 || request !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const BUILTIN_PRIORITIES: Record<string, number> = {
  'system-cluster-critical': 2000000000,
  'system-node-critical': 2000001000,
};

function defaultPod(o: KubeObject): void {
  const spec = child(o, 'spec');
  defaultPodSpec(spec);
  // Upstream SetDefaults_Pod (pods only, not templates): a resource with a limit and no request
  // gets the limit as its request — so a CPU limit alone gives the HPA a request to divide by.
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const resources = c.resources as { limits?: Obj; requests?: Obj } | undefined;
    if (!resources?.limits || Object.keys(resources.limits).length === 0) continue;
    const requests = resources.requests ?? {};
    const missing = Object.entries(resources.limits).filter(([name]) => !(name in requests));
    resources.requests = { ...requests, ...Object.fromEntries(missing) };
  }
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  // Priority admission: the built-in classes' values (other classes are not looked up).
  setDefault(spec, 'priority', BUILTIN_PRIORITIES[String(spec.priorityClassName ?? '')] ?? 0);
  // ServiceAccount admission (which leaves static pods' mirror pods alone).
  if (o.metadata.annotations?.['kubernetes.io/config.mirror'] === undefined) {
    setDefault(spec, 'serviceAccountName', 'default');
    spec.serviceAccount = spec.serviceAccountName;
  }
  // DefaultTolerationSeconds admission.
  const tolerations = list(spec.tolerations);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
  const containers = list(spec.containers);
  const status = child(o, 'status');
  setDefault(status, 'phase', 'Pending');
  setDefault(status, 'qosClass', qosClassOf([...containers, ...list(spec.initContainers)]));
}

function defaultTemplateWorkload(o: KubeObject, deployment: boolean): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'replicas', 1);
  const template = child(spec, 'template');
  const tmeta = child(template, 'metadata');
  // An empty selector is defaulted from the template labels only in old API versions; v1 requires it.
  void tmeta;
  defaultPodSpec(child(template, 'spec'));
  if (!deployment) return;
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
}

function defaultService(o: KubeObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  for (const p of list(spec.ports)) {
    setDefault(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type !== 'ExternalName') {
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'ipFamilies', ['IPv4']);
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  child(child(o, 'status'), 'loadBalancer');
}

function defaultHpaV2(o: KubeObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ];
  }
  const behavior = spec.behavior;
  if (isJsonObject(behavior)) {
    const up = child(behavior, 'scaleUp');
    setDefault(up, 'stabilizationWindowSeconds', 0);
    setDefault(up, 'selectPolicy', 'Max');
    setDefault(up, 'policies', [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    const down = child(behavior, 'scaleDown');
    setDefault(down, 'selectPolicy', 'Max');
    setDefault(down, 'policies', [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  }
}

/** applyDefaults fills defaults in place for an object in its storage version. */
export function applyDefaults(o: KubeObject): void {
  switch (o.kind) {
    case 'Pod':
      defaultPod(o);
      break;
    case 'Deployment':
      defaultTemplateWorkload(o, true);
      break;
    case 'ReplicaSet':
      defaultTemplateWorkload(o, false);
      break;
    case 'Service':
      defaultService(o);
      break;
    case 'Secret':
      setDefault(o, 'type', 'Opaque');
      break;
    case 'HorizontalPodAutoscaler':
      defaultHpaV2(o);
      break;
    case 'EndpointSlice':
      for (const p of list(o.ports)) setDefault(p, 'protocol', 'TCP');
      break;
    case 'NetworkPolicy': {
      const spec = child(o, 'spec');
      if (!Array.isArray(spec.policyTypes))
        spec.policyTypes = spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
      for (const rule of [...list(spec.ingress), ...list(spec.egress)]) {
        for (const p of list(rule.ports)) setDefault(p, 'protocol', 'TCP');
      }
      break;
    }
    default:
      applyMoreDefaults(o);
  }
}
