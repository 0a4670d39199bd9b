// The committed compact schemas are exactly what scripts/gen-schemas.mjs makes from the installed
// kubernetes-types, and they cover what the issue asks for.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactSchemas } from '../../src/check/kinds.js';

const root = join(import.meta.dirname, '../..');

describe('generated schemas', () => {
  it('are up to date with the generator', () => {
    const r = spawnSync(process.execPath, ['scripts/gen-schemas.mjs', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('have every type they reference, and the required fields the API insists on', () => {
    const { types, kinds } = compactSchemas;
    for (const root of Object.values(kinds)) expect(types[root], root).toBeDefined();
    for (const [name, t] of Object.entries(types))
      for (const [field, ref] of Object.entries(t.f)) {
        const bare = ref.replace(/^[[{]+/, '');
        if (bare.includes('.') && !bare.startsWith('e:'))
          expect(types[bare], `${name}.${field}`).toBeDefined();
      }
    expect(types['apps.v1.DeploymentSpec']!.r).toEqual(['selector', 'template']);
    expect(types['core.v1.Container']!.r).toEqual(['name']);
    expect(types['core.v1.ServicePort']!.f.targetPort).toBe('is');
    expect(types['core.v1.ResourceRequirements']!.f.requests).toBe('{q');
    expect(kinds['kind.x-k8s.io/v1alpha4/Cluster']).toBe('kind.v1alpha4.Cluster');
    expect(compactSchemas.known.Deployment).toEqual(['apps/v1']);
  });
});
