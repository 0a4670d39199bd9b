import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandCheck, fileCheck } from '../../src/checks/basic.js';
import { scriptCheck } from '../../src/checks/script.js';
import type { CheckContext } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createRunner } from '../../src/runner.js';
import { tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
let ctx: CheckContext;
beforeEach(() => {
  ws = tempWorkspace();
  ctx = {
    runner: createRunner(),
    workspace: ws.dir,
    lang: 'en',
    t: createTranslator('en'),
    vars: { greeting: 'hello', courseDir: resolve(import.meta.dirname, '../fixtures') },
  };
});
afterEach(() => ws.cleanup());

describe('command check', () => {
  it('passes on the expected exit code and output', async () => {
    expect((await commandCheck.run({ run: 'node -e "console.log(42)"', stdout: '^42$' }, ctx)).ok).toBe(true);
  });
  it('fails on another exit code, another output, or a missing program', async () => {
    const exit = await commandCheck.run({ run: 'node -e process.exit(4)' }, ctx);
    expect(exit).toMatchObject({ ok: false, expected: 'the command exits with code 0' });
    expect(exit.saw).toContain('exit code 4');
    const out = await commandCheck.run({ run: 'node -e "console.log(41)"', stdout: '^42$' }, ctx);
    expect(out).toMatchObject({ ok: false, saw: '41' });
    const missing = await commandCheck.run({ run: 'no-such-program-k8s-learn --x' }, ctx);
    expect(missing.ok).toBe(false);
    expect(missing.saw).toContain('no-such-program-k8s-learn is not installed');
  });
});

describe('file check', () => {
  it('fails for a missing file, invalid YAML, a missing pattern; passes otherwise', async () => {
    expect((await fileCheck.run({ path: 'a.yaml' }, ctx)).saw).toBe('no such file');
    writeFileSync(join(ws.dir, 'a.yaml'), 'a: [1, 2\n');
    expect((await fileCheck.run({ path: 'a.yaml', parses: 'yaml' }, ctx)).ok).toBe(false);
    writeFileSync(join(ws.dir, 'a.yaml'), 'a: 1\n');
    expect((await fileCheck.run({ path: 'a.yaml', parses: 'yaml', contains: '^b:' }, ctx)).ok).toBe(false);
    expect((await fileCheck.run({ path: 'a.yaml', parses: 'yaml', contains: '^a: 1$' }, ctx)).ok).toBe(true);
  });
});

describe('script check (zx, with the k8s helper)', () => {
  it('reports a structured failure, then passes once the condition holds', async () => {
    const failed = await scriptCheck.run({ script: 'scripts/pass.mjs' }, ctx);
    expect(failed).toMatchObject({
      ok: false,
      expected: 'ok.txt in the workspace',
      saw: 'no ok.txt',
      hint: 'create it (hello)',
    });
    writeFileSync(join(ws.dir, 'ok.txt'), '');
    expect((await scriptCheck.run({ script: 'scripts/pass.mjs' }, ctx)).ok).toBe(true);
  });
  it('reports the end of the output of a script that crashes', async () => {
    const r = await scriptCheck.run({ script: 'scripts/crash.mjs' }, ctx);
    expect(r.ok).toBe(false);
    expect(r.saw).toContain('exit code 3');
    expect(r.saw).toContain('something broke');
  });
});

describe('manifest check (the offline checker on a workspace file)', () => {
  it('fails on the article ConfigMap, passes once fixed, and says when the file is missing', async () => {
    const { manifestCheck } = await import('../../src/checks/manifest.js');
    expect((await manifestCheck.run({ path: 'cm.yaml' }, ctx)).saw).toBe('no such file');
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: configMap\ndata:\n  NET: "20.0.0.0/4"\n';
    writeFileSync(join(ws.dir, 'cm.yaml'), bad);
    const r = await manifestCheck.run({ path: 'cm.yaml' }, ctx);
    expect(r.ok).toBe(false);
    expect(r.saw).toContain('invalid-name');
    expect(r.saw).toContain('invalid-cidr');
    writeFileSync(
      join(ws.dir, 'cm.yaml'),
      bad.replace('configMap', 'casc-config').replace('20.0.0.0', '16.0.0.0'),
    );
    expect((await manifestCheck.run({ path: 'cm.yaml' }, ctx)).ok).toBe(true);
  });
});
