// Persistence: the store is saved as one JSON snapshot, <dataDir>/state.json, written to a
// temporary file and renamed over the old one (atomic on POSIX), shortly after changes and on stop.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectStore, StoreSnapshot } from './store.js';

/** STATE_FILE is the snapshot's file name inside the data directory. */
export const STATE_FILE = 'state.json';

/** loadSnapshot reads the snapshot; a missing file gives undefined, a corrupt one is set aside. */
export function loadSnapshot(dataDir: string): StoreSnapshot | undefined {
  const file = join(dataDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as StoreSnapshot;
    if (typeof parsed.resourceVersion !== 'number' || typeof parsed.objects !== 'object')
      throw new Error('bad shape');
    return parsed;
  } catch {
    // Keep the unreadable file for inspection and start empty rather than refuse to start.
    renameSync(file, join(dataDir, `${STATE_FILE}.corrupt-${Date.now()}`));
    return undefined;
  }
}

/** saveSnapshot writes the snapshot atomically. */
export function saveSnapshot(dataDir: string, snapshot: StoreSnapshot): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(tmp, file);
}

/** clearSnapshot deletes the saved state (`practice start --fresh`). */
export function clearSnapshot(dataDir: string): void {
  rmSync(join(dataDir, STATE_FILE), { force: true });
}

/** persistStore saves after changes (debounced) until the returned stop function runs (it saves once more). */
export function persistStore(store: ObjectStore, dataDir: string, delayMs = 200): () => void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    timer = undefined;
    try {
      saveSnapshot(dataDir, store.snapshot());
    } catch (err) {
      process.emitWarning(`practice cluster: cannot save state: ${(err as Error).message}`);
    }
  };
  const unsubscribe = store.subscribe(() => {
    if (!timer) timer = setTimeout(save, delayMs);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    save();
  };
}
