// Progress lives in <workspace>/.k8s-learn/state.json (format below). Writes are atomic (temp file
// + rename) so a crash or Ctrl-C never leaves half a file; a corrupt file is moved aside to .bak
// with a message, never silently discarded; a file of a newer format is refused and left as it is.
//
// Format 1 (every field below marked optional may be absent; readers must not require it):
//   { _comment, formatVersion: 1, course: {id, version}, lang?, backend?, context?, kubeconfig?,
//     steps: { "<lesson>/<step>": StepRecord }, files: { "<workspace path>": sha256 } }
// StepRecord.clusterBefore (added without a version bump: older files simply lack it) is the
// compact list of the course's cluster objects as the step found them when it first started — see
// src/engine/snapshot.ts. `reset STEP` uses it to put the cluster back before a replay.
//
// Two guards against losing progress to another run: a command that writes holds
// `.k8s-learn/lock` (lockWorkspace; a second writer is refused with the holder's PID, a lock whose
// process is gone is taken over), and saveState merges: it re-reads the file and writes back only
// the step records and fields this command changed since it loaded them, never a stale whole.
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
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
  /** A kubeconfig file of the backend's own (the practice cluster) or the workshop's. */
  kubeconfig?: string;
  /** Workshop mode: the learner's namespace. */
  namespace?: string;
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

/** formatVersionOf reads a parsed file's format version, when it has a numeric one. */
function formatVersionOf(value: unknown): number | undefined {
  const v = (value as { formatVersion?: unknown } | null)?.formatVersion;
  return typeof v === 'number' ? v : undefined;
}

/** What each State looked like when loaded or last saved: saveState writes only what changed since. */
const snapshots = new WeakMap<State, State>();
const clone = (state: State): State => JSON.parse(JSON.stringify(state)) as State;

/**
 * loadState reads a workspace's progress. A missing file is a fresh start; an unreadable one is
 * moved aside (`notify` says where) and progress starts over; another course's file is an error,
 * and so is a file written by a newer k8s-learn (left untouched).
 */
export function loadState(
  workspace: string,
  course: { id: string; version: string },
  notify: (message: string) => void,
  t?: Translate,
): State {
  const state = readState(workspace, course, notify, t);
  snapshots.set(state, clone(state));
  return state;
}

function readState(
  workspace: string,
  course: { id: string; version: string },
  notify: (message: string) => void,
  t?: Translate,
): State {
  const file = statePath(workspace);
  if (!existsSync(file)) return emptyState(course);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  const version = formatVersionOf(parsed);
  if (version !== undefined && version > 1) {
    const vars = { file, version };
    throw new UserError(
      t ? t('ship.state.newer', vars) : `${file} was written by a newer k8s-learn (format ${version})`,
      t ? t('ship.state.newer.next', vars) : 'Update k8s-learn, or use another workspace with --dir.',
    );
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

/** changedKeys lists the keys whose values differ between two records. */
function changedKeys(now: Record<string, unknown>, before: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(now), ...Object.keys(before)]);
  return [...keys].filter((k) => JSON.stringify(now[k]) !== JSON.stringify(before[k]));
}

/** mergeOnto applies what `state` changed since `base` onto `disk` (the file as it is now). */
function mergeOnto(disk: State, state: State, base: State): State {
  const merged = clone(disk);
  const top = merged as unknown as Record<string, unknown>;
  const mine = state as unknown as Record<string, unknown>;
  for (const key of changedKeys(mine, base as unknown as Record<string, unknown>)) {
    if (key === 'steps' || key === 'files') continue;
    if (mine[key] === undefined) delete top[key];
    else top[key] = mine[key];
  }
  for (const key of changedKeys(state.files, base.files)) {
    if (state.files[key] === undefined) delete merged.files[key];
    else merged.files[key] = state.files[key]!;
  }
  // Step records merge field by field: a failed `verify` adds an attempt without undoing the
  // `done` another run recorded meanwhile.
  const untouched: StepRecord = { status: 'todo', attempts: 0, hintsShown: 0 };
  for (const key of changedKeys(state.steps, base.steps)) {
    const now = state.steps[key];
    if (now === undefined) {
      delete merged.steps[key];
      continue;
    }
    const was = (base.steps[key] ?? untouched) as unknown as Record<string, unknown>;
    const target = { ...untouched, ...merged.steps[key] } as unknown as Record<string, unknown>;
    const fields = now as unknown as Record<string, unknown>;
    for (const field of changedKeys(fields, was)) {
      if (fields[field] === undefined) delete target[field];
      else target[field] = fields[field];
    }
    merged.steps[key] = target as unknown as StepRecord;
  }
  return merged;
}

