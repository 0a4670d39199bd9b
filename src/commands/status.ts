import type { CommandArgs } from '../cli/registry.js';
import { localize } from '../course/localize.js';
import { currentStep } from '../engine/context.js';
import { openReportSession, type SessionDeps } from '../engine/session.js';
import { statePath } from '../engine/state.js';

/** status prints progress, backend, context and workspace (`--json` for scripts). */
export async function status(
  args: CommandArgs,
  deps: SessionDeps = {},
  out = (l: string) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const ctx = await openReportSession(args.global, deps);
  const steps = ctx.course.steps;
  const done = steps.filter((s) => ctx.state.steps[s.key]?.status === 'done').length;
  const skipped = steps.filter((s) => ctx.state.steps[s.key]?.status === 'skipped').length;
  const current = currentStep(ctx.course, ctx.state);
  const report = {
    course: { id: ctx.course.manifest.id, version: ctx.course.manifest.version, dir: ctx.course.dir },
    workspace: ctx.workspace,
    stateFile: statePath(ctx.workspace),
    lang: ctx.lang,
    backend: ctx.state.backend ?? args.global.cluster,
    context: ctx.state.context ?? null,
    steps: { total: steps.length, done, skipped },
    current: current
      ? { key: current.key, number: current.index + 1, title: localize(current.title, ctx.lang) }
      : null,
    complete: current === undefined,
  };
  if (args.flags.json === true) {
    out(JSON.stringify(report, null, 2));
    return 0;
  }
  const t = ctx.t;
  out(
    `${t('status.course')}: ${localize(ctx.course.manifest.title, ctx.lang)} (${report.course.id} ${report.course.version})`,
  );
  out(`${t('status.progress')}: ${t('status.progressValue', { done, total: steps.length, skipped })}`);
  out(
    `${t('status.current')}: ${current ? `${current.index + 1}. ${localize(current.title, ctx.lang)} (${current.key})` : t('status.complete')}`,
  );
  out(`${t('status.backend')}: ${report.backend}`);
  out(`${t('status.context')}: ${report.context ?? t('status.none')}`);
  out(`${t('status.workspace')}: ${ctx.workspace}`);
  return 0;
}

export const run = (args: CommandArgs) => status(args);
