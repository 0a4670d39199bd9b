// Runs the offline manifest checker (src/check) on a workspace file: the lesson catches what the
// article got wrong before `kubectl apply` does, and explains it in the learner's language.
import { readWorkspaceFile } from './basic.js';
import type { CheckType } from './types.js';

/** manifestCheck passes when the file has no error finding (and, with `strict`, no warning). */
export const manifestCheck: CheckType<{ path: string; strict?: boolean; localImages?: string[] }> = {
  name: 'manifest',
  schema: {
    type: 'object',
    required: ['path'],
    additionalProperties: false,
    properties: {
      path: { type: 'string', minLength: 1 },
      strict: { type: 'boolean' },
      localImages: { type: 'array', items: { type: 'string' } },
    },
  },
  async run(spec, ctx) {
    const title = ctx.t('check.manifest.title', { path: spec.path });
    const text = await readWorkspaceFile(ctx, spec.path, title);
    if (typeof text !== 'string') return text;
    const { checkManifests } = await import('../check/index.js');
    const findings = checkManifests([{ path: spec.path, text }], {
      lang: ctx.lang,
      ...(spec.localImages ? { localImages: spec.localImages } : {}),
    });
    const failing = findings.filter(
      (f) => f.severity === 'error' || (spec.strict && f.severity === 'warning'),
    );
    if (failing.length === 0) return { ok: true, title };
    const first = failing[0]!;
    return {
      ok: false,
      title,
      expected: ctx.t('check.manifest.expected'),
      saw: failing.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`).join('\n'),
      causeId: 'manifest',
      ...(first.fix ? { hint: first.fix } : {}),
    };
  },
};
