// The facilitator's view: one row per learner, stuck learners first, plus the step histogram and
// the most common failure causes. Pure functions over what the cluster holds.
import { learnerLabel } from './objects.js';
import { type LearnerState, type Progress, parseProgress } from './progress.js';

/** LearnerRow is one learner as `status` and the dashboard show them. */
export interface LearnerRow {
  learner: string;
  namespace: string;
  state: LearnerState;
  lesson?: string;
  step?: { key: string; number: number; title: string };
  totalSteps?: number;
  doneSteps?: number;
  attempts: number;
  hintsShown: number;
  /** When the learner reached the current step; `stuckSeconds` is measured from it. */
  stepStartedAt?: string;
  stuckSeconds?: number;
  lastFailure?: string;
  updatedAt?: string;
}

/** WorkshopView is everything the facilitator's screens show. */
export interface WorkshopView {
  at: string;
  learners: LearnerRow[];
  /** How many learners are on each step (by step number), done ones excluded. */
  histogram: { number: number; key: string; title: string; count: number }[];
  /** Failure causes of learners failing now, most common first. */
  failures: { cause: string; count: number; learners: string[] }[];
}

/** ObjectMeta is the part of a listed object the view needs. */
export interface ListedObject {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

const order: Record<LearnerState, number> = { failing: 0, working: 1, 'not-started': 2, done: 3 };

/** learnerRow joins a learner's namespace with its progress, if any. */
export function learnerRow(namespace: ListedObject, progress: Progress | undefined, now: Date): LearnerRow {
  const learner = namespace.metadata.labels?.[learnerLabel] ?? namespace.metadata.name;
  const base = { learner, namespace: namespace.metadata.name };
  if (!progress) return { ...base, state: 'not-started', attempts: 0, hintsShown: 0 };
  const started = Date.parse(progress.stepStartedAt);
  return {
    ...base,
    state: progress.state,
    lesson: progress.step.lesson,
    step: { key: progress.step.key, number: progress.step.number, title: progress.step.title },
    totalSteps: progress.totalSteps,
    doneSteps: progress.doneSteps,
    attempts: progress.attempts,
    hintsShown: progress.hintsShown,
    stepStartedAt: progress.stepStartedAt,
    ...(progress.state !== 'done' && Number.isFinite(started)
      ? { stuckSeconds: Math.max(0, Math.round((now.getTime() - started) / 1000)) }
      : {}),
    ...(progress.lastFailure
      ? {
          lastFailure: progress.lastFailure.cause
            ? `${progress.lastFailure.check}: ${progress.lastFailure.cause}`
            : progress.lastFailure.check,
        }
      : {}),
    updatedAt: progress.updatedAt,
  };
}

/** buildView sorts learners (failing, then working, longest on their step first) and summarises. */
export function buildView(namespaces: ListedObject[], configMaps: ListedObject[], now: Date): WorkshopView {
  const progressByNamespace = new Map<string, Progress>();
  for (const cm of configMaps) {
    const p = parseProgress(cm.data);
    if (p && cm.metadata.namespace) progressByNamespace.set(cm.metadata.namespace, p);
  }
  const learners = namespaces
    .map((ns) => learnerRow(ns, progressByNamespace.get(ns.metadata.name), now))
    .sort(
      (a, b) =>
        order[a.state] - order[b.state] ||
        (b.stuckSeconds ?? 0) - (a.stuckSeconds ?? 0) ||
        a.learner.localeCompare(b.learner),
    );
  const steps = new Map<number, WorkshopView['histogram'][number]>();
  const causes = new Map<string, WorkshopView['failures'][number]>();
  for (const row of learners) {
    if (row.step && row.state !== 'done') {
      const bin = steps.get(row.step.number) ?? { ...row.step, count: 0 };
      bin.count += 1;
      steps.set(row.step.number, bin);
    }
    if (row.state === 'failing' && row.lastFailure) {
      const c = causes.get(row.lastFailure) ?? { cause: row.lastFailure, count: 0, learners: [] };
      c.count += 1;
      c.learners.push(row.learner);
      causes.set(row.lastFailure, c);
    }
  }
  return {
    at: now.toISOString(),
    learners,
    histogram: [...steps.values()].sort((a, b) => a.number - b.number),
    failures: [...causes.values()].sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause)),
  };
}
