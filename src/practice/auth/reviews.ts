// The review APIs that ask the authenticator and authorizer questions without acting:
// SelfSubjectReview (`kubectl auth whoami`), SelfSubjectAccessReview and SelfSubjectRulesReview
// (`kubectl auth can-i`, `--list`), SubjectAccessReview, LocalSubjectAccessReview, TokenReview;
// and TokenRequest (`kubectl create token SA`), which issues a ServiceAccount token.
import { ApiError, badRequest, invalid, notFound } from '../api-error.js';
import type { SubresourceHandler } from '../extensions.js';
import type { ResourceDef } from '../resources.js';
import { decodeObject } from '../server/body.js';
import type { ObjectStore } from '../store.js';
import { isJsonObject, type JsonObject } from '../types.js';
import type { PolicyRule } from './bootstrap-policy.js';
import { ADMIN_USER, type Auth, type Identity } from './index.js';
import { type Attributes, rulesFor, type UserInfo } from './rbac.js';
import { ISSUER } from './tokens.js';

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** ReviewRequest is what a review handler needs from the HTTP request. */
export interface ReviewRequest {
  def: ResourceDef;
  namespace?: string;
  body: Buffer;
  contentType?: string;
  identity: Identity;
}

function attributesOf(spec: JsonObject): Attributes {
  const ra = spec.resourceAttributes;
  if (isJsonObject(ra)) {
    return {
      verb: str(ra.verb),
      resourceRequest: true,
      apiGroup: str(ra.group),
      resource: str(ra.resource),
      subresource: str(ra.subresource) || undefined,
      name: str(ra.name) || undefined,
      namespace: str(ra.namespace) || undefined,
    };
  }
  const nr = obj(spec.nonResourceAttributes);
  return { verb: str(nr.verb), resourceRequest: false, path: str(nr.path) };
}

function accessStatus(auth: Auth, identity: Identity, spec: JsonObject): JsonObject {
  const d = auth.decide(identity, attributesOf(spec));
  const status: JsonObject = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  return status;
}

function userOfSpec(spec: JsonObject): Identity {
  const extra = obj(spec.extra) as Record<string, string[]>;
  const user: UserInfo = {
    username: str(spec.user),
    groups: Array.isArray(spec.groups) ? spec.groups.map(str) : [],
  };
  if (str(spec.uid)) user.uid = str(spec.uid);
  if (Object.keys(extra).length) user.extra = extra;
  return { user, superuser: false };
}

function rulesReviewStatus(store: ObjectStore, identity: Identity, namespace: string): JsonObject {
  // The learner's credential is kind's kubernetes-admin: its rules are that user's bindings.
  const user = identity.superuser ? ADMIN_USER : identity.user;
  const resourceRules: JsonObject[] = [];
  const nonResourceRules: JsonObject[] = [];
  for (const r of rulesFor(store, user, namespace) as PolicyRule[]) {
    if (r.nonResourceURLs?.length)
      nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    if (r.resources?.length) {
      const rule: JsonObject = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources };
      if (r.resourceNames?.length) rule.resourceNames = r.resourceNames;
      resourceRules.push(rule);
    }
  }
  return { resourceRules, nonResourceRules, incomplete: false };
}

function userInfoJson(u: UserInfo): JsonObject {
  const out: JsonObject = { username: u.username };
  if (u.uid) out.uid = u.uid;
  out.groups = u.groups;
  if (u.extra) out.extra = u.extra;
  return out;
}

