// The article's manifests, copied as fixtures: each file produces exactly the findings a reviewer
// would point out (rule, position, severity), and nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifests } from '../../src/check/index.js';

const dir = join(import.meta.dirname, '../fixtures/check/article');
const input = (name: string) => ({ path: name, text: readFileSync(join(dir, name), 'utf8') });
const brief = (name: string) =>
  checkManifests([input(name)]).map((f) => `${f.line}:${f.column} ${f.severity} ${f.rule}`);

/** The three findings every article Deployment container gets (resources and probes). */
const hygiene = [
  '17:15 warning missing-limits',
  '17:15 warning missing-probes',
  '17:15 warning missing-requests',
];

describe('the article manifests, one file at a time', () => {
  it('manifest.yaml (Service k8s-core) is clean alone', () => {
    expect(brief('manifest.yaml')).toEqual([]);
  });

  it('configMap.yaml: the name configMap and the CIDR 20.0.0.0/4', () => {
    expect(brief('configMap.yaml')).toEqual([
      '4:9 error invalid-name',
      '5:14 info undefined-namespace',
      '14:18 error invalid-cidr',
    ]);
    const [name, , cidr] = checkManifests([input('configMap.yaml')]);
    expect(name!.message).toContain(
      'metadata.name: Invalid value: "configMap": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
    );
    expect(name!.fix).toContain('"config-map"');
    expect(cidr!.message).toContain('16.0.0.0/4');
  });

  it('k8s-core.yaml: clusterIP in a Deployment, :latest, ConfigMap over docker.sock', () => {
    expect(brief('k8s-core.yaml')).toEqual([
      '5:14 info undefined-namespace',
      ...hygiene,
      '18:16 warning latest-tag',
      '22:22 error sensitive-mount',
      '27:17 info undefined-reference',
      '28:3 error unknown-field',
    ]);
    const unknown = checkManifests([input('k8s-core.yaml')]).find((f) => f.rule === 'unknown-field')!;
    expect(unknown.message).toContain('unknown field "spec.clusterIP"');
    expect(unknown.message).toContain('field of Service');
    const ref = checkManifests([input('k8s-core.yaml')]).find((f) => f.rule === 'undefined-reference')!;
    expect(ref.message).toContain('not a valid object name');
  });

  it('test-env.yaml (Service test-env): only the note that namespace k8s-test is created elsewhere', () => {
    expect(brief('test-env.yaml')).toEqual(['5:14 info undefined-namespace']);
    const [ns] = checkManifests([input('test-env.yaml')]);
    expect(ns!.message).toContain('kubectl apply fails with namespaces "k8s-test" not found');
  });

  it('k8s-test.yaml: Deployment under apiVersion v1, then checked as apps/v1', () => {
    expect(brief('k8s-test.yaml')).toEqual([
      '1:13 error unknown-kind',
      '5:14 info undefined-namespace',
      ...hygiene,
      '18:16 warning latest-tag',
      '22:22 error sensitive-mount',
      '27:17 info undefined-reference',
    ]);
    const kind = checkManifests([input('k8s-test.yaml')])[0]!;
    expect(kind.message).toContain('Deployment lives in apps/v1');
    expect(kind.message).toContain('no matches for kind "Deployment" in version "v1"');
  });

  it('k8s-employee-deploy.yaml: :latest, docker.sock, a ConfigMap defined elsewhere', () => {
    expect(brief('k8s-employee-deploy.yaml')).toEqual([
      '5:14 info undefined-namespace',
      ...hygiene,
      '18:16 warning latest-tag',
      '22:22 error sensitive-mount',
      '27:17 info undefined-reference',
    ]);
  });

  it('employee-config.yaml: the CIDR inside the JSON value', () => {
    expect(brief('employee-config.yaml')).toEqual([
      '5:14 info undefined-namespace',
      '14:18 error invalid-cidr',
    ]);
  });
});

describe('the article manifests together', () => {
  const names = [
    'manifest.yaml',
    'configMap.yaml',
    'k8s-core.yaml',
    'test-env.yaml',
    'k8s-test.yaml',
    'k8s-employee-deploy.yaml',
    'employee-config.yaml',
  ];
  const findings = checkManifests(names.map(input));

  it('finds the Service in default that should reach the Deployment in k8s-test', () => {
    const dangling = findings.filter((f) => f.rule === 'dangling-service');
    expect(dangling.map((f) => `${f.file}:${f.line}`)).toEqual(['manifest.yaml:6']);
    expect(dangling[0]!.message).toContain('Deployment/k8s-core (k8s-test)');
    expect(findings.filter((f) => f.rule === 'mixed-namespaces').map((f) => f.file)).toEqual([
      'manifest.yaml',
    ]);
  });

  it('resolves the ConfigMaps defined in the input (references are no longer reported)', () => {
    expect(findings.filter((f) => f.rule === 'undefined-reference')).toEqual([]);
  });

  it('counts', () => {
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    expect([count('error'), count('warning'), count('info')]).toEqual([8, 13, 2]);
    expect(findings.filter((f) => f.rule === 'undefined-namespace').map((f) => f.file)).toEqual([
      'configMap.yaml',
    ]);
  });
});
