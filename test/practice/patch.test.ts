import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../src/practice/server/patch.js';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      spec: {
        volumes: [{ name: 'cfg', configMap: { name: 'c' } }],
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
          },
          { name: 'sidecar', image: 'busybox:1.36' },
        ],
      },
    },
  },
});

const podSpec = (o: unknown) => (o as ReturnType<typeof deployment>).spec.template.spec;

describe('strategic merge patch', () => {
  it('merges containers by name and env by name, and deletes with $patch: delete', () => {
    const out = strategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              $setElementOrder: undefined,
              containers: [
                {
                  name: 'web',
                  image: 'nginx:1.27',
                  env: [
                    { name: 'A', $patch: 'delete' },
                    { name: 'C', value: '3' },
                  ],
                },
              ],
            },
          },
        },
      },
      'V1Deployment',
    );
    const [web, sidecar] = podSpec(out).containers;
    expect(web?.image).toBe('nginx:1.27');
    expect(web?.env).toEqual([
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
    expect(sidecar?.name).toBe('sidecar');
  });

  it('orders lists with $setElementOrder and removes keys given as null', () => {
    const out = strategicMergePatch(
      deployment(),
      {
        metadata: { labels: { tier: null } },
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
              containers: [{ name: 'web', ports: [{ containerPort: 8080 }] }],
            },
          },
        },
      },
      'V1Deployment',
    ) as ReturnType<typeof deployment>;
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect(podSpec(out).containers.map((c) => c.name)).toEqual(['sidecar', 'web']);
    expect(podSpec(out).containers[1]?.ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 8080 },
    ]);
  });

  it('honours $patch: replace, $retainKeys and $deleteFromPrimitiveList', () => {
    const out = strategicMergePatch(
      deployment(),
      {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
        spec: {
          strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
          template: { spec: { volumes: [{ name: 'cfg', $patch: 'replace', emptyDir: {} }] } },
        },
      },
      'V1Deployment',
    ) as ReturnType<typeof deployment>;
    expect(out.metadata.finalizers).toEqual([]);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    const replaced = strategicMergePatch(
      deployment(),
      { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } },
      'V1Deployment',
    );
    expect(podSpec(replaced).containers).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('replaces lists without a merge key (atomic) and merges maps key by key', () => {
    const out = strategicMergePatch(
      { spec: { template: { spec: { containers: [{ name: 'c', args: ['a', 'b'] }] } } } },
      { spec: { template: { spec: { containers: [{ name: 'c', args: ['z'] }] } } } },
      'V1Deployment',
    );
    expect(podSpec(out).containers[0]).toEqual({ name: 'c', args: ['z'] });
  });
});

describe('JSON merge patch and JSON patch', () => {
  it('merge patch replaces lists and deletes nulls', () => {
    expect(mergePatch({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null })).toEqual({
      a: { b: 1, c: [3] },
    });
  });

  it('JSON patch applies add, remove, replace, move, copy, test', () => {
    const out = jsonPatch({ a: [1, 2], b: { c: 1 } }, [
      { op: 'add', path: '/a/-', value: 3 },
      { op: 'replace', path: '/b/c', value: 2 },
      { op: 'copy', from: '/b', path: '/d' },
      { op: 'move', from: '/d/c', path: '/e' },
      { op: 'remove', path: '/a/0' },
      { op: 'test', path: '/e', value: 2 },
    ]);
    expect(out).toEqual({ a: [2, 3], b: { c: 2 }, d: {}, e: 2 });
    expect(() => jsonPatch({}, [{ op: 'test', path: '/x', value: 1 }])).toThrowError(/missing/);
  });
});
