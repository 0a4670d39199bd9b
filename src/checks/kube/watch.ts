// Live objects from `kubectl get KIND -w -o json --output-watch-events`, one kubectl per kind
// (kubectl refuses `get a,b -w`). The stream is a sequence of JSON documents, compact or
// indented; the splitter below cuts it into whole documents without caring which.
import type { K8sObject } from '../../alerts/types.js';
import type { Kubectl } from '../../kubectl.js';
import type { RunResult } from '../../runner.js';

/** WatchKind is a resource the fail-fast watcher follows. */
export type WatchKind =
  | 'pods'
  | 'replicasets'
  | 'deployments'
  | 'services'
  | 'endpointslices'
  | 'horizontalpodautoscalers';

/** LiveObjects holds the current objects of each watched kind, by name. */
export type LiveObjects = Record<WatchKind, Map<string, K8sObject>>;

/** WatchEvent is one line of `--output-watch-events`. */
interface WatchEvent {
  type?: string;
  object?: K8sObject;
}

/** createJsonSplitter returns a function fed with chunks that calls `onDocument` per whole document. */
export function createJsonSplitter(onDocument: (text: string) => void): (chunk: string) => void {
  let buffer = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  return (chunk) => {
    const offset = buffer.length;
    buffer += chunk;
    let consumed = 0;
    for (let i = offset; i < buffer.length; i++) {
      const c = buffer[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') {
        if (depth === 0) start = i;
        depth++;
      } else if (c === '}' && depth > 0) {
        depth--;
        if (depth === 0) {
          onDocument(buffer.slice(start, i + 1));
          consumed = i + 1;
        }
      }
    }
    if (consumed > 0) {
      buffer = buffer.slice(consumed);
      if (depth > 0) start -= consumed;
    } else if (depth === 0) {
      buffer = '';
    }
  };
}

/** emptyLive is a LiveObjects with nothing in it. */
export function emptyLive(): LiveObjects {
  return {
    pods: new Map(),
    replicasets: new Map(),
    deployments: new Map(),
    services: new Map(),
    endpointslices: new Map(),
    horizontalpodautoscalers: new Map(),
  };
}

/** applyEvent updates `into` with one watch event; false for events that change nothing. */
export function applyEvent(into: Map<string, K8sObject>, event: WatchEvent): boolean {
  const name = event.object?.metadata?.name;
  if (!name || !event.object) return false;
  if (event.type === 'DELETED') return into.delete(name);
  if (event.type === 'ADDED' || event.type === 'MODIFIED') {
    into.set(name, event.object);
    return true;
  }
  return false;
}

/** ObjectWatch is a running set of watches. */
export interface ObjectWatch {
  live: LiveObjects;
  /** Kinds known to be complete: a missing object of such a kind really is missing. */
  listed: Set<WatchKind>;
  /** Resolves when every kubectl watch has exited (after `stop` or on its own). */
  ended: Promise<RunResult[]>;
  stop(): void;
}

/**
 * watchObjects starts one `kubectl get KIND -n NS -w` per kind and calls `onChange` after each
 * burst of events. The watch lists first (as ADDED events) but does not mark the end of the list,
 * and prints nothing for a kind with no object; for the kinds in `confirm`, whose absence a judge
 * relies on, one one-shot `get` of them all tells when the list is complete.
 */
export function watchObjects(
  kubectl: Kubectl,
  namespace: string,
  kinds: readonly WatchKind[],
  onChange: (watch: ObjectWatch) => void,
  confirm: readonly WatchKind[] = [],
): ObjectWatch {
  const controller = new AbortController();
  const watch: ObjectWatch = {
    live: emptyLive(),
    listed: new Set(),
    ended: Promise.resolve([]),
    stop: () => controller.abort(),
  };
  let pending = false;
  const changed = () => {
    // One judgement per burst of events (a rollout sends several per pod).
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      if (!controller.signal.aborted) onChange(watch);
    });
  };
  // Names the one-shot list returned, per kind; a kind is complete once its watch delivered them.
  const listedNames = new Map<WatchKind, string[]>();
  const markIfComplete = (kind: WatchKind) => {
    const names = listedNames.get(kind);
    if (!names || watch.listed.has(kind)) return;
    if (names.every((n) => watch.live[kind].has(n))) {
      watch.listed.add(kind);
      changed();
    }
  };
  if (confirm.length > 0) {
    // One list for all of them (`get a,b` is fine without -w): one kubectl start instead of several.
    void kubectl
      .json<{ items?: { kind?: string; metadata?: { name?: string } }[] }>(
        ['get', confirm.join(','), '-n', namespace],
        { readOnly: true, timeoutMs: 30_000, signal: controller.signal },
      )
      .then(({ value }) => {
        if (!value) return;
        for (const kind of confirm) {
          const items = (value.items ?? []).filter((i) => kindOf[i.kind ?? ''] === kind);
          listedNames.set(
            kind,
            items.map((i) => i.metadata?.name ?? ''),
          );
          markIfComplete(kind);
        }
      });
  }
  const runs = kinds.map((kind) => {
    const feed = createJsonSplitter((text) => {
      let event: WatchEvent;
      try {
        event = JSON.parse(text) as WatchEvent;
      } catch {
        return;
      }
      const name = event.object?.metadata?.name;
      // An object deleted since the list never arrives; its DELETED event settles it.
      if (event.type === 'DELETED' && name && listedNames.has(kind))
        listedNames.set(
          kind,
          listedNames.get(kind)!.filter((n) => n !== name),
        );
      if (applyEvent(watch.live[kind], event)) changed();
      markIfComplete(kind);
    });
    return kubectl.run(['get', kind, '-n', namespace, '-w', '-o', 'json', '--output-watch-events'], {
      readOnly: true,
      // The watch lives as long as the check waits; the check stops it.
      timeoutMs: 3_600_000,
      signal: controller.signal,
      onStdout: feed,
    });
  });
  watch.ended = Promise.all(runs);
  return watch;
}

/** kindOf maps an object's `kind` to the watched resource. */
const kindOf: Record<string, WatchKind> = {
  Pod: 'pods',
  ReplicaSet: 'replicasets',
  Deployment: 'deployments',
  Service: 'services',
  EndpointSlice: 'endpointslices',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
};
