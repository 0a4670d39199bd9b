// Workshop mode, the learner's side: `--kubeconfig FILE` (the namespace comes from its context) or
// `--cluster context:NAME --namespace N`. The course runs inside that namespace: every kubectl
// call is pinned to it and the course's namespace variable is set to it; steps that change the
// whole cluster are explained, not run; a 403 is explained; progress goes to a ConfigMap the
// facilitator reads.
import { resolve } from 'node:path';
import type { CheckResult, ClusterTarget } from '../checks/types.js';
import type { GlobalOptions } from '../cli/options.js';
import type { Step } from '../course/types.js';
import type { EngineContext } from '../engine/context.js';
import { stepVars } from '../engine/context.js';
import type { EngineHooks } from '../engine/hooks.js';
import { stepCommands } from '../engine/step-commands.js';
import { render, renderFile } from '../engine/templates.js';
import { UsageError, UserError } from '../errors.js';
import { createKubectl, kubectlError } from '../kubectl.js';
import { explainDenied, explainingUI } from './forbidden.js';
import { readLearnerKubeconfig } from './kubeconfig.js';
import {
  failureCause,
  type Progress,
  parseProgress,
  progressConfigMap,
  progressManifest,
  progressOf,
} from './progress.js';
import { beyondLearner, clusterWideReason, kindsInText } from './scope.js';

export const workshopBackend = 'workshop';

/** learnerTarget is the cluster target of workshop mode, or undefined when not in one. */
export function learnerTarget(
  global: Pick<GlobalOptions, 'kubeconfig' | 'namespace' | 'cluster'>,
  recorded?: { backend?: string; context?: string; kubeconfig?: string; namespace?: string },
): ClusterTarget | undefined {
  const named = /^context:(.+)$/.exec(global.cluster)?.[1];
  if (global.kubeconfig) {
    const file = resolve(global.kubeconfig);
    const config = readLearnerKubeconfig(file);
    const namespace = global.namespace ?? config.namespace;
    if (!namespace) {
      throw new UsageError(
        `the kubeconfig ${global.kubeconfig} names no namespace in its context "${named ?? config.context}"`,
        'Add --namespace N (the namespace your facilitator gave you).',
      );
    }
    return { backend: workshopBackend, context: named ?? config.context, kubeconfig: file, namespace };
  }
  if (global.namespace) {
    if (!named) {
      throw new UsageError(
        '--namespace needs the workshop cluster: --kubeconfig FILE or --cluster context:NAME',
        'Example: npx k8s-learn --cluster context:workshop --namespace learner-07',
      );
    }
    return { backend: workshopBackend, context: named, namespace: global.namespace };
  }
  if (recorded?.backend === workshopBackend && recorded.context && recorded.namespace) {
    return {
      backend: workshopBackend,
      context: recorded.context,
      namespace: recorded.namespace,
      ...(recorded.kubeconfig ? { kubeconfig: recorded.kubeconfig } : {}),
    };
  }
  return undefined;
}

/** enterWorkshop switches a session to workshop mode when the options (or the workspace) say so. */
export function enterWorkshop(ctx: EngineContext, global: GlobalOptions): void {
  const target = learnerTarget(global, ctx.state);
  if (!target) return;
  const namespace = target.namespace!;
  ctx.cluster = target;
  ctx.clusterReady = false;
  // Recorded now (saved with the next progress write), so that later commands in this workspace
  // (`verify`, `hint`, `alerts`) stay in workshop mode without the flags.
  ctx.state.backend = target.backend;
  ctx.state.context = target.context;
  ctx.state.namespace = namespace;
  if (target.kubeconfig) ctx.state.kubeconfig = target.kubeconfig;
  else delete ctx.state.kubeconfig;
  ctx.clusterChoice = `context:${target.context}`;
  ctx.ui = explainingUI(ctx.ui, ctx.t, namespace);
  ctx.hooks = workshopHooks(ctx, target);
}

