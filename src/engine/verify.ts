// Runs a step's declarative checks, one status line each (kind's status: ✓ / ✗).
import { findCheckType } from '../checks/registry.js';
import type { CheckResult } from '../checks/types.js';
import { localize } from '../course/localize.js';
import type { CheckSpec, Localized, Step } from '../course/types.js';
import { spinnerClock } from '../ui/clock.js';
import { stepChecks } from './applies.js';
import { blanksResult } from './blanks.js';
import { type EngineContext, stepVars } from './context.js';
import { renderDeepCached } from './render-cache.js';
import { stepRecord } from './state.js';

type VerifyContext = Pick<
  EngineContext,
  'course' | 'workspace' | 'lang' | 'cluster' | 'runner' | 't' | 'ui' | 'state'
>;

/**
 * verifyStep runs every check of a step and returns their results (stops at the first failure).
 * A failure is followed by the diagnosis of the learner's own mistake (src/engine/diagnose.ts) and
 * remembered in the step's record, so a hint can read it instead of running the check again.
 */
export async function verifyStep(ctx: VerifyContext, step: Step): Promise<CheckResult[]> {
  const results = await runChecks(ctx, step);
  const failed = results.find((r) => !r.ok);
  const record = stepRecord(ctx.state, step.key);
  if (!failed) {
    delete record.lastFailure;
    return results;
  }
  const spec = failedSpecs.get(failed);
  // Loaded on failure only: a passing verify needs none of it.
  const { diagnoseFailure } = await import('./diagnose.js');
  const diagnosis = await diagnoseFailure(ctx, step, spec, failed);
  if (diagnosis.causeId) failed.causeId = diagnosis.causeId;
  if (diagnosis.lines.length > 0) ctx.ui.note(diagnosis.lines.join('\n'), ctx.t('diagnose.title'));
  record.lastFailure = {
    at: new Date().toISOString(),
    title: failed.title,
    ...(failed.causeId ? { causeId: failed.causeId } : {}),
    ...(failed.saw ? { saw: failed.saw.slice(0, 500) } : {}),
  };
  return results;
}

// The rendered spec of each failed result, for the diagnosis (which object did it want?).
const failedSpecs = new WeakMap<CheckResult, CheckSpec>();

async function runChecks(ctx: VerifyContext, step: Step): Promise<CheckResult[]> {
  const vars = stepVars(ctx, step);
  const results: CheckResult[] = [];
  // A fill-in exercise first lists the blanks still open in its file.
  const blanks = blanksResult(ctx, step);
  if (blanks) {
    ctx.ui[blanks.ok ? 'success' : 'error'](blanks.title);
    if (!blanks.ok) {
      ctx.ui.note(explainFailure(ctx, blanks), ctx.t('verify.failedTitle'));
      return [blanks];
    }
  }
  const checks = stepChecks(ctx, step);
  if (checks.length === 0) {
    // Every check of this step is for other backends (say, an image loaded into kind's nodes).
    const result = { ok: true, title: ctx.t('verify.nothingHere', { backend: ctx.cluster?.backend ?? '-' }) };
    ctx.ui.info(result.title);
    return [result];
  }
  for (const [i, raw] of checks.entries()) {
    const type = findCheckType(raw.type);
    const spinner = ctx.ui.spinner();
    spinner.start(
      ctx.t('verify.running', { n: i + 1, total: checks.length, what: await checkLabel(ctx, raw, vars) }),
      spinnerClock(ctx.t, typeof raw.timeout === 'number' ? raw.timeout : undefined),
    );
    let result: CheckResult;
    let rendered: CheckSpec | undefined;
    if (!type) {
      result = { ok: false, title: raw.type, saw: ctx.t('verify.unknownType', { type: raw.type }) };
    } else {
      const {
        type: _t,
        title,
        hint,
        backends: _backends,
        ...spec
      } = await renderDeepCached(raw, vars, `check ${i + 1} of ${step.key}`);
      rendered = { type: raw.type, ...spec };
      try {
        result = await type.run(spec as never, {
          runner: ctx.runner,
          workspace: ctx.workspace,
          lang: ctx.lang,
          t: ctx.t,
          vars,
          ...(ctx.cluster ? { cluster: ctx.cluster } : {}),
        });
      } catch (err) {
        result = { ok: false, title: raw.type, saw: (err as Error).message };
      }
      // The author's words, when given, say it better than the generic ones.
      if (title) result.title = localize(title as Localized, ctx.lang);
      if (hint && !result.ok) result.hint = localize(hint as Localized, ctx.lang);
    }
    spinner.stop(result.title, result.ok);
    results.push(result);
    if (!result.ok) {
      if (rendered) failedSpecs.set(result, rendered);
      ctx.ui.note(explainFailure(ctx, result), ctx.t('verify.failedTitle'));
      break;
    }
  }
  return results;
}

/**
 * checkLabel names a check while it runs: the author's title, or its type and the object it looks
 * at (`rollout k8s-core`), so a learner watching the spinner knows what is being waited for.
 */
async function checkLabel(
  ctx: Pick<EngineContext, 'lang'>,
  raw: CheckSpec,
  vars: Record<string, string>,
): Promise<string> {
  try {
    if (raw.title)
      return await renderDeepCached(localize(raw.title as Localized, ctx.lang), vars, 'check title');
    const object = ['name', 'service', 'path', 'command']
      .map((k) => raw[k])
      .find((v) => typeof v === 'string');
    return object ? `${raw.type} ${await renderDeepCached(object as string, vars, 'check')}` : raw.type;
  } catch {
    // A template error is reported by the check itself, in its place.
    return raw.type;
  }
}

/** explainFailure renders expected / saw / cause / hint lines in the learner's language. */
export function explainFailure(ctx: Pick<EngineContext, 't'>, r: CheckResult): string {
  const lines: string[] = [];
  if (r.expected) lines.push(`${ctx.t('verify.expected')}: ${r.expected}`);
  if (r.saw) lines.push(`${ctx.t('verify.saw')}: ${r.saw}`);
  if (r.cause) lines.push(`${ctx.t('verify.cause')}: ${r.cause}`);
  if (r.hint) lines.push(`${ctx.t('verify.hint')}: ${r.hint}`);
  return lines.join('\n');
}

/** passed is true when every check passed. */
export function passed(results: CheckResult[]): boolean {
  return results.length > 0 && results.every((r) => r.ok);
}
