// Helpers for the exec/port-forward suites: kubectl processes that keep running (port-forward,
// proxy) and a pseudo-terminal for `exec -ti` (util-linux `script`, so kubectl sees a TTY).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRunner } from '../../src/runner.js';
import { kubectlPath, type TestCluster } from '../helpers/practice.js';

/** kubectlEnv is the environment the test kubectl runs with. */
export function kubectlEnv(tc: TestCluster): Record<string, string> {
  return {
    KUBECONFIG: tc.cluster.kubeconfigPath,
    KUBECACHEDIR: join(tc.dataDir, 'kubectl-cache'),
    HOME: tc.dataDir,
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
  };
}

/** Background is a running kubectl with what it printed so far. */
export interface Background {
  child: ChildProcess;
  output(): string;
  /** waitFor resolves the first match of `re` in the output. */
  waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  stop(): void;
}

/** background starts kubectl (or the binary `bin`) and collects its output. */
export function background(tc: TestCluster, args: string[], bin = kubectlPath): Background {
  const child = spawn(bin, args, { env: kubectlEnv(tc), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return {
    child,
    output: () => out,
    async waitFor(re, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const m = re.exec(out);
        if (m) return m;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`kubectl ${args.join(' ')} never printed ${re}; output: ${out}`);
    },
    stop() {
      if (child.exitCode === null) child.kill('SIGINT');
    },
  };
}

/** hasScript tells whether util-linux `script` (a pty for kubectl -t) is available. */
export const hasScript = existsSync('/usr/bin/script');

/**
 * inTerminal runs kubectl in a pseudo-terminal, typing `keys` (one line each, paced so the
 * remote shell reads them one by one) and returns everything the terminal showed.
 */
export async function inTerminal(
  tc: TestCluster,
  args: string[],
  keys: string[],
): Promise<{ code: number; screen: string }> {
  const env = kubectlEnv(tc);
  const command = [kubectlPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qefc', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.on('data', (d) => {
    screen += d;
  });
  child.stderr.on('data', (d) => {
    screen += d;
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  // Wait for the first prompt before typing, then pace the lines.
  const deadline = Date.now() + 20_000;
  while (!/[#$] $|pressing enter/m.test(screen) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const k of keys) {
    child.stdin.write(`${k}\r`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(timer);
  return { code, screen };
}

/** bundledKubectl is an older kubectl of the dispatcher build (1.27 speaks SPDY). */
export const bundledKubectl = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

/** runWith runs a given kubectl binary against the cluster. */
export async function runWith(tc: TestCluster, bin: string, args: string[], input?: string) {
  const r = await createRunner().run(bin, args, { env: kubectlEnv(tc), input, timeoutMs: 30_000 });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}
