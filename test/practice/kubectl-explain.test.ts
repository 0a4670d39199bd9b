// kubectl explain against the practice cluster's OpenAPI v3 schemas (Kubernetes 1.33, with enums),
// and the proof that serving them does not change how kubectl builds its patches: the same command
// sequence sends byte-identical write requests with the schemas served and without them, for the
// dispatcher's kubectl 1.33 and the bundled 1.27 and 1.29 (each computes apply patches differently).
// For built-in kinds a patch computed from the schemas would mostly come out the same bytes, so the
// mechanism is pinned too: no PATCH operation offers a strategic-merge request body (kubectl's gate
// for OpenAPI v3 patches), and kubectl 1.33 logs at -v=5 that it fell back to its compiled-in types.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiSchemasFromEnv } from '../../src/practice/index.js';
import { RESOURCES } from '../../src/practice/resources.js';
import type { ObservedRequest } from '../../src/practice/server/context.js';
import { openapiDocument, schemaPool } from '../../src/practice/server/openapi.js';
import { createRunner } from '../../src/runner.js';
import { kubectlPath, startTestCluster, type TestCluster } from '../helpers/practice.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'practice');
const f = (name: string) => join(fixtures, name);
const bundled = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

describe('the published schemas', () => {
  it('are on unless K8S_LEARN_PRACTICE_OPENAPI_SCHEMAS turns them off', () => {
    expect(openapiSchemasFromEnv({})).toBe(true);
    expect(openapiSchemasFromEnv({ K8S_LEARN_PRACTICE_OPENAPI_SCHEMAS: '1' })).toBe(true);
    for (const off of ['0', 'false', 'off', 'no', ' OFF ']) {
      expect(openapiSchemasFromEnv({ K8S_LEARN_PRACTICE_OPENAPI_SCHEMAS: off })).toBe(false);
    }
  });

  it('has a schema for every built-in served kind, tagged with its group-version-kind', () => {
    const { schemas, byKind } = schemaPool();
    const missing = RESOURCES.filter((d) => !d.custom).flatMap((d) =>
      d.versions
        .filter((v) => !byKind.has(`${d.group}/${v}/${d.kind}`))
        .map((v) => `${d.group}/${v}/${d.kind}`),
    );
    expect(missing).toEqual([]);
    expect(schemas['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
  });

  it('publishes no strategic-merge request bodies, so kubectl never builds apply patches from them', () => {
    const doc = JSON.parse(openapiDocument('apps', 'v1', { schemas: true }).body);
    expect(Object.keys(doc.components.schemas)).toContain('io.k8s.api.core.v1.PodSpec');
    const operations = Object.values(doc.paths as Record<string, Record<string, Record<string, unknown>>>);
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) expect(op.patch?.requestBody).toBeUndefined();
    const off = JSON.parse(openapiDocument('apps', 'v1', { schemas: false }).body);
    expect(off.components.schemas).toEqual({});
    expect(off.paths).toEqual(doc.paths);
  });
});

describe('kubectl explain', () => {
  let t: TestCluster;
  beforeAll(async () => {
    t = await startTestCluster({ plugins: [] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const explain = async (...args: string[]) => {
    const r = await t.kubectl(['explain', ...args]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('explains a kind: pods', async () => {
    const out = await explain('pods');
    expect(out.startsWith('KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n')).toBe(true);
    expect(out).toContain(
      '    Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.\n',
    );
    expect(out).toContain('  spec\t<PodSpec>\n    Specification of the desired behavior of the pod.');
    expect(out).toContain('  metadata\t<ObjectMeta>\n');
  });

  it('explains a field path: deployment.spec and deployment.spec.template.spec.containers', async () => {
    const spec = await explain('deployment.spec');
    expect(spec).toMatch(
      /^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n\nFIELD: spec <DeploymentSpec>\n/,
    );
    expect(spec).toContain('  selector\t<LabelSelector> -required-\n');
    expect(spec).toContain('  replicas\t<integer>\n    Number of desired pods.');
    const containers = await explain('deployment.spec.template.spec.containers');
    expect(containers).toContain('FIELD: containers <[]Container>\n');
    expect(containers).toContain('  image\t<string>\n');
    expect(containers).toContain('  name\t<string> -required-\n');
    expect(containers).toContain('  resources\t<ResourceRequirements>\n');
  });

  it('prints enums as a 1.33 API server publishes them', async () => {
    const policy = await explain('pod.spec.restartPolicy');
    expect(policy).toContain('FIELD: restartPolicy <string>\nENUM:\n    Always\n    Never\n    OnFailure\n');
    expect(policy).toContain('    Possible enum values:\n     - `"Always"`\n');
    const strategy = await explain('deployment.spec.strategy');
    expect(strategy).toContain('  type\t<string>\n  enum: Recreate, RollingUpdate\n');
  });

  it('--recursive lists nested fields', async () => {
    const out = await explain('deployment.spec.strategy', '--recursive');
    expect(out).toContain(
      'FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n',
    );
  });

  it('--api-version picks another served version (HPA v1 instead of the preferred v2)', async () => {
    expect(await explain('hpa.spec')).toContain('VERSION:    v2\n');
    const v1 = await explain('hpa.spec', '--api-version=autoscaling/v1');
    expect(v1).toContain('VERSION:    v1\n');
    expect(v1).toContain('  targetCPUUtilizationPercentage\t<integer>\n');
  });

  it('explains the kinds of every served group', async () => {
    const cases: [string, string][] = [
      ['jobs.spec.backoffLimit', 'FIELD: backoffLimit <integer>'],
      ['cronjobs.spec', 'FIELD: spec <CronJobSpec>'],
      ['statefulsets.spec.serviceName', 'FIELD: serviceName <string>'],
      ['daemonsets', 'KIND:       DaemonSet'],
      ['ingress.spec.rules', 'FIELD: rules <[]IngressRule>'],
      ['networkpolicies.spec', 'FIELD: spec <NetworkPolicySpec>'],
      ['pvc.spec.accessModes', 'FIELD: accessModes <[]string>'],
      ['pdb.spec', 'GROUP:      policy'],
      ['storageclasses', 'KIND:       StorageClass'],
      ['roles.rules', 'FIELD: rules <[]PolicyRule>'],
      ['clusterrolebindings.roleRef', 'FIELD: roleRef <RoleRef>'],
      ['endpointslices', 'GROUP:      discovery.k8s.io'],
      ['events.note --api-version=events.k8s.io/v1', 'FIELD: note <string>'],
      ['configmaps.data', 'FIELD: data <map[string]string>'],
      ['resourcequotas.spec.hard', 'FIELD: hard <map[string]Quantity>'],
      ['crd.spec.names', 'FIELD: names <CustomResourceDefinitionNames>'],
      ['priorityclasses.value', 'FIELD: value <integer>'],
      ['leases.spec', 'GROUP:      coordination.k8s.io'],
      ['serviceaccounts', 'KIND:       ServiceAccount'],
    ];
    for (const [args, expected] of cases) expect(await explain(...args.split(' ')), args).toContain(expected);
  });

  it('answers an unknown field as kubectl does', async () => {
    const r = await t.kubectl(['explain', 'deployment.spec.replica']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: field "replica" does not exist\n');
  });

  it("explains a custom resource from its CRD's openAPIV3Schema", async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'crontabs.stable.example.com' },
      spec: {
        group: 'stable.example.com',
        scope: 'Namespaced',
        names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    description: 'What the CronTab runs and when.',
                    properties: { cronSpec: { type: 'string' }, replicas: { type: 'integer' } },
                  },
                },
              },
            },
          },
        ],
      },
    };
    expect((await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(crd) })).code).toBe(0);
    let out = '';
    for (let i = 0; i < 40 && !out.includes('cronSpec'); i++) {
      out = (await t.kubectl(['explain', 'ct.spec'])).stdout;
      if (!out.includes('cronSpec')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain('GROUP:      stable.example.com\nKIND:       CronTab\n');
    expect(out).toContain('    What the CronTab runs and when.\n');
    expect(out).toContain('  cronSpec\t<string>\n');
    expect(await explain('crontabs')).toContain('  metadata\t<ObjectMeta>\n');
  });

  it.skipIf(!existsSync(bundled(27)))('works with kubectl 1.27 too', async () => {
    const r = await createRunner().run(bundled(27), ['explain', 'job.spec.backoffLimit'], {
      env: { KUBECONFIG: t.cluster.kubeconfigPath, KUBECACHEDIR: join(t.dataDir, 'cache-27') },
      timeoutMs: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('FIELD: backoffLimit <integer>\n');
  });
});

describe('without schemas', () => {
  it('kubectl explain fails as it did before they were served', async () => {
    const t = await startTestCluster({ plugins: [], openapiSchemas: false });
    try {
      const r = await t.kubectl(['explain', 'deployment.spec']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'error: GVK map[group:apps kind:Deployment version:v1] not found in OpenAPI schema\n',
      );
    } finally {
      await t.stop();
    }
  });
});

/** writes runs a command sequence that makes kubectl build every kind of patch; returns the writes. */
async function writes(kubectl: string, schemas: boolean): Promise<string[]> {
  const seen: ObservedRequest[] = [];
  const t = await startTestCluster({
    plugins: [],
    openapiSchemas: schemas,
    onRequest: (r) => {
      if (r.method !== 'GET') seen.push(r);
    },
  });
  try {
    const runner = createRunner();
    const env = {
      KUBECONFIG: t.cluster.kubeconfigPath,
      KUBECACHEDIR: join(t.dataDir, 'cache'),
      HOME: t.dataDir,
      PATH: process.env.PATH,
      KUBE_EDITOR: `sed -i 's/replicas: 3/replicas: 5/'`,
    };
    const run = async (args: string[], ok = true) => {
      const r = await runner.run(kubectl, args, { env, timeoutMs: 60_000 });
      if (ok && r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
      return r;
    };
    await run(['apply', '-f', f('app.yaml')]);
    await run(['apply', '-f', f('app-v2.yaml')]); // client-side apply: a three-way strategic merge patch
    await run(['diff', '-f', f('app.yaml')], false); // the same patch, as a server-side dry run
    await run(['-n', 'demo', 'edit', 'deployment', 'web']); // a two-way strategic merge patch
    await run(['-n', 'demo', 'set', 'image', 'deployment/web', 'web=nginx:1.28']);
    await run(['-n', 'demo', 'scale', 'deployment', 'web', '--replicas=2']);
    await run(['-n', 'demo', 'rollout', 'restart', 'deployment/web']);
    await run(['-n', 'demo', 'label', 'deployment', 'web', 'tier=front']);
    await run(['apply', '--server-side', '--force-conflicts', '-f', f('app.yaml')]);
    await run(['create', '--validate=strict', '-f', f('bad-field.yaml')], false);
    // Timestamps (rollout restart's restartedAt) are the only thing allowed to differ.
    return seen.map(
      (r) =>
        `${r.method} ${r.path}${r.query} ${r.contentType ?? '-'}\n${r.body
          .toString('utf8')
          .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')}`,
    );
  } finally {
    await t.stop();
  }
}

describe('kubectl builds the same patches with and without the schemas', () => {
  const clients: [string, string][] = [
    ['1.33 (dispatcher)', kubectlPath],
    ['1.29', bundled(29)],
    ['1.27', bundled(27)],
  ];
  for (const [name, bin] of clients) {
    it.skipIf(bin !== kubectlPath && !existsSync(bin))(`kubectl ${name}`, async () => {
      const withSchemas = await writes(bin, true);
      const without = await writes(bin, false);
      expect(withSchemas).toEqual(without);
      // The sequence did reach kubectl's patch builders.
      const joined = withSchemas.join('\n');
      expect(joined).toMatch(/kubectl-client-side-apply\S* application\/strategic-merge-patch\+json\n/);
      expect(joined).toContain('{"$patch":"delete","name":"A"}'); // apply-v2 drops env A
      expect(joined).toContain('application/strategic-merge-patch+json\n{"spec":{"replicas":5}}'); // edit
      expect(joined).toContain('"$setElementOrder/containers":[{"name":"web"}]'); // set image
      expect(joined).toContain('"kubectl.kubernetes.io/restartedAt":"<time>"'); // rollout restart
      expect(joined).toContain('application/apply-patch+yaml');
      expect(joined).toContain('dryRun=All');
      expect(joined).toContain('fieldValidation=Strict');
    });
  }

  it('kubectl 1.33 says itself that it does not take apply patches from OpenAPI v3', async () => {
    const t = await startTestCluster({ plugins: [], openapiSchemas: true });
    try {
      await t.kubectl(['apply', '-f', f('app.yaml')]);
      const r = await t.kubectl(['apply', '-f', f('app-v2.yaml'), '-v=5']);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        'OpenAPI V3 path does not support strategic merge patch - group: apps, version v1, kind Deployment',
      );
      expect(r.stderr).not.toContain('error calculating patch from openapi');
    } finally {
      await t.stop();
    }
  });
});
