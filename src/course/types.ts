// The course format (format version 1). A course is a directory:
//   course.yaml                 manifest: id, version, title, languages, vars, lessons (ordered)
//   <lesson>/lesson.yaml        the lesson's steps: files, run, verify, solve, hints, errata
//   <lesson>/<lang>/<step>.md   the step's text in one language (Markdown)
//   templates/ (optional)       Handlebars templates; the built-in ones are the fallback
//   checks/ (optional)          zx check scripts used by `type: script` checks
// The JSON Schema in src/course/schema.ts is the normative definition; docs/course-format.md
// explains it for authors.

/** Localized is text keyed by language tag; `en` is the fallback. */
export type Localized = Record<string, string>;

/** CourseManifest is course.yaml. */
export interface CourseManifest {
  formatVersion: 1;
  id: string;
  version: string;
  title: Localized;
  languages: string[];
  /** Template variables available to every step (`{{namespace}}`). */
  vars?: Record<string, string>;
  /** Lesson folder names, in order. */
  lessons: string[];
}

/** FileSpec scaffolds one workspace file from a template (or inline content). */
export interface FileSpec {
  /** Path in the workspace. */
  to: string;
  /** Template path under templates/ (rendered with Handlebars). */
  template?: string;
  /** Inline content, rendered with Handlebars, when there is no template file. */
  content?: string;
  /** Extra variables for this file. */
  vars?: Record<string, string>;
}

/** CheckSpec is one declarative verification: `type` picks the check implementation. */
export interface CheckSpec {
  type: string;
  [key: string]: unknown;
}

/** CommandSpec is a command line, or one that applies only on some backends (kind, practice, context). */
export type CommandSpec = string | { command: string; backends: string[] };

/** SolveAction brings a step towards its verified state without the learner. */
export type SolveAction = 'scaffold' | 'commands' | { run: string } | { write: FileSpec };

/** Erratum is what the article wrote, what a real cluster answers, and the fix. */
export interface Erratum {
  wrote: string;
  answer: string;
  why: Localized;
  fix: Localized;
}

/** StepSpec is one step in lesson.yaml. */
export interface StepSpec {
  id: string;
  title: Localized;
  files?: FileSpec[];
  /** Commands the step teaches, as the learner would type them. */
  run?: CommandSpec[];
  verify: CheckSpec[];
  solve: SolveAction[];
  hints?: Localized[];
  errata?: Erratum[];
  vars?: Record<string, string>;
}

/** LessonSpec is lesson.yaml. */
export interface LessonSpec {
  id: string;
  title: Localized;
  steps: StepSpec[];
}

/** Step is a step with its place in the course, as the engine uses it. */
export interface Step extends StepSpec {
  /** Stable id `lesson/step`, used in progress and on the command line. */
  key: string;
  lesson: LessonSpec;
  /** 0-based position in the whole course. */
  index: number;
  /** The step's text per language, as read from `<lesson>/<lang>/<step>.md`. */
  text: Localized;
}

/** Course is a loaded, validated course. */
export interface Course {
  dir: string;
  manifest: CourseManifest;
  lessons: LessonSpec[];
  steps: Step[];
  /** Directories searched for templates, in order. */
  templateDirs: string[];
}
