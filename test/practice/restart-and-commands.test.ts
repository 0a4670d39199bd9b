// State survives a restart (in-process), and the CLI commands run the daemon in the background,
// add and remove the kubectl context in the first $KUBECONFIG file, and report status.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { daemonScript } from '../../src/practice/control.js';
import { createRunner } from '../../src/runner.js';
import { kubectlPath, startTestCluster } from '../helpers/practice.js';

describe('persistence', () => {
  it('keeps objects across a stop and start, and --fresh forgets them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'k8s-learn-practice-restart-'));
    try {
      const first = await startTestCluster({ dataDir, plugins: [] });
      expect((await first.kubectl(['create', 'ns', 'kept'])).code).toBe(0);
      expect(
        (await first.kubectl(['-n', 'kept', 'create', 'configmap', 'c', '--from-literal=k=v'])).code,
      ).toBe(0);
      const rv = first.cluster.store.resourceVersion;
      await first.stop();
      expect(statSync(join(dataDir, 'state.json')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'kubeconfig')).mode & 0o777).toBe(0o600);
      const second = await startTestCluster({ dataDir, plugins: [] });
      expect(
        (await second.kubectl(['-n', 'kept', 'get', 'configmap', 'c', '-o', 'jsonpath={.data.k}'])).stdout,
      ).toBe('v');
      expect(Number(second.cluster.store.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
      await second.stop();
      const fresh = await startTestCluster({ dataDir, fresh: true, plugins: [] });
      expect((await fresh.kubectl(['get', 'ns', 'kept'])).code).toBe(1);
      await fresh.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('k8s-learn practice start|status|stop', () => {
  const home = mkdtempSync(join(tmpdir(), 'k8s-learn-practice-home-'));
  const dataDir = join(home, 'data');
  const userConfig = join(home, 'kube', 'config');
  const other = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kind-k8s-learn', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'kind-k8s-learn', user: { token: 'x' } }],
    contexts: [{ name: 'kind-k8s-learn', context: { cluster: 'kind-k8s-learn', user: 'kind-k8s-learn' } }],
    'current-context': 'kind-k8s-learn',
  };
  const env = {
    HOME: home,
    K8S_LEARN_PRACTICE_DIR: dataDir,
    KUBECONFIG: `${userConfig}:${join(home, 'second')}`,
    NO_COLOR: '1',
  };
  const runner = createRunner({ env: { ...process.env, ...env } });
  const cli = (...args: string[]) =>
    runner.run(process.execPath, [join(packageRoot(), 'bin', 'k8s-learn.js'), 'practice', ...args], {
      timeoutMs: 30_000,
    });

  beforeAll(async () => {
    if (!existsSync(daemonScript())) {
      const built = await createRunner().run(process.execPath, ['scripts/build.mjs'], { cwd: packageRoot() });
      if (built.exitCode !== 0) throw new Error(built.stderr);
    }
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(home, 'kube'), { recursive: true });
    writeFileSync(userConfig, JSON.stringify(other), { mode: 0o640 });
  });

  afterAll(async () => {
    await cli('stop');
    rmSync(home, { recursive: true, force: true });
  });

  it('starts in the background, says it simulates, and is idempotent', async () => {
    const stopped = await cli('status');
    expect(stopped.exitCode).toBe(1);
    const start = await cli('start', '--nodes', '1');
    expect(start.stderr).toBe('');
    expect(start.exitCode).toBe(0);
    expect(start.stdout).toMatch(
      /Practice cluster started at https:\/\/127\.0\.0\.1:\d+ \(kubectl context k8s-learn-practice\)\./,
    );
    expect(start.stdout).toContain('but no containers run');
    const again = await cli('start');
    expect(again.stdout).toContain('already running');
    const status = await cli('status', '--json');
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({ running: true, context: 'k8s-learn-practice', nodes: 1, dataDir });
    expect(readFileSync(join(dataDir, 'daemon.json'), 'utf8')).not.toContain('token');
  });

  it('adds the context to the first KUBECONFIG file, keeping the others and the current context', async () => {
    expect(statSync(userConfig).mode & 0o777).toBe(0o640); // the user's mode is kept
    const text = readFileSync(userConfig, 'utf8');
    expect(text).toContain('kind-k8s-learn');
    expect(JSON.parse(text)['current-context']).toBe('kind-k8s-learn'); // JSON stays JSON
    const nodes = await runner.run(kubectlPath, ['--context', 'k8s-learn-practice', 'get', 'nodes'], {
      env: { KUBECACHEDIR: join(home, 'cache') },
    });
    expect(nodes.stdout).toMatch(/k8s-learn-control-plane\s+Ready\s+control-plane/);
    expect(nodes.stdout).toMatch(/k8s-learn-worker\s+Ready/);
    expect(nodes.stdout).not.toContain('worker2');
  });

  it('stops and removes the context', async () => {
    const stop = await cli('stop');
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout).toContain('Practice cluster stopped');
    const text = readFileSync(userConfig, 'utf8');
    expect(text).not.toContain('k8s-learn-practice');
    expect(text).toContain('kind-k8s-learn');
    expect((await cli('status')).exitCode).toBe(1);
    expect((await cli('stop')).stdout).toContain('not running');
  });

  it('rejects bad numbers with exit 2', async () => {
    const bad = await cli('start', '--port', 'abc');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--port needs a whole number from 0 to 65535, not "abc".');
  });
});
