// The HTTP front: bearer-token check, body size limit (413), routing, and one Status answer for
// every failure, so no input can crash the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { ApiError } from '../api-error.js';
import { preventEscalation } from '../auth/escalation.js';
import { errorReply, type Reply, type Request, type ServerContext, sendReply } from './context.js';
import {
  AGGREGATED_V2,
  aggregatedDiscovery,
  apiGroup,
  apiVersions,
  groupList,
  resourceList,
  SERVER_VERSION,
  wantsAggregated,
} from './discovery.js';
import { openapiDocument, openapiRoot } from './openapi.js';
import { handleResource } from './rest.js';
import { route } from './routing.js';
import { handleUpgrade } from './upgrade.js';

/** MAX_BODY_BYTES is the request body limit (the API server's default is 3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

const OPENAPI_V2 = Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);

const NOT_FOUND = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(
        new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(
          new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`),
        );
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function dispatch(ctx: ServerContext, req: Request): Promise<Reply | undefined> {
  const r = route(req.url.pathname, {
    isExtraGroup: (g, v) =>
      ctx.extensions.extraGroups.some((e) => e.group === g && (v === '' || e.version === v)),
  });
  if (r.type === 'resource') {
    if (r.def.resource === 'endpoints' && r.group === '') {
      req.warnings.push('v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
    }
    return handleResource(ctx, req, r);
  }
  if (req.method !== 'GET') {
    if (r.type === 'notFound' || r.type === 'unknownResource') throw NOT_FOUND();
    throw new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  }
  const extra = ctx.extensions.extraGroups;
  switch (r.type) {
    case 'version':
      return { status: 200, body: SERVER_VERSION };
    case 'health':
      return { status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
    case 'apiVersions':
      if (wantsAggregated(req.headers.accept))
        return { status: 200, body: aggregatedDiscovery(true, extra), contentType: AGGREGATED_V2 };
      return { status: 200, body: apiVersions(ctx.address()) };
    case 'groupList':
      if (wantsAggregated(req.headers.accept))
        return { status: 200, body: aggregatedDiscovery(false, extra), contentType: AGGREGATED_V2 };
      return { status: 200, body: groupList(extra) };
    case 'group':
      return { status: 200, body: apiGroup(r.group, extra) };
    case 'resourceList':
      return { status: 200, body: resourceList(r.group, r.version, extra) };
    case 'openapiRoot':
      return { status: 200, body: openapiRoot(ctx.openapi) };
    case 'openapiV2':
      // A minimal OpenAPI v2 document (protobuf: swagger "2.0"): kubectl then validates kinds it
      // cannot find in v3 as unknown (no error) and maps them, which gives the upstream
      // `resource mapping not found` text for a Deployment under apiVersion v1.
      return {
        status: 200,
        body: OPENAPI_V2,
        contentType: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      };
    case 'openapiGroupVersion':
      return {
        status: 200,
        body: openapiDocument(r.group, r.version, ctx.openapi).body,
        contentType: 'application/json',
      };
    case 'extra': {
      const group = extra.find((e) => e.group === r.group && e.version === r.version)!;
      if (r.rest === '') return { status: 200, body: resourceList(r.group, r.version, extra) };
      const result = await group.handle(r.rest, req.url.searchParams, ctx.store);
      return { status: result.status ?? 200, body: result.body, contentType: result.contentType };
    }
    default:
      throw NOT_FOUND();
  }
}

/** createApiServer builds the HTTPS server; the caller listens on 127.0.0.1. */
export function createApiServer(ctx: ServerContext, tls: { cert: string; key: string }): Server {
  const handle = async (raw: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(raw.url ?? '/', 'http://127.0.0.1');
    } catch {
      url = new URL('http://127.0.0.1/invalid');
    }
    const req: Request = {
      method: raw.method ?? 'GET',
      url,
      headers: raw.headers,
      body: Buffer.alloc(0),
      response: res,
      warnings: [],
    };
    try {
      try {
        const identity = ctx.auth.authenticate(raw.headers, raw.headersDistinct);
        req.identity = identity;
        ctx.auth.authorizeRequest(identity, req.method, url);
        req.authorizeWrite = (obj, namespace) => preventEscalation(ctx.auth, identity, obj, namespace);
      } catch (err) {
        raw.resume();
        throw err;
      }
      req.body = await readBody(raw);
      ctx.onRequest?.({
        method: req.method,
        path: url.pathname,
        query: url.search,
        contentType: raw.headers['content-type'],
        body: req.body,
      });
      const reply = await dispatch(ctx, req);
      if (reply) sendReply(req, reply);
    } catch (err) {
      if (err instanceof ApiError && err.code === 413) res.setHeader('Connection', 'close');
      if (!(err instanceof ApiError))
        process.emitWarning(
          `practice cluster: ${req.method} ${url.pathname}: ${(err as Error)?.stack ?? String(err)}`,
        );
      sendReply(req, errorReply(err));
    }
  };
  const server = createServer({ ...tls, maxHeaderSize: 64 * 1024 }, (req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  // exec, attach and port-forward upgrade the connection (websocket or SPDY).
  server.on('upgrade', (raw: IncomingMessage, socket, head: Buffer) => {
    // The same authentication and RBAC as every other request (pods/exec, attach, portforward).
    let allowed = false;
    try {
      const identity = ctx.auth.authenticate(raw.headers, raw.headersDistinct);
      ctx.auth.authorizeRequest(identity, raw.method ?? 'GET', new URL(raw.url ?? '/', 'http://127.0.0.1'));
      allowed = true;
    } catch {
      allowed = false;
    }
    handleUpgrade(ctx, raw, socket, head, allowed);
  });
  server.on('clientError', (_err, socket) => {
    const body = JSON.stringify(new ApiError(400, 'BadRequest', 'malformed HTTP request').toStatus());
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    } else socket.destroy();
  });
  return server;
}
