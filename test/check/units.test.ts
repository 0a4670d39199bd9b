// Unit tests of the checker's parts: name validators (exact API wording), CIDRs, image tags,
// kind resolution, parsing (multi-document, errors, positions) and input collection.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkCidr, findCidrs } from '../../src/check/cidr.js';
import { checkManifests, checkWithStats } from '../../src/check/index.js';
import { collectInputs, UnreadableInput } from '../../src/check/inputs.js';
import { resolveKind } from '../../src/check/kinds.js';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortName,
  suggestName,
} from '../../src/check/names.js';
import { imageTag } from '../../src/check/rules/containers.js';

describe('names use the API server wording', () => {
  it('RFC 1123 subdomain and label, DNS-1035', () => {
    expect(isDNS1123Subdomain('configMap')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isDNS1123Label('configMap')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1035Label('1web')[0]).toBe(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(isDNS1123Subdomain('web.shop-1')).toEqual([]);
    expect(isDNS1123Label('web.shop')).toHaveLength(1);
  });

  it('label keys, data keys and port names', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('my app')[0]).toMatch(/^name part must consist of alphanumeric characters/);
    expect(isQualifiedName('Bad_Prefix/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isConfigMapKey('app.properties')).toEqual([]);
    expect(isConfigMapKey('a b')[0]).toMatch(/^a valid config key must consist of alphanumeric characters/);
    expect(isValidPortName('http')).toEqual([]);
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('very-long-port-name')).toContain('must be no more than 15 characters');
  });

  it('suggests a valid name', () => {
    expect(suggestName('configMap', true)).toBe('config-map');
    expect(suggestName('My_App', false)).toBe('my-app');
    expect(suggestName('--', false)).toBe('my-name');
  });
});

describe('CIDRs', () => {
  it('rejects host bits and names the network (unlike net.BlockList)', () => {
    expect(checkCidr('20.0.0.0/4')).toEqual({ kind: 'host-bits', network: '16.0.0.0/4' });
    expect(checkCidr('10.0.0.0/8')).toBeUndefined();
    expect(checkCidr('192.168.1.1/24')).toEqual({ kind: 'host-bits', network: '192.168.1.0/24' });
    expect(checkCidr('0.0.0.0/0')).toBeUndefined();
    expect(checkCidr('10.0.0.1/32')).toBeUndefined();
    expect(checkCidr('300.0.0.0/8')?.kind).toBe('invalid');
    expect(checkCidr('10.0.0.0/33')?.kind).toBe('invalid');
    expect(checkCidr('fd00::/8')).toBeUndefined();
    expect(checkCidr('fd00::1/64')).toEqual({ kind: 'host-bits', network: 'fd00::/64' });
  });

  it('finds CIDRs in JSON, lists and prose, but not in versions or times', () => {
    expect(findCidrs('[{"name": "10.0.0.0/8"}, {"name": "20.0.0.0/4"}]')).toEqual([
      '10.0.0.0/8',
      '20.0.0.0/4',
    ]);
    expect(findCidrs('allowed=10.0.0.0/8,192.168.0.0/16')).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    expect(findCidrs('version 1.2.3 at 12:30, path /a/b')).toEqual([]);
  });
});

describe('images and kinds', () => {
  it('splits image references', () => {
    expect(imageTag('nginx')).toEqual({ name: 'nginx', tag: undefined, digest: false });
    expect(imageTag('localhost:5001/web:1.0')).toEqual({
      name: 'localhost:5001/web',
      tag: '1.0',
      digest: false,
    });
    expect(imageTag('localhost:5001/web')).toEqual({
      name: 'localhost:5001/web',
      tag: undefined,
      digest: false,
    });
    expect(imageTag('ghcr.io/x/y@sha256:abc').digest).toBe(true);
  });

  it('resolves kinds and suggests the right apiVersion or spelling', () => {
    expect(resolveKind('apps/v1', 'Deployment')).toEqual({ status: 'ok', schemaType: 'apps.v1.Deployment' });
    expect(resolveKind('v1', 'Deployment')).toMatchObject({ status: 'wrong-version', suggestion: 'apps/v1' });
    expect(resolveKind('autoscaling/v1', 'HorizontalPodAutoscaler').status).toBe('no-schema');
    expect(resolveKind('apps/v1', 'deployment')).toMatchObject({
      status: 'unknown-kind',
      suggestion: 'Deployment',
    });
    expect(resolveKind('v1', 'Servce')).toMatchObject({ status: 'unknown-kind', suggestion: 'Service' });
    expect(resolveKind('example.com/v1', 'Widget').status).toBe('no-schema');
    expect(resolveKind('', 'Pod').status).toBe('missing');
  });
});

