// pods-on-node: every pod of a Deployment runs on one node (a Deployment pinned with a
// nodeSelector). Read as `kubectl get deployments,replicasets,pods -o json` every half second and
// judged on that one snapshot: the current ReplicaSet's pods, all bound to the node and Running,
// and no pod of an older ReplicaSet left elsewhere. It fails at once on what cannot change by
// itself: a pod that cannot be scheduled (by its cause: a nodeSelector no usable node matches is
// explained from the nodes' labels) or a pod already placed on another node (placed pods never move).
import type { K8sObject } from '../../alerts/types.js';
import type { Kubectl } from '../../kubectl.js';
import type { CheckContext, CheckResult, CheckType } from '../types.js';
import {
  isResult,
  kubectlFailure,
  kubectlOf,
  namespaceSchema,
  nsArgs,
  objectRef,
  pollUntil,
  seconds,
  timeoutSchema,
} from './common.js';
import {
  currentPods,
  deploymentStuck,
  type Stuck,
  snapshotOfList,
  snapshotWatch,
  stuckResult,
} from './stuck.js';
import { missing } from './wait.js';

/** PodsOnNodeSpec names a Deployment and the node all its pods must run on. */
export interface PodsOnNodeSpec {
  name: string;
  namespace?: string;
  node: string;
  timeout?: number;
}

/** Placement is the judgement of one snapshot. */
export type Placement =
  | { state: 'done'; pods: K8sObject[] }
  | { state: 'missing' }
  | { state: 'waiting'; pods: K8sObject[] }
  | { state: 'stuck'; stuck: Stuck }
  | { state: 'wrong-node'; pod: K8sObject; node: string; selector: Record<string, string> };

const nodeOf = (p: K8sObject): string | undefined => p.spec?.nodeName;
const terminating = (p: K8sObject) => !!(p.metadata as { deletionTimestamp?: string }).deletionTimestamp;
const ownedBy = (o: K8sObject, kind: string, names: Set<string>) =>
  (o.metadata.ownerReferences ?? []).some((r) => r.kind === kind && names.has(r.name));

/** judgePlacement decides, from one list of deployments, replicasets and pods, where things stand. */
export function judgePlacement(items: K8sObject[], name: string, node: string, now = new Date()): Placement {
  const { live } = snapshotWatch(snapshotOfList(items));
  const dep = live.deployments.get(name);
  if (!dep) return { state: 'missing' };
  const current = currentPods(live, dep);
  if (!current) return { state: 'waiting', pods: [] };
  const stuck = deploymentStuck(live, name, now);
  if (stuck) return { state: 'stuck', stuck };
  const astray = current.find((p) => nodeOf(p) !== undefined && nodeOf(p) !== node);
  if (astray) {
    return {
      state: 'wrong-node',
      pod: astray,
      node: nodeOf(astray)!,
      selector: dep.spec?.template?.spec?.nodeSelector ?? {},
    };
  }
  const sets = new Set(
    [...live.replicasets.values()]
      .filter((rs) => ownedBy(rs, 'Deployment', new Set([name])))
      .map((rs) => rs.metadata.name),
  );
  // Pods of an older ReplicaSet still running elsewhere: the rollout has not finished replacing them.
  const leftovers = [...live.pods.values()].filter(
    (p) => ownedBy(p, 'ReplicaSet', sets) && !terminating(p) && !current.includes(p) && nodeOf(p) !== node,
  );
  const wanted = dep.spec?.replicas ?? 1;
  const placed = current.filter((p) => nodeOf(p) === node && p.status?.phase === 'Running');
  if (wanted > 0 && placed.length >= wanted && placed.length === current.length && leftovers.length === 0)
    return { state: 'done', pods: placed };
  return { state: 'waiting', pods: [...current, ...leftovers] };
}

const where = (pods: K8sObject[]) =>
  pods
    .map((p) => `pod/${p.metadata.name} ${nodeOf(p) ?? '(not scheduled)'} ${p.status?.phase ?? ''}`.trim())
    .join('; ');

async function readPlacement(kubectl: Kubectl, spec: PodsOnNodeSpec) {
  const { value, result } = await kubectl.json<{ items?: K8sObject[] }>(
    ['get', 'deployments,replicasets,pods', ...nsArgs(spec.namespace)],
    { timeoutMs: 30_000 },
  );
  return value ? { placement: judgePlacement(value.items ?? [], spec.name, spec.node), result } : { result };
}

function wrongNode(
  ctx: CheckContext,
  kubectl: Kubectl,
  spec: PodsOnNodeSpec,
  what: { title: string; expected: string },
  found: Extract<Placement, { state: 'wrong-node' }>,
): CheckResult {
  const selector = Object.entries(found.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const vars = {
    pod: `pod/${found.pod.metadata.name}`,
    other: found.node,
    node: spec.node,
    selector,
    nodes: kubectl.display([
      'get',
      'nodes',
      ...(selector ? ['-L', Object.keys(found.selector).join(',')] : []),
    ]),
    restart: kubectl.display([
      'rollout',
      'restart',
      objectRef('deployment', spec.name),
      ...nsArgs(spec.namespace),
    ]),
  };
  return {
    ok: false,
    ...what,
    saw: ctx.t('checks.podsOnNode.sawOne', { ...vars, phase: found.pod.status?.phase ?? '' }),
    causeId: 'wrong-node',
    stuck: true,
    cause: selector
      ? ctx.t('checks.podsOnNode.wrongNode.cause', vars)
      : ctx.t('checks.podsOnNode.wrongNode.causeNoSelector', vars),
    hint: ctx.t('checks.podsOnNode.wrongNode.hint', vars),
  };
}

/** podsOnNode passes when every pod of the Deployment is Running on `node`. */
export const podsOnNode: CheckType<PodsOnNodeSpec> = {
  name: 'pods-on-node',
  schema: {
    type: 'object',
    required: ['name', 'node'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, description: 'the Deployment' },
      namespace: namespaceSchema,
      node: { type: 'string', minLength: 1, description: 'the node every pod must run on' },
      timeout: timeoutSchema,
    },
  },
  async run(spec, ctx) {
    const object = objectRef('deployment', spec.name);
    const title = ctx.t('checks.podsOnNode.title', { object, node: spec.node });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.podsOnNode.expected', { object, node: spec.node });
    const polled = await pollUntil(seconds(spec), async () => {
      const read = await readPlacement(kubectl, spec);
      const state = read.placement?.state;
      return { done: state !== 'waiting', value: read };
    });
    const { placement, result } = polled.value;
    if (!placement) return kubectlFailure(ctx, title, expected, result);
    switch (placement.state) {
      case 'done':
        return { ok: true, title };
      case 'missing':
        return missing(ctx, title, expected, object);
      case 'stuck':
        return stuckResult(ctx, kubectl, { title, expected }, placement.stuck);
      case 'wrong-node':
        return wrongNode(ctx, kubectl, spec, { title, expected }, placement);
      default:
        return {
          ok: false,
          title,
          expected,
          saw:
            placement.pods.length > 0
              ? where(placement.pods)
              : ctx.t('checks.podsOnNode.sawNone', { object }),
          causeId: 'timeout',
          cause: ctx.t('checks.podsOnNode.timeout', { object, node: spec.node, seconds: seconds(spec) }),
          hint: ctx.t('checks.podsOnNode.hint', {
            command: kubectl.display(['get', 'pods', ...nsArgs(spec.namespace), '-o', 'wide']),
          }),
        };
    }
  },
};
