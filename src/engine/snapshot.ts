// What the cluster looked like when a step started, so `reset STEP` can put it back. Each step
// that needs the cluster records, before its scaffold and commands run, a compact list of the
// course's objects: the course namespace(s) themselves and what the learner makes in them
// (Deployments with replicas, images and mounted ConfigMaps/Secrets; HPAs with min/max; the rest
// by kind and name). `planRollback` compares that record with the cluster now; `applyRollback`
// deletes what came later and restores what later steps changed — only in the course's
// namespaces, only objects it lists, and only through the pinned kubectl module.
import type { Course, Step } from '../course/types.js';
import { createKubectl, type Kubectl, kubectlError } from '../kubectl.js';
import { ensureCluster, stepNeedsCluster } from './cluster.js';
import { type EngineContext, persist } from './context.js';
import { stepRecord } from './state.js';

/** SnapshotContainer is one container of a Deployment's pod template. */
export interface SnapshotContainer {
  name: string;
  image: string;
  imagePullPolicy?: string;
}

/** SnapshotVolume is a pod-template volume that mounts a ConfigMap or a Secret (by name). */
export interface SnapshotVolume {
  name: string;
  configMap?: string;
  secret?: string;
}

/** SnapshotObject is one object as a step found it, reduced to what a replay depends on. */
export interface SnapshotObject {
  kind: string;
  name: string;
  /** Absent for the Namespace objects themselves. */
  namespace?: string;
  /** Deployment: spec.replicas. */
  replicas?: number;
  /** Deployment: the pod template's containers. */
  containers?: SnapshotContainer[];
  /** Deployment: the pod template's ConfigMap/Secret volumes (a later step may repoint them). */
  volumes?: SnapshotVolume[];
  /** Deployment: the pod template's serviceAccountName, when not the namespace's `default`. */
  serviceAccount?: string;
  /** HorizontalPodAutoscaler: spec.minReplicas / spec.maxReplicas. */
  minReplicas?: number;
  maxReplicas?: number;
}

/** ClusterSnapshot is the course's part of the cluster at one moment. */
export interface ClusterSnapshot {
  /** When it was taken (ISO time). */
  at: string;
  /** The kube context it was read from: a rollback is refused on another one. */
  context: string;
  /** The course namespaces looked at (whether they existed or not). */
  namespaces: string[];
  /** The namespaces that existed (as kind Namespace) and the objects in them. */
  objects: SnapshotObject[];
}

/** The namespaced kinds the learner makes, with the resource name kubectl uses for each. */
const trackedKinds: ReadonlyArray<readonly [kind: string, resource: string]> = [
  ['Deployment', 'deployments.apps'],
  ['StatefulSet', 'statefulsets.apps'],
  ['DaemonSet', 'daemonsets.apps'],
  ['ReplicaSet', 'replicasets.apps'],
  ['Pod', 'pods'],
  ['Service', 'services'],
  ['ConfigMap', 'configmaps'],
  ['Secret', 'secrets'],
  ['ServiceAccount', 'serviceaccounts'],
  ['PersistentVolumeClaim', 'persistentvolumeclaims'],
  ['HorizontalPodAutoscaler', 'horizontalpodautoscalers.autoscaling'],
  ['Job', 'jobs.batch'],
  ['CronJob', 'cronjobs.batch'],
  ['Ingress', 'ingresses.networking.k8s.io'],
  ['NetworkPolicy', 'networkpolicies.networking.k8s.io'],
  ['PodDisruptionBudget', 'poddisruptionbudgets.policy'],
  ['Role', 'roles.rbac.authorization.k8s.io'],
  ['RoleBinding', 'rolebindings.rbac.authorization.k8s.io'],
];
const resourceOfKind = new Map(trackedKinds.map(([kind, resource]) => [kind, resource]));

/** kubectlType is how the learner would name a tracked kind to kubectl: `deployment.apps`, `configmap`. */
function kubectlType(kind: string): string {
  const resource = resourceOfKind.get(kind) ?? '';
  const dot = resource.indexOf('.');
  return dot < 0 ? kind.toLowerCase() : `${kind.toLowerCase()}${resource.slice(dot)}`;
}

// Namespaces that exist in every cluster and are never the course's to delete.
const systemNamespaces = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** courseNamespaces are the namespaces the course works in: its `namespace` vars (default k8s-test). */
export function courseNamespaces(course: Pick<Course, 'manifest' | 'steps'>): string[] {
  const names = new Set<string>([course.manifest.vars?.namespace ?? 'k8s-test']);
  for (const step of course.steps) if (step.vars?.namespace) names.add(step.vars.namespace);
  return [...names].sort();
}