describe('parsing', () => {
  it('checks the other documents of a file when one is broken, with exact positions', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: ok}',
      '---',
      'a: [1',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: Bad',
      '',
    ].join('\n');
    const findings = checkManifests([{ path: 'm.yaml', text }]);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.rule}`)).toEqual([
      '6:1 yaml-syntax',
      '10:9 invalid-name',
    ]);
  });

  it('checks each item of a v1 List, with positions inside the list', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: Bad}\n';
    const [f] = checkManifests([{ path: 'l.yaml', text }]);
    expect(f).toMatchObject({ rule: 'invalid-name', line: 6, column: 20, object: 'ConfigMap/Bad' });
  });

  it('survives odd documents: wrong shapes everywhere, alias bombs', () => {
    const odd = [
      'apiVersion: v1\nkind: Pod\nmetadata: 5\nspec: []\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template: 5\n  selector: []\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers: "x"\n      volumes: null\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [1, null, {port: x}]\n  selector: {a: null}\n',
      'apiVersion: 5\nkind: [x]\n',
      'a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
    ];
    for (const text of odd) {
      const findings = checkManifests([{ path: 'odd.yaml', text }]);
      expect(
        findings.some((f) => f.severity === 'error'),
        text,
      ).toBe(true);
    }
    const bomb = checkManifests([{ path: 'b.yaml', text: odd[5]! }]);
    expect(bomb[0]).toMatchObject({ rule: 'yaml-syntax', line: 1, column: 1 });
    // YAML with no apiVersion, kind or metadata anywhere is not a manifest: one info, no error.
    expect(checkManifests([{ path: 'odd.yaml', text: '? [a]\n: b\n' }])).toMatchObject([
      { rule: 'not-kubernetes', severity: 'info' },
    ]);
  });

  it('skips empty documents and comments-only documents; a file of nothing else says it has no objects', () => {
    expect(checkManifests([{ path: 'e.yaml', text: '---\n# nothing\n---\n' }]).map((f) => f.rule)).toEqual([
      'no-objects',
    ]);
    const withObject = '---\n# nothing\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n';
    expect(checkManifests([{ path: 'e.yaml', text: withObject }])).toEqual([]);
  });

  it('points into a block scalar at the offending CIDR', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nets}\ndata:\n  nets: |\n    a 10.0.0.0/8\n    b 20.0.0.0/4\n';
    const [f] = checkManifests([{ path: 'c.yaml', text }]);
    expect(`${f!.line}:${f!.column}`).toBe('7:7');
  });

  it('reports an unknown field with its typo suggestion at the key', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selectr: {app: web}\n';
    const [f] = checkManifests([{ path: 's.yaml', text }]);
    expect(f).toMatchObject({ rule: 'unknown-field', line: 5, column: 3, field: 'spec.selectr' });
    expect(f!.message).toContain('did you mean "selector"');
  });

  it('says where a misplaced field belongs (containers directly under a Deployment spec)', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  containers:
  - {name: web, image: "nginx:1.27"}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27"}
`;
    const f = checkManifests([{ path: 'd.yaml', text }]).find((x) => x.rule === 'unknown-field');
    expect(f).toMatchObject({ line: 6, column: 3 });
    expect(f!.message).toContain('it belongs deeper, at spec.template.spec.containers');
  });

  it('says when a field belongs higher up (volumes written inside a container)', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: web
    image: nginx:1.27
    volumes:
    - {name: x, emptyDir: {}}
`;
    const f = checkManifests([{ path: 'p.yaml', text }]).find((x) => x.rule === 'unknown-field');
    expect(f).toMatchObject({ line: 8, column: 5, field: 'spec.containers[0].volumes' });
    expect(f!.message).toContain('it belongs higher up, at spec.volumes');
  });

  it('checks port ranges, Secret base64 and duplicate names inside a pod', () => {
    const text = `apiVersion: v1
kind: Secret
metadata: {name: s}
data:
  password: hunter2 is my password
  token: c2VjcmV0
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {port: 80, nodePort: 8080, targetPort: 70000}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: web, image: "nginx:1.27", ports: [{containerPort: 70000}]}
  - {name: web, image: "nginx:1.27"}
