// What every request handler shares: the store, the extensions, the address and response helpers.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { ApiError } from '../api-error.js';
import type { Auth, Identity } from '../auth/index.js';
import type { Extensions } from '../extensions.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import type { OpenapiOptions } from './openapi.js';

/** ServerContext is one cluster's serving state. */
export interface ServerContext {
  store: ObjectStore;
  extensions: Extensions;
  /** `127.0.0.1:PORT`, for /api's serverAddressByClientCIDRs. */
  address: () => string;
  /** Authentication (bearer tokens, impersonation) and RBAC. */
  auth: Auth;
  /** What /openapi/v3 publishes (schemas on or off). */
  openapi: OpenapiOptions;
  /** Sees every authenticated request with its body before it is served (tests, debugging). */
  onRequest?: (request: ObservedRequest) => void;
}

/** ObservedRequest is what onRequest sees of a request. */
export interface ObservedRequest {
  method: string;
  path: string;
  /** The query string with its `?`, or ''. */
  query: string;
  contentType: string | undefined;
  body: Buffer;
}

/** Request is a parsed request with its whole body. */
export interface Request {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  response: ServerResponse;
  /** Warnings to send as `Warning: 299 - "..."` headers. */
  warnings: string[];
  /** Who the request acts as (set once authenticated). */
  identity?: Identity;
  /**
   * authorizeWrite checks what a write would store beyond the verb RBAC allowed (escalation
   * prevention for roles and bindings); throws ApiError.
   */
  authorizeWrite?: (obj: KubeObject, namespace: string | undefined) => void;
}

/** Reply is a JSON (or text) answer. */
export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
}

/** sendReply writes a reply with warnings, unless the handler already answered (streaming). */
export function sendReply(req: Request, reply: Reply): void {
  const res = req.response;
  if (res.headersSent) return;
  const isText = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
  const payload = isText
    ? (reply.body as string | Buffer)
    : isPrettyPrint(req)
      ? `${JSON.stringify(reply.body, null, 2)}\n`
      : JSON.stringify(reply.body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': reply.contentType ?? (isText ? 'text/plain' : 'application/json'),
    'Cache-Control': 'no-cache, private',
    'Content-Length': String(Buffer.byteLength(payload)),
  };
  if (req.warnings.length) headers.Warning = req.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/**
 * isPrettyPrint is upstream's negotiation rule: `?pretty=true`, or a client humans use (curl,
 * Wget, a browser), gets indented JSON.
 */
export function isPrettyPrint(req: Pick<Request, 'url' | 'headers'>): boolean {
  const pretty = req.url.searchParams.get('pretty');
  if (pretty) return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(pretty);
  return /^(curl|Wget|Mozilla\/5\.0)/.test(String(req.headers['user-agent'] ?? ''));
}

/** errorReply renders any thrown value as a Status reply (500 for unexpected ones). */
export function errorReply(err: unknown): Reply {
  if (err instanceof ApiError) return { status: err.code, body: err.toStatus() };
  const e = new ApiError(
    500,
    'InternalError',
    `Internal error occurred: ${(err as Error)?.message ?? String(err)}`,
  );
  return { status: 500, body: e.toStatus() };
}
