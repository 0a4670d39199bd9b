// The practice backend for real: `auto` on a machine without Docker picks it, `practice start`
// runs the daemon (built CLI), checks and image loading go through the pinned kubectl, the target
// is found again for read-only commands, and cleanup stops it. Everything under a temp HOME.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAndLoadImage } from '../../src/backends/image.js';
import { prepareCluster, selectBackend } from '../../src/backends/index.js';
import { findTarget } from '../../src/backends/target.js';
import type { BackendEnv } from '../../src/backends/types.js';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import type { CheckType } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createKubectl } from '../../src/kubectl.js';
import { createRunner } from '../../src/runner.js';
import { createScriptedUI } from '../../src/ui/scripted.js';
import { fakeMachine } from '../fakes/env.js';

const t = createTranslator('en');
const machine = fakeMachine({ tools: [] });
const home = mkdtempSync(join(tmpdir(), 'k8s-learn-practice-home-'));
const env: NodeJS.ProcessEnv = {
  ...machine.env,
  HOME: home,
  K8S_LEARN_PRACTICE_DIR: join(home, 'practice'),
  KUBECONFIG: join(home, 'kube', 'config'),
};
const runner = createRunner({ env });
const lines: string[] = [];
const backendEnv: BackendEnv = {
  runner,
  ui: createScriptedUI({ write: (l) => lines.push(l) }),
  t,
  workspace: join(home, 'lab'),
  yes: true,
};

afterAll(async () => {
  // Stop the daemon whatever happened above.
  await runner.run(
    process.execPath,
    [join(import.meta.dirname, '../../bin/k8s-learn.js'), 'practice', 'stop'],
    { timeoutMs: 20_000 },
  );
});

describe('practice backend, end to end', () => {
  it('auto without Docker: starts the practice cluster, checks pass, images load, cleanup stops it', async () => {
    const selection = await selectBackend('auto', runner, t);
    expect(selection.backend.name).toBe('practice');
    expect(selection.reason).toMatch(/Docker is not installed/);

    const { target } = await prepareCluster('auto', backendEnv);
    expect(target).toMatchObject({ backend: 'practice', context: 'k8s-learn-practice' });
    expect(target.kubeconfig).toBeTruthy();
    expect(lines.join('\n')).toMatch(/Commands run against the context k8s-learn-practice/);

    const ctx = { runner, workspace: backendEnv.workspace, lang: 'en', t, vars: {}, cluster: target };
    const byName = (n: string) => (kubeCheckTypes as CheckType[]).find((c) => c.name === n)!;
    expect(await byName('nodes-ready').run({ count: 3, timeout: 20 }, ctx)).toMatchObject({ ok: true });
    expect(await byName('resource-exists').run({ kind: 'namespace', name: 'default' }, ctx)).toMatchObject({
      ok: true,
    });

    await buildAndLoadImage(backendEnv, selection.backend, 'k8s-core:1.0', '/unused');
    const images = await createKubectl(runner, target).run([
      'get',
      'nodes',
      '-o',
      'jsonpath={.items[*].status.images[*].names[*]}',
    ]);
    expect(images.stdout).toMatch(/k8s-core:1\.0/);
    // No docker call was made for the practice cluster (it runs no containers).
    expect(machine.calls()).toEqual([]);

    // Read-only commands find the running cluster again without starting anything.
    expect(
      await findTarget(
        { workspace: join(home, 'nowhere'), cluster: 'practice', clusterGiven: true },
        runner,
        t,
      ),
    ).toEqual(target);

    expect(await selection.backend.remove(backendEnv)).toBe(true);
    await expect(
      findTarget({ workspace: join(home, 'nowhere'), cluster: 'practice', clusterGiven: true }, runner, t),
    ).rejects.toThrow(/not running/);
  });
});
