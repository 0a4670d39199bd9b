// A corpus of correct manifests (every covered kind, kind's Cluster config, tricky valid cases such
// as named target ports, multi-container pods, kustomize output, empty ConfigMap data) produces no
// errors — checked file by file and all together.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifests } from '../../src/check/index.js';
import { compactSchemas } from '../../src/check/kinds.js';

const dir = join(import.meta.dirname, '../fixtures/check/valid');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const inputs = files.map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));

describe('valid corpus', () => {
  it('has at least 20 files covering every schema-checked kind the issue names', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    const all = inputs.map((i) => i.text).join('\n');
    for (const kind of [
      'Namespace',
      'ConfigMap',
      'Secret',
      'ServiceAccount',
      'Deployment',
      'ReplicaSet',
      'Pod',
      'Service',
      'HorizontalPodAutoscaler',
      'Role',
      'RoleBinding',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Ingress',
      'Cluster',
    ]) {
      expect(all, kind).toMatch(new RegExp(`^kind: ${kind}$`, 'm'));
      expect(
        Object.keys(compactSchemas.kinds).some((k) => k.endsWith(`/${kind}`)),
        kind,
      ).toBe(true);
    }
  });

  it.each(files)('%s alone: no errors and no warnings', (file) => {
    const findings = checkManifests(inputs.filter((i) => i.path === file));
    expect(findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.message}`)).toEqual([]);
  });

  it('all together: no findings at all (every reference resolves, no duplicates)', () => {
    expect(checkManifests(inputs).map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`)).toEqual([]);
  });
});
