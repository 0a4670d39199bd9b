// OpenAPI v3 documents. kubectl apply/create fetch them to decide on server-side field validation:
// a PATCH operation tagged with the kind's group-version-kind that accepts `fieldValidation` makes
// kubectl send `fieldValidation=Strict` and leave unknown-field checks to us (validation.ts).
// Schemas are left out on purpose: kubectl then builds strategic merge patches from its
// compiled-in types, which know every merge key.
import { createHash } from 'node:crypto';
import { apiVersionOf, groupsInOrder, RESOURCES } from '../resources.js';
import { SERVER_VERSION } from './discovery.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : 'api/v1';
}

const docs = new Map<string, { body: string; hash: string }>();

/** openapiDocument returns the serialized document of one group version and its hash. */
export function openapiDocument(group: string, version: string): { body: string; hash: string } {
  const key = apiVersionOf(group, version);
  const cached = docs.get(key);
  if (cached) return cached;
  const paths: Record<string, unknown> = {};
  for (const def of RESOURCES) {
    if (def.group !== group || !def.versions.includes(version)) continue;
    const prefix = group ? `/apis/${group}/${version}` : '/api/v1';
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
  const body = JSON.stringify({
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas: {} },
  });
  const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
  const doc = { body, hash };
  docs.set(key, doc);
  return doc;
}

/** openapiRoot is /openapi/v3: one entry per served group version. */
export function openapiRoot(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const gvs = [
    { group: '', version: 'v1' },
    ...groupsInOrder().flatMap((g) => g.versions.map((v) => ({ group: g.name, version: v }))),
  ];
  for (const { group, version } of gvs) {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${openapiDocument(group, version).hash}` };
  }
  return { paths };
}
