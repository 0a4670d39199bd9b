// Feedback about the learner's own mistake (Exercism's mentors comment on the code you wrote):
// when a check fails, read the step's files with the offline checker and look for the object the
// check wanted in other namespaces and under near names, and say what to change.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../checks/types.js';
import { localize } from '../course/localize.js';
import type { CheckSpec, Step } from '../course/types.js';
import { createKubectl } from '../kubectl.js';
import type { EngineContext } from './context.js';

type DiagnoseContext = Pick<EngineContext, 'workspace' | 'lang' | 't' | 'runner' | 'cluster'>;

/** Diagnosis is what the engine adds to a failed check: findings first, then where things are. */
export interface Diagnosis {
  lines: string[];
  /** A more precise cause than the check's own, when the diagnosis found one. */
  causeId?: string;
}

/**
 * stepManifestFiles are the files whose mistakes are the learner's to fix: the exercise's file, else
 * the YAML files the step writes. (A fix-the-article step may write other article files only to be
 * applied once, as written; their findings would be noise.)
 */
export function stepManifestFiles(step: Step): string[] {
  const files = step.exercise?.file ? [step.exercise.file] : (step.files ?? []).map((f) => f.to);
  return files.filter((f) => /\.ya?ml$/.test(f));
}

/** checkerFindings runs the offline checker on the step's files: kind and field typos, bad names. */
export async function checkerFindings(ctx: DiagnoseContext, step: Step): Promise<string[]> {
  const inputs = stepManifestFiles(step)
    .map((path) => ({ path, full: join(ctx.workspace, path) }))
    .filter((f) => existsSync(f.full))
    .map((f) => ({ path: f.path, text: readFileSync(f.full, 'utf8') }));
  if (inputs.length === 0) return [];
  const { checkManifests } = await import('../check/index.js');
  // Errors only: they are what stops the step; warnings (probes, limits) are for `check` to teach.
  const findings = checkManifests(inputs, { lang: ctx.lang }).filter((f) => f.severity === 'error');
  return findings
    .slice(0, 4)
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.message}${f.fix ? `\n  → ${f.fix}` : ''}`);
}

/** The object a check is about, when its spec names one. */
interface Wanted {
  kind: string;
  name: string;
  namespace?: string;
}

// Check types that name their object without a `kind`.
const impliedKind: Record<string, string> = {
  rollout: 'deployment',
  'ready-replicas': 'deployment',
  'pods-on-node': 'deployment',
  'configmap-json': 'configmap',
  'configmap-cidrs': 'configmap',
  'endpoints-ready': 'service',
  'load-balanced': 'service',
  'hpa-replicas': 'horizontalpodautoscaler',
};

function wantedObject(spec: CheckSpec): Wanted | undefined {
  const name = typeof spec.name === 'string' ? spec.name : undefined;
  const kind = typeof spec.kind === 'string' ? spec.kind : impliedKind[spec.type];
  if (!name || !kind) return undefined;
  return {
    kind: kind.toLowerCase(),
    name,
    ...(typeof spec.namespace === 'string' ? { namespace: spec.namespace } : {}),
  };
}

interface Listed {
  items?: { metadata: { name: string; namespace?: string } }[];
}

/**
 * locateObject looks for a missing object elsewhere: the same name in another namespace (the
 * forgotten `-n` or `namespace:` line), or a near name (a typo) — and says what to change.
 */
export async function locateObject(ctx: DiagnoseContext, spec: CheckSpec): Promise<Diagnosis | undefined> {
  const wanted = wantedObject(spec);
  if (!wanted || !ctx.cluster) return undefined;
  const kubectl = createKubectl(ctx.runner, ctx.cluster);
  const clusterScoped = /^(namespaces?|ns|nodes?|clusterroles?|clusterrolebindings?)$/.test(wanted.kind);
  const { value } = await kubectl.json<Listed>(
    ['get', wanted.kind, ...(clusterScoped ? [] : ['--all-namespaces'])],
    {
      timeoutMs: 20_000,
    },
  );
  if (!value?.items) return undefined;
  const items = value.items.map((i) => ({ name: i.metadata.name, namespace: i.metadata.namespace }));
  const inPlace = (i: { namespace?: string | undefined }) =>
    clusterScoped || i.namespace === wanted.namespace;
  if (items.some((i) => i.name === wanted.name && inPlace(i))) return undefined; // it is there
  const object = `${wanted.kind}/${wanted.name}`;
  const elsewhere = items.filter((i) => i.name === wanted.name && !inPlace(i));
  if (elsewhere.length > 0 && wanted.namespace) {
    return {
      causeId: 'wrong-namespace',
      lines: [
        ctx.t('diagnose.elsewhere', {
          object,
          found: elsewhere.map((i) => i.namespace).join(', '),
          namespace: wanted.namespace,
        }),
      ],
    };
  }
  const { editDistance } = await import('../check/kinds.js');
  const near = items.filter((i) => i.name !== wanted.name && editDistance(i.name, wanted.name) <= 2);
  if (near.length > 0) {
    const n = near[0]!;
    return {
      causeId: 'near-name',
      lines: [
        ctx.t(n.namespace && !inPlace(n) ? 'diagnose.nearNameElsewhere' : 'diagnose.nearName', {
          object,
          found: `${wanted.kind}/${n.name}`,
          namespace: n.namespace ?? '',
          name: wanted.name,
        }),
      ],
    };
  }
  if (wanted.namespace && !clusterScoped) {
    const ns = await kubectl.run(['get', 'namespace', wanted.namespace, '-o', 'name'], {
      readOnly: true,
      timeoutMs: 20_000,
    });
    if (ns.exitCode !== 0 && /not ?found/i.test(ns.stderr)) {
      return {
        causeId: 'namespace-missing',
        lines: [ctx.t('diagnose.namespaceMissing', { namespace: wanted.namespace })],
      };
    }
  }
  return undefined;
}

/**
 * laterChange names the later steps, already done, that work on the same object as a failed check
 * of an earlier step: re-verifying `service/three-replicas` after `scaling/scale-down` fails because
 * the later step changed the replica count — not because the learner broke something.
 */
export function laterChange(
  ctx: Pick<EngineContext, 'course' | 'state' | 'lang' | 't'>,
  step: Step,
  spec: CheckSpec | undefined,
): string | undefined {
  const wanted = spec ? wantedObject(spec) : undefined;
  if (!wanted || ctx.state.steps[step.key]?.status !== 'done') return undefined;
  const later = ctx.course.steps.filter(
    (s) =>
      s.index > step.index &&
      ctx.state.steps[s.key]?.status === 'done' &&
      [...s.verify, ...(s.run ?? [])].some((c) => JSON.stringify(c).includes(wanted.name)),
  );
  const last = later.at(-1);
  if (!last) return undefined;
  return ctx.t('diagnose.laterChanged', {
    step: last.key,
    self: step.key,
    title: localize(last.title, ctx.lang),
    object: `${wanted.kind}/${wanted.name}`,
  });
}

/** diagnoseFailure is the checker's findings on the step's files, then where the object is. */
export async function diagnoseFailure(
  ctx: DiagnoseContext & Pick<EngineContext, 'course' | 'state'>,
  step: Step,
  spec: CheckSpec | undefined,
  result: CheckResult,
): Promise<Diagnosis> {
  const lines: string[] = [];
  // Only states a later step can explain: a replica count, an object gone, a wait that never ended.
  // A pull error or a crash is the file's own problem, whatever ran later.
  const laterCauses = [undefined, 'replicas-mismatch', 'too-few-pods', 'not-found', 'timeout'];
  const changed = laterCauses.includes(result.causeId) ? laterChange(ctx, step, spec) : undefined;
  if (changed) lines.push(changed);
  const findings = await checkerFindings(ctx, step).catch(() => []);
  // The manifest check already printed these findings as its own "saw".
  if (findings.length > 0 && spec?.type !== 'manifest') {
    lines.push(ctx.t('diagnose.findingsTitle'), ...findings.map((f) => `  ${f}`));
  }
  // A stuck state (a pull error, a crash) is about the object that exists; a missing one may be elsewhere.
  const located =
    spec && (!result.stuck || result.causeId === 'not-found')
      ? await locateObject(ctx, spec).catch(() => undefined)
      : undefined;
  if (located) lines.push(...located.lines);
  const causeId = located?.causeId ?? (changed && !result.causeId ? 'later-step' : undefined);
  return { lines, ...(causeId ? { causeId } : {}) };
}
