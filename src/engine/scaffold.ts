// Writes a step's files into the workspace without ever losing the learner's work: a file the
// learner changed is shown as a diff and kept unless they choose otherwise (and then backed up).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileSpec, Step } from '../course/types.js';
import { type EngineContext, stepVars } from './context.js';
import { stateDir } from './state.js';
import { renderFile } from './templates.js';

/** sha256 of a file's text, as recorded in state.files. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** FileOutcome says what happened to one file. */
export type FileOutcome = 'created' | 'unchanged' | 'updated' | 'kept' | 'replaced' | 'dry-run';

type ScaffoldContext = Pick<
  EngineContext,
  'course' | 'state' | 'workspace' | 'lang' | 'cluster' | 'ui' | 't' | 'yes' | 'dryRun'
>;

function backupPath(ctx: Pick<EngineContext, 'workspace'>, to: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(stateDir(ctx.workspace), 'backup', `${to}.${stamp}`);
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function showDiff(ctx: ScaffoldContext, to: string, mine: string, ours: string): Promise<void> {
  const { createTwoFilesPatch } = await import('diff');
  const patch = createTwoFilesPatch(`${to} (yours)`, `${to} (course)`, mine, ours, '', '', { context: 2 });
  ctx.ui.note(patch.split('\n').slice(2).join('\n').trimEnd(), ctx.t('scaffold.diffTitle', { file: to }));
}

/**
 * writeFile writes one FileSpec. `force` (used by solve) replaces a learner-edited file after
 * backing it up; otherwise an edited file is kept under --yes and asked about interactively.
 */
export async function writeFile(
  ctx: ScaffoldContext,
  step: Step,
  spec: FileSpec,
  force: boolean,
): Promise<FileOutcome> {
  const ours = renderFile(spec, ctx.course.templateDirs, stepVars(ctx, step));
  const file = join(ctx.workspace, spec.to);
  if (ctx.dryRun) {
    ctx.ui.info(ctx.t('scaffold.dryRun', { file: spec.to, bytes: Buffer.byteLength(ours) }));
    return 'dry-run';
  }
  if (!existsSync(file)) {
    write(file, ours);
    ctx.state.files[spec.to] = sha256(ours);
    ctx.ui.success(ctx.t('scaffold.created', { file: spec.to }));
    return 'created';
  }
  const mine = readFileSync(file, 'utf8');
  if (mine === ours) {
    ctx.state.files[spec.to] = sha256(ours);
    return 'unchanged';
  }
  if (ctx.state.files[spec.to] === sha256(mine)) {
    // We wrote it and the learner has not touched it: the course's newer version may replace it.
    write(file, ours);
    ctx.state.files[spec.to] = sha256(ours);
    ctx.ui.info(ctx.t('scaffold.updated', { file: spec.to }));
    return 'updated';
  }
  let replace = force;
  if (!force && exerciseFiles(step).includes(spec.to)) {
    // The learner is meant to change this one: their version is the work, not a conflict.
    ctx.ui.info(ctx.t('scaffold.keptExercise', { file: spec.to }));
    return 'kept';
  }
  if (!force) {
    await showDiff(ctx, spec.to, mine, ours);
    if (ctx.yes || !ctx.ui.interactive) {
      ctx.ui.warn(ctx.t('scaffold.keptYes', { file: spec.to }));
      return 'kept';
    }
    replace = await ctx.ui.select({
      message: ctx.t('scaffold.editedAsk', { file: spec.to }),
      options: [
        { value: false, label: ctx.t('scaffold.keepMine') },
        { value: true, label: ctx.t('scaffold.useCourse') },
      ],
      initial: false,
    });
  }
  if (!replace) {
    ctx.ui.info(ctx.t('scaffold.kept', { file: spec.to }));
    return 'kept';
  }
  const backup = backupPath(ctx, spec.to);
  write(backup, mine);
  write(file, ours);
  ctx.state.files[spec.to] = sha256(ours);
  ctx.ui.warn(ctx.t('scaffold.replaced', { file: spec.to, backup }));
  return 'replaced';
}

/** exerciseFiles are the files a step asks the learner to edit (fix or fill in). */
export function exerciseFiles(step: Step): string[] {
  if (!step.exercise) return [];
  return [
    ...(step.exercise.file ? [step.exercise.file] : []),
    ...(step.exercise.meet ?? []).map((m) => m.file),
  ];
}

/** scaffoldStep writes all files of a step (keeping learner edits). */
export async function scaffoldStep(ctx: ScaffoldContext, step: Step, force = false): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const spec of step.files ?? []) outcomes.push(await writeFile(ctx, step, spec, force));
  return outcomes;
}
