// Walks a request object against the schema: unknown fields (strict decoding / SSA "field not
// declared in schema") and JSON type mismatches (`json: cannot unmarshal string into Go struct
// field DeploymentSpec.spec.replicas of type int32`).
import { listSemantics, parseType, typeFields } from '../schema/index.js';
import { isJsonObject } from '../types.js';

/** FieldReport lists what the walk found; paths in both the strict and the SSA spelling. */
export interface FieldReport {
  /** `spec.template.spec.containers[0].imagePullPolicyy` */
  unknown: string[];
  /** `.spec.template.spec.containers[name="c"].imagePullPolicyy` */
  unknownSsa: string[];
  /** Go-style unmarshal errors, first one first. */
  typeErrors: string[];
}

const INT64_FIELDS = new Set([
  'generation',
  'activeDeadlineSeconds',
  'terminationGracePeriodSeconds',
  'deletionGracePeriodSeconds',
  'seconds',
  'observedGeneration',
  'count',
  'tolerationSeconds',
  'expirationSeconds',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
]);

function goStructName(typeName: string): string {
  return typeName.replace(/^(CoreV1|EventsV1|DiscoveryV1|V1|V2|V1beta1)/, '');
}

function goTypeName(t: string, field: string): string {
  const p = parseType(t);
  if (p.shape === 'list') return `[]${goTypeName(p.item, field)}`;
  if (p.shape === 'map') return `map[string]${goTypeName(p.value, field)}`;
  if (p.shape === 'struct') return `v1.${goStructName(p.name)}`;
  switch (p.name) {
    case 'integer':
      return INT64_FIELDS.has(field) ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'date':
      return 'v1.Time';
    default:
      return p.name === 'any' ? 'interface {}' : 'string';
  }
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

function matches(t: string, v: unknown): boolean {
  if (v === null) return true;
  const p = parseType(t);
  if (p.shape === 'list') return Array.isArray(v);
  if (p.shape === 'map' || p.shape === 'struct') return isJsonObject(v);
  switch (p.name) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'intOrString':
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
    case 'any':
      return true;
    default:
      return typeof v === 'string';
  }
}

function keyLabel(item: unknown, keys: string[] | undefined, index: number): string {
  if (!keys?.length || !isJsonObject(item)) return `[${index}]`;
  const parts = keys.filter((k) => item[k] !== undefined).map((k) => `${k}=${JSON.stringify(item[k])}`);
  return parts.length ? `[${parts.join(',')}]` : `[${index}]`;
}

/** checkFields walks `value` as type `typeName`; with `drop`, unknown fields are removed in place. */
export function checkFields(value: unknown, typeName: string, drop = false): FieldReport {
  const report: FieldReport = { unknown: [], unknownSsa: [], typeErrors: [] };
  walkStruct(value, typeName, '', '', '', report, drop);
  return report;
}

// Fields of type resource.Quantity. The generated types say `string` (the client models lose the
// format), but a Quantity also unmarshals from a JSON number — `cpu: 64` is valid — and is stored
// as its string. Listed by struct and field: a number anywhere else is still refused.
const QUANTITY_FIELDS = new Set([
  'V1ResourceRequirements.requests',
  'V1ResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1NodeStatus.capacity',
  'V1NodeStatus.allocatable',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1PodSpec.overhead',
  'V1ResourceQuotaSpec.hard',
  'V1ResourceQuotaStatus.hard',
  'V1ResourceQuotaStatus.used',
  'V1LimitRangeItem.max',
  'V1LimitRangeItem.min',
  'V1LimitRangeItem._default',
  'V1LimitRangeItem.default',
  'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.maxLimitRequestRatio',
  'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeSpec.capacity',
  'V2MetricTarget.averageValue',
  'V2MetricTarget.value',
]);

/** quantityAsString turns JSON numbers in a Quantity field (or a map of them) into their strings. */
function quantityAsString(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (isJsonObject(v))
    for (const [k, item] of Object.entries(v)) if (typeof item === 'number') v[k] = String(item);
  return v;
}

function walkStruct(
  value: unknown,
  typeName: string,
  path: string,
  ssaPath: string,
  goPath: string,
  report: FieldReport,
  drop: boolean,
): void {
  const fields = typeFields(typeName);
  if (!fields || !isJsonObject(value)) return;
  for (const [key, raw] of Object.entries(value)) {
    let v = raw;
    if (QUANTITY_FIELDS.has(`${typeName}.${key}`)) {
      v = quantityAsString(raw);
      value[key] = v;
    }
    const p = path ? `${path}.${key}` : key;
    const sp = `${ssaPath}.${key}`;
    const gp = goPath ? `${goPath}.${key}` : key;
    const t = fields[key];
    if (t === undefined) {
      report.unknown.push(p);
      report.unknownSsa.push(sp);
      if (drop) delete value[key];
      continue;
    }
    if (!matches(t, v)) {
      report.typeErrors.push(
        `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${goStructName(typeName)}.${gp} of type ${goTypeName(t, key)}`,
      );
      continue;
    }
    walkValue(v, t, p, sp, gp, report, drop, listSemantics(typeName, key).mapKeys, goStructName(typeName));
  }
}

function walkValue(
  v: unknown,
  t: string,
  path: string,
  ssaPath: string,
  goPath: string,
  report: FieldReport,
  drop: boolean,
  mapKeys?: string[],
  /** Go name of the struct holding this field: a map value's error names it (`ConfigMap.data`). */
  owner = goPath.split('.').pop(),
): void {
  if (v === null) return;
  const p = parseType(t);
  if (p.shape === 'struct') walkStruct(v, p.name, path, ssaPath, goPath, report, drop);
  else if (p.shape === 'list' && Array.isArray(v)) {
    v.forEach((item, i) => {
      if (!matches(p.item, item)) {
        report.typeErrors.push(
          `json: cannot unmarshal ${jsonKind(item)} into Go value of type ${goTypeName(p.item, '')}`,
        );
        return;
      }
      walkValue(
        item,
        p.item,
        `${path}[${i}]`,
        `${ssaPath}${keyLabel(item, mapKeys, i)}`,
        goPath,
        report,
        drop,
      );
    });
  } else if (p.shape === 'map' && isJsonObject(v)) {
    for (const [k, item] of Object.entries(v)) {
      if (!matches(p.value, item)) {
        report.typeErrors.push(
          `json: cannot unmarshal ${jsonKind(item)} into Go struct field ${owner}.${goPath} of type ${goTypeName(p.value, '')}`,
        );
        continue;
      }
      walkValue(item, p.value, `${path}.${k}`, `${ssaPath}.${k}`, goPath, report, drop);
    }
  }
}
