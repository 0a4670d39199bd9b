// Container logs kept in memory, one list of lines per container run, so `logs --previous`
// shows the run before the current one (or the crashed one while in CrashLoopBackOff), and
// `logs -f` streams new lines until the run ends or the pod goes.

/** LogLine is one line with the time it was written. */
export interface LogLine {
  time: Date;
  text: string;
}

type Follower = (line: LogLine | null) => void;

interface ContainerLog {
  runs: LogLine[][];
  followers: Set<Follower>;
}

const MAX_LINES = 5000;

/** LogBook holds the logs of every container of every pod, keyed by pod uid. */
export class LogBook {
  private readonly logs = new Map<string, ContainerLog>();

  private entry(uid: string, container: string): ContainerLog {
    const key = `${uid}/${container}`;
    let e = this.logs.get(key);
    if (!e) {
      e = { runs: [], followers: new Set() };
      this.logs.set(key, e);
    }
    return e;
  }

  /** startRun begins a new run (a new container instance). */
  startRun(uid: string, container: string): void {
    const e = this.entry(uid, container);
    e.runs.push([]);
    if (e.runs.length > 2) e.runs.shift();
  }

  /** endRun closes followers of the current run (container exited or was killed). */
  endRun(uid: string, container: string): void {
    const e = this.entry(uid, container);
    for (const f of e.followers) f(null);
    e.followers.clear();
  }

  /** write appends a line to the current run. */
  write(uid: string, container: string, text: string): void {
    const e = this.entry(uid, container);
    if (e.runs.length === 0) e.runs.push([]);
    const run = e.runs[e.runs.length - 1] as LogLine[];
    const line = { time: new Date(), text };
    run.push(line);
    if (run.length > MAX_LINES) run.splice(0, run.length - MAX_LINES);
    for (const f of e.followers) f(line);
  }

  /**
   * lines returns a run: `fromEnd` 0 is the newest run, 1 the one before. Undefined when there
   * is no such run.
   */
  lines(uid: string, container: string, fromEnd: number): LogLine[] | undefined {
    const runs = this.logs.get(`${uid}/${container}`)?.runs ?? [];
    return runs[runs.length - 1 - fromEnd];
  }

  /** follow calls `fn` for each new line of the current run, and with null when it ends. */
  follow(uid: string, container: string, fn: Follower): () => void {
    const e = this.entry(uid, container);
    e.followers.add(fn);
    return () => e.followers.delete(fn);
  }

  /** forget drops a pod's logs (pod deleted), ending followers. */
  forget(uid: string): void {
    for (const [key, e] of this.logs) {
      if (!key.startsWith(`${uid}/`)) continue;
      for (const f of e.followers) f(null);
      this.logs.delete(key);
    }
  }
}

/** formatLine renders a line as kubelet does, optionally with an RFC 3339 nano timestamp. */
export function formatLine(line: LogLine, timestamps: boolean): string {
  if (!timestamps) return `${line.text}\n`;
  const iso = line.time.toISOString(); // 2026-11-25T17:00:00.123Z
  return `${iso.slice(0, 23)}000000Z ${line.text}\n`;
}
