import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/practice/api-error.js';
import type { SubresourceRequest, SubresourceResult } from '../../src/practice/extensions.js';
import { RESOURCES } from '../../src/practice/resources.js';
import { deployment, type Harness, loadImage, podsOf, startHarness, statusOf, until } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  loadImage(h.store, 'docker.io/library/k8s-core:1.0');
});
afterEach(async () => h.stop());

const DEP = 'deployments.apps';
const SLICES = 'endpointslices.discovery.k8s.io';

function service(name: string, selector: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'demo' },
    spec: {
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      type: 'ClusterIP',
    },
  };
}

async function call(
  resource: string,
  sub: string,
  name: string,
  rest = '',
  query = '',
): Promise<SubresourceResult | undefined> {
  const handler = h.ext.subresourceHandler(resource, sub);
  if (!handler) throw new Error(`no handler for ${resource}/${sub}`);
  const def = RESOURCES.find((d) => d.resource === resource && d.group === '')!;
  const req: SubresourceRequest = {
    method: 'GET',
    def,
    version: 'v1',
    namespace: 'demo',
    name,
    subresource: sub,
    rest,
    query: new URLSearchParams(query),
    headers: {},
    body: Buffer.alloc(0),
    store: h.store,
    response: undefined as unknown as ServerResponse,
  };
  return handler(req);
}

describe('services, proxy, logs and metrics', () => {
  it('EndpointSlice follows ready pods; the proxy reaches every replica at random', async () => {
    h.store.create('services', service('web', { app: 'web' }));
    await expect(call('services', 'proxy', 'web:http', '')).rejects.toThrow(
      'no endpoints available for service "web"',
    );
    h.store.create(DEP, deployment('web'));
    const slice = await until(
      () => {
        const s = h.store.list(SLICES, { namespace: 'demo' }).items[0];
        const eps = (s?.endpoints ?? []) as { conditions: { ready: boolean } }[];
        return eps.filter((e) => e.conditions.ready).length === 3 ? s : undefined;
      },
      10_000,
      'slice',
    );
    expect(slice.metadata.labels?.['kubernetes.io/service-name']).toBe('web');
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const r = await call('services', 'proxy', 'web:http', 'hello');
      const body = JSON.parse(String(r?.body));
      expect(body.path).toBe('/hello');
      seen.add(body.pod);
    }
    expect(seen.size).toBe(3);
    // Scale down: the slice follows.
    const d = structuredClone(h.store.get(DEP, 'demo', 'web')!);
    (d.spec as { replicas: number }).replicas = 1;
    d.metadata.resourceVersion = '';
    h.store.update(DEP, d);
    await until(
      () =>
        ((h.store.list(SLICES, { namespace: 'demo' }).items[0]?.endpoints ?? []) as unknown[]).length === 1,
      10_000,
      'slice shrinks',
    );
  });

  it('logs: start-up lines, one line per proxied request, tailLines and timestamps', async () => {
    h.store.create('services', service('web', { app: 'web' }));
    h.store.create(DEP, deployment('web', { replicas: 1 }));
    await until(
      () =>
        statusOf(h.store.get(DEP, 'demo', 'web')).availableReplicas === 1 &&
        h.store.get('endpoints', 'demo', 'web')?.subsets,
      10_000,
      'ready',
    );
    await until(
      () =>
        (
          (h.store.get('endpoints', 'demo', 'web')?.subsets as { addresses?: unknown[] }[] | undefined)?.[0]
            ?.addresses ?? []
        ).length === 1,
    );
    await call('services', 'proxy', 'web:http', 'a');
    await call('services', 'proxy', 'web:http', 'b');
    const pod = podsOf(h.store, 'web')[0]!;
    const all = String((await call('pods', 'log', pod.metadata.name!))?.body);
    expect(all).toContain(`starter app: pod ${pod.metadata.name} starting`);
    expect(all).toContain('listening on :8080');
    expect(all).toMatch(/GET \/a 200/);
    const tail = String(
      (await call('pods', 'log', pod.metadata.name!, '', 'tailLines=1&timestamps=true'))?.body,
    );
    expect(tail.trim().split('\n')).toHaveLength(1);
    expect(tail).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z GET \/b 200/);
    await expect(call('pods', 'log', pod.metadata.name!, '', 'previous=true')).rejects.toThrow(
      `previous terminated container "app" in pod "${pod.metadata.name}" not found`,
    );
  });

  it('metrics: pods and nodes; CPU rises with requests served', async () => {
    h.store.create('services', service('web', { app: 'web' }));
    h.store.create(DEP, deployment('web', { replicas: 1 }));
    await until(
      () =>
        (
          (h.store.get('endpoints', 'demo', 'web')?.subsets as { addresses?: unknown[] }[] | undefined)?.[0]
            ?.addresses ?? []
        ).length === 1,
      10_000,
      'ready',
    );
    const group = h.ext.extraGroups.find((g) => g.group === 'metrics.k8s.io')!;
    const before = (await group.handle('namespaces/demo/pods', new URLSearchParams(), h.store)).body as {
      items: { containers: { usage: { cpu: string } }[] }[];
    };
    expect(before.items).toHaveLength(1);
    const idle = Number.parseInt(before.items[0]!.containers[0]!.usage.cpu, 10);
    for (let i = 0; i < 5; i++) await call('services', 'proxy', 'web:http', 'burn', 'ms=300');
    const after = (await group.handle('namespaces/demo/pods', new URLSearchParams(), h.store))
      .body as typeof before;
    const busy = Number.parseInt(after.items[0]!.containers[0]!.usage.cpu, 10);
    expect(busy).toBeGreaterThan(idle * 10);
    const nodes = (await group.handle('nodes', new URLSearchParams(), h.store)).body as {
      items: { metadata: { name: string } }[];
    };
    expect(nodes.items.map((n) => n.metadata.name)).toHaveLength(3);
    await expect(
      group.handle('namespaces/demo/pods/nope', new URLSearchParams(), h.store),
    ).rejects.toBeInstanceOf(ApiError);
  });
});