interface KubeObject {
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    ownerReferences?: unknown[];
    deletionTimestamp?: string;
  };
  type?: string;
  spec?: {
    replicas?: number;
    minReplicas?: number;
    maxReplicas?: number;
    template?: {
      spec?: {
        containers?: { name: string; image?: string; imagePullPolicy?: string }[];
        volumes?: { name: string; configMap?: { name?: string }; secret?: { secretName?: string } }[];
        serviceAccountName?: string;
        serviceAccount?: string;
      };
    };
  };
}

function itemsOf(value: unknown): KubeObject[] {
  const v = value as { kind?: string; items?: KubeObject[] } | undefined;
  if (!v || typeof v !== 'object') return [];
  if (Array.isArray(v.items)) return v.items;
  return v.kind ? [v as KubeObject] : [];
}

/**
 * compactObject reduces an API object to a SnapshotObject, or drops it: objects owned by another
 * (ReplicaSets of a Deployment, their Pods, EndpointSlices) come and go with their owner, and the
 * ones the control plane puts in every namespace are not the learner's.
 */
export function compactObject(item: KubeObject): SnapshotObject | undefined {
  const kind = item.kind;
  const name = item.metadata?.name;
  if (!kind || !name || item.metadata?.deletionTimestamp) return undefined;
  if ((item.metadata?.ownerReferences ?? []).length > 0) return undefined;
  if (kind === 'ConfigMap' && name === 'kube-root-ca.crt') return undefined;
  if (kind === 'ServiceAccount' && name === 'default') return undefined;
  if (kind === 'Secret' && item.type === 'kubernetes.io/service-account-token') return undefined;
  const object: SnapshotObject = { kind, name };
  if (kind !== 'Namespace' && item.metadata?.namespace) object.namespace = item.metadata.namespace;
  const spec = item.spec ?? {};
  if (kind === 'Deployment') {
    if (typeof spec.replicas === 'number') object.replicas = spec.replicas;
    const pod = spec.template?.spec ?? {};
    object.containers = (pod.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      ...(c.imagePullPolicy ? { imagePullPolicy: c.imagePullPolicy } : {}),
    }));
    const volumes = (pod.volumes ?? []).flatMap((v): SnapshotVolume[] => {
      if (v.configMap?.name) return [{ name: v.name, configMap: v.configMap.name }];
      if (v.secret?.secretName) return [{ name: v.name, secret: v.secret.secretName }];
      return [];
    });
    if (volumes.length > 0) object.volumes = volumes;
    const account = pod.serviceAccountName || pod.serviceAccount;
    if (account && account !== 'default') object.serviceAccount = account;
  }
  if (kind === 'HorizontalPodAutoscaler') {
    if (typeof spec.minReplicas === 'number') object.minReplicas = spec.minReplicas;
    if (typeof spec.maxReplicas === 'number') object.maxReplicas = spec.maxReplicas;
  }
  return object;
}

/** SnapshotRead is a snapshot, or the reason the cluster could not be read. */
export type SnapshotRead = { ok: true; snapshot: ClusterSnapshot } | { ok: false; error: string };

// Which tracked resources the server serves, once per cluster and process: asking for a type the
// server does not know fails the whole `kubectl get`.
const servedResources = new Map<string, string[]>();

async function trackedResources(kubectl: Kubectl): Promise<string[] | { error: string }> {
  const key = `${kubectl.target.kubeconfig ?? ''}|${kubectl.target.context}`;
  const cached = servedResources.get(key);
  if (cached) return cached;
  const result = await kubectl.run(['api-resources', '--namespaced=true', '-o', 'name'], {
    readOnly: true,
    timeoutMs: 30_000,
  });
  if (result.exitCode !== 0) return { error: kubectlError(result) };
  const names = new Set(result.stdout.split('\n').map((l) => l.trim()));
  const served = trackedKinds.map(([, resource]) => resource).filter((resource) => names.has(resource));
  servedResources.set(key, served);
  return served;
}

