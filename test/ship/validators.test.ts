// The validators the build generates (ajv standalone code, no ajv at run time) agree with the
// schemas compiled on load, for every schema and for valid and invalid input alike.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validatorSchemas } from '../../src/course/validator-schemas.js';
import * as dev from '../../src/course/validators-dev.js';
import { root } from '../helpers/cli.js';

describe('generated validators', () => {
  it('exist for every check type and judge like the schemas', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    let file: string;
    try {
      const { generateValidators } = await import(
        pathToFileURL(resolve(root, 'scripts/gen-validators.mjs')).href
      );
      file = await generateValidators();
    } finally {
      process.chdir(cwd);
    }
    const built = await import(pathToFileURL(file).href);
    expect(Object.keys(built.checkValidators).sort()).toEqual(Object.keys(validatorSchemas().checks).sort());
    const samples: [string, unknown][] = [
      [
        'validateManifest',
        { formatVersion: 1, id: 'c', version: '1', title: { en: 'C' }, languages: ['en'], lessons: ['a'] },
      ],
      ['validateManifest', { formatVersion: 2, id: 'C!', lessons: ['a', 'a'] }],
      [
        'validateLesson',
        {
          id: 'a',
          title: { en: 'A' },
          steps: [{ id: 's', title: { en: 'S' }, verify: [{ type: 'x' }], solve: ['commands'] }],
        },
      ],
      ['validateLesson', { id: 'a', title: { en: 'A' }, steps: [{ id: 's', title: {}, verify: [] }] }],
      ['validateLocalized', { en: 'x', 'zh-CN': '' }],
    ];
    for (const [name, data] of samples) {
      const a = built[name](data);
      const b = (dev as unknown as Record<string, (d: unknown) => boolean>)[name]!(data);
      expect(a, `${name} ${JSON.stringify(data)}`).toBe(b);
      expect(built[name].errors ?? null).toEqual(
        (dev as unknown as Record<string, { errors?: unknown }>)[name]!.errors ?? null,
      );
    }
    expect(built.checkValidators.rollout({ name: 'x', timeout: 5 })).toBe(true);
    expect(built.checkValidators.rollout({ name: 'x', bogus: 1 })).toBe(false);
  }, 60_000);
});
