// Loads a course directory and validates it against the JSON Schemas, reporting each problem with
// its file and line. A course with problems is not run.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ErrorObject } from 'ajv';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import { templatesDir } from '../paths.js';
import { backendNames } from './schema.js';
import type { Course, CourseManifest, LessonSpec, Localized, Step, StepSpec } from './types.js';
import {
  checkValidators,
  validateLesson,
  validateLocalized,
  validateManifest,
} from './validators.generated.js';

/** CourseProblem is one thing wrong with a course, where it is. */
export interface CourseProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** CourseLoadError lists every problem found; its message is ready to print. */
export class CourseLoadError extends UserError {
  constructor(readonly problems: CourseProblem[]) {
    super(
      `the course has ${problems.filter((p) => p.severity === 'error').length} problem(s):\n${problems.map(formatProblem).join('\n')}`,
      'Fix the files above, then run `k8s-learn course check` to validate the course.',
    );
  }
}

/** formatProblem renders `file:line:col: message` like a compiler. */
export function formatProblem(p: CourseProblem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `  ${where}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}

interface ParsedYaml {
  data: unknown;
  locate(path: (string | number)[]): { line?: number; column?: number };
}

function parseYamlFile(file: string, shown: string, problems: CourseProblem[]): ParsedYaml | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    problems.push({ file: shown, message: 'file not found', severity: 'error' });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lineCounter.linePos(e.pos[0]);
      problems.push({
        file: shown,
        line: pos.line,
        column: pos.col,
        message: e.message.split('\n')[0]!,
        severity: 'error',
      });
    }
    return undefined;
  }
  return {
    data: doc.toJS(),
    locate(path) {
      // Walk down to the deepest node that exists, so a missing key points at its parent.
      let node: unknown = doc.contents;
      for (const key of path) {
        let next: unknown;
        if (isMap(node)) next = node.get(key, true);
        else if (isSeq(node)) next = node.get(Number(key), true);
        if (next === undefined || next === null) break;
        node = next;
      }
      const range = (node as Node | null)?.range;
      if (!range) return {};
      const pos = lineCounter.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    },
  };
}

function schemaProblems(
  errors: ErrorObject[] | null | undefined,
  parsed: ParsedYaml,
  shown: string,
  base: (string | number)[] = [],
): CourseProblem[] {
  const seen = new Set<string>();
  const out: CourseProblem[] = [];
  for (const e of errors ?? []) {
    // oneOf branches produce noise; the summary error for the oneOf is enough.
    if (
      e.keyword === 'const' ||
      e.keyword === 'enum' ||
      e.keyword === 'oneOf' ||
      e.schemaPath.includes('/oneOf/')
    ) {
      if (e.keyword !== 'oneOf') continue;
    }
    const path = [...base, ...e.instancePath.split('/').filter(Boolean)];
    const field = path.join('.') || '(top level)';
    let message = `${field}: ${e.message ?? 'is invalid'}`;
    if (e.keyword === 'required')
      message = `${field}: missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    if (e.keyword === 'additionalProperties')
      message = `${field}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    if (e.keyword === 'oneOf')
      message = `${field}: is not one of the allowed forms (see docs/course-format.md)`;
    if (seen.has(message)) continue;
    seen.add(message);
    // Point at the offending key itself when there is one.
    const at =
      e.keyword === 'additionalProperties'
        ? [...path, (e.params as { additionalProperty: string }).additionalProperty]
        : path;
    out.push({ file: shown, ...parsed.locate(at), message, severity: 'error' });
  }
  return out;
}

/** checkSpecProblems validates each `verify` entry against the schema of its check type. */
function checkSpecProblems(
  step: { verify?: unknown },
  i: number,
  lp: ParsedYaml,
  file: string,
  problems: CourseProblem[],
): void {
  if (!Array.isArray(step?.verify)) return;
  step.verify.forEach((check: { type?: unknown }, j) => {
    if (typeof check?.type !== 'string') return;
    // The validators know every check type, so loading a course needs none of the checks' code.
    const validate = Object.hasOwn(checkValidators, check.type) ? checkValidators[check.type] : undefined;
    if (!validate) {
      problems.push({
        file,
        ...lp.locate(['steps', i, 'verify', j, 'type']),
        message: `steps.${i}.verify.${j}: unknown check type "${check.type}"`,
        severity: 'error',
      });
      return;
    }
    // `title` and `hint` (localized) are common to every check; the rest is the type's own.
    const { type: _name, title, hint, backends, ...rest } = check as Record<string, unknown>;
    if (
      backends !== undefined &&
      !(Array.isArray(backends) && backends.length > 0 && backends.every((b) => backendNames.includes(b)))
    ) {
      problems.push({
        file,
        ...lp.locate(['steps', i, 'verify', j, 'backends']),
        message: `steps.${i}.verify.${j}.backends: must list some of ${backendNames.join(', ')}`,
        severity: 'error',
      });
    }
    for (const [name, value] of Object.entries({ title, hint })) {
      if (value !== undefined && !validateLocalized(value)) {
        problems.push({
          file,
          ...lp.locate(['steps', i, 'verify', j, name]),
          message: `steps.${i}.verify.${j}.${name}: must be a map of language to text, with "en"`,
          severity: 'error',
        });
      }
    }
    if (!validate(rest))
      problems.push(...schemaProblems(validate.errors, lp, file, ['steps', i, 'verify', j]));
  });
}

/**
 * exerciseProblems finds what the schema cannot: an exercise file the step does not scaffold, and
 * `expect` / `match` patterns that are not regular expressions.
 */
function exerciseProblems(
  spec: StepSpec,
  i: number,
  lp: ParsedYaml,
  file: string,
  problems: CourseProblem[],
): void {
  const scaffolded = new Set((spec.files ?? []).map((f) => f.to));
  const problem = (path: (string | number)[], message: string) =>
    problems.push({
      file,
      ...lp.locate(['steps', i, ...path]),
      message: `steps.${i}.${path.join('.')}: ${message}`,
      severity: 'error',
    });
  const regex = (path: (string | number)[], pattern: string) => {
    try {
      new RegExp(pattern, 'i');
    } catch (err) {
      problem(path, `not a regular expression: ${(err as Error).message}`);
    }
  };
  const exercise = spec.exercise;
  if (exercise) {
    if (exercise.file !== undefined && !scaffolded.has(exercise.file))
      problem(['exercise', 'file'], `${exercise.file} is not among the step's files`);
    if (exercise.form === 'find-the-fault' && !exercise.cause)
      problem(['exercise'], 'a find-the-fault exercise names the `cause` its verify reports first');
    if (exercise.form !== 'find-the-fault' && exercise.cause)
      problem(['exercise', 'cause'], '`cause` is for find-the-fault exercises only');
    if (exercise.form !== 'fix-the-article' && exercise.meet)
      problem(['exercise', 'meet'], '`meet` is for fix-the-article exercises only');
    exercise.meet?.forEach((stage, j) => {
      if (!scaffolded.has(stage.file))
        problem(['exercise', 'meet', j, 'file'], `${stage.file} is not among the step's files`);
      regex(['exercise', 'meet', j, 'expect'], stage.expect);
    });
  }
  spec.errata?.forEach((e, j) => {
    if (e.match !== undefined) regex(['errata', j, 'match'], e.match);
  });
}

