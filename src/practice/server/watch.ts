// Watch streams: headers flushed at once, one JSON event per line, BOOKMARKs when asked, an
// ERROR event with a 410 Status when the requested resourceVersion is too old (kubectl relists).
import { ApiError } from '../api-error.js';
import type { ObjectPredicate } from '../selectors.js';
import type { StoreEvent } from '../store.js';
import type { KubeObject } from '../types.js';
import type { Request, ServerContext } from './context.js';
import type { ResourceRoute } from './routing.js';
import { tableRow, toTable } from './tables.js';

/** WatchOptions are the parsed query of a watch request. */
export interface WatchOptions {
  storageKey: string;
  predicate?: ObjectPredicate;
  resourceVersion: string | null;
  bookmarks: boolean;
  timeoutSeconds: number;
  asTable: boolean;
  includeObject: string | null;
  convert: (o: KubeObject) => KubeObject;
}

/** serveWatch streams events until the client leaves or the timeout passes. */
export function serveWatch(ctx: ServerContext, req: Request, route: ResourceRoute, opts: WatchOptions): void {
  const res = req.response;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  let first = true;
  const inScope = (o: KubeObject) =>
    (route.namespace === undefined || o.metadata.namespace === route.namespace) &&
    (route.name === undefined || o.metadata.name === route.name) &&
    (!opts.predicate || opts.predicate(o));
  const write = (type: string, obj: KubeObject) => {
    const out = opts.convert(obj);
    let payload: unknown = out;
    if (opts.asTable) {
      payload = first
        ? toTable(
            route.def,
            [out],
            { resourceVersion: out.metadata.resourceVersion ?? '' },
            opts.includeObject,
          )
        : {
            kind: 'Table',
            apiVersion: 'meta.k8s.io/v1',
            metadata: { resourceVersion: out.metadata.resourceVersion },
            rows: [tableRow(route.def, out, opts.includeObject, Date.now())],
          };
      first = false;
    }
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
  };
  const onEvent = (e: StoreEvent) => {
    const now = inScope(e.object);
    const before = e.previous ? inScope(e.previous) : false;
    if (e.type === 'ADDED' && now) write('ADDED', e.object);
    else if (e.type === 'MODIFIED') {
      if (now && before) write('MODIFIED', e.object);
      else if (now) write('ADDED', e.object);
      else if (before) write('DELETED', e.object);
    } else if (e.type === 'DELETED' && (now || before)) write('DELETED', e.object);
  };
  let stop: () => void = () => {};
  const rv = opts.resourceVersion;
  try {
    if (!rv || rv === '0') {
      const since = Number(ctx.store.resourceVersion);
      for (const o of ctx.store.list(opts.storageKey).items) if (inScope(o)) write('ADDED', o);
      stop = ctx.store.watch(opts.storageKey, since, onEvent);
    } else {
      const since = Number(rv);
      if (!Number.isFinite(since)) throw new ApiError(400, 'BadRequest', `invalid resource version: ${rv}`);
      stop = ctx.store.watch(opts.storageKey, since, onEvent);
    }
  } catch (err) {
    const status =
      err instanceof ApiError
        ? err.toStatus()
        : { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500 };
    res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    return;
  }
  const bookmark = opts.bookmarks
    ? setInterval(() => {
        const kind = opts.asTable ? 'Table' : route.def.kind;
        res.write(
          `${JSON.stringify({ type: 'BOOKMARK', object: { kind, apiVersion: route.group ? `${route.group}/${route.version}` : 'v1', metadata: { resourceVersion: ctx.store.resourceVersion } } })}\n`,
        );
      }, 5000)
    : undefined;
  const timeout = setTimeout(() => res.end(), Math.max(1, opts.timeoutSeconds) * 1000);
  const cleanup = () => {
    stop();
    clearTimeout(timeout);
    if (bookmark) clearInterval(bookmark);
  };
  res.on('close', cleanup);
  res.on('finish', cleanup);
}
