// The kind backend: cluster `k8s-learn` from templates/kind-cluster.yaml.hbs, reused when it
// exists. `kind create cluster --wait` exits 0 even when its wait times out, so we also wait for
// every node to be Ready with kubectl. Each failure kind prints is recognised and explained.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { kindClusters, kindCreateCluster, kindDeleteCluster, kindLoadImage } from '../kind.js';
import { createKubectl, kubectlError } from '../kubectl.js';
import { templatesDir } from '../paths.js';
import type { RunResult } from '../runner.js';
import { kindTimedOutWaiting, recognizeKindFailure } from './kind-errors.js';
import type { Backend, BackendEnv } from './types.js';

/** kindClusterName is the course's kind cluster. */
export const kindClusterName = 'k8s-learn';

/** KindBackendOptions tune the cluster shape (defaults: 2 workers). */
export interface KindBackendOptions {
  name?: string;
  workers?: number;
  /** How long `kubectl wait` may wait for nodes after creation. */
  nodesReadyTimeout?: string;
}

/** renderKindConfig renders the kind cluster config from its template. */
export async function renderKindConfig(name: string, workers: number): Promise<string> {
  const { default: Handlebars } = await import('handlebars');
  const source = readFileSync(join(templatesDir(), 'kind-cluster.yaml.hbs'), 'utf8');
  const template = Handlebars.compile(source, { noEscape: true, strict: true });
  return template({ name, workers, workerList: Array.from({ length: workers }, (_, i) => i) });
}

/** kindFailureError turns kind's output into a UserError that says what to do. */
export function kindFailureError(env: BackendEnv, action: string, result: RunResult): UserError {
  const output = `${result.stderr}\n${result.stdout}`;
  const failure = recognizeKindFailure(output);
  if (result.notFound) {
    return new UserError(env.t('backends.kind.notInstalled'), env.t('backends.kind.notInstalled.fix'));
  }
  if (failure) {
    return new UserError(
      env.t(`backends.kind.${failure}`, { name: kindClusterName, action }),
      env.t(`backends.kind.${failure}.fix`, { name: kindClusterName }),
    );
  }
  const tail = output.trim().split('\n').slice(-3).join('\n');
  return new UserError(
    env.t('backends.kind.unknown', { action, output: tail }),
    env.t('backends.kind.unknown.fix'),
  );
}

/** createKindBackend returns the kind backend. */
export function createKindBackend(options: KindBackendOptions = {}): Backend {
  const name = options.name ?? kindClusterName;
  const workers = options.workers ?? 2;
  const context = `kind-${name}`;
  const target = { backend: 'kind', context };
  return {
    name: 'kind',
    context,
    async ensure(env) {
      const listed = await kindClusters(env.runner);
      if (!listed.names) throw kindFailureError(env, 'kind get clusters', listed.result);
      if (listed.names.includes(name)) {
        env.ui.info(env.t('backends.kind.reusing', { name, context }));
      } else {
        const dir = join(env.workspace, '.k8s-learn');
        mkdirSync(dir, { recursive: true });
        const configFile = join(dir, 'kind-cluster.yaml');
        writeFileSync(configFile, await renderKindConfig(name, workers));
        // kind switches the user's current-context to the new cluster; note it to put it back.
        const previous = await currentContext(env, target);
        const spinner = env.ui.spinner();
        spinner.start(env.t('backends.kind.creating', { name, workers }));
        const created = await kindCreateCluster(env.runner, name, configFile);
        if (created.exitCode !== 0) {
          spinner.stop(env.t('backends.kind.createFailed', { name }), false);
          throw kindFailureError(env, 'kind create cluster', created);
        }
        spinner.stop(env.t('backends.kind.created', { name }));
        if (previous && previous !== context) await restoreContext(env, previous, context);
        if (kindTimedOutWaiting(`${created.stderr}\n${created.stdout}`))
          env.ui.warn(env.t('backends.kind.waitTimedOut'));
      }
      await waitNodesReady(env, target, options.nodesReadyTimeout ?? '180s');
      return target;
    },
    async loadImage(env, image) {
      const loaded = await kindLoadImage(env.runner, image, name);
      if (loaded.exitCode !== 0) throw kindFailureError(env, 'kind load docker-image', loaded);
    },
    async remove(env) {
      const ok =
        env.yes ||
        (await env.ui.confirm({ message: env.t('backends.kind.confirmDelete', { name }), initial: false }));
      if (!ok) return false;
      const deleted = await kindDeleteCluster(env.runner, name);
      if (deleted.exitCode !== 0) throw kindFailureError(env, 'kind delete cluster', deleted);
      env.ui.success(env.t('backends.kind.deleted', { name }));
      return true;
    },
  };
}

/** currentContext reads the kubeconfig's current-context (undefined when unset). */
async function currentContext(
  env: BackendEnv,
  target: { backend: string; context: string },
): Promise<string | undefined> {
  const result = await createKubectl(env.runner, target).run(['config', 'current-context'], {
    readOnly: true,
    timeoutMs: 10_000,
  });
  const name = result.stdout.trim();
  return result.exitCode === 0 && name !== '' ? name : undefined;
}

/**
 * restoreContext puts the user's current-context back after `kind create cluster` changed it, so
 * their own kubectl keeps pointing where it did; the course pins its own calls anyway.
 */
async function restoreContext(env: BackendEnv, previous: string, context: string): Promise<void> {
  const result = await createKubectl(env.runner, { backend: 'kind', context: previous }).run(
    ['config', 'use-context', previous],
    {
      timeoutMs: 10_000,
    },
  );
  if (result.exitCode === 0) env.ui.info(env.t('backends.kind.contextRestored', { previous, context }));
}

/** waitNodesReady runs `kubectl wait --for=condition=Ready nodes --all` (watch-based). */
async function waitNodesReady(
  env: BackendEnv,
  target: { backend: string; context: string },
  timeout: string,
) {
  const kubectl = createKubectl(env.runner, target);
  const spinner = env.ui.spinner();
  spinner.start(env.t('backends.kind.waitingNodes'));
  const waited = await kubectl.run(
    ['wait', '--for=condition=Ready', 'nodes', '--all', `--timeout=${timeout}`],
    {
      timeoutMs: 300_000,
    },
  );
  if (waited.exitCode !== 0) {
    spinner.stop(env.t('backends.kind.nodesNotReady'), false);
    throw new UserError(
      env.t('backends.kind.nodesNotReady.detail', { error: kubectlError(waited) }),
      env.t('backends.kind.nodesNotReady.fix', { context: target.context }),
    );
  }
  spinner.stop(env.t('backends.kind.nodesReady'));
}
