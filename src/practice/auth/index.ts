// Authentication and authorization of every request. The learner's own credential (the bearer
// token in the cluster's kubeconfig) is kind's `kubernetes-admin` and, like kind's superuser
// certificate, is never refused; ServiceAccount tokens (TokenRequest) and impersonation
// (`--as`, `--as-group`) are authorized by RBAC with upstream's 403 texts.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../api-error.js';
import type { ObjectStore } from '../store.js';
import { requestAttributes } from './attributes.js';
import { type Attributes, forbiddenText, rbacDecision, serviceAccountOf, type UserInfo } from './rbac.js';
import { TokenSigner } from './tokens.js';

export type { Attributes, UserInfo } from './rbac.js';

/** Identity is who a request acts as, and whether it bypasses authorization (the learner). */
export interface Identity {
  user: UserInfo;
  superuser: boolean;
}

/** ADMIN_USER is how kind 1.33's admin kubeconfig user shows in `kubectl auth whoami`. */
export const ADMIN_USER: UserInfo = {
  username: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
};

const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

/** serviceAccountGroups are the groups every ServiceAccount is in. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];
}

/** forbidden is upstream's 403 for attributes the user may not act on. */
export function forbidden(user: UserInfo, a: Attributes, reason = ''): ApiError {
  const why = reason ? `${forbiddenText(user, a)}: ${reason}` : forbiddenText(user, a);
  if (!a.resourceRequest) return new ApiError(403, 'Forbidden', `forbidden: ${why}`, {});
  const resource = a.apiGroup ? `${a.resource}.${a.apiGroup}` : (a.resource ?? '');
  const head = a.name ? `${resource} "${a.name}"` : resource;
  return new ApiError(403, 'Forbidden', `${head} is forbidden: ${why}`, {
    name: a.name,
    group: a.apiGroup || undefined,
    kind: a.resource,
  });
}

/** Auth authenticates requests and authorizes them by RBAC. */
export class Auth {
  readonly signer: TokenSigner;

  constructor(
    readonly store: ObjectStore,
    private readonly adminToken: string,
    dataDir: string | undefined,
  ) {
    this.signer = new TokenSigner(dataDir);
  }

  /** decide evaluates attributes for an identity: `{allowed, reason}` as an authorizer answers. */
  decide(identity: Identity, a: Attributes): { allowed: boolean; reason: string } {
    if (identity.superuser) return { allowed: true, reason: '' };
    return rbacDecision(this.store, identity.user, a);
  }

  /** authorize throws upstream's 403 unless the identity may act on the attributes. */
  authorize(identity: Identity, a: Attributes): void {
    const d = this.decide(identity, a);
    if (!d.allowed) throw forbidden(identity.user, a, d.reason);
  }

  /** authorizeRequest authorizes a request by its method, path and query. */
  authorizeRequest(identity: Identity, method: string, url: URL): void {
    this.authorize(identity, requestAttributes(method, url));
  }

  /** userOfToken maps a bearer token to an identity, or undefined when it is not valid. */
  userOfToken(token: string): Identity | undefined {
    const given = Buffer.from(token);
    const admin = Buffer.from(this.adminToken);
    if (given.length === admin.length && timingSafeEqual(given, admin))
      return { user: ADMIN_USER, superuser: true };
    const claims = this.signer.verify(token);
    if (!claims) return undefined;
    const k = claims['kubernetes.io'];
    const account = this.store.get('serviceaccounts', k.namespace, k.serviceaccount.name);
    // A token dies with its ServiceAccount (and with the pod or secret it is bound to).
    if (!account || account.metadata.uid !== k.serviceaccount.uid || account.metadata.deletionTimestamp)
      return undefined;
    if (k.pod && this.store.get('pods', k.namespace, k.pod.name)?.metadata.uid !== k.pod.uid)
      return undefined;
    if (k.secret && this.store.get('secrets', k.namespace, k.secret.name)?.metadata.uid !== k.secret.uid)
      return undefined;
    const extra: Record<string, string[]> = {
      'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`],
    };
    if (k.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
    }
    return {
      user: {
        username: claims.sub,
        uid: k.serviceaccount.uid,
        groups: serviceAccountGroups(k.namespace),
        extra,
      },
      superuser: false,
    };
  }

  /**
   * authenticate finds who a request acts as: its bearer token (401 without a valid one), then
   * the impersonation headers, each checked as upstream does (verb `impersonate` on users,
   * groups, serviceaccounts, uids, userextras/<key>).
   */
  authenticate(headers: IncomingHttpHeaders, distinct: Record<string, string[] | undefined>): Identity {
    const header = headers.authorization;
    if (!header?.startsWith('Bearer ')) throw unauthorized();
    const requester = this.userOfToken(header.slice(7).trim());
    if (!requester) throw unauthorized();
    const asUser = distinct['impersonate-user']?.[0];
    const asGroups = distinct['impersonate-group'] ?? [];
    const asUid = distinct['impersonate-uid']?.[0];
    const extraKeys = Object.keys(distinct).filter((h) => h.startsWith('impersonate-extra-'));
    if (asUser === undefined) {
      if (asGroups.length || asUid !== undefined || extraKeys.length)
        throw new ApiError(
          500,
          'InternalError',
          `Internal error occurred: requested [${[...asGroups].join(' ')}] without impersonating a user`,
        );
      return requester;
    }
    const check = (a: Attributes) =>
      this.authorize(requester, { ...a, verb: 'impersonate', resourceRequest: true });
    let groups: string[] = [];
    const sa = serviceAccountOf(asUser);
    if (sa) {
      check({
        verb: '',
        resourceRequest: true,
        apiGroup: '',
        resource: 'serviceaccounts',
        namespace: sa.namespace,
        name: sa.name,
      });
      if (!asGroups.length) groups = serviceAccountGroups(sa.namespace).slice(0, 2);
    } else check({ verb: '', resourceRequest: true, apiGroup: '', resource: 'users', name: asUser });
    for (const g of asGroups) {
      check({ verb: '', resourceRequest: true, apiGroup: '', resource: 'groups', name: g });
      groups.push(g);
    }
    const extra: Record<string, string[]> = {};
    for (const h of extraKeys) {
      const key = decodeURIComponent(h.slice('impersonate-extra-'.length));
      for (const v of distinct[h] ?? []) {
        check({
          verb: '',
          resourceRequest: true,
          apiGroup: 'authentication.k8s.io',
          resource: 'userextras',
          subresource: key,
          name: v,
        });
        extra[key] = [...(extra[key] ?? []), v];
      }
    }
    if (asUid !== undefined)
      check({
        verb: '',
        resourceRequest: true,
        apiGroup: 'authentication.k8s.io',
        resource: 'uids',
        name: asUid,
      });
    if (asUser === 'system:anonymous') {
      if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
    } else if (!groups.includes('system:authenticated') && !groups.includes('system:unauthenticated'))
      groups.push('system:authenticated');
    const user: UserInfo = { username: asUser, groups };
    if (asUid !== undefined) user.uid = asUid;
    if (Object.keys(extra).length) user.extra = extra;
    return { user, superuser: false };
  }
}
