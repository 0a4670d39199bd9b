// RBAC as upstream's authorizer evaluates it: a request's attributes (user, verb, API group,
// resource/subresource, name, namespace, or a non-resource path) are allowed when any rule of a
// role bound to the user allows them; nothing is ever denied explicitly. Also the aggregation of
// ClusterRoles (`aggregationRule`), which fills admin, edit and view.
import type { Controller } from '../extensions.js';
import { labelsMatch, selectorObjectToRequirements } from '../selectors.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import type { PolicyRule } from './bootstrap-policy.js';

const RBAC = 'rbac.authorization.k8s.io';
const ROLES = `roles.${RBAC}`;
const CLUSTER_ROLES = `clusterroles.${RBAC}`;
const ROLE_BINDINGS = `rolebindings.${RBAC}`;
const CLUSTER_ROLE_BINDINGS = `clusterrolebindings.${RBAC}`;

/** UserInfo is an authenticated identity, as SelfSubjectReview shows it. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Attributes describe one request to authorize (upstream's authorizer.Attributes). */
export interface Attributes {
  verb: string;
  /** false for non-resource paths (`/api`, `/healthz`). */
  resourceRequest: boolean;
  path?: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

function has(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes(value) || list.includes('*'));
}

function resourceMatches(rule: PolicyRule, a: Attributes): boolean {
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? '');
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (a.subresource && r.startsWith('*/') && r.slice(2) === a.subresource) return true;
  }
  return false;
}

function pathMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** ruleAllows tells whether one rule allows the attributes. */
export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return pathMatches(rule, a.path ?? '');
  if (!has(rule.apiGroups, a.apiGroup ?? '')) return false;
  if (!resourceMatches(rule, a)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name ?? '');
}

/** serviceAccountOf splits `system:serviceaccount:<ns>:<name>`. */
export function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}

function subjectMatches(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  if (s.kind === 'User') return s.name === user.username;
  if (s.kind === 'Group') return !!s.name && user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') {
    const sa = serviceAccountOf(user.username);
    // A namespaced binding's ServiceAccount subject without a namespace means the binding's own.
    return !!sa && sa.name === s.name && sa.namespace === (s.namespace || bindingNamespace);
  }
  return false;
}

function rulesOf(o: KubeObject | undefined): PolicyRule[] {
  return Array.isArray(o?.rules) ? (o.rules as PolicyRule[]) : [];
}

function roleRules(
  store: ObjectStore,
  binding: KubeObject,
  namespace: string | undefined,
  errors: string[],
): PolicyRule[] {
  const ref = (binding.roleRef ?? {}) as { kind?: string; name?: string };
  const role =
    ref.kind === 'ClusterRole'
      ? store.get(CLUSTER_ROLES, undefined, ref.name ?? '')
      : ref.kind === 'Role' && namespace
        ? store.get(ROLES, namespace, ref.name ?? '')
        : undefined;
  // The authorizer names a missing role in its reason, as upstream's lister error does.
  if (!role) errors.push(`${(ref.kind ?? '').toLowerCase()}.${RBAC} "${ref.name ?? ''}" not found`);
  return rulesOf(role);
}

function bound(binding: KubeObject, user: UserInfo, namespace: string): boolean {
  const subjects = Array.isArray(binding.subjects) ? (binding.subjects as Subject[]) : [];
  return subjects.some((s) => subjectMatches(s, user, namespace));
}

/**
 * rulesFor lists every rule that applies to a user in a namespace (cluster-wide bindings first,
 * then the namespace's RoleBindings), as `auth can-i --list` shows them; `errors` collects the
 * bindings whose role is missing.
 */
export function rulesFor(
  store: ObjectStore,
  user: UserInfo,
  namespace?: string,
  errors: string[] = [],
): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const b of store.list(CLUSTER_ROLE_BINDINGS).items)
    if (bound(b, user, '')) out.push(...roleRules(store, b, undefined, errors));
  if (namespace) {
    for (const b of store.list(ROLE_BINDINGS, { namespace }).items)
      if (bound(b, user, namespace)) out.push(...roleRules(store, b, namespace, errors));
  }
  return out;
}

/** rbacDecision evaluates attributes against the user's bound rules, with upstream's reason. */
export function rbacDecision(
  store: ObjectStore,
  user: UserInfo,
  a: Attributes,
): { allowed: boolean; reason: string } {
  const errors: string[] = [];
  // Cluster-scoped requests see only ClusterRoleBindings; namespaced ones also RoleBindings.
  const rules = rulesFor(store, user, a.resourceRequest ? a.namespace : undefined, errors);
  if (rules.some((r) => ruleAllows(r, a))) return { allowed: true, reason: '' };
  const reason =
    errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
  return { allowed: false, reason };
}

/** forbiddenText is upstream's denial: `User "x" cannot list resource "pods" in API group ""…`. */
export function forbiddenText(user: UserInfo, a: Attributes): string {
  if (!a.resourceRequest) return `User "${user.username}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}" ${scope}`;
}

function sameRules(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/**
 * clusterRoleAggregator fills the rules of ClusterRoles with an `aggregationRule` from the
 * ClusterRoles its selectors match, whenever a ClusterRole changes (upstream's
 * clusterrole-aggregation controller).
 */
export function clusterRoleAggregator(): Controller {
  let unsubscribe: (() => void) | undefined;
  let queued = false;
  const reconcile = (store: ObjectStore) => {
    queued = false;
    const all = store.list(CLUSTER_ROLES).items;
    for (const role of all) {
      const agg = role.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined;
      if (!agg || role.metadata.deletionTimestamp) continue;
      const rules: PolicyRule[] = [];
      const seen = new Set<string>();
      const sources = all
        .filter((o) => o.metadata.name !== role.metadata.name)
        .sort((x, y) => (x.metadata.name ?? '').localeCompare(y.metadata.name ?? ''));
      for (const sel of agg.clusterRoleSelectors ?? []) {
        const reqs = selectorObjectToRequirements(sel);
        for (const src of sources) {
          if (!labelsMatch(src.metadata.labels, reqs)) continue;
          for (const r of rulesOf(src)) {
            const key = JSON.stringify(r);
            if (!seen.has(key)) {
              seen.add(key);
              rules.push(r);
            }
          }
        }
      }
      if (!sameRules(role.rules, rules)) store.update(CLUSTER_ROLES, { ...structuredClone(role), rules });
    }
  };
  return {
    name: 'clusterrole-aggregation',
    start(ctx) {
      // Aggregated roles feed each other (view → edit → admin): repeat until nothing changes.
      const settle = () => {
        for (let i = 0; i < 5; i++) reconcile(ctx.store);
      };
      settle();
      unsubscribe = ctx.store.subscribe((e) => {
        if (e.resource !== CLUSTER_ROLES || queued) return;
        queued = true;
        setImmediate(settle);
      });
    },
    stop() {
      unsubscribe?.();
    },
  };
}
