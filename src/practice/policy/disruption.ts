// PodDisruptionBudgets and the Eviction API (`kubectl drain`): the disruption controller keeps
// each PDB's status (expected, current and desired healthy pods, disruptionsAllowed), and
// POST pods/<name>/eviction deletes a pod only when every PDB selecting it allows a disruption,
// else 429 with upstream's text, which drain retries.
import { ApiError } from '../api-error.js';
import type { Controller, SubresourceHandler } from '../extensions.js';
import { labelsMatch, selectorObjectToRequirements } from '../selectors.js';
import { decodeObject } from '../server/body.js';
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';

const PDBS = 'poddisruptionbudgets.policy';
type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function isReady(pod: KubeObject): boolean {
  const conditions = (o(pod.status).conditions as Obj[] | undefined) ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? ''));
  if (!m) return 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** pdbStatus computes a PDB's status from the pods its selector matches. */
export function pdbStatus(store: ObjectStore, pdb: KubeObject): Obj {
  const spec = o(pdb.spec);
  const reqs = selectorObjectToRequirements(spec.selector);
  const pods = store
    .list('pods', {
      namespace: pdb.metadata.namespace,
      predicate: (p) => labelsMatch(p.metadata.labels, reqs),
    })
    .items.filter(
      (p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(String(o(p.status).phase)),
    );
  const expected = pods.length;
  const healthy = pods.filter(isReady).length;
  const desired =
    spec.maxUnavailable !== undefined
      ? Math.max(0, expected - scaled(spec.maxUnavailable, expected, true))
      : scaled(spec.minAvailable ?? 1, expected, true);
  const allowed = Math.max(0, healthy - desired);
  const now = `${new Date().toISOString().slice(0, 19)}Z`;
  const prev = ((o(pdb.status).conditions as Obj[] | undefined) ?? [])[0];
  const reason = allowed > 0 ? 'SufficientPods' : 'InsufficientPods';
  return {
    observedGeneration: pdb.metadata.generation ?? 1,
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    conditions: [
      {
        type: 'DisruptionAllowed',
        status: allowed > 0 ? 'True' : 'False',
        reason,
        message: '',
        observedGeneration: pdb.metadata.generation ?? 1,
        lastTransitionTime: prev?.reason === reason ? prev.lastTransitionTime : now,
      },
    ],
  };
}

/** disruptionController keeps every PDB's status current as pods come and go. */
export function disruptionController(): Controller {
  let unsubscribe: (() => void) | undefined;
  let queued = false;
  return {
    name: 'disruption',
    start(ctx) {
      const sync = () => {
        queued = false;
        for (const pdb of ctx.store.list(PDBS).items) {
          const status = pdbStatus(ctx.store, pdb);
          if (JSON.stringify(pdb.status ?? {}) === JSON.stringify(status)) continue;
          ctx.store.update(PDBS, {
            ...structuredClone(pdb),
            status,
            metadata: { ...structuredClone(pdb.metadata), resourceVersion: '' },
          });
        }
      };
      sync();
      unsubscribe = ctx.store.subscribe((e) => {
        if ((e.resource !== 'pods' && e.resource !== PDBS) || queued) return;
        if (e.resource === PDBS && e.type === 'MODIFIED') {
          const before = o(e.object.status).observedGeneration;
          if (before === e.object.metadata.generation) return;
        }
        queued = true;
        setImmediate(sync);
      });
    },
    stop() {
      unsubscribe?.();
    },
  };
}

/** evictionHandler serves POST pods/<name>/eviction. */
export function evictionHandler(
  deletePod: (store: ObjectStore, pod: KubeObject) => void,
): SubresourceHandler {
  return async (req) => {
    if (req.method !== 'POST')
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    decodeObject(req.body, req.headers['content-type']);
    const pod = req.store.mustGet('pods', req.namespace, req.name);
    const blocking = req.store
      .list(PDBS, { namespace: req.namespace })
      .items.filter((pdb) =>
        labelsMatch(pod.metadata.labels, selectorObjectToRequirements(o(pdb.spec).selector)),
      );
    const phase = String(o(pod.status).phase ?? '');
    // Pods that are done, or not yet ready, do not count against a budget.
    if (blocking.length && !['Succeeded', 'Failed', 'Pending'].includes(phase) && isReady(pod)) {
      if (blocking.length > 1)
        throw new ApiError(
          500,
          'InternalError',
          'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
        );
      const pdb = blocking[0]!;
      const status = pdbStatus(req.store, pdb);
      if (Number(status.disruptionsAllowed) <= 0) {
        throw new ApiError(
          429,
          'TooManyRequests',
          "Cannot evict pod as it would violate the pod's disruption budget.",
          {
            causes: [
              {
                reason: 'DisruptionBudget',
                message: `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
              },
            ],
          },
        );
      }
    }
    deletePod(req.store, pod);
    return {
      status: 201,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
    };
  };
}
