// Persistence: a snapshot (<dataDir>/state.json, written to a temporary file and renamed: atomic
// on POSIX) plus a journal (<dataDir>/state.journal) that gets one line per change, appended
// synchronously before the write returns. Loading replays the journal over the snapshot, so a
// crash loses nothing; the journal is folded into a new snapshot shortly after changes and on stop.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ObjectStore, StoreEvent, StoreSnapshot } from './store.js';
import type { KubeObject } from './types.js';

/** STATE_FILE is the snapshot's file name inside the data directory. */
export const STATE_FILE = 'state.json';
/** JOURNAL_FILE holds the changes made since the snapshot, one JSON line each. */
export const JOURNAL_FILE = 'state.journal';

interface JournalLine {
  t: StoreEvent['type'];
  r: string;
  rv: number;
  o: KubeObject;
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function replay(snapshot: StoreSnapshot, journal: string): StoreSnapshot {
  const maps = new Map<string, Map<string, KubeObject>>();
  for (const [r, items] of Object.entries(snapshot.objects))
    maps.set(r, new Map(items.map((o) => [keyOf(o), o])));
  let rv = snapshot.resourceVersion;
  for (const line of journal.split('\n')) {
    if (!line.trim()) continue;
    let entry: JournalLine;
    try {
      entry = JSON.parse(line) as JournalLine;
    } catch {
      break; // A torn last line from a crash mid-write: everything before it counts.
    }
    if (entry.rv <= snapshot.resourceVersion) continue;
    let m = maps.get(entry.r);
    if (!m) {
      m = new Map();
      maps.set(entry.r, m);
    }
    if (entry.t === 'DELETED') m.delete(keyOf(entry.o));
    else m.set(keyOf(entry.o), entry.o);
    rv = Math.max(rv, entry.rv);
  }
  const objects: Record<string, KubeObject[]> = {};
  for (const [r, m] of maps) if (m.size) objects[r] = [...m.values()];
  return { resourceVersion: rv, objects };
}

/** loadSnapshot reads the snapshot and replays the journal; a corrupt snapshot is set aside. */
export function loadSnapshot(dataDir: string): StoreSnapshot | undefined {
  const file = join(dataDir, STATE_FILE);
  const journalFile = join(dataDir, JOURNAL_FILE);
  let snapshot: StoreSnapshot = { resourceVersion: 0, objects: {} };
  let found = false;
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as StoreSnapshot;
      if (typeof parsed.resourceVersion !== 'number' || typeof parsed.objects !== 'object')
        throw new Error('bad shape');
      snapshot = parsed;
      found = true;
    } catch {
      // Keep the unreadable file for inspection and start from the journal alone.
      renameSync(file, join(dataDir, `${STATE_FILE}.corrupt-${Date.now()}`));
    }
  }
  if (existsSync(journalFile)) return replay(snapshot, readFileSync(journalFile, 'utf8'));
  return found ? snapshot : undefined;
}

/** saveSnapshot writes the snapshot atomically and empties the journal it contains. */
export function saveSnapshot(dataDir: string, snapshot: StoreSnapshot): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(tmp, file);
  writeFileSync(join(dataDir, JOURNAL_FILE), '', { mode: 0o600 });
}

/** clearSnapshot deletes the saved state (`practice start --fresh`). */
export function clearSnapshot(dataDir: string): void {
  rmSync(join(dataDir, STATE_FILE), { force: true });
  rmSync(join(dataDir, JOURNAL_FILE), { force: true });
}

/** persistStore journals every change and compacts after quiet periods; the returned function saves once more and stops. */
export function persistStore(store: ObjectStore, dataDir: string, delayMs = 1000): () => void {
  const journal = join(dataDir, JOURNAL_FILE);
  let timer: NodeJS.Timeout | undefined;
  let failed = false;
  const save = () => {
    timer = undefined;
    try {
      saveSnapshot(dataDir, store.snapshot());
    } catch (err) {
      process.emitWarning(`practice cluster: cannot save state: ${(err as Error).message}`);
    }
  };
  const unsubscribe = store.subscribe((e) => {
    const line: JournalLine = { t: e.type, r: e.resource, rv: e.resourceVersion, o: e.object };
    try {
      appendFileSync(journal, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    } catch (err) {
      if (!failed)
        process.emitWarning(`practice cluster: cannot write ${journal}: ${(err as Error).message}`);
      failed = true;
    }
    if (!timer) timer = setTimeout(save, delayMs);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    save();
  };
}
