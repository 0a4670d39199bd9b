// A kubectl whose output does not parse never passes a check: a wrapper that prints something else
// and exits 0 fails rollout, namespace (resource-exists), condition and replica checks.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckContext } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createRunner } from '../../src/runner.js';
import { tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
let ctx: CheckContext;
beforeAll(() => {
  ws = tempWorkspace();
  const fake = join(ws.dir, 'kubectl');
  writeFileSync(fake, '#!/bin/sh\necho "<html>proxy login page</html>"\nexit 0\n');
  chmodSync(fake, 0o755);
  process.env.K8S_LEARN_KUBECTL = fake;
  ctx = {
    runner: createRunner(),
    workspace: ws.dir,
    lang: 'en',
    t: createTranslator('en'),
    vars: {},
    cluster: { backend: 'context', context: 'course' },
  };
});
afterAll(() => {
  delete process.env.K8S_LEARN_KUBECTL;
  ws.cleanup();
});

const check = (name: string) => {
  const type = kubeCheckTypes.find((c) => c.name === name);
  if (!type) throw new Error(`no check ${name}`);
  return type;
};

describe('a kubectl printing garbage with exit 0', () => {
  it.each([
    ['resource-exists', { kind: 'namespace', name: 'k8s-test' }],
    ['rollout', { name: 'k8s-core', namespace: 'k8s-test', timeout: 1 }],
    [
      'condition',
      { kind: 'deployment', name: 'k8s-core', namespace: 'k8s-test', condition: 'Available', timeout: 1 },
    ],
    ['ready-replicas', { name: 'k8s-core', namespace: 'k8s-test', replicas: 2, timeout: 1 }],
    [
      'jsonpath-equals',
      {
        kind: 'deployment',
        name: 'k8s-core',
        namespace: 'k8s-test',
        path: '{.spec.replicas}',
        value: '2',
        timeout: 0,
      },
    ],
    ['nodes-ready', { timeout: 1 }],
  ])('fails %s', async (name, spec) => {
    const result = await check(name).run(spec as never, ctx);
    expect(result.ok).toBe(false);
  });

  it('says what it saw', async () => {
    const result = await check('rollout').run({ name: 'k8s-core', timeout: 1 } as never, ctx);
    expect(`${result.saw}`).toContain('proxy login page');
  });
});
