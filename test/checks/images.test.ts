import { describe, expect, it } from 'vitest';
import { imageNames, imageOnNodes } from '../../src/checks/kube/images.js';
import { createTranslator } from '../../src/i18n/index.js';
import { fakeRunner } from '../helpers/engine.js';

const nodes = (images: string[][]) =>
  JSON.stringify({
    items: [
      {
        metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } },
        status: { images: [] },
      },
      ...images.map((names, i) => ({
        metadata: { name: `w${i + 1}`, labels: {} },
        status: { images: [{ names }] },
      })),
    ],
  });

describe('image-on-nodes', () => {
  it('knows the names kind and the kubelet report for a short reference', () => {
    expect(imageNames('k8s-core:1.0')).toEqual(['k8s-core:1.0', 'docker.io/library/k8s-core:1.0']);
    expect(imageNames('me/app')).toEqual(['me/app:latest', 'docker.io/me/app:latest']);
    expect(imageNames('localhost:5000/app:2')).toEqual(['localhost:5000/app:2']);
  });

  it('passes when every worker holds the image, fails naming the workers without it', async () => {
    const ctx = (stdout: string) => ({
      runner: fakeRunner(() => ({ stdout })).runner,
      workspace: '/tmp',
      lang: 'en',
      t: createTranslator('en'),
      vars: {},
      cluster: { backend: 'kind', context: 'kind-k8s-learn' },
    });
    const all = nodes([
      ['docker.io/library/k8s-core:1.0'],
      ['docker.io/library/k8s-core:1.0', 'k8s-core:1.0'],
    ]);
    expect((await imageOnNodes.run({ image: 'k8s-core:1.0' }, ctx(all))).ok).toBe(true);
    const one = nodes([['docker.io/library/k8s-core:1.0'], ['docker.io/library/k8s-core:0.9']]);
    const r = await imageOnNodes.run({ image: 'k8s-core:1.0' }, ctx(one));
    expect(r.ok).toBe(false);
    expect(r.saw).toContain('w2');
    expect(r.saw).not.toContain('w1');
    expect(r.hint).toContain('kind load docker-image k8s-core:1.0');
  });
});
