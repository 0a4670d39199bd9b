// Which schema a document is checked against, and what to suggest when its apiVersion/kind pair does
// not exist (`Deployment` under `v1` → it lives in `apps/v1`). Data: the generated schemas file.
import schemas from './schemas/k8s.json' with { type: 'json' };

/** CompactType is one generated type: field → type reference, and the required fields. */
export interface CompactType {
  f: Record<string, string>;
  r?: string[];
}

/** Schemas is the generated file's shape (see scripts/gen-schemas.mjs). */
export interface Schemas {
  source: string;
  /** Required fields upstream defaults before validating, so they are not required here. */
  defaulted: string[];
  kinds: Record<string, string>;
  known: Record<string, string[]>;
  types: Record<string, CompactType>;
}

/** compactSchemas is the generated data, typed. */
export const compactSchemas = schemas as Schemas;

/** KindStatus says how a document's apiVersion/kind pair resolved. */
export type KindStatus = 'ok' | 'missing' | 'wrong-version' | 'unknown-kind' | 'no-schema';

/** ResolvedKind is a pair's status, the schema to check against, and a suggestion. */
export interface ResolvedKind {
  status: KindStatus;
  schemaType: string | undefined;
  /** apiVersions where the kind exists (wrong-version) or the likely kind name (unknown-kind). */
  suggestion?: string;
}

const builtinApiVersions = new Set(Object.values(compactSchemas.known).flat());

/** The built-in kinds that are not namespaced (a namespace on them is ignored), and kind's Cluster. */
export const clusterScopedKinds = new Set([
  'APIService',
  'CertificateSigningRequest',
  'Cluster',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'DeviceClass',
  'FlowSchema',
  'IngressClass',
  'IPAddress',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'ResourceSlice',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersion',
  'StorageVersionMigration',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

/** isNamespacedBuiltin: a built-in kind known to live in a namespace (custom resources: unknown). */
export function isNamespacedBuiltin(kind: string): boolean {
  return kind in compactSchemas.known && !clusterScopedKinds.has(kind);
}

function schemaFor(apiVersion: string, kind: string): string | undefined {
  return compactSchemas.kinds[`${apiVersion}/${kind}`];
}

/** resolveKind decides what a document is. It never throws. */
export function resolveKind(apiVersion: string, kind: string): ResolvedKind {
  if (!apiVersion || !kind) return { status: 'missing', schemaType: undefined };
  const direct = schemaFor(apiVersion, kind);
  if (direct) return { status: 'ok', schemaType: direct };
  const versions = compactSchemas.known[kind];
  if (versions?.includes(apiVersion)) return { status: 'no-schema', schemaType: undefined };
  if (versions) {
    // Prefer a version we have a schema for, then the newest-looking one.
    const ordered = [...versions].sort((a, b) => Number(!!schemaFor(b, kind)) - Number(!!schemaFor(a, kind)));
    const best = ordered[0]!;
    return { status: 'wrong-version', schemaType: schemaFor(best, kind), suggestion: ordered.join(', ') };
  }
  if (builtinApiVersions.has(apiVersion)) {
    const lower = kind.toLowerCase();
    const sameName = Object.keys(compactSchemas.known).find((k) => k.toLowerCase() === lower);
    if (sameName) {
      const at = compactSchemas.known[sameName]!.includes(apiVersion)
        ? apiVersion
        : compactSchemas.known[sameName]![0]!;
      return { status: 'unknown-kind', schemaType: schemaFor(at, sameName), suggestion: sameName };
    }
    const inGroup = Object.entries(compactSchemas.known)
      .filter(([, vs]) => vs.includes(apiVersion))
      .map(([k]) => k);
    const close = inGroup.find((k) => editDistance(k.toLowerCase(), lower) <= 2);
    return close
      ? { status: 'unknown-kind', schemaType: undefined, suggestion: close }
      : { status: 'unknown-kind', schemaType: undefined };
  }
  return { status: 'no-schema', schemaType: undefined };
}

/** editDistance is the Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
