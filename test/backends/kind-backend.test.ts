// The kind backend against the fake `kind` on PATH: create from the template with --wait, then
// kubectl wait for every node; reuse; delete; each kind failure recognised and explained.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKindBackend, renderKindConfig } from '../../src/backends/kind.js';
import type { BackendEnv } from '../../src/backends/types.js';
import { UserError } from '../../src/errors.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createScriptedUI } from '../../src/ui/scripted.js';
import { fakeMachine, recordingRunner } from '../fakes/env.js';

const t = createTranslator('en');

function setup(options: Parameters<typeof fakeMachine>[0] = {}, kubectlExit = 0, current?: string) {
  const machine = fakeMachine(options);
  const runner = recordingRunner(machine.env, (args) => {
    if (args.includes('current-context')) {
      return current
        ? { stdout: `${current}\n` }
        : { exitCode: 1, stderr: 'error: current-context is not set\n' };
    }
    if (args.includes('use-context')) return { stdout: `Switched to context "${args.at(-1)}".\n` };
    return kubectlExit === 0
      ? { stdout: 'node/k8s-learn-control-plane condition met\n' }
      : { exitCode: 1, stderr: 'error: timed out waiting for the condition on nodes/k8s-learn-worker\n' };
  });
  const lines: string[] = [];
  const ui = createScriptedUI({ write: (l) => lines.push(l) });
  const env: BackendEnv = { runner, ui, t, workspace: join(machine.dir, 'ws'), yes: false };
  return { machine, runner, env, lines };
}

