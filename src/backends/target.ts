// Finding the course's cluster without creating one (for `alerts`, `cleanup`, `doctor`): the
// workspace's recorded backend first, else what --cluster names. `auto` resolves as at start.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClusterTarget } from '../checks/types.js';
import { UserError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { packageRoot } from '../paths.js';
import type { Runner } from '../runner.js';
import { probeKind } from './index.js';
import { kindClusterName } from './kind.js';
import { parsePracticeStatus, practiceContext } from './practice.js';
import { parseClusterChoice } from './types.js';

/** recordedTarget reads `backend`, `context` and `kubeconfig` from the workspace state, if any. */
export function recordedTarget(workspace: string): ClusterTarget | undefined {
  const file = join(resolve(workspace), '.k8s-learn', 'state.json');
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<ClusterTarget> & {
      cluster?: Partial<ClusterTarget>;
    };
    const source = state.cluster ?? state;
    if (typeof source.context !== 'string' || source.context === '') return undefined;
    return {
      backend: typeof source.backend === 'string' ? source.backend : 'context',
      context: source.context,
      ...(typeof source.kubeconfig === 'string' ? { kubeconfig: source.kubeconfig } : {}),
      ...(typeof source.namespace === 'string' ? { namespace: source.namespace } : {}),
    };
  } catch {
    return undefined;
  }
}

/** practiceTarget asks the practice cluster for its context and kubeconfig; it must be running. */
async function practiceTarget(runner: Runner, t: Translate): Promise<ClusterTarget> {
  const bin = join(packageRoot(), 'bin', 'k8s-learn.js');
  const status = await runner.run(process.execPath, [bin, 'practice', 'status', '--json'], {
    readOnly: true,
    timeoutMs: 20_000,
  });
  const parsed = parsePracticeStatus(status.stdout);
  if (!parsed?.running) {
    throw new UserError(t('backends.practice.notRunning'), t('backends.practice.notRunning.fix'));
  }
  const kubeconfig = parsed.kubeconfigPath;
  return {
    backend: 'practice',
    context: parsed.context ?? practiceContext,
    ...(kubeconfig ? { kubeconfig } : {}),
  };
}

/** findTarget resolves the cluster a read-only command should look at. */
export async function findTarget(
  options: { workspace: string; cluster: string; clusterGiven: boolean },
  runner: Runner,
  t: Translate,
): Promise<ClusterTarget> {
  if (!options.clusterGiven) {
    const recorded = recordedTarget(options.workspace);
    if (recorded) return recorded;
  }
  const choice = parseClusterChoice(options.cluster);
  if (!choice) throw new UserError(t('backends.target.invalid', { value: options.cluster }));
  if (choice.kind === 'context') return { backend: 'context', context: choice.name };
  if (choice.kind === 'kind') return { backend: 'kind', context: `kind-${kindClusterName}` };
  if (choice.kind === 'practice') return practiceTarget(runner, t);
  const probe = await probeKind(runner);
  return probe.ok ? { backend: 'kind', context: `kind-${kindClusterName}` } : practiceTarget(runner, t);
}
