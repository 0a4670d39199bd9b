// Backend selection (auto falls back to the practice cluster with one sentence), image build and
// load with a spinner, the context backend's one confirmation, and `cleanup` on the fakes.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContextBackend } from '../../src/backends/context.js';
import { buildAndLoadImage } from '../../src/backends/image.js';
import { selectBackend } from '../../src/backends/index.js';
import { createKindBackend } from '../../src/backends/kind.js';
import type { BackendEnv } from '../../src/backends/types.js';
import { UserError } from '../../src/errors.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createRunner, type Runner } from '../../src/runner.js';
import { createScriptedUI } from '../../src/ui/scripted.js';
import { fakeMachine, recordingRunner } from '../fakes/env.js';
import { cli } from '../helpers/cli.js';

const t = createTranslator('en');

function envFor(runner: Runner, dir: string, answers: unknown[] = [], yes = false) {
  const lines: string[] = [];
  const env: BackendEnv = {
    runner,
    ui: createScriptedUI({ answers, write: (l) => lines.push(l) }),
    t,
    workspace: join(dir, 'ws'),
    yes,
  };
  return { env, lines };
}

describe('backend selection', () => {
  it('auto picks kind when docker info and kind work', async () => {
    const machine = fakeMachine();
    const selection = await selectBackend('auto', createRunner({ env: machine.env }), t);
    expect(selection.backend.name).toBe('kind');
    expect(selection.reason).toBeUndefined();
  });

  it.each([
    [{ docker: 'daemon-down' }, /daemon is not running/],
    [{ tools: ['docker' as const] }, /kind is not installed/],
    [{ tools: [] }, /Docker is not installed/],
  ])('auto falls back to the practice cluster and says why (%o)', async (options, why) => {
    const machine = fakeMachine(options);
    const selection = await selectBackend('auto', createRunner({ env: machine.env }), t);
    expect(selection.backend.name).toBe('practice');
    expect(selection.reason).toMatch(why);
    expect(selection.reason).toMatch(/--cluster kind/);
    expect(selection.reason!.split('. ').length).toBeLessThanOrEqual(3);
  });

  it('explicit choices and context:NAME', async () => {
    const runner = createRunner();
    expect((await selectBackend('kind', runner, t)).backend.context).toBe('kind-k8s-learn');
    expect((await selectBackend('practice', runner, t)).backend.context).toBe('k8s-learn-practice');
    expect((await selectBackend('context:team', runner, t)).backend.context).toBe('team');
    await expect(selectBackend('minikube', runner, t)).rejects.toThrow(/invalid --cluster/);
  });
});

describe('image build and load', () => {
  it('builds with docker, then loads with kind, each with a spinner and elapsed time', async () => {
    const machine = fakeMachine();
    const runner = recordingRunner(machine.env, () => ({}));
    const { env, lines } = envFor(runner, machine.dir);
    const kind = createKindBackend();
    await kind.ensure(env);
    await buildAndLoadImage(env, kind, 'k8s-core:1.0', '/src/app');
    const calls = machine.calls().map((c) => c.slice(0, 3).join(' '));
    expect(calls.slice(-2)).toEqual(['docker build -t', 'kind load docker-image']);
    expect(machine.calls().at(-2)).toEqual(['docker', 'build', '-t', 'k8s-core:1.0', '/src/app']);
    expect(lines.some((l) => /^✓ Image k8s-core:1.0 built \(\d+\.\d+s\)$/.test(l))).toBe(true);
    expect(
      lines.some((l) => /^✓ Image k8s-core:1.0 is available to the cluster \(\d+\.\d+s\)$/.test(l)),
    ).toBe(true);
  });

  it('a failed build is explained and nothing is loaded', async () => {
    const machine = fakeMachine({ docker: 'build-fail' });
    const runner = recordingRunner(machine.env, () => ({}));
    const { env } = envFor(runner, machine.dir);
    const kind = createKindBackend();
    await kind.ensure(env);
    const err = await buildAndLoadImage(env, kind, 'k8s-core:1.0', '/src/app').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/did not complete successfully/);
    expect(machine.calls().some((c) => c[1] === 'load')).toBe(false);
  });
});

