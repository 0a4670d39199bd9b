// The write pipeline shared by create, update, patch and apply: decode checks (kind, types,
// unknown fields per fieldValidation), conversion to storage, server-owned metadata, per-kind
// preparation, defaulting, allocation, validation, field ownership, then the store.

import { ApiError, alreadyExists, badRequest, invalid } from '../api-error.js';
import { defaultIngressClass, enforceQuota, limitRanger } from '../policy/admission.js';
import { serviceAccountAdmission } from '../policy/service-account.js';
import { apiVersionOf, RESOURCES, type ResourceDef, storageKey } from '../resources.js';
import { rootType } from '../schema/index.js';
import type { ObjectStore } from '../store.js';
import { isJsonObject, type JsonObject, type KubeObject } from '../types.js';
import type { Request } from './context.js';
import { toStorage } from './convert.js';
import { applyDefaults } from './defaults.js';
import type { FieldErrors } from './field-errors.js';
import { checkFields } from './fields.js';
import { recordUpdate } from './managed-fields.js';
import { parseQuantity } from './quantity.js';
import type { ResourceRoute } from './routing.js';
import { allocateService } from './services.js';
import { validateObject, validateUpdate } from './validation.js';

/** WriteParams are the query parameters every write honours. */
export interface WriteParams {
  manager: string;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  dryRun: boolean;
  /** The requester's checks of what is written (RBAC escalation prevention); none in-process. */
  authorizeWrite?: Request['authorizeWrite'];
}

/** writeParams reads fieldManager, fieldValidation and dryRun from the query. */
export function writeParams(req: Request): WriteParams {
  const q = req.url.searchParams;
  const fv = q.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${fv}"`);
  }
  const ua = String(req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';
  const manager = q.get('fieldManager') ?? ua;
  if (manager.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
  return {
    manager,
    fieldValidation: fv as WriteParams['fieldValidation'],
    dryRun: q.get('dryRun') === 'All',
    authorizeWrite: req.authorizeWrite,
  };
}

function podSpecs(obj: JsonObject): JsonObject[] {
  const spec = isJsonObject(obj.spec) ? obj.spec : {};
  const template =
    isJsonObject(spec.template) && isJsonObject(spec.template.spec) ? [spec.template.spec] : [];
  return obj.kind === 'Pod' ? [spec] : template;
}

function firstQuantityError(obj: JsonObject): string | undefined {
  for (const spec of podSpecs(obj)) {
    const containers = [spec.containers, spec.initContainers].flatMap((l) => (Array.isArray(l) ? l : []));
    for (const c of containers) {
      const resources = isJsonObject(c) && isJsonObject(c.resources) ? c.resources : {};
      for (const kind of ['limits', 'requests']) {
        const values = isJsonObject(resources[kind]) ? (resources[kind] as JsonObject) : {};
        for (const v of Object.values(values)) {
          const parsed = parseQuantity(String(v));
          if (typeof parsed === 'string') return parsed;
        }
      }
    }
  }
  return undefined;
}

/** checkDecoded checks kind and field types, and handles unknown fields as fieldValidation says. */
export function checkDecoded(
  route: ResourceRoute,
  obj: JsonObject,
  req: Request,
  fv: WriteParams['fieldValidation'],
  apply = false,
  expectedKind = route.def.kind,
): void {
  const expected = apiVersionOf(route.group, route.version);
  // Like the API server's decoder, a create/update body without kind or apiVersion takes it from
  // the URL (the client library's README example sends neither); apply patches must name both.
  if (!apply) {
    if (obj.kind === undefined || obj.kind === '') obj.kind = expectedKind;
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = expected;
  }
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(obj).slice(0, 200)}'`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind !== expectedKind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${expectedKind})`);
  }
  obj.apiVersion = expected;
  const typeName = rootType(expected, expectedKind);
  if (!typeName) return;
  const report = checkFields(obj, typeName, fv !== 'Strict');
  const prefix = `${expectedKind} in version "${route.version}" cannot be handled as a ${expectedKind}: `;
  if (report.typeErrors.length) throw badRequest(prefix + report.typeErrors[0]);
  const quantityError = firstQuantityError(obj);
  if (quantityError) throw badRequest(prefix + quantityError);
  if (!report.unknown.length) return;
  if (fv === 'Strict') {
    if (apply)
      throw badRequest(report.unknownSsa.map((p) => `${p}: field not declared in schema`).join(', '));
    throw badRequest(
      `${prefix}strict decoding error: ${report.unknown.map((p) => `unknown field "${p}"`).join(', ')}`,
    );
  }
  if (fv === 'Warn') for (const p of report.unknown) req.warnings.push(`unknown field "${p}"`);
}

const SERVER_META = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'selfLink',
] as const;

function stripServerMeta(o: KubeObject): void {
  for (const k of SERVER_META) delete o.metadata[k];
}

function statusReset(def: ResourceDef): boolean {
  return ['Deployment', 'ReplicaSet', 'HorizontalPodAutoscaler', 'Namespace', 'Pod', 'Service'].includes(
    def.kind,
  );
}

function prepareNamespace(o: KubeObject, old?: KubeObject): void {
  o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name ?? '' };
  const spec = (isJsonObject(o.spec) ? o.spec : {}) as JsonObject;
  spec.finalizers = old
    ? ((old.spec as JsonObject | undefined)?.finalizers ?? ['kubernetes'])
    : ['kubernetes'];
  o.spec = spec;
  o.status = old ? old.status : { phase: 'Active' };
}

