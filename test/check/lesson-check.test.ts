// The `manifests` lesson check type: a step passes when its files pass `k8s-learn check`.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestsCheck } from '../../src/check/lesson-check.js';
import type { CheckContext } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createRunner } from '../../src/runner.js';
import { tempWorkspace } from '../helpers/engine.js';

const fixtures = join(import.meta.dirname, '../fixtures/check');
let ws: ReturnType<typeof tempWorkspace>;
const context = (lang: string): CheckContext => ({
  runner: createRunner(),
  workspace: ws.dir,
  lang,
  t: createTranslator(lang),
  vars: {},
});
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

describe('manifests check type', () => {
  it('fails on the article ConfigMap with the finding, its position and the fix as hint', async () => {
    copyFileSync(join(fixtures, 'article/configMap.yaml'), join(ws.dir, 'configmap.yaml'));
    const r = await manifestsCheck.run({ path: 'configmap.yaml' }, context('en'));
    expect(r.ok).toBe(false);
    expect(r.title).toBe('configmap.yaml passes k8s-learn check');
    expect(r.saw).toMatch(/^configmap\.yaml:4:9 invalid-name: metadata\.name: Invalid value: "configMap"/);
    expect(r.saw).toContain('configmap.yaml:14:18 invalid-cidr');
    expect(r.hint).toContain('"config-map"');
  });

  it('passes on valid files; warnings fail only with strict; ignore drops a rule', async () => {
    copyFileSync(join(fixtures, 'valid/06-deployment.yaml'), join(ws.dir, 'deploy.yaml'));
    expect((await manifestsCheck.run({ path: ['deploy.yaml'] }, context('en'))).ok).toBe(true);
    copyFileSync(join(fixtures, 'rules/latest-tag/bad.yaml'), join(ws.dir, 'latest.yaml'));
    expect((await manifestsCheck.run({ path: 'latest.yaml' }, context('en'))).ok).toBe(true);
    expect((await manifestsCheck.run({ path: 'latest.yaml', strict: true }, context('en'))).ok).toBe(false);
    const ignored = await manifestsCheck.run(
      { path: 'latest.yaml', strict: true, ignore: ['latest-tag'] },
      context('en'),
    );
    expect(ignored.ok).toBe(true);
  });

  it('fails with the reason for a missing file, and speaks Chinese', async () => {
    const missing = await manifestsCheck.run({ path: 'nope.yaml' }, context('zh-CN'));
    expect(missing).toMatchObject({
      ok: false,
      expected: 'k8s-learn check 没有报错',
      saw: 'no such file or directory',
    });
    writeFileSync(
      join(ws.dir, 'd.yaml'),
      'apiVersion: v1\nkind: Deployment\nmetadata: {name: web}\nspec: {}\n',
    );
    const r = await manifestsCheck.run({ path: 'd.yaml' }, context('zh-CN'));
    expect(r.saw).toContain('Deployment 属于 apps/v1');
  });
});
