// Fail fast: while a check waits (`rollout status`, `kubectl wait`, a poll), watch the objects it
// is about and stop as soon as the cluster is in a state that cannot converge without a change by
// the learner — a pod of the current ReplicaSet in ImagePullBackOff, a crash loop, a replica count
// nothing will change, a selector that matches nothing. The diagnosis is the pure one of
// `k8s-learn alerts` (src/alerts), run on the watched objects.
import { diagnosePod } from '../../alerts/pods.js';
import { explain } from '../../alerts/render.js';
import type { Alert, AlertReason, ClusterSnapshot, K8sObject } from '../../alerts/types.js';
import { diagnoseDeployment, diagnoseHpa, matchesSelector } from '../../alerts/workloads.js';
import type { Kubectl } from '../../kubectl.js';
import type { CheckContext, CheckResult } from '../types.js';
import { nodeSelectorFinding } from './node-selector.js';
import { emptyLive, type LiveObjects, type ObjectWatch, type WatchKind, watchObjects } from './watch.js';

/**
 * CauseId is the stable, language-free name of why a check failed (docs/course-format.md lists
 * them; lessons key `hintsByCause` by them).
 */
export type CauseId =
  | 'image-pull'
  | 'image-never-pull'
  | 'invalid-image'
  | 'crash-loop'
  | 'oom-killed'
  | 'config-error'
  | 'unschedulable'
  | 'node-label-missing'
  | 'node-label-mismatch'
  | 'node-label-tainted'
  | 'wrong-node'
  | 'progress-deadline'
  | 'replicas-mismatch'
  | 'selector-mismatch'
  | 'not-found'
  | 'not-ready'
  | 'no-endpoints'
  | 'wrong-value'
  | 'no-answer'
  | 'too-few-pods'
  | 'metrics'
  | 'missing-cpu-request'
  | 'field-in-file'
  | 'last-applied'
  | 'timeout'
  | 'unreachable'
  | 'kubectl-missing'
  | 'kubectl-error';

/** stuckCauses maps the alerts that cannot clear by themselves to their cause id. */
const stuckCauses: Partial<Record<AlertReason, CauseId>> = {
  ErrImagePull: 'image-pull',
  ImagePullBackOff: 'image-pull',
  ErrImageNeverPull: 'image-never-pull',
  InvalidImageName: 'invalid-image',
  CrashLoopBackOff: 'crash-loop',
  OOMKilled: 'oom-killed',
  CreateContainerConfigError: 'config-error',
  Unschedulable: 'unschedulable',
  ProgressDeadlineExceeded: 'progress-deadline',
};

/** causeOfAlert names an alert's cause (stuck or not) for a failure built from it. */
export function causeOfAlert(reason: AlertReason): CauseId {
  const others: Partial<Record<AlertReason, CauseId>> = {
    ReadinessFailing: 'not-ready',
    NoReadyEndpoints: 'no-endpoints',
    MissingCpuRequest: 'missing-cpu-request',
    MetricsUnavailable: 'metrics',
  };
  return stuckCauses[reason] ?? others[reason] ?? 'not-ready';
}

/** Stuck is a state found by the watch: its cause and what the learner should be told. */
export interface Stuck {
  causeId: CauseId;
  /** The alert behind it (pod and deployment states); explained with the alerts' texts. */
  alert?: Alert;
  /** The pod the alert is about (its spec refines an unschedulable pod's cause). */
  pod?: K8sObject;
  /** For states that are not alerts: the translation key and values of saw / cause / hint. */
  key?: string;
  vars?: Record<string, string | number>;
}

/** snapshotOfList sorts the items of one `kubectl get a,b,c -o json` into a snapshot. */
export function snapshotOfList(items: K8sObject[]): ClusterSnapshot {
  const ofKind = (kind: string) => items.filter((i) => i.kind === kind);
  return {
    pods: ofKind('Pod'),
    replicaSets: ofKind('ReplicaSet'),
    deployments: ofKind('Deployment'),
    services: ofKind('Service'),
    endpointSlices: ofKind('EndpointSlice'),
    hpas: ofKind('HorizontalPodAutoscaler'),
    events: [],
    logs: {},
  };
}