/** handleReview answers a POST of a review kind with the object and its computed status. */
export function handleReview(auth: Auth, r: ReviewRequest): { status: number; body: JsonObject } {
  const sent = decodeObject(r.body, r.contentType);
  const spec = obj(sent.spec);
  const kind = r.def.kind;
  const group = r.def.group;
  let status: JsonObject;
  switch (kind) {
    case 'SelfSubjectAccessReview':
      status = accessStatus(auth, r.identity, spec);
      break;
    case 'LocalSubjectAccessReview': {
      const ns = str(obj(spec.resourceAttributes).namespace);
      if (ns !== (r.namespace ?? ''))
        throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${r.namespace ?? ''}`);
      status = accessStatus(auth, userOfSpec(spec), spec);
      break;
    }
    case 'SubjectAccessReview':
      if (!str(spec.user) && !Array.isArray(spec.groups))
        throw invalid(kind, group, '', [
          {
            reason: 'FieldValueRequired',
            field: 'spec.user',
            message: 'Required value: at least one of user or group must be specified',
          },
        ]);
      status = accessStatus(auth, userOfSpec(spec), spec);
      break;
    case 'SelfSubjectRulesReview':
      status = rulesReviewStatus(auth.store, r.identity, str(spec.namespace));
      break;
    case 'SelfSubjectReview':
      return {
        status: 201,
        body: {
          kind,
          apiVersion: `${group}/v1`,
          metadata: { creationTimestamp: auth.store.timestamp() },
          status: { userInfo: userInfoJson(r.identity.user) },
        },
      };
    case 'TokenReview': {
      const who = auth.userOfToken(str(spec.token));
      const audiences = Array.isArray(spec.audiences) ? spec.audiences.map(str) : [ISSUER];
      status = who
        ? { authenticated: true, user: userInfoJson(who.user), audiences }
        : {
            authenticated: false,
            error: '[invalid bearer token, service account token has been invalidated]',
          };
      break;
    }
    default:
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
  }
  const metadata = obj(sent.metadata);
  return {
    status: 201,
    body: {
      kind,
      apiVersion: `${group}/v1`,
      metadata: { ...metadata, creationTimestamp: null },
      spec,
      status,
    },
  };
}

const MIN_SECONDS = 600;
const DEFAULT_SECONDS = 3600;

/** tokenRequestHandler serves POST `serviceaccounts/<name>/token` (TokenRequest). */
export function tokenRequestHandler(auth: Auth): SubresourceHandler {
  return async (req) => {
    if (req.method !== 'POST')
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    const namespace = req.namespace ?? '';
    const account = req.store.mustGet('serviceaccounts', namespace, req.name);
    const sent = decodeObject(req.body, req.headers['content-type']);
    const spec = obj(sent.spec);
    const seconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : DEFAULT_SECONDS;
    const group = 'authentication.k8s.io';
    if (seconds < MIN_SECONDS || seconds > 2 ** 32) {
      const why =
        seconds < MIN_SECONDS
          ? 'may not specify a duration less than 10 minutes'
          : 'may not specify a duration larger than 2^32 seconds';
      throw invalid('TokenRequest', group, req.name, [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.expirationSeconds',
          message: `Invalid value: ${seconds}: ${why}`,
        },
      ]);
    }
    const audiences =
      Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences.map(str) : [ISSUER];
    const ref = isJsonObject(spec.boundObjectRef) ? spec.boundObjectRef : undefined;
    let bound: { pod?: { name: string; uid: string }; secret?: { name: string; uid: string } } | undefined;
    if (ref) {
      const kind = str(ref.kind);
      const resource = kind === 'Pod' ? 'pods' : kind === 'Secret' ? 'secrets' : '';
      if (!resource)
        throw badRequest(`cannot bind token for serviceaccount "${req.name}" to object of kind "${kind}"`);
      const target = req.store.get(resource, namespace, str(ref.name));
      if (!target) throw notFound(resource, '', str(ref.name));
      if (str(ref.uid) && str(ref.uid) !== target.metadata.uid)
        throw new ApiError(
          409,
          'Conflict',
          `the UID in the bound object reference (${str(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`,
        );
      const uid = target.metadata.uid ?? '';
      bound =
        kind === 'Pod' ? { pod: { name: str(ref.name), uid } } : { secret: { name: str(ref.name), uid } };
    }
    const { token, claims } = auth.signer.issue(
      { namespace, name: req.name, uid: account.metadata.uid ?? '' },
      seconds,
      audiences,
      bound,
    );
    return {
      status: 201,
      body: {
        kind: 'TokenRequest',
        apiVersion: `${group}/v1`,
        metadata: { name: req.name, namespace, creationTimestamp: auth.store.timestamp() },
        spec: { audiences, expirationSeconds: seconds, boundObjectRef: ref ?? null },
        status: {
          token,
          expirationTimestamp: new Date(claims.exp * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
        },
      },
    };
  };
}
