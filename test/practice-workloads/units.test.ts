import { describe, expect, it } from 'vitest';
import { rateLimit, resourceReplicas, stabilize } from '../../src/practice/controllers/hpa-algorithm.js';
import { findBadCidrs } from '../../src/practice/workloads/cidr.js';
import { isPublicImage, parseImage } from '../../src/practice/workloads/images.js';
import { pullPolicyFor } from '../../src/practice/workloads/pull-policy.js';
import { bytesOf, milliCpu } from '../../src/practice/workloads/quantity.js';

describe('HPA arithmetic', () => {
  const pod = (usage: number | undefined, ready = true) => ({ usage, request: 100, ready });
  it('keeps the count within the 10 % tolerance and scales by the ratio outside it', () => {
    expect(resourceReplicas(2, 50, [pod(54), pod(54)]).replicas).toBe(2);
    expect(resourceReplicas(2, 50, [pod(100), pod(100)])).toMatchObject({ replicas: 4, utilization: 100 });
    expect(resourceReplicas(4, 50, [pod(10), pod(10), pod(10), pod(10)]).replicas).toBe(1);
  });
  it('treats missing pods as 100 % when scaling down and 0 % when scaling up', () => {
    // Scale down damped: missing pod counted at its request.
    expect(resourceReplicas(3, 50, [pod(10), pod(10), pod(undefined)]).replicas).toBe(3);
    // Scale up with an unready pod counted at 0: 2×90 + 0 over 3 requests = 60 % → ceil(1.2×3) = 4.
    expect(resourceReplicas(3, 50, [pod(90), pod(90), pod(50, false)]).replicas).toBe(4);
    expect(() => resourceReplicas(1, 50, [pod(undefined)])).toThrow('did not receive metrics');
  });
  it('stabilizes: scale-down takes the highest recommendation of the window', () => {
    const now = 100_000;
    const history = [
      { at: now - 5_000, value: 4 },
      { at: now - 1_000, value: 2 },
    ];
    expect(stabilize(4, 1, history, 0, 10_000, now)).toBe(4);
    expect(stabilize(4, 1, history, 0, 2_000, now)).toBe(2);
    expect(stabilize(1, 3, [{ at: now - 1000, value: 2 }], 5_000, 0, now)).toBe(2);
  });
  it('rate-limits by the policies over their periods', () => {
    const rules = {
      selectPolicy: 'Max' as const,
      policies: [
        { type: 'Pods' as const, value: 4, periodSeconds: 15 },
        { type: 'Percent' as const, value: 100, periodSeconds: 15 },
      ],
    };
    expect(rateLimit(1, 10, rules, [], 0, (s) => s * 1000)).toEqual({ replicas: 5, limited: true });
    expect(rateLimit(8, 30, rules, [], 0, (s) => s * 1000)).toEqual({ replicas: 16, limited: true });
    expect(rateLimit(2, 3, rules, [], 0, (s) => s * 1000)).toEqual({ replicas: 3, limited: false });
  });
});

describe('images', () => {
  it('qualifies references the way containerd does', () => {
    expect(parseImage('nginx')?.full).toBe('docker.io/library/nginx:latest');
    expect(parseImage('k8s-core:1.0')?.full).toBe('docker.io/library/k8s-core:1.0');
    expect(parseImage('registry.k8s.io/pause:3.10')?.full).toBe('registry.k8s.io/pause:3.10');
    expect(parseImage('localhost:5000/app:2')?.registry).toBe('localhost:5000');
    expect(parseImage('Bad:Name')).toBeUndefined();
    expect(isPublicImage(parseImage('busybox:1.36')!)).toBe(true);
    expect(isPublicImage(parseImage('registry.k8s.io/hpa-example')!)).toBe(true);
    expect(isPublicImage(parseImage('k8s-core:1.0')!)).toBe(false);
  });
  it('defaults the pull policy like the API server', () => {
    expect(pullPolicyFor('k8s-core:latest')).toBe('Always');
    expect(pullPolicyFor('k8s-core')).toBe('Always');
    expect(pullPolicyFor('k8s-core:1.0')).toBe('IfNotPresent');
    expect(pullPolicyFor('localhost:5000/app')).toBe('Always');
  });
});

describe('config rules', () => {
  it('finds CIDRs with host bits set, as the starter app checks', () => {
    expect(findBadCidrs({ f: 'a: 20.0.0.0/4\nb: 10.0.0.0/8' })).toEqual([
      { cidr: '20.0.0.0/4', where: 'f', reason: 'host bits set (the /4 network is 16.0.0.0/4)' },
    ]);
    expect(findBadCidrs({ f: '192.168.1.0/24 10.1.2.3/32 0.0.0.0/0' })).toEqual([]);
    expect(findBadCidrs({ f: '300.1.1.1/8' })[0]?.reason).toBe('not a valid IPv4 CIDR');
  });
  it('parses quantities', () => {
    expect(milliCpu('100m')).toBe(100);
    expect(milliCpu('1.5')).toBe(1500);
    expect(bytesOf('128Mi')).toBe(128 * 2 ** 20);
    expect(bytesOf('1G')).toBe(1e9);
  });
});

describe('events', () => {
  it('aggregates repeats into count and prunes expired events', async () => {
    const { ObjectStore } = await import('../../src/practice/store.js');
    const { EventRecorder, pruneEvents } = await import('../../src/practice/controllers/events.js');
    const store = new ObjectStore();
    const pod = store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'demo' },
    });
    const rec = new EventRecorder(store);
    rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', {
      component: 'kubelet',
      host: 'n1',
    });
    rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', {
      component: 'kubelet',
      host: 'n1',
    });
    const events = store.list('events').items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      count: 2,
      type: 'Warning',
      source: { component: 'kubelet', host: 'n1' },
    });
    expect(pruneEvents(store, Date.now() - 60_000)).toBe(0);
    expect(pruneEvents(store, Date.now() + 60_000)).toBe(1);
  });
});
