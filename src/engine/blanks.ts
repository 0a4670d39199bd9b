// Fill-in blanks: `# TODO(k8s-learn): …` lines the learner still has to fill in. Apart from
// exercise.ts so that `verify` reads a file's blanks without loading the template engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../checks/types.js';
import type { Step } from '../course/types.js';
import type { EngineContext } from './context.js';

/** blankMarker starts a fill-in blank; the rest of the line says what to write. */
export const blankMarker = 'TODO(k8s-learn)';

/** Blank is one open `# TODO(k8s-learn): …` line. */
export interface Blank {
  line: number;
  text: string;
}

/** findBlanks lists the blank markers still in a file's text. */
export function findBlanks(text: string): Blank[] {
  return text.split('\n').flatMap((line, i) => {
    const at = line.indexOf(blankMarker);
    if (at < 0) return [];
    const what = line
      .slice(at + blankMarker.length)
      .replace(/^\s*:\s*/, '')
      .trim();
    return [{ line: i + 1, text: what }];
  });
}

/** blanksResult is the implicit first check of a fill-in step: no blank left in its file. */
export function blanksResult(
  ctx: Pick<EngineContext, 'workspace' | 't'>,
  step: Step,
): CheckResult | undefined {
  // A fill-in exercise always names its file (the course loader requires it).
  const file = step.exercise?.form === 'fill-in' ? step.exercise.file : undefined;
  if (file === undefined) return undefined;
  const title = ctx.t('exercise.blanksTitle', { file });
  let text: string;
  try {
    text = readFileSync(join(ctx.workspace, file), 'utf8');
  } catch {
    return {
      ok: false,
      title,
      saw: ctx.t('check.file.missing'),
      causeId: 'file-missing',
    };
  }
  const blanks = findBlanks(text);
  if (blanks.length === 0) return { ok: true, title };
  return {
    ok: false,
    title,
    expected: ctx.t('exercise.blanksExpected'),
    saw: blanks.map((b) => `${file}:${b.line}  ${b.text}`).join('\n'),
    cause: ctx.t('exercise.blanksCause', { count: blanks.length }),
    hint: ctx.t('exercise.blanksHint', { file }),
    causeId: 'blanks',
  };
}
