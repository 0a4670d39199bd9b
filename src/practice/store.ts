// The object store at the bottom of the practice cluster: objects keyed by storage resource
// (`deployments.apps`, `configmaps`), namespace and name; a monotonic resourceVersion; watch
// fan-out with a bounded history. Objects handed out are deep-frozen: clone before changing
// (`structuredClone(obj)`), then write back with update().
import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, gone, notFound } from './api-error.js';
import {
  deepFreeze,
  type ListOptions,
  type ListResult,
  objectKey,
  randomSuffix,
  type StoreEvent,
  type StoreListener,
  type StoreOptions,
  type StoreSnapshot,
  specOf,
  splitKey,
} from './store-types.js';
import type { KubeObject } from './types.js';

export {
  deepFreeze,
  type ListOptions,
  type ListResult,
  randomSuffix,
  type StoreEvent,
  type StoreListener,
  type StoreOptions,
  type StoreSnapshot,
  type WatchEventType,
} from './store-types.js';

/** ObjectStore holds every object of the practice cluster and fans changes out to watchers. */
export class ObjectStore {
  private rv = 1;
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  private readonly watchCounts = new Map<string, number>();
  private readonly historySize: number;
  private readonly tracksGeneration: (resource: string) => boolean;
  private readonly now: () => Date;

  constructor(options: StoreOptions = {}) {
    this.historySize = options.historySize ?? 5000;
    this.tracksGeneration = options.tracksGeneration ?? (() => false);
    this.now = options.now ?? (() => new Date());
  }

  /** resourceVersion is the store's current (latest) resourceVersion. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** timestamp is "now" in the RFC 3339 second precision the API uses. */
  timestamp(): string {
    return `${this.now().toISOString().slice(0, 19)}Z`;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let b = this.buckets.get(resource);
    if (!b) {
      b = new Map();
      this.buckets.set(resource, b);
    }
    return b;
  }

