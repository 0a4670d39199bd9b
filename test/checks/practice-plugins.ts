// Test plugins for the practice cluster: a `services/proxy` answer that round-robins over the
// Service's ready EndpointSlice endpoints and replies `{"pod": <targetRef.name>}`, standing in for
// the answer part 2's simulated pods give. Used by the load-balanced check's tests.
import type { Extensions, PracticePlugin } from '../../src/practice/extensions.js';

let turn = 0;

/** proxyPlugin answers services/proxy from EndpointSlices. */
export const proxyPlugin: PracticePlugin = (ext: Extensions) => {
  ext.registerSubresource('services', 'proxy', async (req) => {
    const service = req.name.split(':')[0]!;
    const slices = req.store.list('endpointslices.discovery.k8s.io', { namespace: req.namespace }).items;
    const ready = slices
      .filter(
        (s) =>
          (s.metadata?.labels as Record<string, string> | undefined)?.['kubernetes.io/service-name'] ===
          service,
      )
      .flatMap(
        (s) =>
          (s as { endpoints?: { conditions?: { ready?: boolean }; targetRef?: { name?: string } }[] })
            .endpoints ?? [],
      )
      .filter((e) => e.conditions?.ready !== false);
    if (ready.length === 0) {
      return {
        status: 503,
        contentType: 'application/json',
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: `no endpoints available for service "${service}"`,
          reason: 'ServiceUnavailable',
          code: 503,
        },
      };
    }
    const endpoint = ready[turn++ % ready.length]!;
    return {
      status: 200,
      contentType: 'application/json',
      body: { pod: endpoint.targetRef?.name ?? 'unknown', path: `/${req.rest}` },
    };
  });
};
