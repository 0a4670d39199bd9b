// Reading the addressed object and converting it for the request's version.
import { notFound } from '../api-error.js';
import { storageKey } from '../resources.js';
import type { KubeObject } from '../types.js';
import type { ServerContext } from './context.js';
import { fromStorage } from './convert.js';
import type { ResourceRoute } from './routing.js';

/** view converts a stored object for the request's version. */
export function view(route: ResourceRoute, o: KubeObject): KubeObject {
  return fromStorage(route.def, route.version, o);
}

/** getStored reads the addressed object or throws 404. */
export function getStored(ctx: ServerContext, route: ResourceRoute): KubeObject {
  const o = ctx.store.get(storageKey(route.def), route.namespace, route.name!);
  if (!o) throw notFound(route.def.resource, route.def.group, route.name!);
  return o;
}
