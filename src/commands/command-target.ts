// The cluster a read-only command (alerts, balance, load, tree) talks to: a workshop learner's
// namespace when they gave --kubeconfig, else the course's recorded or chosen cluster.
import { findTarget } from '../backends/target.js';
import type { ClusterTarget } from '../checks/types.js';
import type { CommandArgs } from '../cli/registry.js';
import type { Translate } from '../i18n/index.js';
import type { Runner } from '../runner.js';
import { learnerTarget } from '../workshop/learner.js';

/** commandTarget finds the cluster for a command. (A command's own `-n` is not the workshop's --namespace.) */
export async function commandTarget(args: CommandArgs, runner: Runner, t: Translate): Promise<ClusterTarget> {
  return (
    (args.global.kubeconfig ? learnerTarget({ ...args.global, namespace: undefined }) : undefined) ??
    (await findTarget(
      {
        workspace: args.global.dir,
        cluster: args.global.cluster,
        clusterGiven: args.global.cluster !== 'auto',
      },
      runner,
      t,
    ))
  );
}
