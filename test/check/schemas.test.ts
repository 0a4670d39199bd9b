// The committed compact schemas are exactly what scripts/gen-schemas.mjs makes from the installed
// kubernetes-models (Kubernetes 1.33 OpenAPI), with upstream defaulting applied, and they cover what
// the issues ask for.
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
  }, 90_000); // reads ~4,400 declaration files: about a CPU second, much longer on a loaded machine

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

  it('are Kubernetes 1.33: its fields exist, required-but-defaulted fields are not required', () => {
    const { types, source, defaulted } = compactSchemas;
    expect(source).toContain('Kubernetes OpenAPI 1.33');
    expect(types['core.v1.PodSpec']!.f.resources).toBe('core.v1.ResourceRequirements'); // pod-level resources, 1.32+
    expect(types['core.v1.Volume']!.f.image).toBe('core.v1.ImageVolumeSource'); // image volumes, 1.31+
    expect(types['apps.v1.StatefulSetSpec']!.r).toEqual(['selector', 'template']); // serviceName optional since 1.32
    // SetDefaults_Job: an onPodConditions pattern's status defaults to True.
    expect(defaulted).toContain('batch.v1.PodFailurePolicyOnPodConditionsPattern.status');
    expect(types['batch.v1.PodFailurePolicyOnPodConditionsPattern']!.r).toEqual(['type']);
    // Still required where the server requires them: a RoleBinding's roleRef.kind.
    expect(types['rbac.v1.RoleRef']!.r).toEqual(expect.arrayContaining(['apiGroup', 'kind', 'name']));
    // Enums the API server enforces, straight from the OpenAPI definitions.
    expect(types['core.v1.Toleration']!.f.operator).toBe('e:Equal|Exists');
    // API versions 1.33 no longer serves are not places a kind lives.
    expect(compactSchemas.known.CronJob).toEqual(['batch/v1']);
  });
});
