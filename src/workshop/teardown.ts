// `workshop teardown`: finds every object provision made by its label, shows them, asks, and
// deletes them. Learner namespaces take what learners created inside them along; nothing without
// the label is touched.
import { UserError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { type Kubectl, kubectlError } from '../kubectl.js';
import type { UI } from '../ui/types.js';
import { workshopSelector } from './objects.js';

/** The kinds provision makes: cluster-scoped ones (deleted by label) and the ones inside namespaces. */
const clusterKinds =
  'namespaces,clusterrolebindings.rbac.authorization.k8s.io,clusterroles.rbac.authorization.k8s.io';
const namespacedKinds = [
  'serviceaccounts',
  'roles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'resourcequotas',
  'limitranges',
];

/** LabelledObject is one object found by the workshop label. */
export interface LabelledObject {
  kind: string;
  name: string;
  namespace?: string;
}

interface ObjectList {
  items: { kind: string; metadata: { name: string; namespace?: string } }[];
}

/** workshopObjects lists what provision made, cluster-scoped first. */
export async function workshopObjects(kubectl: Kubectl): Promise<LabelledObject[]> {
  const read = async (args: string[]) => {
    const { value, result } = await kubectl.json<ObjectList>(['get', ...args, '-l', workshopSelector]);
    // A cluster that does not serve a kind holds no object of it.
    if (!value && /doesn't have a resource type/.test(result.stderr)) return [];
    if (!value) throw new UserError(`cannot list the workshop's objects: ${kubectlError(result)}`);
    return value.items.map((o) => ({
      kind: o.kind,
      name: o.metadata.name,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    }));
  };
  const [cluster, ...inside] = await Promise.all([
    read([clusterKinds]),
    ...namespacedKinds.map((kind) => read([kind, '-A'])),
  ]);
  return [...cluster, ...inside.flat()];
}

export interface TeardownEnv {
  kubectl: Kubectl;
  t: Translate;
  ui: UI;
  yes: boolean;
  dryRun: boolean;
  print: (line: string) => void;
}

/** teardown returns the objects deleted (none when declined or nothing was there). */
export async function teardown(env: TeardownEnv): Promise<LabelledObject[]> {
  const { kubectl, t } = env;
  const objects = await workshopObjects(kubectl);
  if (objects.length === 0) {
    env.print(t('workshop.teardown.nothing', { context: kubectl.target.context }));
    return [];
  }
  const namespaces = objects.filter((o) => o.kind === 'Namespace').length;
  env.print(t('workshop.teardown.list', { count: objects.length, context: kubectl.target.context }));
  for (const o of objects) env.print(`  ${o.kind}/${o.name}${o.namespace ? ` (${o.namespace})` : ''}`);
  env.print(t('workshop.teardown.inside', { namespaces }));
  if (env.dryRun) {
    env.print(`# ${kubectl.display(['delete', clusterKinds, '-l', workshopSelector])}`);
    return [];
  }
  const ok = await env.ui.confirm({
    message: t('workshop.teardown.confirm', { count: objects.length }),
    initial: env.yes,
  });
  if (!ok) {
    env.print(t('workshop.teardown.declined'));
    return [];
  }
  // Deleting the namespaces deletes what is inside them; the namespaced objects need no call.
  const deleted = await kubectl.run(
    ['delete', clusterKinds, '-l', workshopSelector, '--wait=true', '--timeout=5m'],
    {
      timeoutMs: 330_000,
    },
  );
  if (deleted.exitCode !== 0) {
    throw new UserError(
      t('workshop.teardown.failed', { error: kubectlError(deleted) }),
      t('workshop.teardown.failed.fix'),
    );
  }
  env.print(t('workshop.teardown.done', { count: objects.length }));
  return objects;
}