/** ensureNamespace checks that a namespace exists and accepts new content (create only). */
export function ensureNamespace(store: ObjectStore, namespace: string): void {
  const ns = store.get('namespaces', undefined, namespace);
  if (!ns)
    throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, {
      name: namespace,
      kind: 'namespaces',
    });
  if (ns.metadata.deletionTimestamp) {
    throw new ApiError(
      403,
      'Forbidden',
      `unable to create new content in namespace ${namespace} because it is being terminated`,
      {
        name: namespace,
        kind: 'namespaces',
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
  }
}

/** placeInNamespace fills metadata.namespace from the URL or rejects a mismatch. */
export function placeInNamespace(route: ResourceRoute, o: JsonObject): void {
  const meta = (isJsonObject(o.metadata) ? o.metadata : {}) as JsonObject;
  o.metadata = meta;
  if (!route.def.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace && meta.namespace !== route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.namespace = route.namespace;
}

function finish(store: ObjectStore, route: ResourceRoute, o: KubeObject, old: KubeObject | undefined): void {
  applyDefaults(o);
  serviceAccountAdmission(store, o, old);
  defaultIngressClass(store, o, old);
  limitRanger(store, o, old);
  const errs = old ? validateUpdate(route.def, o, old) : validateObject(route.def, o);
  if (route.def.kind === 'Service') allocateService(store, o, old, errs);
  failIfInvalid(route, o, errs);
  if (!old) enforceQuota(store, route.def, o, RESOURCES);
}

function failIfInvalid(route: ResourceRoute, o: KubeObject, errs: FieldErrors): void {
  if (!errs.empty)
    throw invalid(
      route.def.kind,
      route.def.group,
      o.metadata.name ?? o.metadata.generateName ?? '',
      errs.causes,
    );
}

// autoscaling/v1 only knows the CPU target: a v1 write keeps the v2-only parts (behavior, other
// metrics) of the stored object, as upstream keeps them through annotations.
function keepV2Fields(o: KubeObject, old: KubeObject): void {
  const spec = (o.spec ?? {}) as JsonObject;
  const oldSpec = (old.spec ?? {}) as JsonObject;
  if (spec.behavior === undefined && oldSpec.behavior !== undefined) spec.behavior = oldSpec.behavior;
  const isCpu = (m: unknown) =>
    isJsonObject(m) && m.type === 'Resource' && isJsonObject(m.resource) && m.resource.name === 'cpu';
  const others = (Array.isArray(oldSpec.metrics) ? oldSpec.metrics : []).filter((m) => !isCpu(m));
  const cpu = (Array.isArray(spec.metrics) ? spec.metrics : []).filter(isCpu);
  if (others.length) spec.metrics = [...cpu, ...others];
  o.spec = spec;
}

/** createObject runs the create pipeline for an object in the request's version. */
export function createObject(
  store: ObjectStore,
  route: ResourceRoute,
  input: KubeObject,
  p: WriteParams,
  managed = false,
): KubeObject {
  if (route.def.namespaced) ensureNamespace(store, route.namespace!);
  const o = toStorage(route.def, route.version, input);
  stripServerMeta(o);
  if (!managed) delete o.metadata.managedFields;
  if (statusReset(route.def)) delete o.status;
  if (route.def.kind === 'Namespace') prepareNamespace(o);
  p.authorizeWrite?.(o, route.namespace);
  finish(store, route, o, undefined);
  if (!managed) recordUpdate(o, undefined, p.manager, rootType(o.apiVersion, o.kind));
  if (p.dryRun) {
    // A dry run goes as far as storage, as upstream's does: a name already taken is 409 there too.
    const name = o.metadata.name;
    if (name && store.get(storageKey(route.def), o.metadata.namespace, name))
      throw alreadyExists(route.def.resource, route.def.group, name);
    return { ...o, metadata: { ...o.metadata, creationTimestamp: store.timestamp() } };
  }
  return store.create(storageKey(route.def), o);
}

/**
 * updateObject runs the update pipeline. `subresource` is 'status' for status writes: only the
 * status changes then; on main-resource writes the status is kept from the stored object.
 */
export function updateObject(
  store: ObjectStore,
  route: ResourceRoute,
  input: KubeObject,
  old: KubeObject,
  p: WriteParams,
  options: { subresource?: string; managed?: boolean } = {},
): KubeObject {
  let o = toStorage(route.def, route.version, input);
  const requestedRv = o.metadata.resourceVersion;
  if (options.subresource === 'status') {
    o = { ...structuredClone(old), status: o.status };
  } else {
    const meta = o.metadata;
    for (const k of SERVER_META) {
      if (old.metadata[k] === undefined) delete meta[k];
      else (meta as Record<string, unknown>)[k] = old.metadata[k];
    }
    if (meta.managedFields === undefined) meta.managedFields = old.metadata.managedFields;
    if (route.def.subresources?.includes('status') || route.def.kind === 'Namespace') {
      if (old.status === undefined) delete o.status;
      else o.status = old.status;
    }
    if (route.def.kind === 'Namespace') prepareNamespace(o, old);
  }
  o.metadata.resourceVersion = requestedRv;
  if (route.def.kind === 'HorizontalPodAutoscaler' && route.version === 'v1') keepV2Fields(o, old);
  if (options.subresource !== 'status') p.authorizeWrite?.(o, route.namespace);
  finish(store, route, o, old);
  if (!options.managed) recordUpdate(o, old, p.manager, rootType(o.apiVersion, o.kind), options.subresource);
  if (p.dryRun) return o;
  return store.update(storageKey(route.def), o);
}
