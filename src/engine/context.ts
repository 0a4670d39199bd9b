import type { ClusterTarget } from '../checks/types.js';
import type { Course, Step } from '../course/types.js';
import type { Translate } from '../i18n/index.js';
import { invocation } from '../invocation.js';
import type { FastClock } from '../load/clock.js';
import type { Runner } from '../runner.js';
import type { UI } from '../ui/types.js';
import type { EngineHooks } from './hooks.js';
import { type State, saveState } from './state.js';

/**
 * EngineContext is what the engine's actions share (create-astro's Context). Each action takes
 * only the fields it needs via Pick<>, so a test can build a tiny one.
 */
export interface EngineContext {
  course: Course;
  state: State;
  /** Absolute workspace path. */
  workspace: string;
  lang: string;
  t: Translate;
  ui: UI;
  runner: Runner;
  yes: boolean;
  dryRun: boolean;
  color: boolean;
  /** The `--cluster` value (auto | kind | practice | context:NAME). */
  clusterChoice: string;
  /** The course's cluster: recorded at start, pinned on every kubectl call. */
  cluster?: ClusterTarget;
  /** True once this session created or reused the cluster (src/engine/cluster.ts). */
  clusterReady?: boolean;
  /** A mode's hooks around steps (workshop mode: src/workshop/learner.ts). */
  hooks?: EngineHooks;
  /** The compressed autoscaling clock of the current step (`fastAutoscaling`), restored at its end. */
  fastClock?: FastClock;
}

/** persist saves progress, except under --dry-run (which writes nothing). */
export function persist(ctx: Pick<EngineContext, 'workspace' | 'state' | 'dryRun'>): void {
  if (!ctx.dryRun) saveState(ctx.workspace, ctx.state);
}

/** stepVars are the template variables of a step: course, step, and the built-in ones. */
export function stepVars(
  ctx: Pick<EngineContext, 'course' | 'workspace' | 'lang' | 'cluster'>,
  step: Step,
): Record<string, string> {
  return {
    ...(ctx.course.manifest.vars ?? {}),
    ...(step.vars ?? {}),
    workspace: ctx.workspace,
    courseDir: ctx.course.dir,
    lang: ctx.lang,
    context: ctx.cluster?.context ?? '',
    backend: ctx.cluster?.backend ?? '',
    // How the learner runs k8s-learn here: `{{k8s_learn}} check k8s/configmap.yaml`.
    k8s_learn: invocation(),
    // Workshop mode: the course runs in the learner's namespace, whatever the course calls it.
    ...(ctx.cluster?.namespace ? { namespace: ctx.cluster.namespace } : {}),
  };
}

/** currentStep is the first step neither done nor skipped; undefined when the course is complete. */
export function currentStep(course: Course, state: State): Step | undefined {
  return course.steps.find((s) => {
    const status = state.steps[s.key]?.status;
    return status !== 'done' && status !== 'skipped';
  });
}

/** findStep resolves what a user typed: `lesson/step`, a unique step id, or a 1-based number. */
export function findStep(course: Course, query: string): Step | undefined {
  if (/^\d+$/.test(query)) return course.steps[Number(query) - 1];
  const exact = course.steps.find((s) => s.key === query);
  if (exact) return exact;
  const byId = course.steps.filter((s) => s.id === query);
  return byId.length === 1 ? byId[0] : undefined;
}
