// `k8s-learn balance`, the built CLI against a practice cluster with its controllers and the real
// kubectl: usage errors, exit codes, plain lines without a terminal, Chinese, and the live table at
// a real terminal (tmux), read mid-run.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { root } from '../helpers/cli.js';
import { deploymentObject } from '../helpers/objects.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let tc: TestCluster;
const ns = 'bal';
const bin = join(root, 'bin/k8s-learn.js');

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    KUBECONFIG: tc.cluster.kubeconfigPath,
    KUBECACHEDIR: join(tc.dataDir, 'kubectl-cache'),
    LANG: 'en_US.UTF-8',
    ...extra,
  };
  delete e.NO_COLOR;
  delete e.FORCE_COLOR;
  if (extra.NO_COLOR) e.NO_COLOR = extra.NO_COLOR;
  return e;
}

/** run is the built CLI without a terminal (async: the cluster lives in this process). */
function run(args: string[], extra: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args, '--cluster', `context:${tc.cluster.context}`, '--dir', join(tc.dataDir, 'lab')],
      { env: env(extra), timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

const service = (name: string, app = name) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

beforeAll(async () => {
  tc = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
  loadImageIntoStore(tc.cluster.store, 'k8s-core:1.0');
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    deploymentObject(ns, 'k8s-employee', { replicas: 3 }),
    service('k8s-employee'),
    service('orphan', 'nobody'),
  ];
  const applied = await tc.kubectl(['apply', '-f', '-'], {
    input: objects.map((o) => JSON.stringify(o)).join('\n---\n'),
    timeoutMs: 60_000,
  });
  expect(applied.code, applied.stderr).toBe(0);
  const rolled = await tc.kubectl(
    ['rollout', 'status', 'deployment/k8s-employee', '-n', ns, '--timeout=60s'],
    {
      timeoutMs: 70_000,
    },
  );
  expect(rolled.code, rolled.stderr).toBe(0);
}, 90_000);

afterAll(async () => {
  await tc?.stop();
});

describe('k8s-learn balance', () => {
  it('has --help, and refuses a missing or bad Service name and a bad count with exit 2', async () => {
    const help = await run(['balance', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('balance svc/NAME [-n NS] [--requests N]');
    expect(help.stdout).toContain('--interval');
    const none = await run(['balance']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('which Service?');
    const bad = await run(['balance', 'svc/Not_A_Name']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"svc/Not_A_Name" is not a Service name');
    const zero = await run(['balance', 'svc/k8s-employee', '-n', ns, '--requests', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--requests must be a whole number from 1 to 1000');
  });

  it('exits 1 for a Service that is not there (the likely forgotten -n named)', async () => {
    const r = await run(['balance', 'svc/k8s-employee']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('there is no Service k8s-employee in namespace default');
    expect(r.stderr).toContain('kubectl get services -n default (did you forget -n?)');
  });

  it('prints one plain line per answer, then the table, without a terminal; exit 0', async () => {
    const r = await run(['balance', 'svc/k8s-employee', '-n', ns, '--requests', '30']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('30 requests through svc/k8s-employee in bal (3 ready pod(s)):');
    expect(lines.filter((l) => /^\[\d+\/30\] k8s-employee-[a-z0-9]+-[a-z0-9]+$/.test(l))).toHaveLength(30);
    const rows = lines.filter((l) => /^ {2}k8s-employee-\S+ +[█░]{30} +\d+ +\d+%$/.test(l));
    expect(rows).toHaveLength(3);
    const counts = rows.map((l) => Number(/(\d+) +\d+%$/.exec(l)![1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    expect(lines.at(-1)).toBe('✓ every ready pod answered: 3 pod(s) shared 30 answers');
    expect(r.stdout).not.toMatch(/\x1b\[/);
    // 30 kubectl calls, two at a time: well under a minute even on a loaded machine.
  }, 90_000);

  it('speaks Chinese, and exits 1 when no pod answers', async () => {
    const zh = await run(['balance', 'svc/k8s-employee', '-n', ns, '--requests', '6'], {
      LANG: 'zh_CN.UTF-8',
    });
    expect(zh.stdout).toContain('经由 bal 里的 svc/k8s-employee 发送 6 次请求（3 个就绪 Pod）：');
    expect(zh.stdout).toContain('bal 里的 svc/k8s-employee —— 6/6 次请求');
    const orphan = await run(['balance', 'svc/orphan', '-n', ns, '--requests', '2']);
    expect(orphan.code).toBe(1);
    expect(orphan.stdout).toContain('(no ready pod behind the Service yet)');
    expect(orphan.stdout).toContain('2 request(s) failed: ');
    expect(orphan.stdout).toContain('✗ no request through svc/orphan got an answer');
  }, 90_000);

  it('draws a live table at a terminal: one row per pod, updated in place; Ctrl-C exits 130', async () => {
    const socket = `k8s-learn-balance-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
    const e = env({ NO_COLOR: '1' });
    const exports = ['KUBECONFIG', 'KUBECACHEDIR', 'LANG', 'NO_COLOR', 'PATH']
      .map((k) => `${k}='${e[k] ?? ''}'`)
      .join(' ');
    const cmd = `env ${exports} ${process.execPath} ${bin} balance svc/k8s-employee -n ${ns} --requests 400 --interval 150 --cluster context:${tc.cluster.context} --dir ${join(tc.dataDir, 'lab')}; echo EXIT=$?; sleep 30`;
    tmux('new-session', '-d', '-s', 'bal', '-x', '120', '-y', '30', cmd);
    try {
      const screen = () => tmux('capture-pane', '-t', 'bal', '-p', '-e');
      const rowPattern = /^ {2}k8s-employee-\S+ +[█░]{30} +\d+ +\d+%$/;
      let mid = '';
      for (const until = Date.now() + 40_000; ; ) {
        mid = screen();
        const rows = mid.split('\n').filter((l) => rowPattern.test(l));
        const done = Number(/— (\d+)\/400 requests/.exec(mid)?.[1] ?? 0);
        // Mid-run: some answers in, far from all of them.
        if (rows.length === 3 && done >= 6) break;
        if (Date.now() > until) throw new Error(`no live table; the screen shows:\n${mid}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const done = Number(/— (\d+)\/400 requests/.exec(mid)![1]);
      expect(done).toBeLessThan(400);
      // Redrawn in place: one header, three rows, no plain per-answer lines and no colour (NO_COLOR).
      expect(mid.match(/svc\/k8s-employee in bal — /g)).toHaveLength(1);
      expect(mid).not.toMatch(/^\[\d+\/400\]/m);
      expect(mid).not.toMatch(/\x1b\[3\dm/);
      const rows = mid.split('\n').filter((l) => rowPattern.test(l));
      const total = rows.map((l) => Number(/(\d+) +\d+%$/.exec(l)![1])).reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(done);
      tmux('send-keys', '-t', 'bal', 'C-c');
      let end = '';
      for (const until = Date.now() + 20_000; !end.includes('EXIT='); ) {
        end = screen();
        if (Date.now() > until) throw new Error(`never exited; the screen shows:\n${end}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(end).toMatch(/stopped after \d+ of 400 requests/);
      expect(end).toContain('EXIT=130');
    } finally {
      try {
        execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
      } catch {}
    }
  }, 90_000);
});