/** takeSnapshot reads the course namespaces and the tracked objects in the ones that exist. */
export async function takeSnapshot(kubectl: Kubectl, namespaces: readonly string[]): Promise<SnapshotRead> {
  const options = { readOnly: true, timeoutMs: 30_000 };
  const resources = await trackedResources(kubectl);
  if (!Array.isArray(resources)) return { ok: false, error: resources.error };
  // The namespaces and their objects are read at once (a step start waits for this); listing a
  // namespace that does not exist is not an error, its (empty) list is dropped below.
  const [ns, lists] = await Promise.all([
    kubectl.json(['get', 'namespaces', ...namespaces, '--ignore-not-found'], options),
    // A server serving none of the tracked kinds has nothing to list (`kubectl get ''` is an error).
    Promise.all(
      namespaces.map((namespace) =>
        resources.length > 0
          ? kubectl.json(['get', resources.join(','), '-n', namespace], options)
          : undefined,
      ),
    ),
  ]);
  // With --ignore-not-found and nothing found, kubectl prints nothing at all.
  if (ns.result.exitCode !== 0 || (ns.value === undefined && ns.result.stdout.trim() !== ''))
    return { ok: false, error: kubectlError(ns.result) };
  const objects = itemsOf(ns.value)
    .map(compactObject)
    .filter((o): o is SnapshotObject => o !== undefined);
  const existing = new Set(objects.map((o) => o.name));
  for (const [index, namespace] of namespaces.entries()) {
    if (!existing.has(namespace)) continue;
    const got = lists[index];
    if (!got) continue;
    if (got.value === undefined) return { ok: false, error: kubectlError(got.result) };
    for (const item of itemsOf(got.value)) {
      const object = compactObject(item);
      if (object) objects.push(object);
    }
  }
  objects.sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
  return {
    ok: true,
    snapshot: {
      at: new Date().toISOString(),
      context: kubectl.target.context,
      namespaces: [...namespaces],
      objects,
    },
  };
}

function objectKey(o: Pick<SnapshotObject, 'kind' | 'name' | 'namespace'>): string {
  return `${o.namespace ?? ''}/${o.kind}/${o.name}`;
}

/**
 * recordClusterBefore records, once, how the cluster looked when a step that needs it started.
 * The first start is the one that counts: a step quit halfway and resumed would otherwise record
 * its own half-made objects as "found". `reset STEP` keeps the record; a rollback past a later
 * step drops that step's record, so it is taken again when the step is replayed.
 */
export async function recordClusterBefore(ctx: EngineContext, step: Step): Promise<void> {
  if (ctx.dryRun || !stepNeedsCluster(step)) return;
  const record = stepRecord(ctx.state, step.key);
  if (record.clusterBefore) return;
  const target = await ensureCluster(ctx);
  const read = await takeSnapshot(createKubectl(ctx.runner, target), courseNamespaces(ctx.course));
  // An unreadable cluster is not this step's failure: its own commands and checks will say so.
  if (!read.ok) return;
  record.clusterBefore = read.snapshot;
  persist(ctx);
}

/** Change is one difference a rollback undoes on an object that stays. */
export type Change =
  | { field: 'replicas'; from?: number; to?: number }
  | { field: 'image'; container: string; from: string; to: string }
  | { field: 'imagePullPolicy'; container: string; from?: string; to?: string }
  | { field: 'volume'; volume: string; from: string; to: string }
  | { field: 'serviceAccountName'; from: string; to: string }
  | { field: 'minReplicas' | 'maxReplicas'; from?: number; to?: number };

/** Restore is an object to patch back, with what changed and the patch that undoes it. */
export interface Restore {
  object: SnapshotObject;
  changes: Change[];
  /** A strategic merge patch (Deployment) or merge patch (HPA). */
  patch: Record<string, unknown>;
}

/** RollbackPlan is what putting the cluster back as a snapshot found it takes. */
export interface RollbackPlan {
  /** Course namespaces that did not exist then: deleted with everything in them. */
  deleteNamespaces: string[];
  /** How many tracked objects go with those namespaces (for the preview). */
  objectsInDeletedNamespaces: number;
  /** Objects made since, in namespaces that stay. */
  deleteObjects: SnapshotObject[];
  restore: Restore[];
  /** Objects that existed then and are gone now: a rollback cannot bring them back. */
  missing: SnapshotObject[];
}

/** isEmptyPlan is true when the cluster already is as the snapshot found it (nothing to do). */
export function isEmptyPlan(plan: RollbackPlan): boolean {
  return plan.deleteNamespaces.length === 0 && plan.deleteObjects.length === 0 && plan.restore.length === 0;
}

