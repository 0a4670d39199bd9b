// Fidelity details a beginner meets outside the course's path (issue 10, item 8), each checked
// with the real kubectl against what a 1.33 API server answers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

let t: TestCluster;

beforeAll(async () => {
  t = await startTestCluster({ plugins: [] });
});

afterAll(async () => {
  await t?.stop();
});

function file(name: string, text: string): string {
  const path = join(t.dataDir, name);
  writeFileSync(path, text);
  return path;
}

describe('API server answers as upstream', () => {
  it('prints events LAST SEEN as an age; the count is -o wide', async () => {
    const now = Date.now();
    const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
    t.cluster.store.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      type: 'Warning',
      source: { component: 'kubelet', host: 'k8s-learn-worker' },
      count: 2,
      firstTimestamp: iso(now - 13_000),
      lastTimestamp: iso(now - 4_000),
    });
    const r = await t.kubectl(['get', 'events']);
    expect(r.stdout).toMatch(
      /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n\d+s\s+Warning\s+BackOff\s+pod\/web\s+Back-off/,
    );
    expect(r.stdout).not.toContain('(x2');
    const wide = await t.kubectl(['get', 'events', '-o', 'wide']);
    expect(wide.stdout).toMatch(/FIRST SEEN\s+COUNT\s+NAME\n/);
    expect(wide.stdout).toMatch(/Back-off restarting failed container\s+1[0-9]s\s+2\s+web\.1\n/);
  });

  it('fills kind and apiVersion from the URL when a body has none', async () => {
    const body = file('cm.json', JSON.stringify({ metadata: { name: 'bare' }, data: { a: 'b' } }));
    const r = await t.kubectl(['create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', body]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'bare' },
    });
  });

  it('answers DELETE of a ConfigMap with a Status, of a pod with the pod', async () => {
    const uid = (await t.kubectl(['get', 'cm', 'bare', '-o', 'jsonpath={.metadata.uid}'])).stdout;
    const r = await t.kubectl(['delete', '--raw', '/api/v1/namespaces/default/configmaps/bare']);
    expect(JSON.parse(r.stdout)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'bare', kind: 'configmaps', uid },
    });
    await t.kubectl(['create', 'deployment', 'gone', '--image=nginx']);
    const d = JSON.parse(
      (await t.kubectl(['delete', '--raw', '/apis/apps/v1/namespaces/default/deployments/gone'])).stdout,
    );
    expect(d.details).toMatchObject({ name: 'gone', group: 'apps', kind: 'deployments' });
    await t.kubectl(['run', 'p', '--image=nginx']);
    const pod = JSON.parse(
      (await t.kubectl(['delete', '--raw', '/api/v1/namespaces/default/pods/p'])).stdout,
    );
    expect(pod.kind).toBe('Pod');
    expect((await t.kubectl(['delete', 'cm', 'kube-root-ca.crt'])).stdout).toBe(
      'configmap "kube-root-ca.crt" deleted\n',
    );
  });

  it('rejects field selectors on unsupported labels with 400', async () => {
    const r = await t.kubectl(['get', 'pods', '--field-selector', 'spec.foo=bar']);
    expect(r.code).toBe(1);
    // kubectl itself wraps the server's 400 message.
    expect(r.stderr).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=bar": field label not supported: spec.foo\n',
    );
    const cm = await t.kubectl(['get', 'cm', '--field-selector', 'data.a=b']);
    expect(cm.stderr).toContain('field selector "data.a=b": field label not supported: data.a\n');
    expect(
      (await t.kubectl(['get', 'pods', '--field-selector', 'status.phase=Running,spec.nodeName=x'])).stderr,
    ).toBe('No resources found in default namespace.\n');
    expect((await t.kubectl(['get', 'secrets', '--field-selector', 'type=Opaque'])).code).toBe(0);
  });

  it('takes a number for a quantity (`cpu: 64`) and stores it as a string; a number elsewhere is refused', async () => {
    const pod = (cpu: string, image: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: q-${cpu === '64' ? 'num' : 'img'}\nspec:\n  containers:\n  - name: a\n    image: ${image}\n    resources:\n      requests:\n        cpu: ${cpu}\n`;
    const ok = await t.kubectl(['apply', '-f', '-'], { input: pod('64', 'k8s-core:1.0') });
    expect(ok.stderr).toBe('');
    const stored = await t.kubectl([
      'get',
      'pod',
      'q-num',
      '-o',
      'jsonpath={.spec.containers[0].resources.requests.cpu}',
    ]);
    expect(stored.stdout).toBe('64');
    const bad = await t.kubectl(['apply', '-f', '-'], { input: pod('"1"', '12') });
    expect(bad.stderr).toContain(
      'json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string',
    );
  });

  it('names ConfigMap.data in a type error', async () => {
    const r = await t.kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\ndata:\n  a: 1\n',
    });
    expect(r.stderr).toBe(
      'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string\n',
    );
  });

  it('words JSON syntax errors as Go does', async () => {
    const cases: [string, string][] = [
      ['{"metadata":', 'unexpected end of JSON input'],
      ['{"metadata": {,}}', "invalid character ',' looking for beginning of object key string"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a": 1 "b": 2}', `invalid character '"' after object key:value pair`],
      ['[1 2]', "invalid character '2' after array element"],
      ['{"a": tru}', "invalid character '}' in literal true (expecting 'e')"],
      ["{'a': 1}", "invalid character '\\'' looking for beginning of object key string"],
    ];
    for (const [text, why] of cases) {
      const r = await t.kubectl([
        'create',
        '--raw',
        '/api/v1/namespaces/default/configmaps',
        '-f',
        file('bad.json', text),
      ]);
      expect(r.stderr, text).toBe(
        `Error from server (BadRequest): couldn't get version/kind; json parse error: ${why}\n`,
      );
    }
  });
});
