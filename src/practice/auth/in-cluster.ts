// The API server as a pod reaches it: the kubelet's projected ServiceAccount token (TokenRequest
// bound to the pod) and requests to kubernetes.default.svc from programs in a container (curl,
// wget). A request with a bearer token is sent to the server itself over HTTPS, so it meets the
// same authentication, RBAC, routing and texts as kubectl's. A request without one is the
// anonymous user, which kind allows (the server here refuses anonymous requests from outside):
// it is authorized here, and only what system:anonymous may do (/version, /healthz, …) is served.
import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import type { InClusterApi, InClusterRequest, InClusterResponse } from '../extensions.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { requestAttributes } from './attributes.js';
import { type Auth, forbidden } from './index.js';
import type { UserInfo } from './rbac.js';
import { ISSUER } from './tokens.js';

/** ANONYMOUS is the user of a request without credentials on kind. */
export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** DEFAULT_TOKEN_SECONDS is what the ServiceAccount admission asks for (`expirationSeconds: 3607`). */
export const DEFAULT_TOKEN_SECONDS = 3607;

// The API server extends the kubelet's default 3607-second token to a year
// (--service-account-extend-token-expiration, on by default), so a pod that runs for a
// day still holds a token the server accepts.
const EXTENDED_SECONDS = 365 * 24 * 3600;

// isPrettyPrint as upstream's negotiation: humans' clients get indented JSON.
function pretty(userAgent: string | undefined): boolean {
  return /^(curl|Wget|Mozilla\/5\.0)/.test(userAgent ?? '');
}

function statusBody(status: unknown, userAgent: string | undefined): Buffer {
  return Buffer.from(pretty(userAgent) ? `${JSON.stringify(status, null, 2)}\n` : JSON.stringify(status));
}

/** inClusterApi builds the pods' view of the API server at `address()` (127.0.0.1:PORT). */
export function inClusterApi(
  store: ObjectStore,
  auth: Auth,
  adminToken: string,
  caCert: string,
  address: () => string,
): InClusterApi {
  const send = (req: InClusterRequest, headers: Record<string, string>): Promise<InClusterResponse> =>
    new Promise((resolve) => {
      const [host, port] = address().split(':');
      const r = httpsRequest(
        { host, port: Number(port), method: req.method, path: req.path, headers, ca: caCert, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const out: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) out[canonical(k)] = Array.isArray(v) ? v.join(', ') : v;
            resolve({ status: res.statusCode ?? 500, headers: out, body: Buffer.concat(chunks) });
          });
          res.on('error', () => resolve(serverError()));
        },
      );
      r.on('error', () => resolve(serverError()));
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  return {
    caCert,
    podToken(pod: KubeObject, audience: string | undefined, expirationSeconds: number) {
      const ns = pod.metadata.namespace ?? 'default';
      const name = String(
        (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? '',
      );
      const account = store.get('serviceaccounts', ns, name || 'default');
      if (!account?.metadata.uid || !pod.metadata.uid) return undefined;
      const seconds = expirationSeconds === DEFAULT_TOKEN_SECONDS ? EXTENDED_SECONDS : expirationSeconds;
      return auth.signer.issue(
        { namespace: ns, name: account.metadata.name ?? '', uid: account.metadata.uid },
        seconds,
        [audience || ISSUER],
        { pod: { name: pod.metadata.name ?? '', uid: pod.metadata.uid } },
      ).token;
    },
    async request(req) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      delete headers.host;
      if (headers.authorization?.trim()) return send(req, headers);
      const url = new URL(req.path, 'https://kubernetes.default.svc');
      const d = auth.decide({ user: ANONYMOUS, superuser: false }, requestAttributes(req.method, url));
      if (!d.allowed) {
        const status = forbidden(ANONYMOUS, requestAttributes(req.method, url), d.reason).toStatus();
        return {
          status: 403,
          headers: {
            'Audit-Id': randomUUID(),
            'Cache-Control': 'no-cache, private',
            'Content-Type': 'application/json',
            'X-Content-Type-Options': 'nosniff',
            Date: new Date().toUTCString(),
          },
          body: statusBody(status, headers['user-agent']),
        };
      }
      // What anonymous may read (the public-info paths) reads the same for every user.
      return send(req, { ...headers, authorization: `Bearer ${adminToken}` });
    },
  };
}

function serverError(): InClusterResponse {
  return { status: 503, headers: {}, body: Buffer.from('service unavailable\n') };
}

function canonical(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
