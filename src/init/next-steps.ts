// The end of an init run: what was written (a tree), whether the manifests pass the checker, and
// the next steps in the learner's language.
import { checkManifests } from '../check/index.js';
import type { InitContext } from './context.js';
import { displayDir, type FileAction, tree } from './write.js';

/**
 * checkGenerated runs the offline checker (strict) on the generated k8s/ folder, as `npm run check`
 * does; returns the problems. kustomization.yaml goes in too, so the checker knows which files it
 * applies together; the info saying it was skipped is not a problem.
 */
export function checkGenerated(ctx: Pick<InitContext, 'files' | 'lang'>): string[] {
  const inputs = [...ctx.files!]
    .filter(([path]) => path.startsWith('k8s/'))
    .map(([path, text]) => ({ path, text }));
  return checkManifests(inputs, { lang: ctx.lang, strict: true })
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}`);
}

/** summary shows the tree of the project, each file marked with what happened to it. */
export function summary(
  ctx: Pick<InitContext, 'options' | 'cwd' | 't'>,
  outcome: Map<string, FileAction>,
): string {
  const marks: Partial<Record<FileAction, string>> = {
    updated: ctx.t('init.mark.updated'),
    replaced: ctx.t('init.mark.replaced'),
    kept: ctx.t('init.mark.kept'),
    unchanged: ctx.t('init.mark.unchanged'),
  };
  const lines = tree(displayDir(ctx.cwd, ctx.options!.dir), [...outcome.keys()]).split('\n');
  // tree() draws paths in its own order; mark each line whose file had something other than "created".
  return lines
    .map((line) => {
      const path = [...outcome.keys()].find(
        (p) => line.endsWith(` ${p.split('/').pop()}`) && outcome.get(p) !== 'created',
      );
      const mark = path ? marks[outcome.get(path)!] : undefined;
      return mark ? `${line}  (${mark})` : line;
    })
    .join('\n');
}

/** nextSteps is the closing message: cd into the project and bring it up. */
export function nextSteps(ctx: Pick<InitContext, 'options' | 'cwd' | 't'>): string {
  const dir = displayDir(ctx.cwd, ctx.options!.dir);
  const cd = dir === '.' ? '' : `cd ${/\s/.test(dir) ? JSON.stringify(dir) : dir} && `;
  return [ctx.t('init.next.title'), `  ${cd}npm run up`, ctx.t('init.next.up'), ctx.t('init.next.more')].join(
    '\n',
  );
}
