// `k8s-learn tree [-n NS] [--json]`: everything in one namespace of the course's cluster, drawn as
// a tree by owner (Deployment → ReplicaSet → Pod, Service → EndpointSlice) with the links between
// objects noted on each line. One `kubectl get` of every listed resource, read-only.

import type { ClusterTarget } from '../checks/types.js';
import type { CommandArgs } from '../cli/registry.js';
import { UserError } from '../errors.js';
import { createTranslator, type Translate } from '../i18n/index.js';
import { contextHint, createKubectl, type Kubectl, kubectlError } from '../kubectl.js';
import { createRunner } from '../runner.js';
import { buildTree, type KubeItem, treeResources } from '../tree/build.js';
import { renderTree } from '../tree/render.js';
import { commandTarget } from './command-target.js';

/** run is the tree command. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const runner = createRunner();
  const target = await commandTarget(args, runner, t);
  const namespace =
    typeof args.flags.namespace === 'string' ? args.flags.namespace : (target.namespace ?? 'default');
  const kubectl = createKubectl(runner, target);
  const { items, hidden } = await readObjects(kubectl, namespace, target, t);
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
  if (hidden.length > 0) process.stdout.write(`${t('tree.hidden', { resources: hidden.join(', ') })}\n`);
  return 0;
}

/**
 * readObjects lists every tree resource in one `kubectl get`. When that fails (a workshop
 * credential may not list ServiceAccounts or Roles; a cluster may not serve a group), each resource
 * is read on its own and the ones kubectl refuses are named as hidden rather than failing the tree.
 */
async function readObjects(
  kubectl: Kubectl,
  namespace: string,
  target: ClusterTarget,
  t: Translate,
): Promise<{ items: KubeItem[]; hidden: string[] }> {
  const get = (resources: string) =>
    kubectl.run(['get', resources, '-n', namespace, '-o', 'json'], { readOnly: true, timeoutMs: 30_000 });
  const all = await get(treeResources.join(','));
  if (all.exitCode === 0)
    return { items: (JSON.parse(all.stdout) as { items: KubeItem[] }).items, hidden: [] };
  const each = await Promise.all(treeResources.map(async (r) => ({ resource: r, result: await get(r) })));
  const read = each.filter((e) => e.result.exitCode === 0);
  if (read.length === 0) {
    throw new UserError(
      t('tree.readFailed', { context: target.context, error: kubectlError(all) }),
      t('alerts.readFailed.fix', { command: contextHint(target).command }),
    );
  }
  return {
    items: read.flatMap((e) => (JSON.parse(e.result.stdout) as { items: KubeItem[] }).items),
    hidden: each.filter((e) => e.result.exitCode !== 0).map((e) => e.resource.split('.')[0]!),
  };
}
