import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CommandArgs } from '../cli/registry.js';
import { CourseLoadError, type CourseProblem, formatProblem, loadCourse } from '../course/load.js';
import type { Course, Localized } from '../course/types.js';
import { commandText } from '../engine/step-commands.js';
import { render, renderDeep, renderFile } from '../engine/templates.js';
import { builtinCourseDir } from '../paths.js';

/** lintCourse finds what the schema cannot: templates that don't render, missing translations. */
export function lintCourse(course: Course): CourseProblem[] {
  const problems: CourseProblem[] = [];
  const langs = course.manifest.languages;
  const lessonFile = (lessonId: string) => relative(process.cwd(), join(course.dir, lessonId, 'lesson.yaml'));
  for (const step of course.steps) {
    const file = lessonFile(step.lesson.id);
    const vars = {
      ...(course.manifest.vars ?? {}),
      ...(step.vars ?? {}),
      workspace: '/ws',
      backend: 'kind',
      courseDir: course.dir,
      lang: 'en',
      context: 'ctx',
      k8s_learn: 'npx k8s-learn',
    };
    const attempt = (what: string, fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        problems.push({
          file,
          message: `step "${step.key}": ${what}: ${(err as Error).message}`,
          severity: 'error',
        });
      }
    };
    for (const spec of step.files ?? [])
      attempt(`file ${spec.to}`, () => renderFile(spec, course.templateDirs, vars));
    for (const spec of step.run ?? [])
      attempt(`command "${commandText(spec)}"`, () => render(commandText(spec), vars));
    for (const action of step.solve) {
      if (typeof action === 'object' && 'run' in action)
        attempt(`solve command "${action.run}"`, () => render(action.run, vars));
      if (typeof action === 'object' && 'write' in action)
        attempt(`solve file ${action.write.to}`, () => renderFile(action.write, course.templateDirs, vars));
    }
    (step.errata ?? []).forEach((e, i) => {
      for (const text of [e.wrote, e.answer, ...Object.values(e.why), ...Object.values(e.fix)])
        attempt(`erratum ${i + 1}`, () => render(text, vars));
    });
    for (const [cause, hint] of Object.entries(step.hintsByCause ?? {}))
      for (const text of Object.values(hint)) attempt(`hint for cause ${cause}`, () => render(text, vars));
    for (const stage of step.exercise?.meet ?? [])
      attempt(`meet command "${stage.run}"`, () => render(stage.run, vars));
    step.verify.forEach((check, i) => {
      attempt(`check ${i + 1}`, () => renderDeep(check, vars, `check ${i + 1}`));
      if (
        check.type === 'script' &&
        typeof check.script === 'string' &&
        !existsSync(join(course.dir, check.script))
      ) {
        problems.push({
          file,
          message: `step "${step.key}": check script ${check.script} not found`,
          severity: 'error',
        });
      }
    });
    for (const lang of langs) {
      attempt(`text (${lang})`, () => render(step.text[lang] ?? '', vars));
      if (lang === 'en') continue;
      const missing: string[] = [];
      if (step.text[lang] === undefined) missing.push(`${step.lesson.id}/${lang}/${step.id}.md`);
      const localized: [string, Localized | undefined][] = [
        ['title', step.title],
        ...(step.hints ?? []).map((h, i) => [`hints.${i}`, h] as [string, Localized]),
      ];
      for (const e of step.errata ?? []) localized.push(['errata.why', e.why], ['errata.fix', e.fix]);
      for (const [cause, hint] of Object.entries(step.hintsByCause ?? {}))
        localized.push([`hintsByCause.${cause}`, hint]);
      for (const [name, text] of localized) if (text && text[lang] === undefined) missing.push(name);
      if (missing.length > 0) {
        problems.push({
          file,
          message: `step "${step.key}": no ${lang} translation of ${missing.join(', ')} (English is shown)`,
          severity: 'warning',
        });
      }
    }
  }
  return problems;
}

/** courseCheck validates a course directory (default: the built-in course). */
export async function courseCheck(
  args: CommandArgs,
  out = (l: string) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const dir = resolve(args.positionals[0] ?? args.global.course ?? builtinCourseDir());
  const problems: CourseProblem[] = [];
  let course: Course | undefined;
  try {
    course = loadCourse(dir, { collect: problems });
  } catch (err) {
    if (!(err instanceof CourseLoadError)) throw err;
  }
  if (course) problems.push(...lintCourse(course));
  for (const p of problems) out(formatProblem(p).trimStart());
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0 || !course) {
    out(
      `✗ ${relative(process.cwd(), dir) || dir}: ${errors} error(s), ${problems.length - errors} warning(s)`,
    );
    return 1;
  }
  out(
    `✓ ${course.manifest.id} ${course.manifest.version}: ${course.lessons.length} lesson(s), ${course.steps.length} step(s), languages ${course.manifest.languages.join(', ')}${problems.length ? `, ${problems.length} warning(s)` : ''}`,
  );
  return 0;
}

export const run = (args: CommandArgs) => courseCheck(args);
