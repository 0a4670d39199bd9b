// OpenAPI v3 documents, one per served group version, listed by /openapi/v3.
//
// Paths: a GET/PUT/PATCH/DELETE operation per kind, tagged with its group-version-kind, whose
// parameters include `fieldValidation`: kubectl apply/create then send `fieldValidation=Strict` and
// leave unknown-field checks to us (validation.ts). `kubectl explain` finds a resource's kind there.
//
// Schemas: the Kubernetes 1.33 component schemas (schema/openapi-v3.json, generated from upstream's
// documents by scripts/gen-practice-openapi.mjs), for `kubectl explain`. Loaded on the first request
// that needs them, from the brotli copy the build writes into dist/ (or the JSON in a checkout).
//
// How kubectl builds patches does not change with them: kubectl ≥ 1.29 computes `apply`'s strategic
// merge patch from OpenAPI v3 only when the kind's PATCH operation lists
// `application/strategic-merge-patch+json` in its requestBody (patcher.go
// gvkSupportsPatchOpenAPIV3), and from OpenAPI v2 only when v2's PATCH operation `consumes` it.
// Our PATCH operations carry no requestBody and /openapi/v2 has no paths, so kubectl keeps using its
// compiled-in types (edit, set, scale, rollout restart always do). The schemas can be switched off
// (`openapiSchemas: false`, K8S_LEARN_PRACTICE_OPENAPI_SCHEMAS=0) to compare; the patch tests run
// in both modes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { packageRoot } from '../../paths.js';
import { apiVersionOf, groupsInOrder, RESOURCES, type ResourceDef } from '../resources.js';
import type { ObjectStore } from '../store.js';
import { SERVER_VERSION } from './discovery.js';

type Schema = Record<string, unknown>;

/** SCHEMA_POOL_FILES: where the generated schemas are, as shipped (dist) and in a checkout (src). */
const SCHEMA_POOL_FILES = {
  dist: join('dist', 'practice', 'openapi-v3.json.br'),
  src: join('src', 'practice', 'schema', 'openapi-v3.json'),
};

interface SchemaPool {
  schemas: Record<string, Schema>;
  /** `group/version/Kind` → schema name (`apps/v1/Deployment` → `io.k8s.api.apps.v1.Deployment`). */
  byKind: Map<string, string>;
  /** Digest of the pool file, part of every document hash. */
  digest: string;
}

let pool: SchemaPool | undefined;
let poolDigest: string | undefined;

/** poolFile picks the schema file: the dist copy when running bundled, else the checkout's JSON. */
function poolFile(): { path: string; compressed: boolean } {
  const root = packageRoot();
  const bundled = fileURLToPath(import.meta.url).includes(`${join('dist', '')}`);
  const order = bundled ? (['dist', 'src'] as const) : (['src', 'dist'] as const);
  for (const kind of order) {
    const path = join(root, SCHEMA_POOL_FILES[kind]);
    if (existsSync(path)) return { path, compressed: kind === 'dist' };
  }
  throw new Error(`k8s-learn: OpenAPI schemas missing (${SCHEMA_POOL_FILES.dist})`);
}

function readPoolFile(): { text: string; digest: string } {
  const { path, compressed } = poolFile();
  const raw = readFileSync(path);
  const text = compressed ? brotliDecompressSync(raw).toString('utf8') : raw.toString('utf8');
  return { text, digest: createHash('sha256').update(text).digest('hex').slice(0, 16) };
}

/** schemaPoolDigest identifies the schema file without parsing it (for /openapi/v3's hashes). */
function schemaPoolDigest(): string {
  poolDigest ??= pool?.digest ?? readPoolFile().digest;
  return poolDigest;
}

/** schemaPool parses the schema file once. */
export function schemaPool(): SchemaPool {
  if (pool) return pool;
  const { text, digest } = readPoolFile();
  const schemas = (JSON.parse(text) as { schemas: Record<string, Schema> }).schemas;
  const byKind = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    // apimachinery's DeleteOptions, Status, WatchEvent are tagged with every group's GVK.
    if (name.startsWith('io.k8s.apimachinery.')) continue;
    const gvks = (schema['x-kubernetes-group-version-kind'] ?? []) as {
      group: string;
      version: string;
      kind: string;
    }[];
    for (const g of gvks) byKind.set(`${g.group}/${g.version}/${g.kind}`, name);
  }
  pool = { schemas, byKind, digest };
  poolDigest = digest;
  return pool;
}