/** snapshotWatch presents a whole snapshot (one list of everything) as a complete watch. */
export function snapshotWatch(snapshot: ClusterSnapshot): ObjectWatch {
  const live = emptyLive();
  const put = (into: Map<string, K8sObject>, list: K8sObject[] | undefined) => {
    for (const o of list ?? []) into.set(o.metadata.name, o);
  };
  put(live.pods, snapshot.pods);
  put(live.replicasets, snapshot.replicaSets);
  put(live.deployments, snapshot.deployments);
  put(live.services, snapshot.services);
  put(live.endpointslices, snapshot.endpointSlices);
  put(live.horizontalpodautoscalers, snapshot.hpas);
  return {
    live,
    listed: new Set(Object.keys(live) as WatchKind[]),
    ended: Promise.resolve([]),
    stop: () => {},
  };
}

/** snapshotOf turns live objects into the snapshot the alerts diagnosis reads (no events, no logs). */
export function snapshotOf(live: LiveObjects): ClusterSnapshot {
  return {
    pods: [...live.pods.values()],
    deployments: [...live.deployments.values()],
    services: [...live.services.values()],
    endpointSlices: [...live.endpointslices.values()],
    hpas: [...live.horizontalpodautoscalers.values()],
    events: [],
    logs: {},
  };
}

const ownedBy = (o: K8sObject, kind: string, name: string) =>
  (o.metadata.ownerReferences ?? []).some((r) => r.kind === kind && r.name === name);

const revisionOf = (o: K8sObject) =>
  Number(
    (o.metadata as { annotations?: Record<string, string> }).annotations?.[
      'deployment.kubernetes.io/revision'
    ] ?? 0,
  );

/**
 * currentPods are the live pods of a Deployment's newest ReplicaSet, or undefined while the
 * controller has not caught up with the Deployment's latest change (old pods may still crash
 * while the new ones are fine: only the new ones decide).
 */
export function currentPods(live: LiveObjects, dep: K8sObject): K8sObject[] | undefined {
  if ((dep.status?.observedGeneration ?? 0) < (dep.metadata.generation ?? 1)) return undefined;
  const sets = [...live.replicasets.values()].filter((rs) => ownedBy(rs, 'Deployment', dep.metadata.name));
  if (sets.length === 0) return undefined;
  const wanted = revisionOf(dep);
  const newest =
    sets.find((rs) => wanted > 0 && revisionOf(rs) === wanted) ??
    sets.reduce((a, b) => (revisionOf(b) > revisionOf(a) ? b : a));
  return [...live.pods.values()].filter(
    (p) =>
      ownedBy(p, 'ReplicaSet', newest.metadata.name) &&
      !(p.metadata as { deletionTimestamp?: string }).deletionTimestamp,
  );
}

/** podStuck returns the first alert of these pods that cannot clear by itself. */
export function podStuck(pods: K8sObject[], live: LiveObjects, now = new Date()): Stuck | undefined {
  const snapshot = snapshotOf(live);
  for (const pod of pods) {
    for (const alert of diagnosePod(pod, snapshot, now)) {
      const causeId = stuckCauses[alert.reason];
      if (causeId) return { causeId, alert, pod };
    }
  }
  return undefined;
}

/** deploymentStuck: a rollout past its deadline, or a pod of the current ReplicaSet that is stuck. */
export function deploymentStuck(live: LiveObjects, name: string, now = new Date()): Stuck | undefined {
  const dep = live.deployments.get(name);
  if (!dep) return undefined;
  const pods = currentPods(live, dep);
  const fromPods = pods ? podStuck(pods, live, now) : undefined;
  if (fromPods) return fromPods;
  const deadline = diagnoseDeployment(dep)[0];
  return deadline ? { causeId: 'progress-deadline', alert: deadline } : undefined;
}

