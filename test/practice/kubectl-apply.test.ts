// apply both ways (client-side with removals, server-side with conflicts and force), strict field
// validation, and the validation errors the article's mistakes produce, as kubectl prints them.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'practice');
const f = (name: string) => join(fixtures, name);
// Every test runs twice: with the OpenAPI schemas served (kubectl explain works) and without
// them, to show that kubectl builds the same patches either way (server/openapi.ts).
describe.each([true, false])('OpenAPI schemas served: %s', (schemas) => {
  let t: TestCluster;

  beforeAll(async () => {
    // No controllers (part 2): these tests pin down the API server alone, status written by hand.
    t = await startTestCluster({ plugins: [], openapiSchemas: schemas });
  });

  afterAll(async () => {
    await t?.stop();
  });

  describe('kubectl apply', () => {
    it('creates a 4-object file, then reports it unchanged', async () => {
      const first = await t.kubectl(['apply', '-f', f('app.yaml')]);
      expect(first.stderr).toBe('');
      expect(first.stdout).toBe(
        'namespace/demo created\nconfigmap/web-config created\ndeployment.apps/web created\nservice/web created\n',
      );
      const again = await t.kubectl(['apply', '-f', f('app.yaml')]);
      expect(again.stdout).toBe(
        'namespace/demo unchanged\nconfigmap/web-config unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n',
      );
    });

    it('updates with a strategic merge patch that removes a list entry and bumps generation', async () => {
      const r = await t.kubectl(['apply', '-f', f('app-v2.yaml')]);
      expect(r.stdout).toContain('deployment.apps/web configured');
      const d = JSON.parse((await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'json'])).stdout);
      expect(d.spec.replicas).toBe(3);
      expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');
      expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'B', value: '2' }]);
      expect(d.metadata.generation).toBe(2);
    });

    it('server-side apply reports conflicts with the client-side manager, and --force-conflicts takes over', async () => {
      const conflict = await t.kubectl(['apply', '--server-side', '-f', f('app.yaml')]);
      expect(conflict.code).toBe(1);
      expect(conflict.stderr).toContain(
        'error: Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:',
      );
      expect(conflict.stderr).toContain('- .spec.replicas\n');
      expect(conflict.stderr).toContain('- .spec.template.spec.containers[name="web"].image\n');
      const forced = await t.kubectl(['apply', '--server-side', '--force-conflicts', '-f', f('app.yaml')]);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('deployment.apps/web serverside-applied');
      const d = JSON.parse(
        (await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'json', '--show-managed-fields']))
          .stdout,
      );
      expect(d.spec.replicas).toBe(2);
      expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.25');
      const managers = d.metadata.managedFields.map(
        (m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`,
      );
      expect(managers).toContain('kubectl/Apply');
    });

    it('server-side apply creates missing objects', async () => {
      await t.kubectl(['delete', 'ns', 'demo']);
      const r = await t.kubectl(['apply', '--server-side', '-f', f('app.yaml')]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('namespace/demo serverside-applied');
      expect(r.stdout).toContain('service/web serverside-applied');
    });

    it('server-side apply removes what the manager no longer applies', async () => {
      const r = await t.kubectl(['apply', '--server-side', '-f', f('app-v2.yaml')]);
      expect(r.stderr).toBe('');
      const d = JSON.parse((await t.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'json'])).stdout);
      expect(d.spec.replicas).toBe(3);
      expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'B', value: '2' }]);
      expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    });
  });

  describe('field validation', () => {
    it('rejects unknown fields with strict decoding (client-side) and "field not declared in schema" (server-side)', async () => {
      const csa = await t.kubectl(['apply', '-f', f('bad-field.yaml')]);
      expect(csa.stderr).toBe(
        `Error from server (BadRequest): error when creating "${f('bad-field.yaml')}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.clusterIP", unknown field "spec.template.spec.containers[0].imagePullPolicyy"\n`,
      );
      const ssa = await t.kubectl(['apply', '--server-side', '-f', f('bad-field.yaml')]);
      expect(ssa.stderr).toContain('.spec.clusterIP: field not declared in schema');
    });

    it('warns with --validate=warn and drops the unknown fields', async () => {
      const r = await t.kubectl(['apply', '--validate=warn', '-f', f('bad-field.yaml')]);
      expect(r.stderr).toContain('Warning: unknown field "spec.clusterIP"');
      expect(r.stdout).toBe('deployment.apps/typo created\n');
      const d = JSON.parse((await t.kubectl(['-n', 'demo', 'get', 'deploy', 'typo', '-o', 'json'])).stdout);
      expect(d.spec.clusterIP).toBeUndefined();
    });
  });

  describe("the article's mistakes", () => {
    it('Deployment under apiVersion v1: the mapping error', async () => {
      const r = await t.kubectl(['apply', '-f', f('v1deploy.yaml')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error: resource mapping not found for name: "k8s-test" namespace: "k8s-test" from "${f('v1deploy.yaml')}": no matches for kind "Deployment" in version "v1"\nensure CRDs are installed first\n`,
      );
    });

    it('clusterIP inside a Deployment spec: strict decoding error', async () => {
      await t.kubectl(['create', 'ns', 'k8s-test']);
      const r = await t.kubectl(['create', '-f', f('cluster-ip-in-deployment.yaml')]);
      expect(r.stderr).toBe(
        `Error from server (BadRequest): error when creating "${f('cluster-ip-in-deployment.yaml')}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.clusterIP"\n`,
      );
    });

    it('a ConfigMap named configMap: RFC 1123 subdomain', async () => {
      const r = await t.kubectl(['apply', '-f', f('badcm.yaml')]);
      expect(r.stderr).toBe(
        `The ConfigMap "configMap" is invalid: metadata.name: Invalid value: "configMap": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`,
      );
    });

    it('several errors at once, one line each', async () => {
      const r = await t.kubectl(['apply', '-f', f('invalid.yaml')]);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe('The Deployment "Bad_Name" is invalid: ');
      expect(lines).toContain('* spec.replicas: Invalid value: -1: must be greater than or equal to 0');
      expect(lines).toContain(
        '* spec.template.metadata.labels: Invalid value: {"app":"two"}: `selector` does not match template `labels`',
      );
      expect(lines).toContain(
        `* spec.template.spec.volumes[0].name: Invalid value: "configMap": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      );
    });

    it('accepts what the API cannot know is wrong, with :latest defaulting to imagePullPolicy Always', async () => {
      const r = await t.kubectl(['apply', '-f', f('article-mistakes.yaml')]);
      expect(r.stderr).toBe('');
      const policy = await t.kubectl([
        '-n',
        'k8s-test',
        'get',
        'deploy',
        'k8s-core',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].imagePullPolicy}',
      ]);
      expect(policy.stdout).toBe('Always');
    });

    it('immutable selector and a Service name that is not a DNS-1035 label', async () => {
      const sel = await t.kubectl([
        '-n',
        'demo',
        'patch',
        'deploy',
        'web',
        '--type=merge',
        '-p',
        '{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}',
      ]);
      expect(sel.stderr).toContain(
        'The Deployment "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"other"}}: field is immutable',
      );
      const svc = await t.kubectl(['-n', 'demo', 'create', 'service', 'clusterip', '1web', '--tcp=80']);
      expect(svc.stderr).toContain(
        `error: failed to create ClusterIP service: Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character`,
      );
    });

    it('resources: an unparsable quantity is a decode error, requests above limits are invalid', async () => {
      const bad = await t.kubectl(['apply', '-f', f('bad-quantity.yaml')]);
      expect(bad.stderr).toBe(
        `Error from server (BadRequest): error when creating "${f('bad-quantity.yaml')}": Deployment in version "v1" cannot be handled as a Deployment: unable to parse quantity's suffix\n`,
      );
      const over = await t.kubectl(['apply', '-f', f('requests-over-limits.yaml')]);
      expect(over.stderr).toBe(
        'The Deployment "res" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1\n',
      );
    });
  });
});
