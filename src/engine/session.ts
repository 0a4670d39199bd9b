// Opens everything a command needs: the course, the workspace and its progress, the translator,
// the runner and the UI. Tests pass their own UI and runner through `deps`.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isatty } from 'node:tty';
import type { GlobalOptions } from '../cli/options.js';
import { loadCourseCached } from '../course/cache.js';
import { UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { builtinCourseDir } from '../paths.js';
import { createRunner, type Runner } from '../runner.js';
import { createScriptedUI } from '../ui/scripted.js';
import type { UI } from '../ui/types.js';
import type { EngineContext } from './context.js';
import { loadState, lockWorkspace, stateDir } from './state.js';
import { refuseNestedWorkspace } from './workspace.js';

/** SessionDeps replaces the real UI or runner (tests, embedding). */
export interface SessionDeps {
  ui?: UI;
  runner?: Runner;
}

/** isInteractiveTerminal is true when both stdin and stdout are terminals. */
export function isInteractiveTerminal(): boolean {
  // isatty, not process.stdin.isTTY: reading process.stdin builds its stream (~10 ms at start-up),
  // which a command that never reads input does not need.
  return isatty(0) && isatty(1);
}

/** createUI picks the adapter: clack on a terminal, plain lines for --yes and pipes. */
export async function createUI(global: GlobalOptions): Promise<UI> {
  if (global.yes || !isInteractiveTerminal()) return createScriptedUI();
  const { createClackUI } = await import('../ui/clack.js');
  return createClackUI();
}

/**
 * openSession loads the course and the workspace's progress. Commands that may write progress hold
 * the workspace's lock (src/engine/state.ts); report commands pass `{ lock: false }`.
 */
export async function openSession(
  global: GlobalOptions,
  deps: SessionDeps = {},
  options: { lock?: boolean } = {},
): Promise<EngineContext> {
  const workspace = resolve(global.dir);
  if (global.dirSource) refuseNestedWorkspace({ dir: workspace, source: global.dirSource });
  if (existsSync(workspace) && !statSync(workspace).isDirectory()) {
    throw new UserError(
      `--dir ${global.dir} is a file, not a folder`,
      'Choose a folder for the workspace with --dir (it is created when missing).',
    );
  }
  const courseDir = resolve(global.course ?? builtinCourseDir());
  if (!existsSync(join(courseDir, 'course.yaml'))) {
    throw new UserError(
      `no course at ${courseDir} (there is no course.yaml)`,
      'Point --course at a course folder; docs/course-format.md says what one holds.',
      2,
    );
  }
  const ui = deps.ui ?? (await createUI(global));
  const t = createTranslator(global.lang, (lang) =>
    ui.warn(`Some messages are not translated to ${lang} yet; showing English.`),
  );
  const course = await loadCourseCached(courseDir);
  if (options.lock !== false && !global.dryRun) lockWorkspace(workspace, t);
  const state = loadState(
    workspace,
    { id: course.manifest.id, version: course.manifest.version },
    (event) => {
      const aside = event.slice('corrupt-state:'.length);
      ui.warn(t('state.corrupt', { file: aside }));
    },
    t,
  );
  state.lang = global.lang;
  if (!course.manifest.languages.includes(global.lang)) {
    ui.warn(t('course.langFallback', { lang: global.lang }));
  }
  const runner =
    deps.runner ??
    createRunner({
      transcriptPath: `${stateDir(workspace)}/transcript.log`,
      dryRun: global.dryRun,
      print: (line) => ui.info(line),
    });
  const ctx: EngineContext = {
    course,
    state,
    workspace,
    lang: global.lang,
    t,
    ui,
    runner,
    yes: global.yes,
    dryRun: global.dryRun,
    color: global.color,
    clusterChoice: global.cluster,
    // Commands that only look (verify, hint) reuse the cluster recorded at start.
    ...(state.context
      ? {
          cluster: {
            backend: state.backend ?? 'context',
            context: state.context,
            ...(state.kubeconfig ? { kubeconfig: state.kubeconfig } : {}),
            ...(state.namespace ? { namespace: state.namespace } : {}),
          },
        }
      : {}),
  };
  if (global.kubeconfig || global.namespace || state.backend === 'workshop') {
    const { enterWorkshop } = await import('../workshop/learner.js');
    enterWorkshop(ctx, global);
  }
  return ctx;
}

/** openReportSession is for commands whose stdout is their report (list, status): notices go to stderr. */
export function openReportSession(global: GlobalOptions, deps: SessionDeps = {}): Promise<EngineContext> {
  return openSession(
    global,
    {
      ui: deps.ui ?? createScriptedUI({ write: (l) => process.stderr.write(`${l}\n`) }),
      ...(deps.runner ? { runner: deps.runner } : {}),
    },
    { lock: false },
  );
}