/** hpaOwns is true when an HPA scales this Deployment (then spec.replicas may still change). */
export function hpaOwns(hpas: K8sObject[], deployment: string): boolean {
  return hpas.some(
    (h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === deployment,
  );
}

/**
 * hpaStuck: the HPA reported `missing request for cpu` and the Deployment it scales still has a
 * container without a CPU request, so no sync will ever compute utilization. A condition left from
 * before the learner's fix (the HPA syncs every 15 s) is not stuck: the template has its request.
 */
export function hpaStuck(live: LiveObjects, name: string): Stuck | undefined {
  const hpa = live.horizontalpodautoscalers.get(name);
  if (!hpa) return undefined;
  const alert = diagnoseHpa(hpa, snapshotOf(live)).find((a) => a.reason === 'MissingCpuRequest');
  const ref = hpa.spec?.scaleTargetRef;
  const dep = ref?.kind === 'Deployment' ? live.deployments.get(ref.name) : undefined;
  if (!alert || !dep) return undefined;
  const containers: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[] =
    dep.spec?.template?.spec?.containers ?? [];
  // A CPU limit alone also does: the API server gives each pod the limit as its request.
  return containers.some(
    (c) => c.resources?.requests?.cpu === undefined && c.resources?.limits?.cpu === undefined,
  )
    ? { causeId: 'missing-cpu-request', alert }
    : undefined;
}

/** hpaWatch watches an HPA and the Deployments it may scale for `hpaStuck`. */
export function hpaWatch(namespace: string, name: string): StuckWatch {
  return {
    namespace,
    kinds: ['horizontalpodautoscalers', 'deployments'],
    judge: (w) => hpaStuck(w.live, name),
  };
}

/**
 * replicasStuck: the Deployment asks for a replica count other than the one wanted, and no HPA
 * will change it. `hpas` is read lazily, only when the counts differ.
 */
export async function replicasStuck(
  live: LiveObjects,
  name: string,
  wanted: number,
  compare: 'equal' | 'at-least',
  hpas: () => Promise<K8sObject[] | undefined>,
  command: string,
): Promise<Stuck | undefined> {
  const dep = live.deployments.get(name);
  if (!dep) return undefined;
  const desired = dep.spec?.replicas ?? 1;
  if (compare === 'equal' ? desired === wanted : desired >= wanted) return undefined;
  const list = await hpas();
  if (!list || hpaOwns(list, name)) return undefined;
  return {
    causeId: 'replicas-mismatch',
    key: 'checks.stuck.replicas',
    vars: { object: `deployment/${name}`, desired, wanted, command },
  };
}

const labelText = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {})
    .filter(([k]) => k !== 'pod-template-hash')
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * selectorStuck: a Service whose selector matches no pod and no Deployment's pod template. Needs
 * pods and deployments listed completely (an empty list is not yet an answer otherwise).
 */
export function selectorStuck(watch: ObjectWatch, service: string): Stuck | undefined {
  const svc = watch.live.services.get(service);
  const selector: Record<string, string> | undefined = svc?.spec?.selector;
  if (!svc || !selector || Object.keys(selector).length === 0) return undefined;
  if (!watch.listed.has('pods') || !watch.listed.has('deployments')) return undefined;
  const pods = [...watch.live.pods.values()];
  const templates = [...watch.live.deployments.values()].map((d) => d.spec?.template?.metadata?.labels);
  if (pods.some((p) => matchesSelector(p.metadata.labels, selector))) return undefined;
  if (templates.some((labels) => matchesSelector(labels, selector))) return undefined;
  const seen = [...new Set([...pods.map((p) => labelText(p.metadata.labels)), ...templates.map(labelText)])]
    .filter(Boolean)
    .slice(0, 4);
  return {
    causeId: 'selector-mismatch',
    key: seen.length > 0 ? 'checks.stuck.selector' : 'checks.stuck.selectorNoPods',
    vars: {
      service: `service/${service}`,
      selector: labelText(selector),
      labels: seen.join('; '),
      namespace: svc.metadata.namespace ?? 'default',
    },
  };
}

/** servicePodsStuck: the Deployments whose pods the Service selects are all stuck. */
export function servicePodsStuck(live: LiveObjects, service: string, now = new Date()): Stuck | undefined {
  const selector: Record<string, string> | undefined = live.services.get(service)?.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const deployments = [...live.deployments.values()].filter((d) =>
    matchesSelector(d.spec?.template?.metadata?.labels, selector),
  );
  const findings = deployments.map((d) => deploymentStuck(live, d.metadata.name, now));
  if (deployments.length === 0 || findings.some((f) => !f)) return undefined;
  return findings[0];
}

/**
 * endpointsStuck: a Service that will not get `min` ready endpoints — its selector matches
 * nothing, the one Deployment it selects asks for fewer replicas, or every Deployment it selects
 * is stuck.
 */
export async function endpointsStuck(
  watch: ObjectWatch,
  service: string,
  min: number,
  hpas: () => Promise<K8sObject[] | undefined>,
  scale: (deployment: string) => string,
  endpoints = 0,
): Promise<Stuck | undefined> {
  // Endpoints in the Service's slices mean its selector does match something.
  const selectorFinding = endpoints === 0 ? selectorStuck(watch, service) : undefined;
  if (selectorFinding) return selectorFinding;
  const selector: Record<string, string> | undefined = watch.live.services.get(service)?.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const selected = [...watch.live.deployments.values()].filter((d) =>
    matchesSelector(d.spec?.template?.metadata?.labels, selector),
  );
  if (selected.length === 1) {
    const name = selected[0]!.metadata.name;
    const replicas = await replicasStuck(watch.live, name, min, 'at-least', hpas, scale(name));
    if (replicas) return replicas;
  }
  return servicePodsStuck(watch.live, service);
}

