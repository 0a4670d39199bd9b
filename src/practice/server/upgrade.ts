// Connection upgrades (exec, attach, port-forward): the same bearer-token check and routing as
// every request, then the handler a plugin registered for the subresource owns the socket.
// Failures are answered as plain HTTP with a Status body, which kubectl prints as
// `error: unable to upgrade connection: <message>`.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../api-error.js';
import type { ServerContext } from './context.js';
import { route } from './routing.js';

/** rejectUpgrade answers an upgrade request with a Status and closes the socket. */
export function rejectUpgrade(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  const text = `HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  if (socket.writable) socket.end(text);
  else socket.destroy();
}

/** handleUpgrade routes an upgrade request to its subresource's handler. */
export function handleUpgrade(
  ctx: ServerContext,
  raw: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  authorized: boolean,
): void {
  socket.on('error', () => socket.destroy());
  if (!authorized) {
    rejectUpgrade(socket, new ApiError(401, 'Unauthorized', 'Unauthorized'));
    return;
  }
  const url = new URL(raw.url ?? '/', 'http://127.0.0.1');
  const r = route(url.pathname, { isExtraGroup: () => false });
  const handler =
    r.type === 'resource' && r.subresource
      ? ctx.extensions.upgradeHandler(r.def.resource, r.subresource)
      : undefined;
  if (r.type !== 'resource' || !handler || !r.name) {
    rejectUpgrade(socket, new ApiError(404, 'NotFound', 'the server could not find the requested resource'));
    return;
  }
  try {
    handler(raw, socket, head, {
      namespace: r.namespace ?? 'default',
      name: r.name,
      query: url.searchParams,
      store: ctx.store,
    });
  } catch (err) {
    rejectUpgrade(socket, err instanceof ApiError ? err : new ApiError(500, 'InternalError', String(err)));
  }
}
