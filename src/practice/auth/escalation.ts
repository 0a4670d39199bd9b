// RBAC's escalation prevention, as upstream's policy-based role and binding storage does it: a
// Role or ClusterRole may be created or updated only by someone who holds every permission it
// grants (or may `escalate` it); a RoleBinding or ClusterRoleBinding only by someone who holds
// every permission of the role it refers to (or may `bind` that role). Setting a ClusterRole's
// aggregationRule takes full authority. The learner's credential (kind's admin) is exempt, as
// members of system:masters are upstream.
import { ApiError, notFound } from '../api-error.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import type { PolicyRule } from './bootstrap-policy.js';
import type { Auth, Identity } from './index.js';
import { rulesFor } from './rbac.js';

const RBAC = 'rbac.authorization.k8s.io';

const has = (set: string[] | undefined, v: string) => !!set && (set.includes('*') || set.includes(v));

function resourceCovered(owner: string[] | undefined, resource: string): boolean {
  if (has(owner, resource)) return true;
  const slash = resource.indexOf('/');
  return slash >= 0 && !!owner?.includes(`*/${resource.slice(slash + 1)}`);
}

function urlCovered(owner: string[] | undefined, url: string): boolean {
  return (owner ?? []).some(
    (u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))),
  );
}

// One rule of one group, resource, name and verb (or one URL and verb): upstream's BreakdownRule.
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? []) {
      const names = rule.resourceNames?.length ? rule.resourceNames : [undefined];
      for (const name of names)
        for (const verb of rule.verbs ?? [])
          out.push({
            apiGroups: [group],
            resources: [resource],
            ...(name !== undefined ? { resourceNames: [name] } : {}),
            verbs: [verb],
          });
    }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function covers(owner: PolicyRule, simple: PolicyRule): boolean {
  if (!has(owner.verbs, simple.verbs?.[0] ?? '')) return false;
  if (simple.nonResourceURLs?.length) return urlCovered(owner.nonResourceURLs, simple.nonResourceURLs[0]!);
  if (!has(owner.apiGroups, simple.apiGroups?.[0] ?? '')) return false;
  if (!resourceCovered(owner.resources, simple.resources?.[0] ?? '')) return false;
  if (!owner.resourceNames?.length) return true;
  return (
    (simple.resourceNames ?? []).length > 0 &&
    simple.resourceNames!.every((n) => owner.resourceNames!.includes(n))
  );
}

// Go's %q of a []string: ["a" "b"].
const quoted = (list: string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

/** compactString is upstream's PolicyRule.CompactString. */
function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${quoted(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${quoted(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quoted(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${quoted(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${quoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

// upstream's CompactRules: simple rules that differ only by verb become one rule.
function compact(rules: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = r.apiGroups?.length === 1 && r.resources?.length === 1 && !r.nonResourceURLs?.length;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames ?? []]);
    const seen = simple.get(key);
    if (seen) seen.verbs = [...(seen.verbs ?? []), ...(r.verbs ?? [])];
    else simple.set(key, { ...r, verbs: [...(r.verbs ?? [])] });
  }
  return [...out, ...simple.values()];
}

/** confirmNoEscalation throws the reason when the user does not hold every rule given. */
function confirmNoEscalation(
  store: ObjectStore,
  identity: Identity,
  namespace: string | undefined,
  rules: PolicyRule[],
): string | undefined {
  const errors: string[] = [];
  const owned = rulesFor(store, identity.user, namespace, errors);
  const missing = rules.flatMap(breakdown).filter((s) => !owned.some((o) => covers(o, s)));
  if (!missing.length) return undefined;
  const lines = [...new Set(compact(missing).map(compactString))].sort();
  const user = identity.user;
  let msg = `user ${JSON.stringify(user.username)} (groups=${quoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (errors.length) msg += `; resolution errors: [${errors.join(' ')}]`;
  return msg;
}

function forbiddenWrite(resource: string, name: string, why: string): ApiError {
  return new ApiError(403, 'Forbidden', `${resource}.${RBAC} "${name}" is forbidden: ${why}`, {
    name,
    group: RBAC,
    kind: resource,
  });
}

const rulesOf = (o: KubeObject | undefined): PolicyRule[] =>
  Array.isArray(o?.rules) ? (o.rules as PolicyRule[]) : [];

/**
 * preventEscalation checks a create or update of an RBAC object by `identity` and throws
 * upstream's 403 when it would grant what the requester does not hold.
 */
export function preventEscalation(
  auth: Auth,
  identity: Identity | undefined,
  obj: KubeObject,
  namespace: string | undefined,
): void {
  if (!identity || identity.superuser || identity.user.groups.includes('system:masters')) return;
  const store = auth.store;
  const name = obj.metadata.name ?? '';
  const decide = (verb: string, resource: string, objectName: string, ns: string | undefined) =>
    auth.decide(identity, {
      verb,
      resourceRequest: true,
      apiGroup: RBAC,
      resource,
      name: objectName,
      namespace: ns,
    }).allowed;
  if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
    const resource = obj.kind === 'Role' ? 'roles' : 'clusterroles';
    if (decide('escalate', resource, name, namespace)) return;
    const why = confirmNoEscalation(store, identity, namespace, rulesOf(obj));
    if (why) throw forbiddenWrite(resource, name, why);
    if (obj.kind === 'ClusterRole' && obj.aggregationRule) {
      const full: PolicyRule[] = [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        { verbs: ['*'], nonResourceURLs: ['*'] },
      ];
      if (confirmNoEscalation(store, identity, namespace, full))
        throw forbiddenWrite(resource, name, 'must have cluster-admin privileges to use the aggregationRule');
    }
    return;
  }
  if (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') return;
  const resource = obj.kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
  const ref = (obj.roleRef ?? {}) as { kind?: string; name?: string };
  const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
  if (decide('bind', refResource, ref.name ?? '', namespace)) return;
  const role =
    ref.kind === 'ClusterRole'
      ? store.get(`clusterroles.${RBAC}`, undefined, ref.name ?? '')
      : store.get(`roles.${RBAC}`, namespace, ref.name ?? '');
  if (!role) throw notFound(refResource, RBAC, ref.name ?? '');
  const why = confirmNoEscalation(store, identity, namespace, rulesOf(role));
  if (why) throw forbiddenWrite(resource, name, why);
}
