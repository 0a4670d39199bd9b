// Proves that no kubectl call leaves the kubectl module without the course's context: every
// check, the alerts reader, the backends and doctor run through a recording runner, and a scan
// of the sources finds no other way of starting kubectl.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../src/alerts/collect.js';
import { createContextBackend } from '../../src/backends/context.js';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckContext, CheckType } from '../../src/checks/types.js';
import { runDoctor } from '../../src/doctor/index.js';
import { createTranslator } from '../../src/i18n/index.js';
import { contextHint, createKubectl, pinArgs } from '../../src/kubectl.js';
import { type Runner, type RunResult, runResult } from '../../src/runner.js';
import { createScriptedUI } from '../../src/ui/scripted.js';

const t = createTranslator('en');
const root = resolve(import.meta.dirname, '../..');
const target = {
  backend: 'practice',
  context: 'k8s-learn-practice',
  kubeconfig: '/tmp/k8s-learn/kubeconfig',
};

function stubRunner(
  answer: (file: string, args: string[]) => Partial<RunResult>,
): Runner & { calls: { file: string; args: string[] }[] } {
  const calls: { file: string; args: string[] }[] = [];
  return {
    dryRun: false,
    calls,
    async run(file, args) {
      calls.push({ file, args: [...args] });
      return runResult(file, answer(file, [...args]));
    },
  };
}

const specs: Record<string, Record<string, unknown>> = {
  'resource-exists': { kind: 'configmap', name: 'x', namespace: 'k8s-test' },
  'resource-absent': { kind: 'configmap', name: 'x', namespace: 'k8s-test', timeout: 1 },
  condition: { kind: 'deployment', name: 'x', namespace: 'k8s-test', condition: 'Available', timeout: 1 },
  rollout: { name: 'x', namespace: 'k8s-test', timeout: 1 },
  'jsonpath-equals': {
    kind: 'deployment',
    name: 'x',
    namespace: 'k8s-test',
    path: '.spec.replicas',
    value: 3,
    timeout: 1,
  },
  'jsonpath-at-least': {
    kind: 'deployment',
    name: 'x',
    namespace: 'k8s-test',
    path: '.spec.replicas',
    min: 3,
    timeout: 0,
  },
  'ready-replicas': { name: 'x', namespace: 'k8s-test', replicas: 3, timeout: 1 },
  'endpoints-ready': { service: 'x', namespace: 'k8s-test', timeout: 0 },
  'load-balanced': { service: 'x', namespace: 'k8s-test', port: 'http', requests: 2, timeout: 5 },
  'service-dns': { service: 'x', namespace: 'k8s-test', from: 'deployment/x' },
  'port-forward': { service: 'x', namespace: 'k8s-test' },
  'nodes-ready': { count: 3, timeout: 1 },
  'pods-on-node': { name: 'x', namespace: 'k8s-test', node: 'k8s-learn-worker2', timeout: 0 },
  // A Deployment file without spec.replicas: the check goes on to kubectl's server dry run.
  'apply-keeps': {
    path: 'test/fixtures/apply-keeps/deployment.yaml',
    kind: 'deployment',
    name: 'x',
    namespace: 'k8s-test',
    field: 'spec.replicas',
  },
  'hpa-replicas': { name: 'x', namespace: 'k8s-test', above: 1, timeout: 0 },
  'configmap-json': { name: 'x', namespace: 'k8s-test', key: 'k' },
  'configmap-cidrs': { name: 'x', namespace: 'k8s-test', key: 'k' },
  'no-alerts': { namespace: 'k8s-test' },
  'image-on-nodes': { image: 'k8s-core:1.0' },
  'can-i': {
    verb: 'list',
    resource: 'secrets',
    namespace: 'k8s-test',
    as: 'system:serviceaccount:k8s-test:x',
    allowed: false,
  },
  // The answer is read from a YAML file of the workspace (here the repository: package.json is YAML).
  'cluster-answer': {
    file: 'package.json',
    key: 'name',
    kind: 'nodes',
    jsonpath: '{.items[*].metadata.name}',
  },
};

function ctxFor(runner: Runner): CheckContext {
  return { runner, workspace: root, lang: 'en', t, vars: {}, cluster: target };
}

function expectPinned(calls: { file: string; args: string[] }[]) {
  const kubectlCalls = calls.filter((c) => c.file === 'kubectl');
  for (const call of kubectlCalls) {
    expect(call.args.slice(0, 4), call.args.join(' ')).toEqual([
      '--context',
      target.context,
      '--kubeconfig',
      target.kubeconfig,
    ]);
    expect(call.args.filter((a) => a === '--context')).toHaveLength(1);
  }
  return kubectlCalls.length;
}

