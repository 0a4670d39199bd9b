// The live view: two `kubectl get --watch` streams (the workshop's namespaces, the progress
// ConfigMaps), each listing first and then reporting every change, folded into a WorkshopView.
// kubectl handles the credentials (exec plugins of GKE/EKS/AKS included), so we never talk to
// the API server ourselves. A watch that ends (server timeout) is restarted.
import { createJsonSplitter } from '../checks/kube/watch.js';
import type { Kubectl, KubectlStream } from '../kubectl.js';
import { workshopSelector } from './objects.js';
import { progressLabel } from './progress.js';
import { buildView, type ListedObject, type WorkshopView } from './rows.js';

/** splitJsonStream returns a feeder that calls `onValue` for every complete top-level JSON value. */
export function splitJsonStream(onValue: (value: unknown) => void): (chunk: string) => void {
  // One splitter for every `kubectl get --watch -o json` stream (src/checks/kube/watch.ts).
  return createJsonSplitter((text) => onValue(JSON.parse(text)));
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: ListedObject;
}

export interface LiveView {
  /** The view as of now (stuck times measured now). */
  current(): WorkshopView;
  stop(): void;
}

/**
 * watchWorkshop keeps a view up to date and calls `onChange` after every change (and once when
 * both lists have arrived). `onError` hears of a watch that failed (it is restarted after 2 s).
 */
export function watchWorkshop(
  kubectl: Kubectl,
  onChange: (view: WorkshopView) => void,
  onError: (message: string) => void = () => {},
): LiveView {
  const namespaces = new Map<string, ListedObject>();
  const configMaps = new Map<string, ListedObject>();
  const streams: KubectlStream[] = [];
  let stopped = false;
  const current = () => buildView([...namespaces.values()], [...configMaps.values()], new Date());

  const follow = (args: string[], into: Map<string, ListedObject>) => {
    const start = () => {
      if (stopped) return;
      const seen = new Set<string>();
      const feed = splitJsonStream((value) => {
        const event = value as WatchEvent;
        if (!event?.object?.metadata) return;
        const key = `${event.object.metadata.namespace ?? ''}/${event.object.metadata.name}`;
        if (event.type === 'DELETED') into.delete(key);
        else if (event.type === 'ADDED' || event.type === 'MODIFIED') into.set(key, event.object);
        else return;
        seen.add(key);
        onChange(current());
      });
      const stream = kubectl.stream(['get', ...args, '--watch', '--output-watch-events', '-o', 'json'], feed);
      streams.push(stream);
      void stream.done.then(({ exitCode, stderr }) => {
        streams.splice(streams.indexOf(stream), 1);
        if (stopped) return;
        if (exitCode !== 0) onError(stderr.trim().split('\n').pop() ?? `kubectl exited with ${exitCode}`);
        // Objects deleted while no watch ran would linger: the restarted watch lists afresh.
        setTimeout(() => {
          into.clear();
          start();
        }, 2000).unref();
      });
    };
    start();
  };
  follow(['namespaces', '-l', workshopSelector], namespaces);
  follow(['configmaps', '-A', '-l', `${progressLabel}=true`], configMaps);
  return {
    current,
    stop() {
      stopped = true;
      for (const s of [...streams]) s.stop();
    },
  };
}

/** readWorkshop lists both once (for `status` without --watch). */
export async function readWorkshop(kubectl: Kubectl): Promise<WorkshopView> {
  const list = async (args: string[]) => {
    const { value, result } = await kubectl.json<{ items: ListedObject[] }>(['get', ...args]);
    if (!value)
      throw new Error((result.stderr || result.stdout).trim().split('\n')[0] || `exit ${result.exitCode}`);
    return value.items;
  };
  const [ns, cms] = await Promise.all([
    list(['namespaces', '-l', workshopSelector]),
    list(['configmaps', '-A', '-l', `${progressLabel}=true`]),
  ]);
  return buildView(ns, cms, new Date());
}