/** OpenapiOptions is what one cluster publishes. */
export interface OpenapiOptions {
  /** Publish component schemas (default true); false serves paths only, as before explain worked. */
  schemas: boolean;
  /** The store, for the schemas of custom resources (their CRDs' openAPIV3Schema). */
  store?: ObjectStore;
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : 'api/v1';
}

function servedDefs(group: string, version: string): ResourceDef[] {
  return RESOURCES.filter((def) => def.group === group && def.versions.includes(version));
}

function pathsOf(group: string, version: string, defs: ResourceDef[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const prefix = group ? `/apis/${group}/${version}` : '/api/v1';
  for (const def of defs) {
    const item = def.namespaced
      ? `${prefix}/namespaces/{namespace}/${def.resource}/{name}`
      : `${prefix}/${def.resource}/{name}`;
    const op = (action: string) => ({
      operationId: `${action}${def.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': { group, version, kind: def.kind },
      parameters: [
        {
          name: 'fieldValidation',
          in: 'query',
          description:
            'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields.',
          schema: { type: 'string', uniqueItems: true },
        },
      ],
      responses: { '200': { description: 'OK' } },
    });
    paths[item] = { get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete') };
  }
  return paths;
}

const CRDS = 'customresourcedefinitions.apiextensions.k8s.io';

/**
 * customSchema is the published schema of a custom kind, as apiextensions-apiserver builds it: the
 * CRD version's openAPIV3Schema with apiVersion, kind and metadata (ObjectMeta) filled in.
 */
function customSchema(store: ObjectStore, def: ResourceDef, version: string): Schema | undefined {
  const crd = store.get(CRDS, '', `${def.resource}.${def.group}`);
  const versions = ((crd?.spec as Schema | undefined)?.versions ?? []) as Schema[];
  const v = versions.find((x) => x.name === version);
  const given = ((v?.schema as Schema | undefined)?.openAPIV3Schema ?? undefined) as Schema | undefined;
  if (!given) return undefined;
  const schema = structuredClone(given);
  const properties = { ...((schema.properties as Schema | undefined) ?? {}) };
  const meta = schemaPool().schemas['io.k8s.api.core.v1.Pod']?.properties as
    | Record<string, Schema>
    | undefined;
  if (meta) {
    properties.apiVersion = meta.apiVersion!;
    properties.kind = meta.kind!;
    properties.metadata = meta.metadata!;
  }
  schema.properties = properties;
  schema.type ??= 'object';
  schema['x-kubernetes-group-version-kind'] = [{ group: def.group, kind: def.kind, version }];
  return schema;
}

/** customSchemaName is the name apiextensions-apiserver gives it: `com.example.stable.v1.CronTab`. */
function customSchemaName(def: ResourceDef, version: string): string {
  return [...def.group.split('.').reverse(), version, def.kind].join('.');
}

/** componentSchemas gathers the schemas of a group version's kinds and every schema they reference. */
function componentSchemas(
  group: string,
  version: string,
  defs: ResourceDef[],
  store: ObjectStore | undefined,
): Record<string, Schema> {
  const { schemas, byKind } = schemaPool();
  const out: Record<string, Schema> = {};
  const queue: string[] = [];
  for (const def of defs) {
    const name = byKind.get(`${group}/${version}/${def.kind}`);
    if (name) queue.push(name);
    else if (store && def.custom) {
      const custom = customSchema(store, def, version);
      if (custom) {
        out[customSchemaName(def, version)] = custom;
        for (const m of JSON.stringify(custom).matchAll(/"#\/components\/schemas\/([^"]+)"/g))
          queue.push(m[1]!);
      }
    }
  }
  while (queue.length) {
    const name = queue.pop()!;
    if (out[name] || !schemas[name]) continue;
    out[name] = schemas[name];
    for (const m of JSON.stringify(schemas[name]).matchAll(/"#\/components\/schemas\/([^"]+)"/g))
      queue.push(m[1]!);
  }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k]!]),
  );
}

interface Document {
  body: string;
  hash: string;
}

// One document per mode and group version, kept while what determines it is unchanged: its kinds
// (custom kinds come and go) and, for custom kinds, their CRDs' resourceVersions.
const documents = new Map<string, { key: string; doc: Document }>();
const slot = (group: string, version: string, options: OpenapiOptions) =>
  `${options.schemas ? 'schemas' : 'paths'}|${apiVersionOf(group, version)}`;

function documentKey(group: string, version: string, defs: ResourceDef[], options: OpenapiOptions): string {
  const custom = options.schemas && options.store ? customVersions(defs, options.store) : '';
  return `${options.schemas ? 'schemas' : 'paths'}|${apiVersionOf(group, version)}|${defs.map((d) => `${d.resource}:${d.kind}:${d.namespaced}`).join(',')}|${custom}`;
}

function customVersions(defs: ResourceDef[], store: ObjectStore): string {
  return defs
    .filter((d) => d.custom)
    .map((d) => store.get(CRDS, '', `${d.resource}.${d.group}`)?.metadata.resourceVersion ?? '')
    .join(',');
}

/** documentHash is the hash kubectl caches a document under; it changes whenever the body does. */
function documentHash(paths: string, key: string, options: OpenapiOptions): string {
  const h = createHash('sha512').update(key).update(paths);
  if (options.schemas) h.update(schemaPoolDigest());
  return h.digest('hex').slice(0, 128).toUpperCase();
}

let poolMissing = false;

/**
 * withAvailableSchemas turns schemas off when the schema file cannot be read (a broken install):
 * kubectl apply needs these documents, explain is a nicety, so serve the paths and say why once.
 */
function withAvailableSchemas(options: OpenapiOptions): OpenapiOptions {
  if (!options.schemas) return options;
  if (poolMissing) return { ...options, schemas: false };
  try {
    schemaPoolDigest();
    return options;
  } catch (err) {
    poolMissing = true;
    process.emitWarning(`practice cluster: serving OpenAPI without schemas: ${(err as Error).message}`);
    return { ...options, schemas: false };
  }
}

/** openapiDocument returns the serialized document of one group version and its hash. */
export function openapiDocument(group: string, version: string, requested: OpenapiOptions): Document {
  const options = withAvailableSchemas(requested);
  const defs = servedDefs(group, version);
  const key = documentKey(group, version, defs, options);
  const cached = documents.get(slot(group, version, options));
  if (cached?.key === key) return cached.doc;
  const paths = pathsOf(group, version, defs);
  const pathsJson = JSON.stringify(paths);
  const hash = documentHash(pathsJson, key, options);
  const schemas = options.schemas ? componentSchemas(group, version, defs, options.store) : {};
  const body = JSON.stringify({
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas },
  });
  const doc = { body, hash };
  documents.set(slot(group, version, options), { key, doc });
  return doc;
}

/** openapiHash is a group version's hash without building its body (the schemas stay unparsed). */
function openapiHash(group: string, version: string, options: OpenapiOptions): string {
  const defs = servedDefs(group, version);
  const key = documentKey(group, version, defs, options);
  const cached = documents.get(slot(group, version, options));
  if (cached?.key === key) return cached.doc.hash;
  return documentHash(JSON.stringify(pathsOf(group, version, defs)), key, options);
}

/** openapiRoot is /openapi/v3: one entry per served group version. */
export function openapiRoot(requested: OpenapiOptions): Record<string, unknown> {
  const options = withAvailableSchemas(requested);
  const paths: Record<string, unknown> = {};
  const gvs = [
    { group: '', version: 'v1' },
    ...groupsInOrder().flatMap((g) => g.versions.map((v) => ({ group: g.name, version: v }))),
  ];
  for (const { group, version } of gvs) {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${openapiHash(group, version, options)}` };
  }
  return { paths };
}
