// The runner against misbehaving executables: a kubectl that is a wrapper script with children,
// one that hangs, one that exits 124. The whole process group goes at the timeout, nothing is left
// running, and the result says "timed out after N s".
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubectlError } from '../../src/kubectl.js';
import { createRunner, timeoutFor } from '../../src/runner.js';
import { root } from '../helpers/cli.js';
import { tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

function script(name: string, body: string): string {
  const file = join(ws.dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** running lists processes whose command line contains `marker`. */
function running(marker: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

const waitGone = async (marker: string) => {
  for (let i = 0; i < 40 && running(marker).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  return running(marker);
};

describe('the runner and hung commands', () => {
  it('kills a hung wrapper script and its child at the timeout, and says so', async () => {
    const kubectl = script('kubectl', 'sleep 31.4159 &\nwait');
    const transcript = join(ws.dir, 'transcript.log');
    const r = await createRunner({ transcriptPath: transcript }).run(kubectl, ['get', 'pods'], {
      timeoutMs: 700,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(124);
    expect(r.durationMs).toBeLessThan(5_000);
    expect(kubectlError(r)).toMatch(/^timed out after \d+ s$/);
    expect(await waitGone('sleep 31.4159')).toEqual([]);
    expect(readTranscript(transcript)).toContain('timed out after 1 s');
  });

  it('does not wait for a child left holding the pipes after the command exited', async () => {
    const kubectl = script('kubectl', '(sleep 32.718; echo late) &\necho done');
    const r = await createRunner().run(kubectl, ['version', '--client'], { timeoutMs: 20_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('done');
    expect(r.durationMs).toBeLessThan(5_000);
    expect(await waitGone('sleep 32.718')).toEqual([]);
  });

  it('calls an exit code 124 "timed out"', async () => {
    const kubectl = script('kubectl', 'exit 124');
    const r = await createRunner().run(kubectl, []);
    expect(kubectlError(r)).toMatch(/^timed out after/);
  });

  it('gives client-only calls a short timeout, others the long one, the caller’s when set', () => {
    expect(timeoutFor(['version', '--client'], {})).toBe(15_000);
    expect(timeoutFor(['get', 'pods'], {})).toBe(120_000);
    expect(timeoutFor(['version', '--client'], { timeoutMs: 3 })).toBe(3);
  });

  it('doctor names why kubectl failed, even when it printed nothing', async () => {
    const { probeKubectl } = await import('../../src/doctor/probes.js');
    const silent = script('kubectl', 'exit 3');
    const hung = script('kubectl-hung', 'sleep 33.3');
    const runner = createRunner();
    process.env.K8S_LEARN_KUBECTL = silent;
    try {
      expect((await probeKubectl(runner, 'x', 5_000)).detail).toBe('exit code 3');
      process.env.K8S_LEARN_KUBECTL = hung;
      expect((await probeKubectl(runner, 'x', 500)).detail).toMatch(/^timed out after \d+ s$/);
    } finally {
      delete process.env.K8S_LEARN_KUBECTL;
    }
    expect(await waitGone('sleep 33.3')).toEqual([]);
  });

  it('creates a missing working folder instead of reporting the command as missing', async () => {
    const cwd = join(ws.dir, 'not-yet');
    const r = await createRunner().run('sh', ['-c', 'pwd'], { cwd });
    expect(r.notFound).toBe(false);
    expect(r.stdout.trim()).toBe(cwd);
    expect(existsSync(cwd)).toBe(true);
  });
});

describe('k8s-learn leaving while its own sub-command runs (Ctrl-C, or clack exiting on the key)', () => {
  // A sub-command that, like `k8s-learn load`, starts a helper in a process group of its own
  // (its kubectl proxy) and stops it on SIGINT; the driver runs it as the engine does, then goes.
  const driver = async (leave: string, marker: string) => {
    const sub = join(ws.dir, 'sub.mjs');
    writeFileSync(
      sub,
      `import { spawn } from 'node:child_process';
const helper = spawn('sleep', ['${marker}'], { detached: true, stdio: 'ignore' });
process.on('SIGINT', () => { process.kill(-helper.pid, 'SIGKILL'); process.exit(130); });
console.log('ready');
setInterval(() => {}, 1000);
`,
    );
    const { build } = await import('esbuild');
    const out = join(ws.dir, 'driver.mjs');
    await build({
      stdin: {
        contents: `import { createRunner } from './src/runner.ts';
void createRunner().run(process.execPath, [${JSON.stringify(sub)}], { interruptible: true, timeoutMs: 60000 });
setTimeout(() => { ${leave} }, 1500);`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: out,
      logLevel: 'silent',
    });
    const r = spawnSync(process.execPath, [out], { encoding: 'utf8', timeout: 20_000 });
    return r;
  };

  it('sends it SIGINT when k8s-learn exits, so it stops its own helper: nothing is left running', async () => {
    await driver('process.exit(0);', '41.4142');
    expect(await waitGone('sleep 41.4142')).toEqual([]);
  });

  it('forwards the learner’s Ctrl-C (SIGINT) to it: nothing is left running', async () => {
    await driver("process.kill(process.pid, 'SIGINT');", '42.4142');
    expect(await waitGone('sleep 42.4142')).toEqual([]);
  });
});

function readTranscript(file: string): string {
  return spawnSync('cat', [file], { encoding: 'utf8' }).stdout;
}