/**
 * saveState writes progress atomically. When the file changed since this command loaded it (another
 * command ran meanwhile), only this command's changes are written over it, and the in-memory state
 * takes in the others'.
 */
export function saveState(workspace: string, state: State): void {
  const file = statePath(workspace);
  const base = snapshots.get(state);
  let toWrite = state;
  if (base && existsSync(file)) {
    let disk: unknown;
    try {
      disk = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      disk = undefined;
    }
    if (isState(disk) && disk.course.id === state.course.id) {
      toWrite = mergeOnto(disk, state, base);
      // Keep the engine's record objects (it holds references to them) but give them the merged fields.
      for (const [key, record] of Object.entries(toWrite.steps)) {
        const mine = state.steps[key];
        if (mine) Object.assign(mine, record);
        else state.steps[key] = { ...record };
      }
      Object.assign(state.files, toWrite.files);
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(toWrite, null, 2)}\n`);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  snapshots.set(state, clone(toWrite));
}

/** LockHolder is what `.k8s-learn/lock` says about the run that holds the workspace. */
interface LockHolder {
  pid: number;
  command: string;
  at: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lock: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(lock, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' ? holder : undefined;
  } catch {
    return undefined;
  }
}

const heldLocks = new Map<string, string | undefined>();

/**
 * lockWorkspace makes this process the only writer of a workspace until it exits. Another live
 * holder is refused with its PID and command; a lock left by a process that is gone is taken over.
 * Folders created only to hold the lock are removed again on exit when nothing else was written.
 */
export function lockWorkspace(workspace: string, t: Translate): void {
  const lock = join(stateDir(workspace), 'lock');
  if (heldLocks.has(lock)) return;
  const created = mkdirSync(stateDir(workspace), { recursive: true });
  const me: LockHolder = {
    pid: process.pid,
    command: process.argv.slice(2).join(' '),
    at: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
    }
    const holder = readHolder(lock);
    if (holder?.pid === process.pid) break;
    if (holder && processAlive(holder.pid)) {
      const vars = { pid: holder.pid, command: `k8s-learn ${holder.command}`.trim(), workspace };
      throw new UserError(t('ship.lock.busy', vars), t('ship.lock.busy.next', vars));
    }
    rmSync(lock, { force: true }); // stale: its process is gone
  }
  heldLocks.set(lock, created);
  process.once('exit', () => releaseWorkspace(workspace));
}

/** releaseWorkspace drops this process's lock (also done on exit). */
export function releaseWorkspace(workspace: string): void {
  const lock = join(stateDir(workspace), 'lock');
  if (!heldLocks.has(lock)) return;
  const created = heldLocks.get(lock);
  heldLocks.delete(lock);
  if (readHolder(lock)?.pid === process.pid) rmSync(lock, { force: true });
  // Leave no empty folders that only the lock needed: a refused command changes nothing.
  if (created === undefined) return;
  for (let d = stateDir(workspace); d.length >= created.length; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      break;
    }
  }
}

/** stepRecord returns (creating) the record of a step. */
export function stepRecord(state: State, key: string): StepRecord {
  state.steps[key] ??= { status: 'todo', attempts: 0, hintsShown: 0 };
  return state.steps[key];
}
