// `k8s-learn practice load-image NAME:TAG`: make an image present on every node of the practice
// cluster, as `kind load docker-image` does on kind. It talks to the running practice cluster
// through kubectl, pinned to its context, and patches each node's status.images.
import type { CommandArgs } from '../cli/registry.js';
import { ExitCode, UsageError, UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import type { KubeObject } from '../practice/types.js';
import { planImageLoad } from '../practice/workloads/load-image.js';
import { pullPolicyFor } from '../practice/workloads/pull-policy.js';
import { createRunner, type Runner } from '../runner.js';

/** PRACTICE_CONTEXT is the kubeconfig context `practice start` writes. */
export const PRACTICE_CONTEXT = 'k8s-learn-practice';

/** loadImage runs the command with an injectable runner and output (tests). */
export async function loadImage(
  image: string,
  opts: { runner: Runner; print: (line: string) => void; lang: string; kubectl?: string; context?: string },
): Promise<number> {
  const t = createTranslator(opts.lang);
  const kubectl = opts.kubectl ?? process.env.KUBECTL ?? 'kubectl';
  const context = ['--context', opts.context ?? PRACTICE_CONTEXT];
  const got = await opts.runner.run(kubectl, [...context, 'get', 'nodes', '-o', 'json'], {
    readOnly: true,
    timeoutMs: 20_000,
  });
  if (got.notFound)
    throw new UserError(t('practice.loadImage.noKubectl'), t('practice.loadImage.noKubectlNext'));
  if (got.exitCode !== 0) {
    throw new UserError(
      t('practice.loadImage.notRunning', { detail: got.stderr.trim().split('\n')[0] ?? '' }),
      t('practice.loadImage.notRunningNext'),
    );
  }
  const nodes = (JSON.parse(got.stdout) as { items: KubeObject[] }).items;
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
    const patch = JSON.stringify({ status: { images: u.images } });
    const r = await opts.runner.run(
      kubectl,
      [...context, 'patch', 'node', u.node, '--subresource=status', '--type=merge', '-p', patch],
      { timeoutMs: 20_000 },
    );
    if (r.exitCode !== 0)
      throw new UserError(t('practice.loadImage.failed', { node: u.node, detail: r.stderr.trim() }));
  }
  return ExitCode.ok;
}

/** run is the command entry point. */
export async function run(args: CommandArgs): Promise<number> {
  const [image, ...extra] = args.positionals;
  if (!image || extra.length > 0)
    throw new UsageError('practice load-image takes one image, e.g. k8s-core:1.0');
  const print = (line: string) => process.stdout.write(`${line}\n`);
  return loadImage(image, {
    runner: createRunner({ dryRun: args.global.dryRun, print }),
    print,
    lang: args.global.lang,
  });
}