describe('kubectl module', () => {
  it('pins context and kubeconfig first, and refuses overrides', () => {
    expect(pinArgs({ backend: 'kind', context: 'kind-k8s-learn' }, ['get', 'ns'])).toEqual([
      '--context',
      'kind-k8s-learn',
      'get',
      'ns',
    ]);
    expect(pinArgs(target, ['get', 'ns'])).toEqual([
      '--context',
      'k8s-learn-practice',
      '--kubeconfig',
      '/tmp/k8s-learn/kubeconfig',
      'get',
      'ns',
    ]);
    expect(() => pinArgs(target, ['--context', 'prod', 'get', 'ns'])).toThrow(/override/);
    expect(() => pinArgs(target, ['--context=prod', 'get', 'ns'])).toThrow(/override/);
    expect(() => pinArgs(target, ['get', 'ns', '--kubeconfig=/x'])).toThrow(/override/);
    expect(() => pinArgs(target, ['get', 'ns', '-s', 'https://x'])).toThrow(/override/);
    expect(() => pinArgs(target, ['--cluster=other', 'get', 'ns'])).toThrow(/override/);
    // `--user` of `create rolebinding` is an ordinary flag, not a way to another server.
    expect(pinArgs(target, ['create', 'rolebinding', 'r', '--clusterrole=view', '--user=alice'])).toContain(
      '--user=alice',
    );
    expect(() => pinArgs({ backend: 'kind', context: '' }, ['get', 'ns'])).toThrow(/without a context/);
  });

  it('shows the learner the command they would type, and the context once', () => {
    const kubectl = createKubectl(
      stubRunner(() => ({})),
      target,
    );
    expect(kubectl.display(['-n', 'k8s-test', 'get', 'pods'])).toBe('kubectl -n k8s-test get pods');
    expect(contextHint({ backend: 'kind', context: 'kind-k8s-learn' }).command).toBe(
      'kubectl config use-context kind-k8s-learn',
    );
    expect(contextHint(target).command).toMatch(
      /^export KUBECONFIG=\/tmp\/k8s-learn\/kubeconfig; kubectl config use-context k8s-learn-practice$/,
    );
  });

  it('every check type pins every kubectl call, whether kubectl succeeds or fails', async () => {
    expect(kubeCheckTypes.map((c) => c.name).sort()).toEqual(Object.keys(specs).sort());
    let total = 0;
    const answers = [
      () => ({ exitCode: 1, stderr: 'Error from server (NotFound): deployments.apps "x" not found\n' }),
      (_f: string, args: string[]) => ({
        stdout: args.includes('json') ? '{"items":[],"data":{"k":"[\\"10.0.0.0/8\\"]"},"status":{}}' : 'x\n',
      }),
      () => ({
        exitCode: 1,
        stderr: 'Unable to connect to the server: dial tcp 127.0.0.1:6443: connect: connection refused\n',
      }),
    ];
    for (const answer of answers) {
      for (const check of kubeCheckTypes as CheckType[]) {
        const runner = stubRunner(answer);
        const result = await check.run(specs[check.name]!, ctxFor(runner));
        expect(result.title, check.name).not.toMatch(/^checks\./);
        if (!result.ok) {
          expect(result.cause, check.name).toBeTruthy();
          expect(result.hint, check.name).toBeTruthy();
          expect(`${result.cause} ${result.hint} ${result.expected ?? ''}`, check.name).not.toMatch(
            /\bchecks\.\w/,
          );
        }
        const n = expectPinned(runner.calls);
        expect(n, check.name).toBeGreaterThan(0);
        total += n;
      }
    }
    expect(total).toBeGreaterThan(40);
  });

  it('alerts, the context backend and doctor pin their kubectl calls too', async () => {
    const runner = stubRunner((_f, args) => ({ stdout: args.includes('json') ? '{"items":[]}' : '' }));
    await collectSnapshot(createKubectl(runner, target), 'k8s-test');
    expectPinned(runner.calls);
    const ctxRunner = stubRunner(() => ({ stdout: '{}' }));
    await createContextBackend('team-cluster').ensure({
      runner: ctxRunner,
      ui: createScriptedUI({ answers: [true], write: () => {} }),
      t,
      workspace: '/tmp/k8s-learn-pin-test',
      yes: false,
    });
    expect(
      ctxRunner.calls
        .filter((c) => c.file === 'kubectl')
        .every((c) => c.args[0] === '--context' && c.args[1] === 'team-cluster'),
    ).toBe(true);
    const docRunner = stubRunner(() => ({ exitCode: 1, notFound: true }));
    await runDoctor({ runner: docRunner, cluster: 'auto', platform: 'linux', timeoutMs: 1000 });
    const docKubectl = docRunner.calls.filter((c) => c.file === 'kubectl');
    expect(docKubectl.length).toBeGreaterThan(0);
    expect(docKubectl.every((c) => c.args[0] === '--context')).toBe(true);
  });

  it('no source file starts kubectl except through src/kubectl.ts', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) {
          const text = readFileSync(path, 'utf8');
          const rel = relative(root, path);
          if (rel === 'src/kubectl.ts') continue;
          // A runner call, a spawn or an execa call whose program is kubectl.
          if (/\b(run|spawn|spawnSync|execa|execFile|execFileSync|exec)\(\s*['"`]kubectl/.test(text))
            offenders.push(rel);
          if (/kubectlBinary\(\)/.test(text) && rel !== 'src/kubectl.ts')
            offenders.push(`${rel} (kubectlBinary)`);
        }
      }
    };
    walk(join(root, 'src'));
    expect(offenders).toEqual([]);
  });
});
