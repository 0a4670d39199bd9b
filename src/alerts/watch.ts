// `alerts --watch`: diagnose again every few seconds and print only what changed (a new alert, a
// cleared one). The loop ends when the signal aborts or after `rounds` passes (tests).
import { setTimeout as sleep } from 'node:timers/promises';
import { diagnose } from './diagnose.js';
import { type Alert, alertKey, type ClusterSnapshot } from './types.js';

/** AlertChange is one difference between two passes. */
export interface AlertChange {
  change: 'raised' | 'cleared';
  alert: Alert;
}

/** diffAlerts compares two passes by alert identity. */
export function diffAlerts(before: Alert[], after: Alert[]): AlertChange[] {
  const was = new Map(before.map((a) => [alertKey(a), a]));
  const now = new Map(after.map((a) => [alertKey(a), a]));
  const changes: AlertChange[] = [];
  for (const [key, alert] of now) if (!was.has(key)) changes.push({ change: 'raised', alert });
  for (const [key, alert] of was) if (!now.has(key)) changes.push({ change: 'cleared', alert });
  return changes;
}

/** WatchOptions drive a watch loop. */
export interface WatchOptions {
  read: () => Promise<ClusterSnapshot>;
  onChange: (changes: AlertChange[], active: Alert[]) => void;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Stop after this many passes (tests); unbounded otherwise. */
  rounds?: number;
}

/** watchAlerts runs the loop and returns the alerts active at the end. */
export async function watchAlerts(options: WatchOptions): Promise<Alert[]> {
  let active: Alert[] = [];
  let first = true;
  for (let round = 0; options.rounds === undefined || round < options.rounds; round++) {
    if (options.signal?.aborted) break;
    const next = diagnose(await options.read());
    const changes = diffAlerts(active, next);
    if (first || changes.length > 0) options.onChange(changes, next);
    first = false;
    active = next;
    if (options.rounds !== undefined && round + 1 >= options.rounds) break;
    try {
      await sleep(options.intervalMs ?? 3000, undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      break;
    }
  }
  return active;
}
