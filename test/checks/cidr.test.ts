// CIDR validation by hand (ip & mask == ip), JSONPath normalisation and pod-name extraction.
import { describe, expect, it } from 'vitest';
import { checkCidr, cidrEntries } from '../../src/checks/kube/cidr.js';
import { podNameOf } from '../../src/checks/kube/network.js';
import { normalizePath } from '../../src/checks/kube/wait.js';

describe('checkCidr', () => {
  it("rejects the article's 20.0.0.0/4 and names the real network", () => {
    expect(checkCidr('20.0.0.0/4')).toEqual({
      cidr: '20.0.0.0/4',
      ok: false,
      problem: 'hostBits',
      network: '16.0.0.0/4',
    });
  });
  it.each([
    '10.0.0.0/8',
    '0.0.0.0/0',
    '192.168.1.1/32',
    '172.16.0.0/12',
    '2001:db8::/32',
    '::/0',
    'fe80::1/128',
  ])('accepts %s', (c) => {
    expect(checkCidr(c).ok).toBe(true);
  });
  it.each([
    ['10.0.0.1/8', 'hostBits', '10.0.0.0/8'],
    ['2001:db8::1/32', 'hostBits', '2001:db8::/32'],
    ['10.0.0.0/33', 'prefix', undefined],
    ['10.0.0/8', 'syntax', undefined],
    ['10.0.0.0', 'syntax', undefined],
    ['300.0.0.0/8', 'syntax', undefined],
    ['::/129', 'prefix', undefined],
  ])('rejects %s (%s)', (c, problem, network) => {
    const v = checkCidr(c);
    expect(v.ok).toBe(false);
    expect(v.problem).toBe(problem);
    expect(v.network).toBe(network);
  });
  it('reads the article format, plain arrays and text lists', () => {
    const article =
      '[\n  {"name": "10.0.0.0/8", "type": "CIDR"},\n  {"name": "20.0.0.0/4", "type": "CIDR"},\n  {"name": "x", "type": "HOST"}\n]';
    expect(cidrEntries(article)).toEqual(['10.0.0.0/8', '20.0.0.0/4']);
    expect(cidrEntries('["10.0.0.0/8"]')).toEqual(['10.0.0.0/8']);
    expect(cidrEntries('10.0.0.0/8, 192.168.0.0/16\n172.16.0.0/12')).toEqual([
      '10.0.0.0/8',
      '192.168.0.0/16',
      '172.16.0.0/12',
    ]);
    expect(cidrEntries('[{"cidr": "10.0.0.0/8"}]', 'cidr')).toEqual(['10.0.0.0/8']);
  });
});

describe('helpers', () => {
  it('normalizes JSONPath', () => {
    expect(normalizePath('.status.readyReplicas')).toBe('{.status.readyReplicas}');
    expect(normalizePath('status.readyReplicas')).toBe('{.status.readyReplicas}');
    expect(normalizePath('{.status.readyReplicas}')).toBe('{.status.readyReplicas}');
  });
  it('extracts who answered', () => {
    expect(podNameOf('{"pod":"k8s-employee-1","config":{}}')).toBe('k8s-employee-1');
    expect(podNameOf('{"hostname":"h"}')).toBe('h');
    expect(podNameOf('{"who":"w"}', 'who')).toBe('w');
    expect(podNameOf('k8s-employee-2\nmore\n')).toBe('k8s-employee-2');
  });
});
