// apply-keeps: a field another owner manages (an HPA owns a Deployment's `spec.replicas`) is left
// out of the learner's manifest, and `kubectl apply -f FILE` would leave the live value alone.
// Two ways to fail, both stuck: the file still names the field (every apply resets it), or the
// file no longer does but kubectl's last-applied-configuration annotation still remembers it (the
// next apply removes the field, and the API server fills in its default: one replica).
import { parseAllDocuments } from 'yaml';
import { readWorkspaceFile } from '../basic.js';
import type { CheckType } from '../types.js';
import {
  isResult,
  kubectlFailure,
  kubectlOf,
  namespaceSchema,
  notFound,
  nsArgs,
  objectRef,
} from './common.js';
import { missing } from './wait.js';

/** ApplyKeepsSpec names the file, the object in it and the field (dotted: spec.replicas). */
export interface ApplyKeepsSpec {
  path: string;
  kind: string;
  name: string;
  namespace?: string;
  field: string;
}

interface Manifest {
  kind?: string;
  metadata?: { name?: string };
}

/** fieldOf reads a dotted path of an object; undefined when any part is missing. */
function fieldOf(object: unknown, field: string): unknown {
  let at: unknown = object;
  for (const part of field.split('.')) {
    if (!at || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** sameKind: `deployment` (kubectl's word, any case or plural) names the object kind `Deployment`. */
function sameKind(kind: string, objectKind: string | undefined): boolean {
  const want = kind.toLowerCase().replace(/\.apps$/, '');
  const have = (objectKind ?? '').toLowerCase();
  return want === have || want === `${have}s` || (want === 'deploy' && have === 'deployment');
}

/** findObject is the manifest of kind/name among the documents of a (possibly multi-document) list. */
function findObject(items: unknown[], kind: string, name: string): unknown {
  return items.find((o) => sameKind(kind, (o as Manifest)?.kind) && (o as Manifest)?.metadata?.name === name);
}

/** applyKeeps checks a manifest leaves a field to its other owner, in the file and on apply. */
export const applyKeeps: CheckType<ApplyKeepsSpec> = {
  name: 'apply-keeps',
  schema: {
    type: 'object',
    required: ['path', 'kind', 'name', 'field'],
    additionalProperties: false,
    properties: {
      path: { type: 'string', minLength: 1 },
      kind: { type: 'string', minLength: 1 },
      name: { type: 'string', minLength: 1 },
      namespace: namespaceSchema,
      field: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*$' },
    },
  },
  async run(spec, ctx) {
    const object = objectRef(spec.kind, spec.name);
    const title = ctx.t('checks.applyKeeps.title', { path: spec.path, field: spec.field });
    const expected = ctx.t('checks.applyKeeps.expected', { path: spec.path, field: spec.field, object });
    const text = await readWorkspaceFile(ctx, spec.path, title);
    if (typeof text !== 'string') return text;
    const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
    const mine = findObject(docs, spec.kind, spec.name);
    if (!mine)
      return {
        ok: false,
        title,
        expected,
        saw: ctx.t('checks.applyKeeps.noObject', { path: spec.path, object }),
        cause: ctx.t('checks.applyKeeps.noObjectCause', { path: spec.path, object }),
        hint: ctx.t('checks.applyKeeps.noObjectHint', { path: spec.path, object }),
        causeId: 'manifest',
        stuck: true,
      };
    const inFile = fieldOf(mine, spec.field);
    if (inFile !== undefined && inFile !== null)
      return {
        ok: false,
        title,
        expected,
        saw: `${spec.path}: ${spec.field}: ${JSON.stringify(inFile)}`,
        cause: ctx.t('checks.applyKeeps.inFileCause', { field: spec.field }),
        hint: ctx.t('checks.applyKeeps.inFileHint', { path: spec.path, field: spec.field }),
        causeId: 'field-in-file',
        stuck: true,
      };

    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const ns = nsArgs(spec.namespace);
    // Both at once: the live object, and what an apply of the file would make of it (the API
    // server's dry run of kubectl's own three-way patch: nothing changes).
    const [live, applied] = await Promise.all([
      kubectl.json(['get', object, ...ns]),
      kubectl.json<{ kind?: string; items?: unknown[] }>(
        ['apply', '-f', spec.path, '--dry-run=server', ...ns],
        {
          cwd: ctx.workspace,
        },
      ),
    ]);
    if (!live.value)
      return notFound(live.result)
        ? missing(ctx, title, expected, object)
        : kubectlFailure(ctx, title, expected, live.result);
    if (!applied.value) return kubectlFailure(ctx, title, expected, applied.result);
    const after = findObject(
      applied.value.kind === 'List' ? (applied.value.items ?? []) : [applied.value],
      spec.kind,
      spec.name,
    );
    const now = fieldOf(live.value, spec.field);
    const then = fieldOf(after, spec.field);
    if (JSON.stringify(now) === JSON.stringify(then)) return { ok: true, title };
    const show = (v: unknown) => (v === undefined ? '-' : JSON.stringify(v));
    return {
      ok: false,
      title,
      expected,
      saw: ctx.t('checks.applyKeeps.sawChange', {
        command: kubectl.display(['apply', '-f', spec.path]),
        field: spec.field,
        from: show(now),
        to: show(then),
      }),
      cause: ctx.t('checks.applyKeeps.lastAppliedCause', { field: spec.field }),
      hint: ctx.t('checks.applyKeeps.lastAppliedHint', {
        command: kubectl.display(['apply', 'set-last-applied', '-f', spec.path]),
        apply: kubectl.display(['apply', '-f', spec.path]),
      }),
      causeId: 'last-applied',
      stuck: true,
    };
  },
};
