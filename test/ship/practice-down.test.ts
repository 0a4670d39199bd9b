// The practice cluster's daemon dies under a check: the call is cut short within seconds with a
// message that names what happened and offers `practice start`, which brings the objects back.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PracticeDownError } from '../../src/backends/practice-health.js';
import { createKubectl } from '../../src/kubectl.js';
import { readDaemonInfo } from '../../src/practice/control.js';
import { createRunner } from '../../src/runner.js';
import { cli } from '../helpers/cli.js';
import { tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
let env: Record<string, string>;
beforeEach(() => {
  ws = tempWorkspace();
  env = { K8S_LEARN_PRACTICE_DIR: join(ws.dir, 'practice'), KUBECONFIG: join(ws.dir, 'kubeconfig') };
});
afterEach(() => {
  cli(['practice', 'stop'], { env });
  ws.cleanup();
});

describe('the practice daemon dying mid-step', () => {
  it('cuts a waiting kubectl short, says so, and practice start brings the objects back', async () => {
    expect(cli(['practice', 'start', '--nodes', '1'], { env }).code).toBe(0);
    const info = readDaemonInfo(env.K8S_LEARN_PRACTICE_DIR!)!;
    const kubectl = createKubectl(createRunner(), {
      backend: 'practice',
      context: info.context,
      kubeconfig: info.kubeconfigPath,
    });
    expect((await kubectl.run(['create', 'configmap', 'kept', '--from-literal=a=1'])).exitCode).toBe(0);
    // A watch that would wait a minute (as `rollout status` does) …
    const waiting = kubectl.run(['get', 'configmaps', '--watch', '--request-timeout=60s'], {
      timeoutMs: 60_000,
    });
    await new Promise((r) => setTimeout(r, 800));
    process.kill(info.pid, 'SIGKILL'); // … when the daemon dies.
    const started = performance.now();
    const error = await waiting.then(
      (r) => r,
      (err: unknown) => err,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(PracticeDownError);
    expect((error as Error).message).toContain(`its process ${info.pid} is gone`);
    expect((error as PracticeDownError).next).toContain('k8s-learn practice start');
    // A quick call after that fails at once with the same words, not "connection refused".
    await expect(kubectl.run(['get', 'configmap', 'kept'])).rejects.toThrow(/practice cluster/);
    expect(cli(['practice', 'start'], { env }).code).toBe(0);
    const again = readDaemonInfo(env.K8S_LEARN_PRACTICE_DIR!)!;
    const back = await createKubectl(createRunner(), {
      backend: 'practice',
      context: again.context,
      kubeconfig: again.kubeconfigPath,
    }).run(['get', 'configmap', 'kept', '-o', 'name']);
    expect(back.stdout.trim()).toBe('configmap/kept');
  }, 60_000);
});
