// `k8s-learn tree [-n NS] [--json]`: everything in one namespace of the course's cluster, drawn as
// a tree by owner (Deployment → ReplicaSet → Pod, Service → EndpointSlice) with the links between
// objects noted on each line. One `kubectl get` of every listed resource, read-only.
import { findTarget } from '../backends/target.js';
import type { CommandArgs } from '../cli/registry.js';
import { UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { contextHint, createKubectl, kubectlError } from '../kubectl.js';
import { createRunner } from '../runner.js';
import { buildTree, type KubeItem, treeResources } from '../tree/build.js';
import { renderTree } from '../tree/render.js';
import { learnerTarget } from '../workshop/learner.js';

/** run is the tree command. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const runner = createRunner();
  const target =
    (args.global.kubeconfig ? learnerTarget({ ...args.global, namespace: undefined }) : undefined) ??
    (await findTarget(
      {
        workspace: args.global.dir,
        cluster: args.global.cluster,
        clusterGiven: args.global.cluster !== 'auto',
      },
      runner,
      t,
    ));
  const namespace =
    typeof args.flags.namespace === 'string' ? args.flags.namespace : (target.namespace ?? 'default');
  const kubectl = createKubectl(runner, target);
  const listed = await kubectl.run(['get', treeResources.join(','), '-n', namespace, '-o', 'json'], {
    readOnly: true,
    timeoutMs: 30_000,
  });
  if (listed.exitCode !== 0) {
    throw new UserError(
      t('tree.readFailed', { context: target.context, error: kubectlError(listed) }),
      t('alerts.readFailed.fix', { command: contextHint(target).command }),
    );
  }
  const items = (JSON.parse(listed.stdout) as { items: KubeItem[] }).items;
  const tree = buildTree(items, t);
  if (args.flags.json === true) {
    process.stdout.write(
      `${JSON.stringify({ namespace, context: target.context, objects: tree }, null, 2)}\n`,
    );
    return 0;
  }
  if (tree.length === 0) {
    process.stdout.write(`${t('tree.empty', { namespace })}\n`);
    return 0;
  }
  process.stdout.write(`${renderTree(`Namespace/${namespace}`, tree).join('\n')}\n`);
  return 0;
}
