// Semantic validation per kind, with upstream field paths and texts (pkg/apis/*/validation).
// Name rules are shared with the offline checker (src/check/names.ts): one copy of apimachinery's.
// Returns FieldErrors; rest.ts turns a non-empty list into a 422 Invalid.

import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
} from '../../check/names.js';
import type { ResourceDef } from '../resources.js';
import { labelsMatch, selectorObjectToRequirements } from '../selectors.js';
import { isJsonObject, type JsonObject, type KubeObject } from '../types.js';
import { FieldErrors } from './field-errors.js';
import { parseQuantity } from './quantity.js';

type Obj = JsonObject;

function obj(v: unknown): Obj {
  return isJsonObject(v) ? v : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** nameCheckFor picks the name rule of a kind. */
export function nameCheckFor(def: ResourceDef): (name: string) => string[] {
  if (def.resource === 'namespaces') return isDNS1123Label;
  if (def.resource === 'services') return isDNS1035Label;
  return isDNS1123Subdomain;
}

function validateLabels(errs: FieldErrors, labels: unknown, field: string): void {
  for (const [k, v] of Object.entries(obj(labels))) {
    errs.each(field, k, isQualifiedName(k));
    errs.each(field, v, isValidLabelValue(String(v)));
  }
}

function validateMeta(errs: FieldErrors, def: ResourceDef, meta: Obj): void {
  const name = meta.name;
  if (typeof name !== 'string' || name === '') {
    if (!meta.generateName) errs.required('metadata.name', 'name or generateName is required');
  } else errs.each('metadata.name', name, nameCheckFor(def)(name));
  validateLabels(errs, meta.labels, 'metadata.labels');
  for (const k of Object.keys(obj(meta.annotations)))
    errs.each('metadata.annotations', k, isQualifiedName(k.toLowerCase()));
}

function validatePort(errs: FieldErrors, field: string, port: unknown): void {
  if (typeof port !== 'number' || port < 1 || port > 65535) {
    errs.invalid(field, port ?? 0, 'must be between 1 and 65535, inclusive');
  }
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainers(
  errs: FieldErrors,
  containers: unknown[],
  field: string,
  volumes: Set<string>,
): void {
  const names = new Set<string>();
  containers.forEach((raw, i) => {
    const c = obj(raw);
    const f = `${field}[${i}]`;
    const name = c.name;
    if (typeof name !== 'string' || name === '') errs.required(`${f}.name`);
    else {
      errs.each(`${f}.name`, name, isDNS1123Label(name));
      if (names.has(name)) errs.duplicate(`${f}.name`, name);
      names.add(name);
    }
    if (typeof c.image !== 'string' || c.image.trim() === '') errs.required(`${f}.image`);
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(String(c.imagePullPolicy))) {
      errs.notSupported(`${f}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES);
    }
    const portNames = new Set<string>();
    list(c.ports).forEach((rawPort, j) => {
      const p = obj(rawPort);
      const pf = `${f}.ports[${j}]`;
      if (typeof p.name === 'string' && p.name !== '') {
        errs.each(`${pf}.name`, p.name, isValidPortName(p.name));
        if (portNames.has(p.name)) errs.duplicate(`${pf}.name`, p.name);
        portNames.add(p.name);
      }
      validatePort(errs, `${pf}.containerPort`, p.containerPort);
      if (p.hostPort !== undefined && p.hostPort !== 0) validatePort(errs, `${pf}.hostPort`, p.hostPort);
      if (p.protocol !== undefined && !PROTOCOLS.includes(String(p.protocol))) {
        errs.notSupported(`${pf}.protocol`, p.protocol, PROTOCOLS);
      }
    });
    list(c.env).forEach((rawEnv, j) => {
      const e = obj(rawEnv);
      if (typeof e.name !== 'string' || e.name === '') errs.required(`${f}.env[${j}].name`);
      else errs.each(`${f}.env[${j}].name`, e.name, isEnvVarName(e.name));
    });
    const resources = obj(c.resources);
    const limits = obj(resources.limits);
    for (const [name, request] of Object.entries(obj(resources.requests))) {
      const limit = limits[name];
      const r = parseQuantity(String(request));
      const l = limit === undefined ? undefined : parseQuantity(String(limit));
      if (typeof r === 'number' && typeof l === 'number' && r > l) {
        errs.invalid(
          `${f}.resources.requests`,
          String(request),
          `must be less than or equal to ${name} limit of ${String(limit)}`,
        );
      }
    }
    const mountPaths = new Set<string>();
    list(c.volumeMounts).forEach((rawMount, j) => {
      const m = obj(rawMount);
      const mf = `${f}.volumeMounts[${j}]`;
      if (typeof m.name !== 'string' || m.name === '') errs.required(`${mf}.name`);
      else if (!volumes.has(m.name)) errs.notFound(`${mf}.name`, m.name);
      if (typeof m.mountPath !== 'string' || m.mountPath === '') errs.required(`${mf}.mountPath`);
      else {
        if (mountPaths.has(m.mountPath)) errs.invalid(`${mf}.mountPath`, m.mountPath, 'must be unique');
        mountPaths.add(m.mountPath);
      }
    });
  });
}

/** validatePodSpec checks a pod spec at `field` (`spec`, `spec.template.spec`). */
export function validatePodSpec(errs: FieldErrors, spec: Obj, field: string, restartAlways: boolean): void {
  const volumes = new Set<string>();
  list(spec.volumes).forEach((raw, i) => {
    const v = obj(raw);
    const f = `${field}.volumes[${i}]`;
    if (typeof v.name !== 'string' || v.name === '') errs.required(`${f}.name`);
    else {
      errs.each(`${f}.name`, v.name, isDNS1123Label(v.name));
      if (volumes.has(v.name)) errs.duplicate(`${f}.name`, v.name);
      volumes.add(v.name);
    }
    const cm = v.configMap;
    if (isJsonObject(cm) && (typeof cm.name !== 'string' || cm.name === ''))
      errs.required(`${f}.configMap.name`);
  });
  const containers = list(spec.containers);
  if (containers.length === 0) errs.required(`${field}.containers`);
  validateContainers(errs, containers, `${field}.containers`, volumes);
  validateContainers(errs, list(spec.initContainers), `${field}.initContainers`, volumes);
  const policy = spec.restartPolicy;
  if (restartAlways && policy !== undefined && policy !== 'Always') {
    errs.notSupported(`${field}.restartPolicy`, policy, ['Always']);
  } else if (policy !== undefined && !['Always', 'OnFailure', 'Never'].includes(String(policy))) {
    errs.notSupported(`${field}.restartPolicy`, policy, ['Always', 'Never', 'OnFailure']);
  }
}

function validateWorkload(errs: FieldErrors, o: KubeObject, kindLabel: string): void {
  const spec = obj(o.spec);
  if (spec.replicas !== undefined && typeof spec.replicas === 'number' && spec.replicas < 0) {
    errs.invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0');
  }
  const selector = spec.selector;
  const template = obj(spec.template);
  const tmeta = obj(template.metadata);
  if (!isJsonObject(selector)) errs.required('spec.selector');
  else {
    const reqs = selectorObjectToRequirements(selector);
    if (reqs.length === 0)
      errs.invalid('spec.selector', selector, `empty selector is invalid for ${kindLabel}`);
    else if (!labelsMatch(obj(tmeta.labels) as Record<string, string>, reqs)) {
      errs.invalid(
        'spec.template.metadata.labels',
        tmeta.labels ?? {},
        '`selector` does not match template `labels`',
      );
    }
  }
  validateLabels(errs, tmeta.labels, 'spec.template.metadata.labels');
  validatePodSpec(errs, obj(template.spec), 'spec.template.spec', true);
  if (o.kind === 'Deployment') {
    const strategy = obj(spec.strategy);
    if (strategy.type !== undefined && !['Recreate', 'RollingUpdate'].includes(String(strategy.type))) {
      errs.notSupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']);
    }
    if (strategy.type === 'Recreate' && strategy.rollingUpdate) {
      errs.forbidden(
        'spec.strategy.rollingUpdate',
        "may not be specified when strategy `type` is 'Recreate'",
      );
    }
    if (typeof spec.revisionHistoryLimit === 'number' && spec.revisionHistoryLimit < 0) {
      errs.invalid(
        'spec.revisionHistoryLimit',
        spec.revisionHistoryLimit,
        'must be greater than or equal to 0',
      );
    }
  }
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function validateService(errs: FieldErrors, o: KubeObject): void {
  const spec = obj(o.spec);
  const type = spec.type ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(String(type))) errs.notSupported('spec.type', type, SERVICE_TYPES);
  const ports = list(spec.ports);
  if (ports.length === 0 && type !== 'ExternalName' && spec.clusterIP !== 'None') errs.required('spec.ports');
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = obj(raw);
    const f = `spec.ports[${i}]`;
    if (ports.length > 1 && (typeof p.name !== 'string' || p.name === '')) errs.required(`${f}.name`);
    if (typeof p.name === 'string' && p.name !== '') {
      errs.each(`${f}.name`, p.name, isDNS1123Label(p.name));
      if (names.has(p.name)) errs.duplicate(`${f}.name`, p.name);
      names.add(p.name);
    }
    validatePort(errs, `${f}.port`, p.port);
    if (p.protocol !== undefined && !PROTOCOLS.includes(String(p.protocol))) {
      errs.notSupported(`${f}.protocol`, p.protocol, PROTOCOLS);
    }
    if (typeof p.targetPort === 'number') validatePort(errs, `${f}.targetPort`, p.targetPort);
    else if (typeof p.targetPort === 'string')
      errs.each(`${f}.targetPort`, p.targetPort, isValidPortName(p.targetPort));
    if (p.nodePort !== undefined && type === 'ClusterIP') {
      errs.forbidden(`${f}.nodePort`, "may not be used when `type` is 'ClusterIP'");
    }
  });
  validateLabels(errs, spec.selector, 'spec.selector');
}

function validateDataKeys(errs: FieldErrors, o: KubeObject): void {
  for (const field of ['data', 'binaryData', 'stringData']) {
    for (const k of Object.keys(obj(o[field]))) errs.each(`${field}[${k}]`, k, isConfigMapKey(k));
  }
}

function validateHpa(errs: FieldErrors, o: KubeObject): void {
  const spec = obj(o.spec);
  const min = spec.minReplicas;
  if (typeof min === 'number' && min < 1)
    errs.invalid('spec.minReplicas', min, 'must be greater than or equal to 1');
  if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1) {
    errs.invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0');
  } else if (typeof min === 'number' && spec.maxReplicas < min) {
    errs.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`');
  }
  const ref = obj(spec.scaleTargetRef);
  if (!ref.kind) errs.required('spec.scaleTargetRef.kind');
  if (!ref.name) errs.required('spec.scaleTargetRef.name');
}

/** validateCreate checks a new object. */
export function validateObject(def: ResourceDef, o: KubeObject): FieldErrors {
  const errs = new FieldErrors();
  validateMeta(errs, def, obj(o.metadata));
  switch (def.kind) {
    case 'Pod':
      validatePodSpec(errs, obj(o.spec), 'spec', false);
      break;
    case 'Deployment':
      validateWorkload(errs, o, 'deployment');
      break;
    case 'ReplicaSet':
      validateWorkload(errs, o, 'replicaset');
      break;
    case 'Service':
      validateService(errs, o);
      break;
    case 'ConfigMap':
    case 'Secret':
      validateDataKeys(errs, o);
      break;
    case 'HorizontalPodAutoscaler':
      validateHpa(errs, o);
      break;
  }
  return errs;
}

/** validateUpdate adds the immutable-field checks of an update to validateObject's. */
export function validateUpdate(def: ResourceDef, o: KubeObject, old: KubeObject): FieldErrors {
  const errs = validateObject(def, o);
  const spec = obj(o.spec);
  const oldSpec = obj(old.spec);
  if (
    (def.kind === 'Deployment' || def.kind === 'ReplicaSet') &&
    JSON.stringify(spec.selector) !== JSON.stringify(oldSpec.selector)
  ) {
    errs.invalid('spec.selector', spec.selector ?? null, 'field is immutable');
  }
  if (def.kind === 'Service') {
    const oldIp = oldSpec.clusterIP;
    if (oldIp && spec.clusterIP !== undefined && spec.clusterIP !== '' && spec.clusterIP !== oldIp) {
      errs.invalid('spec.clusterIPs[0]', spec.clusterIP, 'may not change once set');
    }
  }
  if ((def.kind === 'ConfigMap' || def.kind === 'Secret') && old.immutable === true) {
    if (JSON.stringify(o.data) !== JSON.stringify(old.data)) {
      errs.forbidden('data', 'field is immutable when `immutable` is set');
    }
  }
  return errs;
}
