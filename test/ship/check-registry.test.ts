// The lazy registry and the name lists agree with the checks' code, so a new check type cannot be
// known to the validators but missing from the engine (or the other way round).
import { describe, expect, it } from 'vitest';
import { checkTypes } from '../../src/checks/all.js';
import { kubeCheckTypes } from '../../src/checks/kube/index.js';
import { kubeCheckNames } from '../../src/checks/kube/names.js';
import { checkTypeNames, findCheckType } from '../../src/checks/registry.js';

describe('check registry', () => {
  it('names every check type, and the kube list matches the kube checks', () => {
    expect([...kubeCheckNames].sort()).toEqual(kubeCheckTypes.map((c) => c.name).sort());
    expect([...checkTypeNames].sort()).toEqual(checkTypes.map((c) => c.name).sort());
    expect(findCheckType('nope')).toBeUndefined();
    expect(findCheckType('constructor')).toBeUndefined();
  });

  it('loads a check’s code on first run', async () => {
    const file = findCheckType('file')!;
    const r = await file.run({ path: 'missing.txt' } as never, {
      runner: { dryRun: false, run: async () => ({}) as never },
      workspace: '/nonexistent',
      lang: 'en',
      t: (k: string) => k,
      vars: {},
    });
    expect(r.ok).toBe(false);
  });
});
