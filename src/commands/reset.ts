import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandArgs } from '../cli/registry.js';
import type { Step } from '../course/types.js';
import { ensureCluster, stepNeedsCluster } from '../engine/cluster.js';
import { type EngineContext, persist } from '../engine/context.js';
import { scaffoldStep, sha256 } from '../engine/scaffold.js';
import { createUI, openSession, type SessionDeps } from '../engine/session.js';
import {
  applyRollback,
  type Change,
  type ClusterSnapshot,
  courseNamespaces,
  isEmptyPlan,
  laterClusterSteps,
  objectRef,
  planRollback,
  type RollbackPlan,
  rollbackCommands,
  takeSnapshot,
} from '../engine/snapshot.js';
import { moveAside, statePath } from '../engine/state.js';
import { UsageError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { createKubectl, type Kubectl } from '../kubectl.js';
import { stepFromArg } from './step-arg.js';

/**
 * reset STEP forgets a step's progress, restores its files (edited ones are backed up first) and
 * offers to put the cluster back as the step found it; reset --all moves the progress file aside,
 * so even a reset loses nothing, and offers to remove the course's objects from the cluster.
 */
export async function reset(args: CommandArgs, deps: SessionDeps = {}): Promise<number> {
  const all = args.flags.all === true;
  const arg = args.positionals[0];
  if (all === (arg !== undefined)) {
    const t = createTranslator(args.global.lang);
    throw new UsageError(
      t(all ? 'ship.usage.resetBoth' : 'ship.usage.resetWhich'),
      t('ship.usage.resetWhich.hint'),
    );
  }
  const ctx = await openSession(args.global, { ...deps, ui: deps.ui ?? (await createUI(args.global)) });
  return all ? resetAll(ctx) : resetStep(ctx, arg);
}

async function resetStep(ctx: EngineContext, arg: string | undefined): Promise<number> {
  const step = stepFromArg(ctx.course, ctx.state, arg, true, ctx.t);
  // The step's own snapshot survives its reset: it is still how the step found the cluster.
  const before = ctx.state.steps[step.key]?.clusterBefore;
  ctx.state.steps[step.key] = {
    status: 'todo',
    attempts: 0,
    hintsShown: 0,
    ...(before ? { clusterBefore: before } : {}),
  };
  await scaffoldStep(ctx, step, true);
  persist(ctx);
  ctx.ui.success(ctx.t('reset.stepDone', { step: step.key }));
  if (before) return rollBackTo(ctx, step, before);
  if (stepNeedsCluster(step) && ctx.cluster) ctx.ui.info(ctx.t('reset.noSnapshot', { step: step.key }));
  return 0;
}

/** readCluster reads the course namespaces now; the practice cluster is started when it is down. */
async function readCluster(
  ctx: EngineContext,
  namespaces: readonly string[],
): Promise<{ kubectl: Kubectl; now: ClusterSnapshot } | undefined> {
  if (!ctx.cluster) return undefined;
  let kubectl = createKubectl(ctx.runner, ctx.cluster);
  let read = await takeSnapshot(kubectl, namespaces);
  if (!read.ok && ctx.state.backend === 'practice' && !ctx.dryRun) {
    // The practice cluster does not outlive a reboot; starting it again is quick and changes nothing.
    kubectl = createKubectl(ctx.runner, await ensureCluster(ctx));
    read = await takeSnapshot(kubectl, namespaces);
  }
  if (!read.ok) {
    ctx.ui.warn(ctx.t('reset.unreachable', { context: ctx.cluster.context, error: read.error }));
    return undefined;
  }
  return { kubectl, now: read.snapshot };
}

function changeLine(ctx: EngineContext, ref: string, change: Change): string {
  const none = '-';
  switch (change.field) {
    case 'image':
    case 'imagePullPolicy':
      return ctx.t(`reset.plan.${change.field}`, {
        object: ref,
        container: change.container,
        from: change.from ?? none,
        to: change.to ?? none,
      });
    case 'volume':
      return ctx.t('reset.plan.volume', {
        object: ref,
        volume: change.volume,
        from: change.from,
        to: change.to,
      });
    default:
      return ctx.t(`reset.plan.${change.field}`, {
        object: ref,
        from: String(change.from ?? none),
        to: String(change.to ?? none),
      });
  }
}

/** planLines is the preview: one line per deletion and per change, then what cannot come back. */
function planLines(ctx: EngineContext, plan: RollbackPlan, now: ClusterSnapshot): string[] {
  const lines: string[] = [];
  for (const namespace of plan.deleteNamespaces) {
    const inside = now.objects.filter((o) => o.namespace === namespace).map(objectRef);
    lines.push(
      inside.length > 0
        ? ctx.t('reset.plan.deleteNamespaceWith', { namespace, objects: inside.join(', ') })
        : ctx.t('reset.plan.deleteNamespace', { namespace }),
    );
  }
  for (const o of plan.deleteObjects)
    lines.push(ctx.t('reset.plan.delete', { object: objectRef(o), namespace: o.namespace ?? '' }));
  for (const r of plan.restore)
    for (const change of r.changes) lines.push(changeLine(ctx, objectRef(r.object), change));
  return lines.map((l) => `• ${l}`);
}

/** warnMissing names the objects a rollback cannot bring back (deleted since the snapshot). */
function warnMissing(ctx: EngineContext, plan: RollbackPlan): void {
  if (plan.missing.length === 0) return;
  ctx.ui.warn(
    ctx.t('reset.missing', {
      objects: plan.missing
        .map((o) => (o.namespace ? `${objectRef(o)} (-n ${o.namespace})` : objectRef(o)))
        .join(', '),
    }),
  );
}

/** confirmed asks before changing the cluster: --yes accepts, no terminal and no --yes declines. */
async function confirmed(ctx: EngineContext, message: string, initial: boolean): Promise<boolean> {
  if (ctx.yes) return true;
  if (!ctx.ui.interactive) return false;
  return ctx.ui.confirm({ message, initial });
}

/** runPlan applies a plan, printing each command; returns how many commands failed, of how many. */
async function runPlan(ctx: EngineContext, kubectl: Kubectl, plan: RollbackPlan) {
  const total = rollbackCommands(plan).length;
  const outcome = await applyRollback(kubectl, plan, (command) => ctx.ui.info(`$ ${command}`));
  for (const f of outcome.failures)
    ctx.ui.error(ctx.t('reset.commandFailed', { command: f.command, error: f.error }));
  return { failed: outcome.failures.length, total };
}

async function rollBackTo(ctx: EngineContext, step: Step, before: ClusterSnapshot): Promise<number> {
  if (ctx.cluster && ctx.cluster.context !== before.context) {
    ctx.ui.warn(ctx.t('reset.otherContext', { recorded: before.context, current: ctx.cluster.context }));
    return 0;
  }
  const read = await readCluster(ctx, before.namespaces);
  if (!read) return 0;
  const plan = planRollback(before, read.now);
  if (isEmptyPlan(plan)) {
    ctx.ui.info(ctx.t('reset.clusterSame', { step: step.key }));
    warnMissing(ctx, plan);
    return 0;
  }
  const later = laterClusterSteps(ctx.course, step);
  const redo = later.filter((s) => ['done', 'skipped'].includes(ctx.state.steps[s.key]?.status ?? 'todo'));
  const preview = planLines(ctx, plan, read.now);
  if (redo.length > 0)
    preview.push('', ctx.t('reset.redoPreview', { steps: redo.map((s) => s.key).join(', ') }));
  ctx.ui.note(preview.join('\n'), ctx.t('reset.planTitle', { step: step.key }));
  warnMissing(ctx, plan);
  if (ctx.dryRun) {
    ctx.ui.info(ctx.t('reset.clusterDryRun'));
    return 0;
  }
  if (!(await confirmed(ctx, ctx.t('reset.clusterAsk', { step: step.key }), true))) {
    ctx.ui.info(ctx.t(ctx.ui.interactive ? 'reset.clusterKept' : 'reset.clusterKeptYes', { step: step.key }));
    return 0;
  }
  const { failed, total } = await runPlan(ctx, read.kubectl, plan);
  if (failed < total) {
    // Later steps' work is undone, so is their progress; their snapshots are taken again on replay.
    const now = new Date().toISOString();
    for (const s of later) {
      const record = ctx.state.steps[s.key];
      if (!record) continue;
      delete record.clusterBefore;
      if (redo.includes(s)) {
        record.status = 'todo';
        record.at = now;
        delete record.solved;
      }
    }
    persist(ctx);
  }
  if (failed > 0) {
    ctx.ui.error(ctx.t('reset.clusterFailed', { step: step.key }));
    return 1;
  }
  ctx.ui.success(ctx.t('reset.clusterDone', { step: step.key }));
  if (redo.length > 0) ctx.ui.warn(ctx.t('reset.redo', { steps: redo.map((s) => s.key).join(', ') }));
  return 0;
}

/** editedFiles are the files k8s-learn wrote that the learner has changed since. */
function editedFiles(ctx: EngineContext): string[] {
  return Object.entries(ctx.state.files)
    .filter(([path, hash]) => {
      const file = join(ctx.workspace, path);
      return existsSync(file) && sha256(readFileSync(file, 'utf8')) !== hash;
    })
    .map(([path]) => path)
    .sort();
}

/** baseline is the cluster before the course touched it: the first snapshot in course order. */
function baseline(ctx: EngineContext): ClusterSnapshot | undefined {
  for (const s of ctx.course.steps) {
    const before = ctx.state.steps[s.key]?.clusterBefore;
    if (before) return before;
  }
  return undefined;
}

/** coursePlan is what removing the course's objects takes; without a baseline the namespaces stay. */
function coursePlan(ctx: EngineContext, now: ClusterSnapshot): RollbackPlan {
  const first = baseline(ctx);
  if (first && first.context === now.context) return planRollback(first, now);
  return planRollback({ ...now, objects: now.objects.filter((o) => o.kind === 'Namespace') }, now);
}

async function resetAll(ctx: EngineContext): Promise<number> {
  const file = statePath(ctx.workspace);
  if (!existsSync(file)) {
    ctx.ui.info(ctx.t('reset.nothing'));
    return 0;
  }
  // What stays, said before anything is asked: the learner's files and the cluster's objects.
  const written = Object.keys(ctx.state.files).filter((f) => existsSync(join(ctx.workspace, f)));
  const edited = editedFiles(ctx);
  const kept = [ctx.t('reset.keptFiles', { count: written.length, folder: ctx.workspace })];
  if (edited.length > 0) kept.push(ctx.t('reset.keptEdited', { files: edited.join(', ') }));
  const read = await readCluster(ctx, courseNamespaces(ctx.course));
  const plan = read ? coursePlan(ctx, read.now) : undefined;
  const clusterLines = read && plan && !isEmptyPlan(plan) ? planLines(ctx, plan, read.now) : [];
  if (clusterLines.length > 0)
    kept.push(ctx.t('reset.keptCluster', { context: read?.now.context ?? '' }), ...clusterLines);
  ctx.ui.note(kept.join('\n'), ctx.t('reset.keptTitle'));
  if (!ctx.yes && ctx.ui.interactive) {
    const sure = await ctx.ui.confirm({ message: ctx.t('reset.allAsk'), initial: false });
    if (!sure) return 0;
  }
  if (ctx.dryRun) {
    ctx.ui.info(ctx.t('reset.dryRun', { file }));
    if (clusterLines.length > 0) ctx.ui.info(ctx.t('reset.clusterDryRun'));
    return 0;
  }
  let code = 0;
  if (read && plan && clusterLines.length > 0) {
    if (await confirmed(ctx, ctx.t('reset.allClusterAsk'), false)) {
      const { failed } = await runPlan(ctx, read.kubectl, plan);
      if (failed > 0) code = 1;
      else ctx.ui.success(ctx.t('reset.allClusterDone'));
    } else ctx.ui.info(ctx.t('reset.allClusterKept'));
  }
  if (ctx.state.backend === 'kind' || ctx.state.backend === 'practice') {
    // The cluster goes too (kind: deleted, practice: stopped) — after its own confirmation.
    const { cleanupCluster } = await import('../backends/cleanup.js');
    await cleanupCluster({
      runner: ctx.runner,
      ui: ctx.ui,
      t: ctx.t,
      workspace: ctx.workspace,
      cluster: 'auto',
      yes: ctx.yes,
    });
  }
  const aside = moveAside(file);
  ctx.ui.success(ctx.t('reset.allDone', { file: aside }));
  if (edited.length > 0) ctx.ui.info(ctx.t('reset.allEditedKept', { files: edited.join(', ') }));
  return code;
}

export const run = (args: CommandArgs) => reset(args);
