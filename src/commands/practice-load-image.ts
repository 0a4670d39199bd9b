// `k8s-learn practice load-image NAME:TAG`: the practice twin of `kind load docker-image`. No
// container runs, so the image is recorded in every node's status.images, which the simulated
// kubelet reads: pods with imagePullPolicy IfNotPresent or Never then start from it, while
// `:latest` (policy Always) still tries to pull, as on kind.
import type { CommandArgs } from '../cli/registry.js';
import { ExitCode, UsageError, UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { apiRequest, type DaemonInfo, practiceDataDir, runningDaemon } from '../practice/control.js';
import type { KubeObject } from '../practice/types.js';
import { planImageLoad } from '../practice/workloads/load-image.js';
import { pullPolicyFor } from '../practice/workloads/pull-policy.js';

/** LoadTarget is the running cluster to load into: its URL and kubeconfig (token and CA). */
export type LoadTarget = Pick<DaemonInfo, 'url' | 'kubeconfigPath'>;

/** loadImage loads `image` on every node of the cluster and prints what kind would print. */
export async function loadImage(
  target: LoadTarget,
  image: string,
  opts: { print: (line: string) => void; lang: string; dryRun?: boolean },
): Promise<number> {
  const t = createTranslator(opts.lang);
  const info = target as DaemonInfo;
  const got = await apiRequest(info, 'GET', '/api/v1/nodes');
  if (got.status !== 200)
    throw new UserError(t('practice.loadImage.notRunning', { detail: `HTTP ${got.status}` }));
  const nodes = ((got.body as { items?: KubeObject[] }).items ?? []) as KubeObject[];
  if (nodes.length === 0) throw new UserError(t('practice.loadImage.noNodes'));
  const plan = planImageLoad(nodes, image);
  if (!plan) throw new UsageError(t('practice.loadImage.invalid', { image }));
  if (pullPolicyFor(image) === 'Always') opts.print(t('practice.loadImage.latestWarning', { image }));
  if (plan.updates.length === 0) {
    opts.print(t('practice.loadImage.present', { image, id: plan.id }));
    return ExitCode.ok;
  }
  for (const u of plan.updates) {
    opts.print(t('practice.loadImage.loading', { image, id: plan.id, node: u.node }));
    if (opts.dryRun) continue;
    const path = `/api/v1/nodes/${encodeURIComponent(u.node)}/status?fieldManager=k8s-learn-load-image`;
    const res = await apiRequest(
      info,
      'PATCH',
      path,
      { status: { images: u.images } },
      'application/merge-patch+json',
    );
    if (res.status !== 200)
      throw new UserError(t('practice.loadImage.failed', { node: u.node, detail: `HTTP ${res.status}` }));
  }
  return ExitCode.ok;
}

/** run is the command entry point. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const [image, ...extra] = args.positionals;
  if (!image || extra.length > 0)
    throw new UsageError('practice load-image needs one IMAGE, e.g. k8s-core:1.0');
  const info = await runningDaemon(practiceDataDir());
  if (!info) throw new UserError(t('practice.notRunning'), 'k8s-learn practice start');
  const print = (line: string) => process.stdout.write(`${line}\n`);
  return loadImage(info, image, { print, lang: args.global.lang, dryRun: args.global.dryRun });
}
