// CustomResourceDefinitions: once a CRD is stored, its custom resource is served (discovery,
// REST, watch, tables with its additionalPrinterColumns) and the CRD reports NamesAccepted and
// Established, as apiextensions-apiserver does; deleting the CRD removes its objects and stops
// serving them. Custom objects are checked against no schema (stored as sent).
import type { Controller } from '../extensions.js';
import { RESOURCES, type ResourceDef } from '../resources.js';
import { ageOf } from '../server/age.js';
import type { Column } from '../server/table-columns.js';
import { age, name } from '../server/table-columns.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

const CRDS = 'customresourcedefinitions.apiextensions.k8s.io';
type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** CUSTOM_COLUMNS holds the table columns of served custom kinds, by `<group>/<Kind>`. */
export const CUSTOM_COLUMNS = new Map<string, Column[]>();

function jsonPathValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (part === '') continue;
    cur = o(cur)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

function defOf(crd: KubeObject): ResourceDef | undefined {
  const spec = o(crd.spec);
  const names = o(spec.names);
  const versions = ((spec.versions as Obj[] | undefined) ?? []).filter((v) => v.served !== false);
  if (!names.plural || !names.kind || !versions.length) return undefined;
  const storage = versions.find((v) => v.storage === true) ?? versions[0]!;
  const ordered = [storage, ...versions.filter((v) => v !== storage)];
  const sub = o(storage.subresources);
  const def: ResourceDef = {
    group: String(spec.group ?? ''),
    versions: ordered.map((v) => String(v.name)),
    resource: String(names.plural),
    kind: String(names.kind),
    singular: String(names.singular ?? String(names.kind).toLowerCase()),
    namespaced: spec.scope !== 'Cluster',
    tracksGeneration: true,
    custom: true,
  };
  if (Array.isArray(names.shortNames) && names.shortNames.length)
    def.shortNames = names.shortNames.map(String);
  if (Array.isArray(names.categories) && names.categories.length)
    def.categories = names.categories.map(String);
  const subs = ['status', 'scale'].filter((s) => sub[s] !== undefined);
  if (subs.length) def.subresources = subs;
  const printer = ((storage.additionalPrinterColumns as Obj[] | undefined) ?? []).map(
    (c): Column => ({
      name: String(c.name),
      type: String(c.type ?? 'string'),
      description: String(c.description ?? ''),
      priority: Number(c.priority ?? 0),
      // Date columns print as ages, like the API server's table convertor for custom resources.
      cell: (x, now) => {
        const v = jsonPathValue(x, String(c.jsonPath ?? ''));
        return c.type === 'date' && v ? ageOf(v, now) : v;
      },
    }),
  );
  CUSTOM_COLUMNS.set(`${def.group}/${def.kind}`, [
    name,
    ...printer,
    ...(printer.some((c) => c.name === 'Age') ? [] : [age]),
  ]);
  return def;
}

function serve(store: ObjectStore, crd: KubeObject, served: Map<string, ResourceDef>): void {
  const key = crd.metadata.name ?? '';
  const old = served.get(key);
  if (old) RESOURCES.splice(RESOURCES.indexOf(old), 1);
  served.delete(key);
  if (crd.metadata.deletionTimestamp) return;
  const def = defOf(crd);
  if (!def) return;
  RESOURCES.push(def);
  served.set(key, def);
  const conditions = ((o(crd.status).conditions as Obj[] | undefined) ?? []).filter(
    (c) => c.type !== 'NamesAccepted' && c.type !== 'Established',
  );
  const now = `${new Date().toISOString().slice(0, 19)}Z`;
  const keep = (type: string) =>
    ((o(crd.status).conditions as Obj[] | undefined) ?? []).find((c) => c.type === type)
      ?.lastTransitionTime ?? now;
  const names = o(o(crd.spec).names);
  const status = {
    conditions: [
      ...conditions,
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: keep('NamesAccepted'),
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: keep('Established'),
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    acceptedNames: { ...names, singular: def.singular },
    storedVersions: [def.versions[0]],
  };
  if (JSON.stringify(crd.status ?? {}) !== JSON.stringify(status))
    store.update(CRDS, {
      ...structuredClone(crd),
      status,
      metadata: { ...structuredClone(crd.metadata), resourceVersion: '' },
    });
}

/** crdController serves the custom resources of stored CRDs. */
export function crdController(): Controller {
  let unsubscribe: (() => void) | undefined;
  const served = new Map<string, ResourceDef>();
  return {
    name: 'customresourcedefinitions',
    start(ctx) {
      for (const crd of ctx.store.list(CRDS).items) serve(ctx.store, crd, served);
      unsubscribe = ctx.store.subscribe((e) => {
        if (e.resource !== CRDS) return;
        const crd = e.object;
        if (e.type === 'DELETED') {
          const def = served.get(crd.metadata.name ?? '');
          if (!def) return;
          RESOURCES.splice(RESOURCES.indexOf(def), 1);
          served.delete(crd.metadata.name ?? '');
          setImmediate(() => {
            const key = `${def.resource}.${def.group}`;
            for (const obj of ctx.store.list(key).items)
              ctx.store.delete(key, obj.metadata.namespace, obj.metadata.name ?? '');
          });
          return;
        }
        setImmediate(() => {
          const current = ctx.store.get(CRDS, undefined, crd.metadata.name ?? '');
          if (current) serve(ctx.store, current, served);
        });
      });
    },
    stop() {
      unsubscribe?.();
      for (const def of served.values()) RESOURCES.splice(RESOURCES.indexOf(def), 1);
      served.clear();
    },
  };
}