describe('context backend', () => {
  it('asks once per workspace before the first write; declining stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-ctx-'));
    const runner = recordingRunner(process.env, () => ({ stdout: '{"major":"1","minor":"31"}' }));
    const first = envFor(runner, dir, [true]);
    expect(await createContextBackend('team').ensure(first.env)).toEqual({
      backend: 'context',
      context: 'team',
    });
    const second = envFor(runner, dir, []);
    await createContextBackend('team').ensure(second.env);
    expect((second.env.ui as unknown as { prompts: string[] }).prompts).toEqual([]);
    expect(readFileSync(join(dir, 'ws', '.k8s-learn', 'confirmed-contexts'), 'utf8')).toBe('team\n');
    const other = envFor(runner, dir, [false]);
    await expect(createContextBackend('prod').ensure(other.env)).rejects.toThrow(
      /Not using the context "prod"/,
    );
  });

  it('an unreachable context is explained', async () => {
    const runner = recordingRunner(process.env, () => ({
      exitCode: 1,
      stderr: 'error: context "nope" does not exist\n',
    }));
    const { env } = envFor(runner, mkdtempSync(join(tmpdir(), 'k8s-learn-ctx-')));
    await expect(createContextBackend('nope').ensure(env)).rejects.toThrow(
      /does not answer: context "nope" does not exist/,
    );
  });
});

describe('cleanup command', () => {
  it('without a terminal and without --yes it refuses (exit 2) and deletes nothing', () => {
    const machine = fakeMachine();
    const r = cli(['cleanup', '--cluster', 'kind'], { env: machine.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes/);
    expect(machine.calls().some((c) => c[1] === 'delete')).toBe(false);
  });

  it('deletes what the workspace recorded, even when auto would now pick another backend', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const machine = fakeMachine({ docker: 'daemon-down' });
    const lab = join(machine.dir, 'lab');
    mkdirSync(join(lab, '.k8s-learn'), { recursive: true });
    writeFileSync(
      join(lab, '.k8s-learn', 'state.json'),
      JSON.stringify({ backend: 'kind', context: 'kind-k8s-learn' }),
    );
    const r = cli(['cleanup', '--yes', '--dir', lab], { env: machine.env });
    expect(r.code).toBe(0);
    expect(machine.calls().at(-1)).toEqual(['kind', 'delete', 'cluster', '--name', 'k8s-learn']);
  });

  it('with --yes deletes the kind cluster', () => {
    const machine = fakeMachine();
    const r = cli(['cleanup', '--cluster', 'kind', '--yes'], { env: machine.env });
    expect(r.code).toBe(0);
    expect(machine.calls().at(-1)).toEqual(['kind', 'delete', 'cluster', '--name', 'k8s-learn']);
    expect(r.stdout).toMatch(/kind cluster "k8s-learn" deleted/);
  });
});

describe('prepareCluster', () => {
  it('auto on a machine with docker and kind: creates the kind cluster and names the context once', async () => {
    const { prepareCluster } = await import('../../src/backends/index.js');
    const machine = fakeMachine();
    const runner = recordingRunner(machine.env, () => ({}));
    const { env, lines } = envFor(runner, machine.dir);
    const { backend, target } = await prepareCluster('auto', env);
    expect(backend.name).toBe('kind');
    expect(target.context).toBe('kind-k8s-learn');
    const notes = lines.filter((l) => l.includes('Commands run against the context'));
    expect(notes).toEqual([
      '• Commands run against the context kind-k8s-learn. To type them yourself: kubectl config use-context kind-k8s-learn',
    ]);
  });
});

describe('findTarget (read-only commands)', () => {
  it('prefers the target recorded in the workspace, else the --cluster value; a stopped practice cluster is explained', async () => {
    const { findTarget } = await import('../../src/backends/target.js');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-target-'));
    mkdirSync(join(dir, '.k8s-learn'));
    writeFileSync(
      join(dir, '.k8s-learn', 'state.json'),
      JSON.stringify({ backend: 'kind', context: 'kind-k8s-learn' }),
    );
    const stopped = recordingRunner(process.env, () => ({}));
    const notRunning = {
      run: async () => ({
        command: '',
        exitCode: 1,
        stdout: '{"running":false}',
        stderr: '',
        durationMs: 0,
        timedOut: false,
        notFound: false,
        dryRun: false,
      }),
      dryRun: false,
    };
    expect(await findTarget({ workspace: dir, cluster: 'auto', clusterGiven: false }, stopped, t)).toEqual({
      backend: 'kind',
      context: 'kind-k8s-learn',
    });
    expect(
      await findTarget({ workspace: dir, cluster: 'context:team', clusterGiven: true }, stopped, t),
    ).toEqual({ backend: 'context', context: 'team' });
    await expect(
      findTarget({ workspace: join(dir, 'none'), cluster: 'practice', clusterGiven: true }, notRunning, t),
    ).rejects.toThrow(/practice cluster is not running/);
  });
});