/** loadCourse reads and validates a course directory. It throws CourseLoadError on any error. */
export function loadCourse(dir: string, options: { collect?: CourseProblem[] } = {}): Course {
  const problems = options.collect ?? [];
  const show = (file: string) => relative(process.cwd(), file) || file;
  const manifestFile = join(dir, 'course.yaml');
  const parsed = parseYamlFile(manifestFile, show(manifestFile), problems);
  if (!parsed) throw new CourseLoadError(problems);
  if (!validateManifest(parsed.data)) {
    const v = (parsed.data as { formatVersion?: unknown })?.formatVersion;
    if (typeof v === 'number' && v > 1) {
      problems.push({
        file: show(manifestFile),
        ...parsed.locate(['formatVersion']),
        message: `formatVersion ${v} is newer than this k8s-learn understands (1); update k8s-learn`,
        severity: 'error',
      });
    }
    problems.push(...schemaProblems(validateManifest.errors, parsed, show(manifestFile)));
    throw new CourseLoadError(problems);
  }
  const manifest = parsed.data as CourseManifest;
  const lessons: LessonSpec[] = [];
  const steps: Step[] = [];
  for (const lessonDir of manifest.lessons) {
    const file = join(dir, lessonDir, 'lesson.yaml');
    const lp = parseYamlFile(file, show(file), problems);
    if (!lp) continue;
    const schemaOk = validateLesson(lp.data);
    if (!schemaOk) problems.push(...schemaProblems(validateLesson.errors, lp, show(file)));
    const rawSteps = (lp.data as { steps?: unknown }).steps;
    if (Array.isArray(rawSteps)) {
      for (const [i, raw] of rawSteps.entries()) checkSpecProblems(raw, i, lp, show(file), problems);
    }
    if (!schemaOk) continue;
    const lesson = lp.data as LessonSpec;
    lessons.push(lesson);
    lesson.steps.forEach((spec, i) => {
      exerciseProblems(spec, i, lp, show(file), problems);
      const text: Localized = {};
      for (const lang of manifest.languages) {
        const textFile = join(dir, lessonDir, lang, `${spec.id}.md`);
        if (existsSync(textFile)) text[lang] = readFileSync(textFile, 'utf8');
        else if (lang === 'en')
          problems.push({
            file: show(textFile),
            message: `missing text of step "${lesson.id}/${spec.id}"`,
            severity: 'error',
          });
      }
      steps.push({ ...spec, key: `${lesson.id}/${spec.id}`, lesson, index: steps.length, text });
    });
  }
  for (const step of steps)
    for (const need of step.needs ?? []) {
      const at = steps.findIndex((s) => s.key === need);
      if (at < 0 || at >= step.index)
        problems.push({
          file: show(
            join(dir, manifest.lessons[lessons.indexOf(step.lesson)] ?? step.lesson.id, 'lesson.yaml'),
          ),
          message: `step "${step.key}" needs "${need}", which is not an earlier step of the course`,
          severity: 'error',
        });
    }
  const dupes = steps.map((s) => s.key).filter((k, i, all) => all.indexOf(k) !== i);
  for (const key of new Set(dupes))
    problems.push({ file: show(manifestFile), message: `step id "${key}" is used twice`, severity: 'error' });
  if (problems.some((p) => p.severity === 'error')) throw new CourseLoadError(problems);
  return { dir, manifest, lessons, steps, templateDirs: [join(dir, 'templates'), templatesDir()] };
}

// localize lives in its own small module so report commands need not load the YAML parser.
export { localize } from './localize.js';