/** workshopHooks are the engine hooks of workshop mode. */
export function workshopHooks(ctx: EngineContext, target: ClusterTarget): EngineHooks {
  const kubectl = createKubectl(ctx.runner, target);
  const namespace = target.namespace!;
  let probe: Promise<ClusterTarget> | undefined;
  let previous: Progress | undefined;
  let previousRead = false;
  let warned = false;

  const check = async (): Promise<ClusterTarget> => {
    const r = await kubectl.run(['get', 'configmaps', '-o', 'name'], {
      readOnly: true,
      timeoutMs: 30_000,
    });
    if (r.exitCode === 0 || r.dryRun) return target;
    const error = kubectlError(r);
    const denied = explainDenied(error, ctx.t, namespace);
    if (/Unauthorized|logged in/.test(error)) {
      throw new UserError(
        ctx.t('workshop.learner.credentialGone', { namespace }),
        ctx.t('workshop.learner.credentialGone.fix'),
      );
    }
    throw new UserError(
      ctx.t('workshop.learner.unreachable', { context: target.context, error: denied ?? error }),
      ctx.t('workshop.learner.unreachable.fix'),
    );
  };
  const ready = () => {
    probe ??= check();
    return probe;
  };

  const share = async (step: Step, results?: CheckResult[]) => {
    if (ctx.dryRun) return;
    await ready();
    if (!previousRead) {
      previousRead = true;
      const { value } = await kubectl.json<{ data?: Record<string, string> }>([
        'get',
        'configmap',
        progressConfigMap,
      ]);
      previous = parseProgress(value?.data);
    }
    const progress = progressOf(ctx.course, ctx.state, ctx.lang, previous, new Date(), step);
    if (results && progress.step.key === step.key) {
      const failure = failureCause(results);
      if (failure) {
        progress.state = 'failing';
        progress.lastFailure = { ...failure, at: progress.updatedAt };
      } else if (progress.state === 'failing') {
        progress.state = 'working';
        delete progress.lastFailure;
      }
    }
    const r = await kubectl.run(['apply', '-f', '-'], {
      input: JSON.stringify(progressManifest(namespace, progress)),
      timeoutMs: 30_000,
    });
    if (r.exitCode === 0) previous = progress;
    else if (!warned) {
      warned = true;
      ctx.ui.warn(ctx.t('workshop.learner.progressFailed', { error: kubectlError(r) }));
    }
  };

  return {
    prepareCluster: ready,
    stepStarted: (step) => share(step),
    verified: (step, results) => share(step, results),
    hintShown: (step) => share(step),
    stepEnded: (step) => share(step),
    async explainOnly(step) {
      // A step that builds on one the facilitator did for everyone cannot be done alone either.
      const explained = (step.needs ?? []).find((key) => ctx.state.steps[key]?.status === 'skipped');
      if (explained) {
        ctx.ui.note(
          ctx.t('workshop.learner.explainOnlyNeeds', { step: explained }),
          ctx.t('workshop.learner.explainOnly.title'),
        );
        return true;
      }
      // A workshop namespace with a quota has a LimitRange that gives every container a CPU
      // request: a drill about a missing one cannot break there, as on any such real cluster.
      if (step.exercise?.cause === 'missing-cpu-request' && !ctx.dryRun) {
        const { value } = await kubectl.json<{
          items?: { spec?: { limits?: { type?: string; defaultRequest?: { cpu?: string } }[] } }[];
        }>(['get', 'limitranges']);
        const cpu = (value?.items ?? [])
          .flatMap((range) => range.spec?.limits ?? [])
          .find((limit) => limit.type === 'Container' && limit.defaultRequest?.cpu)?.defaultRequest?.cpu;
        if (cpu) {
          ctx.ui.note(
            ctx.t('workshop.learner.explainOnlyDefaults', { namespace, cpu }),
            ctx.t('workshop.learner.explainOnly.title'),
          );
          return true;
        }
      }
      const vars = stepVars(ctx, step);
      const lines = [
        ...stepCommands(ctx, step),
        // The article's version applied as written counts too (a drain of the workers).
        ...(step.exercise?.meet ?? []).map((m) => render(m.run, vars, `command of ${step.key}`)),
        ...step.solve.flatMap((a) =>
          typeof a === 'object' && 'run' in a ? [render(a.run, vars, `command of ${step.key}`)] : [],
        ),
      ];
      const reasons = lines.map((l) => clusterWideReason(l, ctx.workspace)).filter((r): r is string => !!r);
      // An exercise's file has blanks (a fill-in may not say `kind:` yet): what the step makes is
      // what its solution writes.
      for (const action of step.solve) {
        if (typeof action !== 'object' || !('write' in action)) continue;
        const written = kindsInText(renderFile(action.write, ctx.course.templateDirs, vars));
        const wide = written.find(beyondLearner);
        if (wide) reasons.push(`${action.write.to} (${wide})`);
      }
      if (reasons.length === 0) return false;
      ctx.ui.note(
        [
          ctx.t('workshop.learner.explainOnly', { namespace }),
          '',
          ...[...new Set(lines)].map((l) => `$ ${l}`),
        ].join('\n'),
        ctx.t('workshop.learner.explainOnly.title'),
      );
      return true;
    },
  };
}
