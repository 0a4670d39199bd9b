// The learner's progress as the facilitator sees it: one ConfigMap `k8s-learn-progress` in each
// learner's namespace, data key `progress.json`, written after every step and every verification.
// `workshop status` and the dashboard read nothing else, so nothing is needed on the laptops.
import type { CheckResult } from '../checks/types.js';
import { localize } from '../course/localize.js';
import type { Course, Step } from '../course/types.js';
import type { State } from '../engine/state.js';

export const progressConfigMap = 'k8s-learn-progress';
export const progressKey = 'progress.json';
/** progressLabel marks the progress ConfigMaps, so one watch across namespaces finds them all. */
export const progressLabel = 'k8s-learn.io/progress';

/** LearnerState is how a learner is doing, as coloured on the dashboard. */
export type LearnerState = 'not-started' | 'working' | 'failing' | 'done';

/** Progress is the content of `progress.json` (format version 1). */
export interface Progress {
  version: 1;
  course: string;
  state: Exclude<LearnerState, 'not-started'>;
  /** The step being worked on (the last one when done). */
  step: { key: string; number: number; title: string; lesson: string };
  totalSteps: number;
  doneSteps: number;
  /** Verification attempts and hints used on the current step. */
  attempts: number;
  hintsShown: number;
  /** When the learner reached the current step. */
  stepStartedAt: string;
  updatedAt: string;
  /** The last failed verification of the current step. */
  lastFailure?: { check: string; cause: string; at: string };
}

/** failureCause is the one line a facilitator needs: the likely cause, else what was seen. */
export function failureCause(results: CheckResult[]): { check: string; cause: string } | undefined {
  const failed = results.find((r) => !r.ok);
  if (!failed) return undefined;
  return {
    check: failed.title,
    cause: (failed.cause ?? failed.saw ?? failed.expected ?? '').split('\n')[0]!.slice(0, 200),
  };
}

/**
 * progressOf summarises a learner's state file. The step reported is `focus` (the one being run or
 * verified) while it is unfinished, else the first unfinished one.
 */
export function progressOf(
  course: Course,
  state: State,
  lang: string,
  previous: Progress | undefined,
  now: Date,
  focus?: Step,
): Progress {
  const finished = (s: Step) => ['done', 'skipped'].includes(state.steps[s.key]?.status ?? 'todo');
  const current = focus && !finished(focus) ? focus : course.steps.find((s) => !finished(s));
  const step = current ?? course.steps[course.steps.length - 1]!;
  const record = state.steps[step.key];
  const sameStep = previous?.step.key === step.key;
  return {
    version: 1,
    course: course.manifest.id,
    state: current ? (sameStep && previous?.state === 'failing' ? 'failing' : 'working') : 'done',
    step: {
      key: step.key,
      number: step.index + 1,
      title: localize(step.title, lang),
      lesson: localize(step.lesson.title, lang),
    },
    totalSteps: course.steps.length,
    doneSteps: course.steps.filter(finished).length,
    attempts: record?.attempts ?? 0,
    hintsShown: record?.hintsShown ?? 0,
    stepStartedAt: sameStep && previous ? previous.stepStartedAt : now.toISOString(),
    updatedAt: now.toISOString(),
    ...(sameStep && previous?.lastFailure && current ? { lastFailure: previous.lastFailure } : {}),
  };
}

/** progressManifest is the ConfigMap that carries a learner's progress. */
export function progressManifest(namespace: string, progress: Progress): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: progressConfigMap, namespace, labels: { [progressLabel]: 'true' } },
    data: { [progressKey]: JSON.stringify(progress) },
  };
}

/** parseProgress reads `progress.json`; undefined when missing or not ours. */
export function parseProgress(data: Record<string, string> | undefined): Progress | undefined {
  const text = data?.[progressKey];
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Progress;
    return value.version === 1 && typeof value.step?.key === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