function deploymentRestore(then: SnapshotObject, now: SnapshotObject): Restore | undefined {
  const changes: Change[] = [];
  const spec: Record<string, unknown> = {};
  const podSpec: Record<string, unknown> = {};
  if (then.replicas !== undefined && then.replicas !== now.replicas) {
    changes.push({ field: 'replicas', from: now.replicas, to: then.replicas });
    spec.replicas = then.replicas;
  }
  const containerPatches: Record<string, unknown>[] = [];
  for (const c of then.containers ?? []) {
    const current = now.containers?.find((n) => n.name === c.name);
    if (!current) continue;
    const patch: Record<string, unknown> = {};
    if (c.image !== current.image) {
      changes.push({ field: 'image', container: c.name, from: current.image, to: c.image });
      patch.image = c.image;
    }
    if (c.imagePullPolicy && c.imagePullPolicy !== current.imagePullPolicy) {
      changes.push({
        field: 'imagePullPolicy',
        container: c.name,
        from: current.imagePullPolicy,
        to: c.imagePullPolicy,
      });
      patch.imagePullPolicy = c.imagePullPolicy;
    }
    if (Object.keys(patch).length > 0) containerPatches.push({ name: c.name, ...patch });
  }
  if (containerPatches.length > 0) podSpec.containers = containerPatches;
  const volumePatches: Record<string, unknown>[] = [];
  for (const v of then.volumes ?? []) {
    const current = now.volumes?.find((n) => n.name === v.name);
    // Only a volume of the same source is repointed: merging a ConfigMap into a Secret volume would
    // make an invalid object.
    if (v.configMap && current?.configMap && v.configMap !== current.configMap) {
      changes.push({ field: 'volume', volume: v.name, from: current.configMap, to: v.configMap });
      volumePatches.push({ name: v.name, configMap: { name: v.configMap } });
    }
    if (v.secret && current?.secret && v.secret !== current.secret) {
      changes.push({ field: 'volume', volume: v.name, from: current.secret, to: v.secret });
      volumePatches.push({ name: v.name, secret: { secretName: v.secret } });
    }
  }
  if (volumePatches.length > 0) podSpec.volumes = volumePatches;
  // The account its pods run as (the security lesson gives k8s-core its own): back to the one the
  // step found, with the deprecated `serviceAccount` alias kept equal so the old name cannot linger.
  const accountThen = then.serviceAccount ?? 'default';
  const accountNow = now.serviceAccount ?? 'default';
  if (accountThen !== accountNow) {
    changes.push({ field: 'serviceAccountName', from: accountNow, to: accountThen });
    podSpec.serviceAccountName = accountThen;
    podSpec.serviceAccount = accountThen;
  }
  if (Object.keys(podSpec).length > 0) spec.template = { spec: podSpec };
  return changes.length > 0 ? { object: then, changes, patch: { spec } } : undefined;
}

function hpaRestore(then: SnapshotObject, now: SnapshotObject): Restore | undefined {
  const changes: Change[] = [];
  const spec: Record<string, unknown> = {};
  for (const field of ['minReplicas', 'maxReplicas'] as const) {
    if (then[field] !== undefined && then[field] !== now[field]) {
      changes.push({ field, from: now[field], to: then[field] });
      spec[field] = then[field];
    }
  }
  return changes.length > 0 ? { object: then, changes, patch: { spec } } : undefined;
}

/**
 * planRollback compares how the cluster was (`then`) with how it is (`now`, read from the same
 * namespaces). Only namespaces `then` looked at are considered, so nothing else can be touched.
 */
export function planRollback(then: ClusterSnapshot, now: ClusterSnapshot): RollbackPlan {
  const scope = new Set(then.namespaces);
  const inScope = (o: SnapshotObject) =>
    o.kind === 'Namespace' ? scope.has(o.name) : o.namespace !== undefined && scope.has(o.namespace);
  const thenByKey = new Map(then.objects.filter(inScope).map((o) => [objectKey(o), o]));
  const nowObjects = now.objects.filter(inScope);
  const nowByKey = new Map(nowObjects.map((o) => [objectKey(o), o]));
  const deleteNamespaces = nowObjects
    .filter((o) => o.kind === 'Namespace' && !thenByKey.has(objectKey(o)) && !systemNamespaces.has(o.name))
    .map((o) => o.name);
  const goingWithNamespace = (o: SnapshotObject) =>
    o.kind !== 'Namespace' && deleteNamespaces.includes(o.namespace ?? '');
  const plan: RollbackPlan = {
    deleteNamespaces,
    objectsInDeletedNamespaces: nowObjects.filter(goingWithNamespace).length,
    deleteObjects: nowObjects.filter(
      (o) =>
        o.kind !== 'Namespace' &&
        !goingWithNamespace(o) &&
        !thenByKey.has(objectKey(o)) &&
        resourceOfKind.has(o.kind),
    ),
    restore: [],
    missing: [...thenByKey.values()].filter((o) => !nowByKey.has(objectKey(o))),
  };
  for (const [key, was] of thenByKey) {
    const current = nowByKey.get(key);
    if (!current) continue;
    const restore =
      was.kind === 'Deployment'
        ? deploymentRestore(was, current)
        : was.kind === 'HorizontalPodAutoscaler'
          ? hpaRestore(was, current)
          : undefined;
    if (restore) plan.restore.push(restore);
  }
  return plan;
}

