// Progress lives in <workspace>/.k8s-learn/state.json (format below). Writes are atomic (temp file
// + rename) so a crash or Ctrl-C never leaves half a file; a corrupt file is moved aside to .bak
// with a message, never silently discarded.
//
// Format 1 (every field below marked optional may be absent; readers must not require it):
//   { _comment, formatVersion: 1, course: {id, version}, lang?, backend?, context?, kubeconfig?,
//     steps: { "<lesson>/<step>": StepRecord }, files: { "<workspace path>": sha256 } }
// StepRecord.clusterBefore (added without a version bump: older files simply lack it) is the
// compact list of the course's cluster objects as the step found them when it first started — see
// src/engine/snapshot.ts. `reset STEP` uses it to put the cluster back before a replay.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import type { ClusterSnapshot } from './snapshot.js';

/** StepRecord is what the course remembers of one step. */
export interface StepRecord {
  status: 'todo' | 'done' | 'skipped';
  /** When the status last changed (ISO time). */
  at?: string;
  /** Verification attempts so far. */
  attempts: number;
  /** How many hints were revealed (hints are tiered). */
  hintsShown: number;
  /** Reached through `solve` rather than by the learner. */
  solved?: boolean;
  /** The course's cluster objects when the step first started (steps that need a cluster). */
  clusterBefore?: ClusterSnapshot;
  /** fix-the-article: how many of the exercise's `meet` stages the learner has met. */
  met?: number;
  /** Indexes of the step's errata already shown (errata come after the task, never before). */
  revealed?: number[];
  /** Causes whose cause-keyed hint was shown (`hintsByCause`), once each. */
  causeHints?: string[];
  /** The last failed check of this step: `hint` reads it instead of running the check again. */
  lastFailure?: LastFailure;
}

/** LastFailure is what the last failed verification of a step saw. */
export interface LastFailure {
  at: string;
  title: string;
  causeId?: string;
  saw?: string;
}

/** State is the whole progress file. */
export interface State {
  _comment: string;
  formatVersion: 1;
  course: { id: string; version: string };
  lang?: string;
  /** The cluster the course is pinned to (see src/engine/cluster.ts). */
  backend?: string;
  context?: string;
  /** A kubeconfig file of the backend's own (the practice cluster). */
  kubeconfig?: string;
  steps: Record<string, StepRecord>;
  /** sha256 of each file as k8s-learn last wrote it: a different hash means the learner edited it. */
  files: Record<string, string>;
}

const comment =
  "Written by k8s-learn; don't edit. Delete this file (or run `k8s-learn reset --all`) to start over.";

/** stateDir is the folder of k8s-learn's own files inside a workspace. */
export function stateDir(workspace: string): string {
  return join(workspace, '.k8s-learn');
}

/** statePath is the progress file of a workspace. */
export function statePath(workspace: string): string {
  return join(stateDir(workspace), 'state.json');
}

/** emptyState is the progress of a course never started. */
export function emptyState(course: { id: string; version: string }): State {
  return { _comment: comment, formatVersion: 1, course, steps: {}, files: {} };
}

function isState(value: unknown): value is State {
  const v = value as State;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.formatVersion === 1 &&
    typeof v.course?.id === 'string' &&
    typeof v.steps === 'object' &&
    v.steps !== null &&
    typeof v.files === 'object' &&
    v.files !== null
  );
}

/** moveAside renames a file to `<file>.bak` (or `.bak.N` when taken) and returns the new name. */
export function moveAside(file: string): string {
  let target = `${file}.bak`;
  for (let n = 1; existsSync(target); n++) target = `${file}.bak.${n}`;
  renameSync(file, target);
  return target;
}

/**
 * loadState reads a workspace's progress. A missing file is a fresh start; an unreadable one is
 * moved aside (`notify` says where) and progress starts over; another course's file is an error.
 */
export function loadState(
  workspace: string,
  course: { id: string; version: string },
  notify: (message: string) => void,
): State {
  const file = statePath(workspace);
  if (!existsSync(file)) return emptyState(course);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  if (!isState(parsed)) {
    const aside = moveAside(file);
    notify(`corrupt-state:${aside}`);
    return emptyState(course);
  }
  if (parsed.course.id !== course.id) {
    throw new UserError(
      `the workspace ${workspace} holds progress of another course ("${parsed.course.id}")`,
      'Use another workspace with --dir, or run `k8s-learn reset --all` there to start over.',
    );
  }
  parsed.course.version = course.version;
  return parsed;
}

/** saveState writes progress atomically. */
export function saveState(workspace: string, state: State): void {
  const file = statePath(workspace);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, file);
}

/** stepRecord returns (creating) the record of a step. */
export function stepRecord(state: State, key: string): StepRecord {
  state.steps[key] ??= { status: 'todo', attempts: 0, hintsShown: 0 };
  return state.steps[key];
}
