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

/**
 * Erratum is what the article wrote, what a real cluster answers, and the fix. Errata are never
 * shown before the task: an erratum is revealed when the learner meets its answer (a command's
 * output matches `match`), after the step's first failed verify, on a hint, or once the step passes.
 */
export interface Erratum {
  wrote: string;
  answer: string;
  /** A regular expression; output of a command run in this step that matches it reveals the erratum. */
  match?: string;
  why: Localized;
  fix: Localized;
}

/**
 * MeetStage is one "apply the article's version as written" moment of a fix-the-article exercise:
 * the command, and what the real cluster answers (a regular expression over its output).
 */
export interface MeetStage {
  /** The command the learner runs, as they type it (e.g. `kubectl apply -f k8s/k8s-core.yaml`). */
  run: string;
  /** The workspace file it applies (scaffolded by the step's `files`, in the article's version). */
  file: string;
  /** What the cluster answers, as a regular expression (case-insensitive). */
  expect: string;
  /**
   * The command retries until stopped (`kubectl drain` against a disruption budget): when the
   * engine runs it, it stops it once the answer appeared, as a learner would with Ctrl-C.
   */
  stopOnAnswer?: boolean;
}

/**
 * Exercise makes the learner do the work. `fix-the-article`: the step scaffolds the article's files
 * as written; the learner applies them first and meets the cluster's real answer (`meet`), then
 * fixes them. `fill-in`: `file` has blanks marked `# TODO(k8s-learn): …` that the learner fills;
 * verify lists the blanks still open and the checker's findings, field by field.
 * `find-the-fault`: the step's files are broken in a way the API server accepts; the learner applies
 * them, finds out from the cluster (pods, events, logs, `k8s-learn alerts`) why they do not work,
 * and fixes them; its first verify fails with `cause`. A find-the-fault drill without `file` breaks
 * the cluster with the step's commands instead (a `kubectl set image` to a release that does not
 * exist), and the fix is a command too (`kubectl rollout undo`).
 */
export interface Exercise {
  form: 'fix-the-article' | 'fill-in' | 'find-the-fault';
  /** The file the learner edits (optional for find-the-fault only). */
  file?: string;
  /** fix-the-article only: the article's version applied as written, in order. */
  meet?: MeetStage[];
  /** find-the-fault only: the cause id the step's verify reports for the files as scaffolded. */
  cause?: string;
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
  /** Hints for one failure cause (a check's `causeId`), shown before the tiered `hints`. */
  hintsByCause?: Record<string, Localized>;
  errata?: Erratum[];
  exercise?: Exercise;
  vars?: Record<string, string>;
  /**
   * Under --yes on the practice cluster the step runs on the compressed autoscaling clock (an
   * HPA's 15 s sync takes 0.3 s), restored when it ends; a learner's own run keeps real time.
   */
  fastAutoscaling?: boolean;
  /**
   * Earlier steps (`lesson/step`) whose results this one builds on: where one of them was only
   * explained (a workshop learner cannot do a cluster-wide step), this one is explained too.
   */
  needs?: string[];
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