/**
 * namespaceStuck: an alert of the namespace that cannot clear by itself — a stuck Deployment
 * (current pods or deadline), a Service selecting nothing, a stuck pod that no controller owns.
 */
export function namespaceStuck(watch: ObjectWatch, now = new Date()): Stuck | undefined {
  for (const name of watch.live.deployments.keys()) {
    const found = deploymentStuck(watch.live, name, now);
    if (found) return found;
  }
  for (const name of watch.live.services.keys()) {
    const found = selectorStuck(watch, name);
    if (found) return found;
  }
  const bare = [...watch.live.pods.values()].filter((p) => (p.metadata.ownerReferences ?? []).length === 0);
  return podStuck(bare, watch.live, now);
}

/** StuckWatch tells `raceStuck` what to watch and how to judge it. */
export interface StuckWatch {
  namespace: string;
  kinds: WatchKind[];
  /** Kinds whose absence a judgement relies on (listed once more to know the list is complete). */
  confirm?: WatchKind[];
  judge(watch: ObjectWatch): Stuck | undefined | Promise<Stuck | undefined>;
  /** Called when the watch starts: reads a judge will need, started alongside (HPAs). */
  onStart?: () => void;
}

/**
 * watchDelayMs: a wait that ends sooner (a settled state) never starts a watch. A wait that says
 * itself when it is not done yet (a poll, `rollout status`) starts the watch at that moment, and
 * after reportedDelayMs only if it never said so.
 */
export const watchDelayMs = 800;
export const reportedDelayMs = 2000;

/**
 * raceStuck runs `wait` and, once it is known not to end at once, watches the objects alongside;
 * when the judge finds a stuck state the wait is stopped. `wait` may call `notYet()` when it sees
 * the state is not reached yet (then pass `reportsNotYet`). Without a streaming runner (test
 * fakes) it is just `wait`.
 */
export async function raceStuck<T>(
  ctx: CheckContext,
  kubectl: Kubectl,
  watch: StuckWatch | undefined,
  wait: (signal?: AbortSignal, notYet?: () => void) => Promise<T>,
  options: { reportsNotYet?: boolean } = {},
): Promise<{ value: T; stuck?: undefined } | { stuck: Stuck }> {
  if (!watch || !ctx.runner.streams || ctx.runner.dryRun) return { value: await wait() };
  const stopWait = new AbortController();
  let objects: ObjectWatch | undefined;
  let found: Stuck | undefined;
  let onStuck: () => void = () => {};
  const stuckSeen = new Promise<void>((resolve) => (onStuck = resolve));
  let judging = false;
  let again = false;
  const judge = async (w: ObjectWatch) => {
    // One judgement at a time; a change during one asks for one more.
    if (judging) {
      again = true;
      return;
    }
    judging = true;
    try {
      do {
        again = false;
        const verdict = await watch.judge(w);
        if (verdict && !found) {
          found = verdict;
          onStuck();
        }
      } while (again && !found);
    } finally {
      judging = false;
    }
  };
  let settled = false;
  const startWatch = () => {
    if (objects || settled) return;
    watch.onStart?.();
    objects = watchObjects(kubectl, watch.namespace, watch.kinds, (w) => void judge(w), watch.confirm);
  };
  const timer = setTimeout(startWatch, options.reportsNotYet ? reportedDelayMs : watchDelayMs);
  const waiting = wait(stopWait.signal, startWatch);
  let winner: { value: T } | 'stuck';
  try {
    winner = await Promise.race([
      waiting.then((value) => ({ value })),
      stuckSeen.then(() => 'stuck' as const),
    ]);
  } finally {
    settled = true;
    clearTimeout(timer);
    objects?.stop();
  }
  if (winner === 'stuck' && found) {
    // The wait is told to stop; its kubectl is killed, and a poll's last read is not awaited.
    stopWait.abort();
    waiting.catch(() => {});
    await objects?.ended;
    return { stuck: found };
  }
  await objects?.ended;
  return winner === 'stuck' ? { value: await waiting } : winner;
}

/** sawOfAlert is the one line of what the cluster shows for a stuck alert. */
function sawOfAlert(alert: Alert): string {
  const who = `${alert.object}${alert.container ? ` [${alert.container}]` : ''}`;
  return `${who}: ${alert.reason}${alert.message ? ` — ${alert.message}` : ''}`;
}

/**
 * stuckResult is the failure for a stuck state: what was expected, what the cluster shows, the
 * cause and the fix (the alerts' texts for pod and rollout states). A crash's last log lines are
 * read once, since they usually say why.
 */
