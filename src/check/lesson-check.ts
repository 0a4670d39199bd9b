// A lesson check type (`- type: manifests`) that runs the manifest checker on workspace files, so a
// step can require "this file passes k8s-learn check". The engine registers it in
// src/checks/registry.ts; it needs no cluster.
import { isAbsolute, join } from 'node:path';
import type { CheckResult, CheckType } from '../checks/types.js';
import { checkManifests, summarize } from './index.js';
import { collectInputs, UnreadableInput } from './inputs.js';

/** ManifestsSpec: which files (or directories) to check, whether warnings fail, rules to ignore. */
export interface ManifestsSpec {
  path: string | string[];
  strict?: boolean;
  /** Rule ids that do not fail this step (e.g. missing-probes in an early lesson). */
  ignore?: string[];
  /** Images the course loaded with `kind load docker-image`. */
  localImages?: string[];
}

/** manifestsCheck passes when the files have no error (and, with strict, no warning). */
export const manifestsCheck: CheckType<ManifestsSpec> = {
  name: 'manifests',
  schema: {
    type: 'object',
    required: ['path'],
    additionalProperties: false,
    properties: {
      path: {
        oneOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        ],
      },
      strict: { type: 'boolean' },
      ignore: { type: 'array', items: { type: 'string' } },
      localImages: { type: 'array', items: { type: 'string' } },
    },
  },
  async run(spec, ctx): Promise<CheckResult> {
    const paths = Array.isArray(spec.path) ? spec.path : [spec.path];
    const title = ctx.t('check.lesson.title', { path: paths.join(', ') });
    let inputs: Awaited<ReturnType<typeof collectInputs>>;
    try {
      inputs = await collectInputs(paths.map((p) => (isAbsolute(p) ? p : join(ctx.workspace, p))));
    } catch (err) {
      if (!(err instanceof UnreadableInput)) throw err;
      return { ok: false, title, expected: ctx.t('check.lesson.expected'), saw: err.reason };
    }
    const ignored = new Set(spec.ignore ?? []);
    const findings = checkManifests(inputs, {
      lang: ctx.lang,
      ...(spec.localImages ? { localImages: spec.localImages } : {}),
    }).filter((f) => !ignored.has(f.rule));
    const strict = spec.strict === true;
    if (!summarize(findings, strict).failed) return { ok: true, title };
    const failing = findings.filter((f) => f.severity === 'error' || (strict && f.severity === 'warning'));
    const shown = failing.slice(0, 3).map((f) => {
      const file = f.file.startsWith(ctx.workspace) ? f.file.slice(ctx.workspace.length + 1) : f.file;
      return `${file}:${f.line}:${f.column} ${f.rule}: ${f.message}`;
    });
    if (failing.length > 3) shown.push(ctx.t('check.lesson.more', { count: failing.length - 3 }));
    return {
      ok: false,
      title,
      expected: ctx.t('check.lesson.expected'),
      saw: shown.join('\n'),
      ...(failing[0]?.fix ? { hint: failing[0].fix } : {}),
    };
  },
};
