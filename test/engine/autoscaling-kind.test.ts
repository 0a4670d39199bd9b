// The autoscaling lesson's kind path, with the fake kind and docker (test/fakes) and kubectl
// answered by a stub: the metrics step installs metrics-server from the pinned manifest in the
// workspace, waits for it, and every kubectl call is pinned to kind's context. (Nothing here ran on
// a real kind cluster: docs/practice-workloads.md says what is verified where.)
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { solve } from '../../src/commands/solve.js';
import { fakeMachine, recordingRunner } from '../fakes/env.js';
import { args, scripted, tempWorkspace } from '../helpers/engine.js';

const course = resolve(import.meta.dirname, '../../lessons');
let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

it('metrics on kind: applies the pinned metrics-server manifest, waits for it, then reads kubectl top', async () => {
  const machine = fakeMachine();
  const runner = recordingRunner(machine.env, (a) =>
    a.includes('top') && a.includes('pods')
      ? {
          stdout:
            'NAME                        CPU(cores)   MEMORY(bytes)\nk8s-core-6d4b8f9c7-x2x9q   1m           12Mi\n',
        }
      : a.includes('version')
        ? { stdout: 'Client Version: v1.33.1' }
        : {},
  );
  const code = await solve(
    args(ws.dir, { course, cluster: 'kind', yes: true }, { positionals: ['autoscaling/metrics'] }),
    { ui: scripted().ui, runner },
  );
  expect(code).toBe(0);
  const kubectl = runner.calls.filter((c) => c.file === 'kubectl').map((c) => c.args.join(' '));
  const pin = '--context kind-k8s-learn';
  expect(kubectl).toContain(`${pin} apply -f k8s/metrics-server.yaml`);
  expect(kubectl).toContain(`${pin} rollout status deployment/metrics-server -n kube-system --timeout=180s`);
  expect(kubectl).toContain(
    `${pin} wait --for=condition=Available apiservice/v1beta1.metrics.k8s.io --timeout=180s`,
  );
  expect(kubectl).toContain(`${pin} top pods -n k8s-test`);
  // In this order: install, wait for the rollout, wait for the API, then read it.
  const at = (s: string) => kubectl.findIndex((c) => c.includes(s));
  expect(at('apply -f k8s/metrics-server.yaml')).toBeLessThan(at('rollout status deployment/metrics-server'));
  expect(at('rollout status deployment/metrics-server')).toBeLessThan(
    at('apiservice/v1beta1.metrics.k8s.io'),
  );
  expect(at('apiservice/v1beta1.metrics.k8s.io')).toBeLessThan(at('top nodes'));
  // The kind cluster came from the fake kind, not from anything on this machine.
  expect(machine.calls().some((c) => c[0] === 'kind' && c[1] === 'create')).toBe(true);
  // The manifest in the workspace is the pinned release with the one flag kind needs.
  const manifest = readFileSync(join(ws.dir, 'k8s/metrics-server.yaml'), 'utf8');
  expect(manifest).toContain('image: registry.k8s.io/metrics-server/metrics-server:v0.7.2');
  expect(manifest).toContain('- --kubelet-insecure-tls');
  expect(manifest).toContain('name: v1beta1.metrics.k8s.io');
});

it('metrics on a named context: nothing is installed, the commands that read metrics are pinned to it', async () => {
  const { fakeRunner } = await import('../helpers/engine.js');
  const { runner, calls } = fakeRunner((c) =>
    c.includes(' top pods') ? { stdout: 'NAME CPU(cores) MEMORY(bytes)\nk8s-core-1 1m 12Mi\n' } : {},
  );
  await solve(
    args(ws.dir, { course, cluster: 'context:lab', yes: true }, { positionals: ['autoscaling/metrics'] }),
    {
      ui: scripted().ui,
      runner,
    },
  );
  const lines = calls.map((c) => c.command);
  expect(lines.some((l) => l.includes('metrics-server'))).toBe(false);
  expect(lines).toContain('kubectl --context lab top pods -n k8s-test');
});

it('the engine gives `k8s-learn load` time for its whole story (real time on a real cluster), other commands the default', async () => {
  const { fakeRunner } = await import('../helpers/engine.js');
  const { runner, calls } = fakeRunner((c) =>
    c.includes('SuccessfulRescale')
      ? { stdout: 'New size: 5; reason: cpu resource utilization (percentage of request) above target' }
      : c.includes('get horizontalpodautoscaler')
        ? { stdout: JSON.stringify({ status: { currentReplicas: 1, desiredReplicas: 1 } }) }
        : {},
  );
  await solve(
    args(ws.dir, { course, cluster: 'context:lab', yes: true }, { positionals: ['autoscaling/load'] }),
    {
      ui: scripted().ui,
      runner,
    },
  );
  const load = calls.find((c) => c.command.includes('k8s-learn.js load svc/k8s-core'));
  expect(load?.command).toContain('load svc/k8s-core -n k8s-test --duration 45s --fast');
  expect(load?.options?.timeoutMs).toBeGreaterThanOrEqual(10 * 60_000);
  const get = calls.find((c) => c.command === 'kubectl --context lab get hpa k8s-core -n k8s-test');
  expect(get?.options?.timeoutMs).toBeUndefined();
});