export async function stuckResult(
  ctx: CheckContext,
  kubectl: Kubectl,
  what: { title: string; expected: string },
  stuck: Stuck,
): Promise<CheckResult> {
  const base = { ok: false, ...what, causeId: stuck.causeId, stuck: true } as const;
  if (stuck.alert) {
    const alert = stuck.alert;
    const crashed = stuck.causeId === 'crash-loop' || stuck.causeId === 'oom-killed';
    if (crashed && alert.container && !alert.details.logTail) {
      const logs = await kubectl.run(
        [
          'logs',
          '-n',
          alert.namespace,
          alert.object.replace(/^Pod\//, ''),
          '-c',
          alert.container,
          '--previous',
          '--tail=3',
        ],
        { readOnly: true, timeoutMs: 15_000 },
      );
      if (logs.exitCode === 0 && logs.stdout.trim()) alert.details.logTail = logs.stdout.trimEnd();
    }
    const selector =
      stuck.causeId === 'unschedulable' ? await selectorResult(ctx, kubectl, stuck) : undefined;
    if (selector) return { ...base, saw: sawOfAlert(alert), ...selector };
    const { means, fix } = explain(alert, ctx.t);
    const tail = typeof alert.details.logTail === 'string' ? alert.details.logTail : '';
    return {
      ...base,
      saw: tail ? `${sawOfAlert(alert)}\n${tail}` : sawOfAlert(alert),
      cause: means,
      hint: fix,
    };
  }
  const key = stuck.key ?? 'checks.stuck.replicas';
  return {
    ...base,
    saw: ctx.t(`${key}.saw`, stuck.vars),
    cause: ctx.t(`${key}.cause`, stuck.vars),
    hint: ctx.t(`${key}.hint`, stuck.vars),
  };
}

/**
 * selectorResult: an unschedulable pod with a nodeSelector is explained by what the nodes carry
 * (one read of the nodes): no node has the label, a node has another value, or only a node the
 * pod may not use has it. Undefined when the selector is not the reason or the nodes cannot be
 * read (a workshop credential may not list nodes): the scheduler's own message then says it.
 */
async function selectorResult(
  ctx: CheckContext,
  kubectl: Kubectl,
  stuck: Stuck,
): Promise<Pick<CheckResult, 'causeId' | 'cause' | 'hint'> | undefined> {
  if (!stuck.pod || Object.keys(stuck.pod.spec?.nodeSelector ?? {}).length === 0) return undefined;
  const { value } = await kubectl.json<{ items?: K8sObject[] }>(['get', 'nodes'], { timeoutMs: 15_000 });
  const finding = value?.items ? nodeSelectorFinding(stuck.pod, value.items) : undefined;
  if (!finding) return undefined;
  const key = {
    'node-label-missing': 'missing',
    'node-label-mismatch': 'mismatch',
    'node-label-tainted': 'tainted',
  }[finding.causeId];
  const vars = {
    ...finding,
    command: kubectl.display(['get', 'nodes', '-L', finding.keys]),
  };
  return {
    causeId: finding.causeId,
    cause: ctx.t(`checks.stuck.nodeSelector.${key}.cause`, vars),
    hint: ctx.t(`checks.stuck.nodeSelector.${key}.hint`, vars),
  };
}

/** hpaReader reads the namespace's HPAs once, on first use. */
export function hpaReader(kubectl: Kubectl, namespace: string): () => Promise<K8sObject[] | undefined> {
  let read: Promise<K8sObject[] | undefined> | undefined;
  return () => {
    read ??= kubectl
      .json<{ items?: K8sObject[] }>(['get', 'horizontalpodautoscalers', '-n', namespace], {
        timeoutMs: 30_000,
      })
      .then(({ value }) => (value ? (value.items ?? []) : undefined));
    return read;
  };
}

/**
 * deploymentWatch watches a Deployment with its ReplicaSets and pods; `extra` judges first, and
 * `pods: false` leaves the pods' states out (a wait on `status.replicas` counts failing pods too).
 */
export function deploymentWatch(
  namespace: string,
  name: string,
  extra?: (watch: ObjectWatch) => Promise<Stuck | undefined>,
  pods = true,
  onStart?: () => void,
): StuckWatch {
  return {
    namespace,
    kinds: pods ? ['deployments', 'replicasets', 'pods'] : ['deployments'],
    judge: async (w) => (await extra?.(w)) ?? (pods ? deploymentStuck(w.live, name) : undefined),
    ...(onStart ? { onStart } : {}),
  };
}
