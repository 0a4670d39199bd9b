// Ingress with the real kubectl, as on kind without an ingress controller: stored with
// `status: {loadBalancer: {}}` that nobody fills (ADDRESS stays empty), kubectl's columns, and
// `describe ingress` with the backends' endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { ok, startWorkloadCluster } from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
  await ok(tc, ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80']);
  await ok(tc, ['expose', 'deployment', 'web', '--port=80']);
  await ok(tc, ['rollout', 'status', 'deployment/web', '--timeout=60s']);
});
afterAll(async () => tc?.stop());

describe('Ingress without an ingress controller (kind)', () => {
  it('is created by kubectl create ingress and keeps an empty load balancer status', async () => {
    expect(await ok(tc, ['create', 'ingress', 'web', '--rule=hello.local/=web:80'])).toBe(
      'ingress.networking.k8s.io/web created\n',
    );
    expect(await ok(tc, ['get', 'ingress', 'web', '-o', 'jsonpath={.status}'])).toBe('{"loadBalancer":{}}');
    expect(await ok(tc, ['get', 'ingress', 'web', '-o', 'jsonpath={.spec.rules[0].http.paths[0]}'])).toBe(
      '{"backend":{"service":{"name":"web","port":{"number":80}}},"path":"/","pathType":"Exact"}',
    );
  });

  it('lists CLASS, HOSTS, ADDRESS, PORTS and AGE as kubectl prints them', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: many}
spec:
  ingressClassName: nginx
  tls: [{hosts: [a.example], secretName: tls}]
  rules:
  - host: a.example
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
  - http: {paths: [{path: /any, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
  - host: b.example
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
  - host: c.example
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
  - host: d.example
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: catch-all}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`,
    );
    const table = await ok(tc, ['get', 'ingress']);
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/);
    expect(lines[1]).toMatch(/^catch-all\s+<none>\s+\*\s+80\s+\d+s$/);
    expect(lines[2]).toMatch(
      /^many\s+nginx\s+a\.example,b\.example,c\.example \+ 2 more\.\.\.\s+80, 443\s+\d+s$/,
    );
    expect(lines[3]).toMatch(/^web\s+<none>\s+hello\.local\s+80\s+\d+s$/);
  });

  it('describes an ingress with its rules and the Service endpoints behind them', async () => {
    const out = await ok(tc, ['describe', 'ingress', 'web']);
    expect(out).toMatch(/^Name:\s+web\n/);
    expect(out).toMatch(/\nAddress:\s*\n/);
    expect(out).toMatch(/\nIngress Class:\s+<none>\n/);
    expect(out).toMatch(/\nDefault backend:\s+<default>\n/);
    expect(out).toMatch(
      /\n {2}hello\.local\s*\n\s+\/\s+web:80 \(10\.244\.\d+\.\d+:80,10\.244\.\d+\.\d+:80\)\n/,
    );
    expect(out).toMatch(/\nEvents:\s+<none>\n$/);
  });

  it('takes the IngressClass marked default when the Ingress names none', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: practice
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: example.com/none}
`,
    );
    await ok(tc, ['create', 'ingress', 'later', '--rule=later.local/=web:80']);
    expect(await ok(tc, ['get', 'ingress', 'later', '-o', 'jsonpath={.spec.ingressClassName}'])).toBe(
      'practice',
    );
    // Existing Ingresses keep theirs.
    expect(await ok(tc, ['get', 'ingress', 'web', '-o', 'jsonpath={.spec.ingressClassName}'])).toBe('');
  });
});
