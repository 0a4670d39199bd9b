// `k8s-learn init [DIR]`: a starter project laid out as the course teaches, up on kind (or the
// practice cluster) with `npm run up`. The actions (src/init/) run in order over one context:
// seed (--from-course) → options → target check → render → offline check → dry-run or write →
// next steps.
import type { CommandArgs } from '../cli/registry.js';
import { userCwd } from '../engine/workspace.js';
import { UsageError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import type { InitContext, InitFlags } from '../init/context.js';
import { readCourseSeed, seedProblemLine, seedReport } from '../init/from-course.js';
import { checkGenerated, nextSteps, summary } from '../init/next-steps.js';
import { gatherOptions } from '../init/options.js';
import { renderProject } from '../init/render.js';
import { checkTarget, displayDir, tree, writeProject } from '../init/write.js';
import { createScriptedUI } from '../ui/scripted.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** both resolves a --x / --no-x pair; giving both is a usage error. */
function both(flags: CommandArgs['flags'], name: string): boolean | undefined {
  const on = flags[name] === true;
  const off = flags[`no-${name}`] === true;
  if (on && off) throw new UsageError(`--${name} and --no-${name} cannot be used together`);
  return on ? true : off ? false : undefined;
}

/** parseFlags turns the parsed command line into InitFlags. */
export function parseFlags(args: Pick<CommandArgs, 'flags' | 'positionals'>): InitFlags {
  const { flags } = args;
  const out: InitFlags = { fromCourse: flags['from-course'] === true, force: flags.force === true };
  const set = <K extends keyof InitFlags>(key: K, value: InitFlags[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('dir', args.positionals[0]);
  set('name', str(flags.name));
  set('namespace', str(flags.namespace));
  set('template', str(flags.template));
  set('port', str(flags.port));
  set('replicas', str(flags.replicas));
  set('hpa', both(flags, 'hpa'));
  set('ingress', both(flags, 'ingress'));
  set('clusterName', str(flags['cluster-name']));
  return out;
}

/** run is the command's entry point. */
export async function run(args: CommandArgs): Promise<number> {
  const { global } = args;
  const t = createTranslator(global.lang);
  const flags = parseFlags(args);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && !global.yes;
  if (!interactive && !global.yes) throw new UsageError(t('init.needsYes'), t('init.needsYes.hint'));
  // clack is loaded only for a terminal: `init -y` starts faster without it.
  const ui = interactive ? (await import('../ui/clack.js')).createClackUI() : createScriptedUI();
  const ctx: InitContext = {
    // DIR is relative to where the learner typed the command (INIT_CWD under `npm start`).
    cwd: userCwd(),
    lang: global.lang,
    t,
    ui,
    yes: global.yes,
    dryRun: global.dryRun,
    flags,
    workspace: global.dir,
  };
  ui.intro(t('init.intro'));
  if (flags.fromCourse) {
    ctx.seed = await readCourseSeed(ctx);
    ui.info(
      t('init.fromCourse.seeded', {
        source: ctx.seed.source,
        name: ctx.seed.name ?? '-',
        namespace: ctx.seed.namespace ?? '-',
      }),
    );
    // Before the questions: their defaults come from here, and flags or answers still beat them.
    for (const problem of ctx.seed.problems) ui.warn(seedProblemLine(problem, t));
    // In a terminal, clack's note box takes about 8 columns of its own.
    const columns = interactive && process.stdout.columns ? Math.min(96, process.stdout.columns - 8) : 96;
    ui.note(seedReport(ctx.seed, t, columns), t('init.carry.title'));
  }
  ctx.options = await gatherOptions(ctx);
  await checkTarget(ctx);
  ctx.files = renderProject(ctx.options, ctx.lang);
  const problems = checkGenerated(ctx);
  for (const p of problems) ui.warn(p);
  const shown = displayDir(ctx.cwd, ctx.options.dir);
  if (ctx.dryRun) {
    ui.note(tree(shown, [...ctx.files.keys()]), t('init.dryRun.tree'));
    for (const [path, text] of ctx.files) ui.note(text.trimEnd(), path);
    ui.outro(t('init.dryRun.done', { count: ctx.files.size }));
    return 0;
  }
  const outcome = await writeProject(ctx);
  ui.note(
    summary(ctx, outcome),
    t('init.written', {
      count: [...outcome.values()].filter((a) => a === 'created' || a === 'updated' || a === 'replaced')
        .length,
    }),
  );
  ui.outro(nextSteps(ctx));
  return 0;
}
