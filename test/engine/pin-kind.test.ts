// The scaling/pin step on the kind path, with the fake kind and docker (test/fakes) and kubectl
// answered by a stub: the node it labels is kind's second worker, every kubectl call is pinned to
// kind's context, and the node is labelled before the manifest that asks for the label is applied.
// (Nothing here ran on a real kind cluster: docs/practice-workloads.md says what is verified where.)
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

/** What `kubectl get deployments,replicasets,pods -o json` lists once both pods run on worker2. */
function pinnedList(): string {
  const revision = { 'deployment.kubernetes.io/revision': '1' };
  const pod = (name: string) => ({
    kind: 'Pod',
    metadata: { name, ownerReferences: [{ kind: 'ReplicaSet', name: 'k8s-reports-7d9' }] },
    spec: { nodeName: 'k8s-learn-worker2', nodeSelector: { disktype: 'ssd' } },
    status: { phase: 'Running' },
  });
  return JSON.stringify({
    items: [
      {
        kind: 'Deployment',
        metadata: { name: 'k8s-reports', generation: 1, annotations: revision },
        spec: { replicas: 2, template: { spec: { nodeSelector: { disktype: 'ssd' } } } },
        status: { observedGeneration: 1 },
      },
      {
        kind: 'ReplicaSet',
        metadata: {
          name: 'k8s-reports-7d9',
          annotations: revision,
          ownerReferences: [{ kind: 'Deployment', name: 'k8s-reports' }],
        },
      },
      pod('k8s-reports-7d9-a'),
      pod('k8s-reports-7d9-b'),
    ],
  });
}

it('pin on kind: labels k8s-learn-worker2, applies the corrected manifest, and checks where the pods run', async () => {
  const machine = fakeMachine();
  const runner = recordingRunner(machine.env, (a) => {
    if (a.includes('rollout') && a.includes('status'))
      return { stdout: 'deployment "k8s-reports" successfully rolled out\n' };
    if (a.includes('jsonpath={.spec.template.spec.nodeSelector.disktype}')) return { stdout: 'ssd' };
    if (a.includes('deployments,replicasets,pods')) return { stdout: pinnedList() };
    if (a.includes('version')) return { stdout: 'Client Version: v1.33.1' };
    return {};
  });
  const code = await solve(
    args(ws.dir, { course, cluster: 'kind', yes: true }, { positionals: ['scaling/pin'] }),
    { ui: scripted().ui, runner },
  );
  expect(code).toBe(0);
  const kubectl = runner.calls.filter((c) => c.file === 'kubectl').map((c) => c.args.join(' '));
  const pin = '--context kind-k8s-learn';
  expect(kubectl).toContain(`${pin} label node k8s-learn-worker2 disktype=ssd --overwrite`);
  expect(kubectl).toContain(`${pin} apply -f k8s/k8s-reports.yaml`);
  expect(kubectl).toContain(`${pin} rollout status deployment/k8s-reports -n k8s-test --timeout=120s`);
  expect(kubectl).toContain(`${pin} get deployments,replicasets,pods -n k8s-test -o json`);
  const at = (s: string) => kubectl.findIndex((c) => c.includes(s));
  expect(at('label node k8s-learn-worker2')).toBeLessThan(at('apply -f k8s/k8s-reports.yaml'));
  // The kind cluster came from the fake kind, not from anything on this machine.
  expect(machine.calls().some((c) => c[0] === 'kind' && c[1] === 'create')).toBe(true);
  // The corrected manifest asks for the label the node got, in the same case.
  const manifest = readFileSync(join(ws.dir, 'k8s/k8s-reports.yaml'), 'utf8');
  expect(manifest).toMatch(/nodeSelector:\n {8}disktype: ssd\n/);
  expect(manifest).toContain('replicas: 2');
});