const waits = (calls: { file: string; args: string[] }[]) =>
  calls.filter((c) => c.file === 'kubectl' && c.args.includes('wait'));

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('kind backend', () => {
  it('renders a config with one control-plane and N workers', async () => {
    const yaml = await renderKindConfig('k8s-learn', 2);
    expect(yaml).toContain('apiVersion: kind.x-k8s.io/v1alpha4');
    expect(yaml.match(/role: control-plane/g)).toHaveLength(1);
    expect(yaml.match(/role: worker/g)).toHaveLength(2);
    expect((await renderKindConfig('x', 0)).match(/role: worker/g)).toBeNull();
  });

  it('creates the cluster from the template with --wait, then waits for all nodes with kubectl', async () => {
    const { machine, runner, env, lines } = setup();
    const target = await createKindBackend().ensure(env);
    expect(target).toEqual({ backend: 'kind', context: 'kind-k8s-learn' });
    const create = machine.calls().find((c) => c[1] === 'create');
    expect(create).toEqual([
      'kind',
      'create',
      'cluster',
      '--name',
      'k8s-learn',
      '--config',
      join(env.workspace, '.k8s-learn', 'kind-cluster.yaml'),
      '--wait',
      '2m',
    ]);
    const seen = readFileSync(join(machine.stateDir, 'kind-config-seen.yaml'), 'utf8');
    expect(seen.match(/role: worker/g)).toHaveLength(2);
    const kubectlCalls = waits(runner.calls);
    expect(kubectlCalls).toHaveLength(1);
    expect(kubectlCalls[0]!.args).toEqual([
      '--context',
      'kind-k8s-learn',
      'wait',
      '--for=condition=Ready',
      'nodes',
      '--all',
      '--timeout=180s',
    ]);
    // kubectl runs after kind create, never before it.
    const order = runner.calls.map((c) => `${c.file} ${c.args[0]} ${c.args[2] ?? ''}`);
    expect(order.indexOf('kind create cluster')).toBeLessThan(order.indexOf('kubectl --context wait'));
    expect(lines.join('\n')).toMatch(/All nodes are Ready/);
  });

  it('reuses an existing cluster: no second create, nodes still waited for', async () => {
    const { machine, runner, env, lines } = setup();
    await createKindBackend().ensure(env);
    await createKindBackend().ensure(env);
    expect(machine.calls().filter((c) => c[1] === 'create')).toHaveLength(1);
    expect(waits(runner.calls)).toHaveLength(2);
    expect(lines.join('\n')).toMatch(/Reusing the kind cluster "k8s-learn"/);
  });

  it("puts the user's current-context back after kind switched it, and says how to use the course's", async () => {
    const { runner, env, lines } = setup({}, 0, 'work');
    await createKindBackend().ensure(env);
    const kubectlCalls = runner.calls.filter((c) => c.file === 'kubectl').map((c) => c.args.join(' '));
    expect(kubectlCalls).toEqual([
      '--context kind-k8s-learn config current-context',
      '--context work config use-context work',
      '--context kind-k8s-learn wait --for=condition=Ready nodes --all --timeout=180s',
    ]);
    expect(lines.join('\n')).toMatch(
      /switched it back to work\. To use the course cluster in your own terminal: kubectl config use-context kind-k8s-learn/,
    );
    // Nothing to restore when there was no current-context, or when it was already the course's.
    const fresh = setup({}, 0, 'kind-k8s-learn');
    await createKindBackend().ensure(fresh.env);
    expect(fresh.runner.calls.some((c) => c.args.includes('use-context'))).toBe(false);
  });

  it('warns when kind --wait timed out (exit 0) and still waits with kubectl', async () => {
    const { runner, env, lines } = setup({ kind: 'wait-timeout' });
    await createKindBackend().ensure(env);
    expect(lines.join('\n')).toMatch(/kind stopped waiting/);
    expect(runner.calls.some((c) => c.file === 'kubectl' && c.args.includes('--for=condition=Ready'))).toBe(
      true,
    );
  });

  it('fails with a clear message when nodes never become Ready', async () => {
    const { env } = setup({}, 1);
    const err = await failure(createKindBackend().ensure(env));
    expect(err.message).toMatch(/nodes are not Ready: timed out waiting/);
    expect(err.next).toMatch(/kubectl --context kind-k8s-learn describe nodes/);
  });

  const cases: [string, RegExp, RegExp][] = [
    ['daemon-down', /cannot reach the Docker daemon/, /systemctl start docker/],
    ['exists', /already exists/, /kind delete cluster --name k8s-learn/],
    ['port-in-use', /port the cluster needs is already used/, /docker ps/],
    ['node-boot', /never finished booting/, /more resources/],
    ['too-many-open-files', /too many open files/, /fs.inotify.max_user_watches=524288/],
    ['disk-full', /no space left/, /docker system prune/],
  ];
  for (const [scenario, message, fix] of cases) {
    it(`recognises and explains kind failure: ${scenario}`, async () => {
      const { env, runner } = setup({ kind: scenario });
      const err = await failure(createKindBackend().ensure(env));
      expect(err.message).toMatch(message);
      expect(err.next).toMatch(fix);
      // No raw Go error as the headline, and no waiting for nodes after a failed create.
      expect(err.message).not.toMatch(/^ERROR:/);
      expect(waits(runner.calls)).toEqual([]);
    });
  }

  it('says kind is not installed when it is not on PATH', async () => {
    const { env } = setup({ tools: ['docker'] });
    const err = await failure(createKindBackend().ensure(env));
    expect(err.message).toBe('kind is not installed.');
    expect(err.next).toMatch(/--cluster practice/);
  });

  it('loads an image; a missing image and a missing cluster are explained', async () => {
    const ok = setup();
    await createKindBackend().ensure(ok.env);
    await createKindBackend().loadImage(ok.env, 'k8s-core:1.0');
    expect(ok.machine.calls().at(-1)).toEqual([
      'kind',
      'load',
      'docker-image',
      'k8s-core:1.0',
      '--name',
      'k8s-learn',
    ]);

    const noCluster = setup();
    expect((await failure(createKindBackend().loadImage(noCluster.env, 'k8s-core:1.0'))).message).toMatch(
      /does not exist/,
    );

    const missing = setup({ kind: 'image-missing' });
    await createKindBackend().ensure(missing.env);
    const err = await failure(createKindBackend().loadImage(missing.env, 'k8s-core:1.0'));
    expect(err.message).toMatch(/not in the local Docker image store/);
  });

  it('deletes only after confirmation', async () => {
    const declined = setup();
    await createKindBackend().ensure(declined.env);
    expect(await createKindBackend().remove(declined.env)).toBe(false);
    expect(declined.machine.calls().some((c) => c[1] === 'delete')).toBe(false);

    const confirmed = setup();
    await createKindBackend().ensure(confirmed.env);
    const env = { ...confirmed.env, ui: createScriptedUI({ answers: [true], write: () => {} }) };
    expect(await createKindBackend().remove(env)).toBe(true);
    expect(confirmed.machine.calls().at(-1)).toEqual(['kind', 'delete', 'cluster', '--name', 'k8s-learn']);
    const listed = confirmed.machine.calls().filter((c) => c[1] === 'get');
    expect(listed.length).toBeGreaterThan(0);
  });
});
