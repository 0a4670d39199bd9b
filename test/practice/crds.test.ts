// CustomResourceDefinitions with the real kubectl: the docs' CronTab example is stored,
// Established, served (api-resources, create, get with its printer columns), and goes away
// with its objects when the CRD is deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ plugins: [] });
});

afterAll(async () => {
  await t?.stop();
});

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec: {type: string}
                image: {type: string}
                replicas: {type: integer}
      additionalPrinterColumns:
        - name: Spec
          type: string
          jsonPath: .spec.cronSpec
        - name: Replicas
          type: integer
          jsonPath: .spec.replicas
        - name: Age
          type: date
          jsonPath: .metadata.creationTimestamp
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames: [ct]
`;

describe('CustomResourceDefinitions', () => {
  it('serves a CRD’s resource once it is Established', async () => {
    let r = await t.kubectl(['apply', '-f', '-'], { input: CRD });
    expect(r.stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n',
    );
    r = await t.kubectl([
      'wait',
      '--for=condition=Established',
      'crd/crontabs.stable.example.com',
      '--timeout=10s',
    ]);
    expect(r.stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com condition met\n',
    );
    r = await t.kubectl(['api-resources', '--api-group=stable.example.com']);
    expect(r.stdout).toMatch(/\ncrontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab\n/);
    r = await t.kubectl(['apply', '-f', '-'], {
      input:
        'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: my-new-cron-object\nspec:\n  cronSpec: "* * * * */5"\n  image: my-awesome-cron-image\n  replicas: 2\n',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('crontab.stable.example.com/my-new-cron-object created\n');
    r = await t.kubectl(['get', 'ct']);
    expect(r.stdout).toMatch(
      /^NAME\s+SPEC\s+REPLICAS\s+AGE\nmy-new-cron-object\s+\* \* \* \* \*\/5\s+2\s+\d+s\n$/,
    );
    r = await t.kubectl(['get', 'crontab', 'my-new-cron-object', '-o', 'jsonpath={.spec.image}']);
    expect(r.stdout).toBe('my-awesome-cron-image');
  });

  it('stops serving and removes the objects when the CRD is deleted', async () => {
    await t.kubectl(['delete', 'crd', 'crontabs.stable.example.com']);
    await expect
      .poll(() => t.cluster.store.list('crontabs.stable.example.com').items.length, { timeout: 5000 })
      .toBe(0);
    // kubectl still has the resource in its discovery cache; the server answers 404.
    const r = await t.kubectl(['get', 'crontabs']);
    expect(r.stderr).toBe(
      'Error from server (NotFound): Unable to list "stable.example.com/v1, Resource=crontabs": the server could not find the requested resource\n',
    );
  });
});
