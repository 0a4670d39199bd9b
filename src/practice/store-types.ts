// Types and helpers of the object store (store.ts), kept apart so the store stays readable.
import type { ObjectPredicate } from './selectors.js';
import type { KubeObject } from './types.js';

/** WatchEventType is the `type` of a watch event. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** StoreEvent is one change in the store; `previous` is the object before a MODIFIED/DELETED. */
export interface StoreEvent {
  type: WatchEventType;
  /** Storage key of the resource: `deployments.apps`, `pods`. */
  resource: string;
  object: KubeObject;
  previous?: KubeObject;
  resourceVersion: number;
}

/** StoreListener receives store events synchronously, in resourceVersion order. */
export type StoreListener = (event: StoreEvent) => void;

/** ListOptions narrows a list: namespace, predicate (selectors), limit and continue token. */
export interface ListOptions {
  namespace?: string;
  predicate?: ObjectPredicate;
  limit?: number;
  continue?: string;
}

/** ListResult is a page of objects and the store's resourceVersion at list time. */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** StoreOptions configures an ObjectStore. */
export interface StoreOptions {
  /** Watch history kept for resuming watches; older resourceVersions get 410 Gone. */
  historySize?: number;
  /** Which storage keys set and bump metadata.generation. */
  tracksGeneration?: (resource: string) => boolean;
  /** Group of a storage key, for error texts (`deployments.apps` → `apps`). */
  now?: () => Date;
}

/** StoreSnapshot is the persisted form of the store. */
export interface StoreSnapshot {
  resourceVersion: number;
  objects: Record<string, KubeObject[]>;
}

/** deepFreeze freezes an object graph so shared store objects cannot be changed by accident. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** splitKey splits a storage key into plural and group (`deployments.apps`). */
export function splitKey(resource: string): { plural: string; group: string } {
  const dot = resource.indexOf('.');
  return dot < 0
    ? { plural: resource, group: '' }
    : { plural: resource.slice(0, dot), group: resource.slice(dot + 1) };
}

/** objectKey is the store's map key of an object. */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** specOf serializes what counts as spec for generation bumps (all but metadata and status). */
export function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** randomSuffix is the 5-character suffix upstream adds for `generateName`. */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return out;
}