  /** get returns a stored object (frozen) or undefined. */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.buckets.get(resource)?.get(objectKey(namespace, name));
  }

  /** mustGet returns a stored object or throws a 404 ApiError. */
  mustGet(resource: string, namespace: string | undefined, name: string): KubeObject {
    const obj = this.get(resource, namespace, name);
    if (!obj) {
      const { plural, group } = splitKey(resource);
      throw notFound(plural, group, name);
    }
    return obj;
  }

  /** list returns objects sorted by namespace and name, filtered and paged. */
  list(resource: string, options: ListOptions = {}): ListResult {
    const b = this.buckets.get(resource);
    const keys = b ? [...b.keys()].sort() : [];
    const after = options.continue ? Buffer.from(options.continue, 'base64url').toString('utf8') : undefined;
    const items: KubeObject[] = [];
    let next: string | undefined;
    let remaining = 0;
    for (const key of keys) {
      if (after !== undefined && key <= after) continue;
      const obj = b!.get(key)!;
      if (options.namespace !== undefined && obj.metadata.namespace !== options.namespace) continue;
      if (options.predicate && !options.predicate(obj)) continue;
      if (options.limit && items.length >= options.limit) {
        remaining++;
        continue;
      }
      items.push(obj);
      if (options.limit && items.length === options.limit) next = key;
    }
    const result: ListResult = { items, resourceVersion: this.resourceVersion };
    if (remaining > 0 && next !== undefined) {
      result.continue = Buffer.from(next, 'utf8').toString('base64url');
      result.remainingItemCount = remaining;
    }
    return result;
  }

  /** resources lists the storage keys that hold at least one object. */
  resources(): string[] {
    return [...this.buckets.entries()].filter(([, b]) => b.size > 0).map(([k]) => k);
  }

  /**
   * create stores a new object: sets uid, resourceVersion, creationTimestamp, generation, and a
   * name from generateName. The input is copied; the stored (frozen) object is returned.
   */
  create(resource: string, input: KubeObject): KubeObject {
    const obj = structuredClone(input);
    const meta = obj.metadata;
    const b = this.bucket(resource);
    if (!meta.name && meta.generateName) {
      do meta.name = meta.generateName + randomSuffix();
      while (b.has(objectKey(meta.namespace, meta.name)));
    }
    const name = meta.name ?? '';
    const key = objectKey(meta.namespace, name);
    if (b.has(key)) {
      const { plural, group } = splitKey(resource);
      throw alreadyExists(plural, group, name);
    }
    // A uid set by the write pipeline (a Job's selector names it) is kept.
    meta.uid ||= randomUUID();
    meta.creationTimestamp = this.timestamp();
    delete meta.deletionTimestamp;
    if (this.tracksGeneration(resource)) meta.generation = 1;
    else delete meta.generation;
    meta.resourceVersion = String(++this.rv);
    deepFreeze(obj);
    b.set(key, obj);
    this.emit({ type: 'ADDED', resource, object: obj, resourceVersion: this.rv });
    return obj;
  }

  /**
   * update replaces an object. A non-empty metadata.resourceVersion must match (409 Conflict
   * otherwise). uid and creationTimestamp are kept; generation goes up when anything outside
   * metadata and status changed. An object being deleted whose finalizers are now empty is removed.
   */
  update(resource: string, input: KubeObject): KubeObject {
    const meta = input.metadata;
    const name = meta.name ?? '';
    const b = this.bucket(resource);
    const key = objectKey(meta.namespace, name);
    const old = b.get(key);
    const { plural, group } = splitKey(resource);
    if (!old) throw notFound(plural, group, name);
    if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        plural,
        group,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw conflict(
        plural,
        group,
        name,
        `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    const obj = structuredClone(input);
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    if (this.tracksGeneration(resource)) {
      const gen = old.metadata.generation ?? 1;
      obj.metadata.generation = specOf(obj) === specOf(old) ? gen : gen + 1;
    } else delete obj.metadata.generation;
    if (
      old.metadata.deletionTimestamp &&
      old.metadata.finalizers?.length &&
      !obj.metadata.finalizers?.length
    ) {
      return this.remove(resource, key, old, obj);
    }
    if (
      JSON.stringify(obj) ===
      JSON.stringify({ ...old, metadata: { ...old.metadata, resourceVersion: obj.metadata.resourceVersion } })
    ) {
      return old; // a no-op write keeps its resourceVersion, as upstream does
    }
    obj.metadata.resourceVersion = String(++this.rv);
    deepFreeze(obj);
    b.set(key, obj);
    this.emit({ type: 'MODIFIED', resource, object: obj, previous: old, resourceVersion: this.rv });
    return obj;
  }

  /**
   * delete removes an object, or, when it has finalizers, marks it with deletionTimestamp and
   * keeps it until update() clears them. Optional preconditions on uid and resourceVersion.
   */
  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
  ): { object: KubeObject; removed: boolean } {
    const key = objectKey(namespace, name);
    const old = this.mustGet(resource, namespace, name);
    const { plural, group } = splitKey(resource);
    if (preconditions.uid && preconditions.uid !== old.metadata.uid) {
      throw conflict(
        plural,
        group,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (preconditions.resourceVersion && preconditions.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        plural,
        group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    if (old.metadata.finalizers?.length) {
      if (old.metadata.deletionTimestamp) return { object: old, removed: false };
      const marked = structuredClone(old) as KubeObject;
      marked.metadata.deletionTimestamp = this.timestamp();
      marked.metadata.deletionGracePeriodSeconds = 0;
      marked.metadata.resourceVersion = String(++this.rv);
      deepFreeze(marked);
      this.bucket(resource).set(key, marked);
      this.emit({ type: 'MODIFIED', resource, object: marked, previous: old, resourceVersion: this.rv });
      return { object: marked, removed: false };
    }
    const gone = structuredClone(old) as KubeObject;
    return { object: this.remove(resource, key, old, gone), removed: true };
  }

  private remove(resource: string, key: string, old: KubeObject, last: KubeObject): KubeObject {
    last.metadata.resourceVersion = String(++this.rv);
    deepFreeze(last);
    this.bucket(resource).delete(key);
    this.emit({ type: 'DELETED', resource, object: last, previous: old, resourceVersion: this.rv });
    return last;
  }

  /** subscribe receives every event of every resource (controllers, persistence). */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * watch receives the events of one resource after `sinceResourceVersion` (replayed from the
   * history), then live ones. Throws 410 Gone when the history no longer reaches back that far.
   */
  watch(resource: string, sinceResourceVersion: number, listener: StoreListener): () => void {
    const oldest = this.history[0]?.resourceVersion ?? this.rv + 1;
    if (sinceResourceVersion < this.rv && sinceResourceVersion < oldest - 1) {
      throw gone(`too old resource version: ${sinceResourceVersion} (${oldest - 1})`);
    }
    for (const e of this.history) {
      if (e.resource === resource && e.resourceVersion > sinceResourceVersion) listener(e);
    }
    const filtered: StoreListener = (e) => {
      if (e.resource === resource) listener(e);
    };
    this.listeners.add(filtered);
    this.watchCounts.set(resource, (this.watchCounts.get(resource) ?? 0) + 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.listeners.delete(filtered);
      this.watchCounts.set(resource, (this.watchCounts.get(resource) ?? 1) - 1);
    };
  }

  /** watchers counts the open watches on a resource (tests wait for a client to be watching). */
  watchers(resource: string): number {
    return this.watchCounts.get(resource) ?? 0;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize)
      this.history.splice(0, this.history.length - this.historySize);
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        // A broken listener must not stop the others or the writer.
        process.emitWarning(`practice store listener failed: ${String(err)}`);
      }
    }
  }

  /** snapshot returns everything for persistence. */
  snapshot(): StoreSnapshot {
    const objects: Record<string, KubeObject[]> = {};
    for (const [resource, b] of this.buckets) if (b.size) objects[resource] = [...b.values()];
    return { resourceVersion: this.rv, objects };
  }

  /** load replaces the contents with a snapshot (at start, before anyone watches). */
  load(snapshot: StoreSnapshot): void {
    this.buckets.clear();
    this.history.length = 0;
    this.rv = Math.max(1, snapshot.resourceVersion);
    for (const [resource, items] of Object.entries(snapshot.objects)) {
      const b = this.bucket(resource);
      for (const obj of items)
        b.set(objectKey(obj.metadata.namespace, obj.metadata.name ?? ''), deepFreeze(obj));
    }
  }
}
