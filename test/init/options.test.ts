// The prompts of an interactive `init` (scripted answers, as a learner at a terminal): each value
// not given by a flag is asked with its default, validated inline, and flags are never asked again.
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/index.js';
import type { InitFlags } from '../../src/init/context.js';
import { gatherOptions, nameFromDir } from '../../src/init/options.js';
import { createScriptedUI } from '../../src/ui/scripted.js';

const t = createTranslator('en');
const base = (flags: Partial<InitFlags>, answers: unknown[], yes = false) => {
  const ui = createScriptedUI({ answers, interactive: true, write: () => {} });
  return { ui, ctx: { flags: { fromCourse: false, force: false, ...flags }, yes, ui, t, cwd: '/work' } };
};

describe('gatherOptions', () => {
  it('asks for every value a flag did not give, in order', async () => {
    const { ui, ctx } = base({}, ['shop', 'shop', 'python', 'shop-dev', '5000', '3', false, true, 'dev']);
    const o = await gatherOptions(ctx);
    expect(o).toMatchObject({
      dir: '/work/shop',
      name: 'shop',
      template: 'python',
      namespace: 'shop-dev',
      port: 5000,
      replicas: 3,
      hpa: false,
      ingress: true,
      clusterName: 'dev',
    });
    expect(ui.prompts).toHaveLength(9);
  });

  it('asks only for what flags left open', async () => {
    const { ui, ctx } = base(
      {
        dir: 'x',
        name: 'api',
        template: 'node',
        port: '80',
        replicas: '1',
        hpa: true,
        ingress: false,
        clusterName: 'c',
      },
      ['team'],
    );
    expect((await gatherOptions(ctx)).namespace).toBe('team');
    expect(ui.prompts).toEqual([t('init.ask.namespace')]);
  });

  it('validates typed answers inline with the API server wording', async () => {
    const { ctx } = base({ dir: 'x' }, ['Bad_Name']);
    await expect(gatherOptions(ctx)).rejects.toThrow(
      /invalid: Invalid value: "Bad_Name": a DNS-1035 label must consist of lower case alphanumeric characters/,
    );
  });

  it('--yes takes the defaults: names from the folder, namespace from the name', async () => {
    const { ui, ctx } = base({ dir: 'Web Shop 2' }, [], true);
    expect(await gatherOptions(ctx)).toMatchObject({
      name: 'web-shop-2',
      namespace: 'web-shop-2',
      clusterName: 'web-shop-2',
      port: 8080,
      replicas: 2,
      hpa: true,
      ingress: false,
      template: 'node',
    });
    expect(ui.prompts).toEqual([]);
  });

  it('turns any folder name into a Service name', () => {
    expect(nameFromDir('2048')).toBe('app-2048');
    expect(nameFromDir('My_App')).toBe('my-app');
    expect(nameFromDir('a'.repeat(80))).toHaveLength(63);
  });
});
