// The engine reaches its cluster lazily: the first step that needs one (a kubectl command that
// talks to a cluster, or a cluster check) selects, creates or reuses it through src/backends,
// and the choice is recorded in the progress file so later commands pin to the same context.

import { kubeCheckNames } from '../checks/kube/names.js';
import type { ClusterTarget } from '../checks/types.js';
import type { Step } from '../course/types.js';
import { talksToCluster } from '../kubectl.js';
import { commandText } from './applies.js';
import { type EngineContext, persist } from './context.js';

const clusterCheckNames = new Set<string>(kubeCheckNames);

/** stepNeedsCluster is true when a step's commands, solve actions or checks reach a cluster. */
export function stepNeedsCluster(step: Step): boolean {
  const lines = [
    ...(step.run ?? []).map(commandText),
    ...step.solve.flatMap((a) => (typeof a === 'object' && 'run' in a ? [a.run] : [])),
    ...step.verify.flatMap((c) => (c.type === 'command' && typeof c.run === 'string' ? [c.run] : [])),
    // The article's version is met on the cluster, too (and a look-only stage may be run for the learner).
    ...(step.exercise?.meet ?? []).map((m) => m.run),
  ];
  // A command or check meant for some backends only needs to know the backend, hence the cluster.
  const perBackend = [...(step.run ?? []), ...step.verify].some(
    (s) => typeof s === 'object' && 'backends' in s,
  );
  return perBackend || lines.some(talksToCluster) || step.verify.some((c) => clusterCheckNames.has(c.type));
}

/** ensureCluster prepares the course's cluster once per session and records it. */
export async function ensureCluster(ctx: EngineContext): Promise<ClusterTarget> {
  if (ctx.cluster && ctx.clusterReady) return ctx.cluster;
  if (ctx.dryRun) {
    // Creating a cluster is itself a side effect: say so, and pin commands to the context it would use.
    ctx.ui.info(ctx.t('cluster.dryRun', { cluster: ctx.clusterChoice }));
    ctx.cluster ??= { backend: ctx.clusterChoice, context: ctx.state.context ?? 'k8s-learn' };
    ctx.clusterReady = true;
    return ctx.cluster;
  }
  const { prepareCluster } = await import('../backends/index.js');
  // A recorded backend wins over the default `auto`, so a course started on kind stays on kind.
  const recorded = ctx.state.backend && ctx.state.context;
  const choice = ctx.clusterChoice === 'auto' && recorded ? recordedChoice(ctx) : ctx.clusterChoice;
  const { target } = ctx.hooks?.prepareCluster
    ? { target: await ctx.hooks.prepareCluster() }
    : await prepareCluster(choice, {
        runner: ctx.runner,
        ui: ctx.ui,
        t: ctx.t,
        workspace: ctx.workspace,
        yes: ctx.yes,
      });
  ctx.cluster = target;
  ctx.clusterReady = true;
  ctx.state.backend = target.backend;
  ctx.state.context = target.context;
  if (target.kubeconfig) ctx.state.kubeconfig = target.kubeconfig;
  else delete ctx.state.kubeconfig;
  if (target.namespace) ctx.state.namespace = target.namespace;
  else delete ctx.state.namespace;
  persist(ctx);
  return target;
}

function recordedChoice(ctx: EngineContext): string {
  const { backend, context } = ctx.state;
  return backend === 'context' ? `context:${context}` : (backend ?? 'auto');
}