`;
    const found = checkManifests([{ path: 'v.yaml', text }])
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.line} ${f.rule} ${f.message}`);
    expect(found).toEqual([
      '5 invalid-value data.password: Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 7',
      '15 invalid-value spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
      '15 invalid-value spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '22 invalid-value spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '23 invalid-name spec.containers[1].name: Duplicate value: "web"',
    ]);
  });

  it('wants integers where the API has int32/int64 (replicas: 1.5), numbers or strings for quantities', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  terminationGracePeriodSeconds: 1.5
  containers:
  - name: c
    image: "nginx:1.27"
    ports: [{containerPort: 80.5}]
    resources: {requests: {cpu: 0.5, memory: 64Mi}}
`;
    const wrong = checkManifests([{ path: 'i.yaml', text }]).filter((f) => f.rule === 'wrong-type');
    expect(wrong.map((f) => f.message)).toEqual([
      'spec.terminationGracePeriodSeconds: expected integer, got number',
      'spec.containers[0].ports[0].containerPort: expected integer, got number',
    ]);
  });

  it('wants a unique name on each port of a multi-port Service', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - {port: 80}
  - {name: https, port: 443}
  - {name: https, port: 8443}
`;
    const found = checkManifests([{ path: 's.yaml', text }]).map((f) => `${f.line}:${f.column} ${f.message}`);
    expect(found).toEqual([
      '7:5 spec.ports[0].name: Required value',
      '9:12 spec.ports[2].name: Duplicate value: "https"',
    ]);
  });

  it('recognises labels written directly under metadata or a selector', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  app: web
spec:
  selector:
    app: web
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27"}
`;
    const unknown = checkManifests([{ path: 'l.yaml', text }]).filter((f) => f.rule === 'unknown-field');
    expect(unknown.map((f) => `${f.line}:${f.column}`)).toEqual(['5:3', '8:5']);
    expect(unknown[0]!.message).toContain('belongs under metadata.labels (metadata.labels.app)');
    expect(unknown[1]!.message).toContain('(spec.selector.matchLabels.app)');
  });

  it('explains a mapping written where a list belongs', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    name: web\n    image: "nginx:1.27"\n';
    const [f] = checkManifests([{ path: 'p.yaml', text }]);
    expect(f).toMatchObject({
      rule: 'wrong-type',
      line: 6,
      column: 5,
      message: 'spec.containers: expected a list, got map',
    });
    expect(f!.fix).toContain('"- "');
  });

  it("prints a selector mismatch in the API server's own format", () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {tier: front, app: website}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27"}
`;
    const f = checkManifests([{ path: 'd.yaml', text }]).find((x) => x.rule === 'mismatching-selector');
    expect(f?.message).toBe(
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"website", "tier":"front"}: `selector` does not match template `labels`',
    );
  });

  it('notes ServiceAccounts, Services, HPA targets and Roles referred to but not defined', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers:
      - {name: web, image: "nginx:1.27"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wbe}
  maxReplicas: 3
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
subjects: [{kind: ServiceAccount, name: web}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
`;
    const refs = checkManifests([{ path: 'r.yaml', text }])
      .filter((f) => f.rule === 'undefined-reference')
      .map((f) => `${f.line} ${f.message.split(' is ')[0]}`);
    expect(refs).toEqual([
      '9 ServiceAccount "web"',
      '17 Deployment "wbe"',
      '24 Service "web"',
      '29 ServiceAccount "web"',
      '30 ClusterRole "view"',
    ]);
  });

  it('checkWithStats counts documents and honours strict in its summary', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: nginx}\n---\n---\n';
    const lax = checkWithStats([{ path: 'p.yaml', text }]);
    expect(lax.documents).toBe(1);
    expect(lax.summary).toMatchObject({ errors: 0, failed: false });
    expect(lax.summary.warnings).toBeGreaterThan(0);
    expect(checkWithStats([{ path: 'p.yaml', text }], { strict: true }).summary.failed).toBe(true);
  });

  it('parses like the API server (YAML 1.1): yes is a boolean, so a label value yes is a wrong type', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    enabled: yes\n';
    const [f] = checkManifests([{ path: 'y.yaml', text }]);
    expect(f).toMatchObject({ rule: 'wrong-type', line: 6, column: 14 });
    expect(f!.message).toBe('metadata.labels.enabled: expected string, got boolean yes');
    expect(f!.fix).toMatch(/^Put it in quotes: "yes"\./);
  });

  it('flags an HPA target without CPU requests as an error', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
`;
    const f = checkManifests([{ path: 'h.yaml', text }]).find((x) => x.rule === 'missing-requests');
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('missing request for cpu');
  });
});

describe('collectInputs', () => {
  it('walks directories for *.yaml and *.yml, sorted, and reads stdin for -', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-'));
    mkdirSync(join(dir, 'sub'));
    mkdirSync(join(dir, '.hidden'));
    writeFileSync(join(dir, 'b.yml'), 'b: 1\n');
    writeFileSync(join(dir, 'sub', 'a.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    writeFileSync(join(dir, '.hidden', 'c.yaml'), 'c: 1\n');
    const inputs = await collectInputs([dir, '-'], Readable.from([Buffer.from('kind: X\n')]));
    expect(inputs.map((i) => i.path)).toEqual([join(dir, 'b.yml'), join(dir, 'sub', 'a.yaml'), '-']);
    expect(inputs[2]!.text).toBe('kind: X\n');
    const again = await collectInputs([join(dir, 'b.yml'), dir]);
    expect(again.map((i) => i.path)).toEqual([join(dir, 'b.yml'), join(dir, 'sub', 'a.yaml')]);
  });

  it('throws UnreadableInput for a missing path or a directory without YAML', async () => {
    await expect(collectInputs(['/nonexistent/x.yaml'])).rejects.toBeInstanceOf(UnreadableInput);
    const empty = mkdtempSync(join(tmpdir(), 'check-empty-'));
    await expect(collectInputs([empty])).rejects.toThrow(/no \*\.yaml/);
  });
});