/** objectRef is how kubectl names an object: `deployment/k8s-core`. */
export function objectRef(o: Pick<SnapshotObject, 'kind' | 'name'>): string {
  return `${o.kind.toLowerCase()}/${o.name}`;
}

/** RollbackStep is one kubectl action of a rollback, as the learner would type it. */
export interface RollbackStep {
  args: string[];
  /** Wait for the Deployment's rollout after a patch (best effort: a failure is reported). */
  waitFor?: SnapshotObject;
}

/**
 * rollbackCommands turns a plan into kubectl calls. Deletions are foreground and waited for, so a
 * replay that creates the same names does not meet the old objects still terminating.
 */
export function rollbackCommands(plan: RollbackPlan): RollbackStep[] {
  const steps: RollbackStep[] = [];
  const byNamespace = new Map<string, SnapshotObject[]>();
  for (const o of plan.deleteObjects) {
    const list = byNamespace.get(o.namespace ?? '') ?? [];
    list.push(o);
    byNamespace.set(o.namespace ?? '', list);
  }
  for (const [namespace, objects] of byNamespace) {
    steps.push({
      args: [
        'delete',
        ...objects.map((o) => `${kubectlType(o.kind)}/${o.name}`),
        '-n',
        namespace,
        '--cascade=foreground',
        '--ignore-not-found',
        '--wait=true',
        '--timeout=120s',
      ],
    });
  }
  for (const r of plan.restore) {
    const type = r.object.kind === 'Deployment' ? 'strategic' : 'merge';
    steps.push({
      args: [
        'patch',
        `${kubectlType(r.object.kind)}/${r.object.name}`,
        '-n',
        r.object.namespace ?? '',
        '--type',
        type,
        '-p',
        JSON.stringify(r.patch),
      ],
      ...(r.object.kind === 'Deployment' ? { waitFor: r.object } : {}),
    });
  }
  for (const namespace of plan.deleteNamespaces) {
    steps.push({
      args: ['delete', 'namespace', namespace, '--ignore-not-found', '--wait=true', '--timeout=180s'],
    });
  }
  return steps;
}

/** RollbackOutcome lists the kubectl calls that failed (empty: the cluster is back). */
export interface RollbackOutcome {
  failures: { command: string; error: string }[];
}

/** applyRollback runs the plan's commands through the pinned kubectl, in order, and waits. */
export async function applyRollback(
  kubectl: Kubectl,
  plan: RollbackPlan,
  onCommand: (display: string) => void = () => {},
): Promise<RollbackOutcome> {
  const failures: RollbackOutcome['failures'] = [];
  for (const step of rollbackCommands(plan)) {
    onCommand(kubectl.display(step.args));
    const result = await kubectl.run(step.args, { timeoutMs: 200_000 });
    if (result.exitCode !== 0) {
      failures.push({ command: kubectl.display(step.args), error: kubectlError(result) });
      continue;
    }
    if (step.waitFor) {
      const wait = [
        'rollout',
        'status',
        `deployment/${step.waitFor.name}`,
        '-n',
        step.waitFor.namespace ?? '',
        '--timeout=120s',
      ];
      const waited = await kubectl.run(wait, { timeoutMs: 130_000 });
      if (waited.exitCode !== 0)
        failures.push({ command: kubectl.display(wait), error: kubectlError(waited) });
    }
  }
  return { failures };
}

/** laterClusterSteps are the steps after `step` that need the cluster, in course order. */
export function laterClusterSteps(course: Pick<Course, 'steps'>, step: Step): Step[] {
  const index = course.steps.findIndex((s) => s.key === step.key);
  return course.steps.slice(index + 1).filter(stepNeedsCluster);
}
