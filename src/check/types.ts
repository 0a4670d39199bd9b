// Shared types of the manifest checker: what a finding is, what a parsed document offers to rules.
import type { Document } from 'yaml';
import type { KustomizeLayout } from './kustomize.js';

/** Severity of a finding: errors fail `check`, warnings fail it only with --strict. */
export type Severity = 'error' | 'warning' | 'info';

/** FieldPath is a path into a manifest: keys and array indexes (e.g. spec, ports, 0, targetPort). */
export type FieldPath = (string | number)[];

/** Finding is one problem found in one place of one file, already explained in the learner's language. */
export interface Finding {
  /** The file as given (`-` reads stdin and is shown as `<stdin>`). */
  file: string;
  /** 1-based line and column of the offending key or value. */
  line: number;
  column: number;
  severity: Severity;
  /** Stable rule id, documented in docs/rules.md (e.g. `unknown-field`). */
  rule: string;
  /** What is wrong (may quote the API server's own wording). */
  message: string;
  /** What to do about it. */
  fix?: string;
  /** Dotted field path, as the API server prints it (e.g. `spec.template.spec.volumes[0].name`). */
  field?: string;
  /** `Kind/name` of the object, when the document has one. */
  object?: string;
}

/** CheckInput is one file's text; `path` is what the user gave (`-` for stdin). */
export interface CheckInput {
  path: string;
  text: string;
  /**
   * Set when the file could not be read as UTF-8 text (see inputs.ts): it is reported instead of
   * parsed. Callers that read files themselves may leave it out; text is still checked for signs of
   * a wrong encoding (replacement characters, NUL bytes).
   */
  problem?: InputProblem;
}

/** InputProblem is why a path was not parsed: unreadable, not a regular file, or not UTF-8. */
export interface InputProblem {
  rule: 'unreadable-file' | 'skipped-file' | 'not-utf8';
  severity: Severity;
  /** Locale variant under `check.<rule>.`. */
  variant: string;
  vars: Record<string, string | number>;
  line?: number;
  column?: number;
}

/** CheckOptions tunes a run of the checker. */
export interface CheckOptions {
  /** Language of messages (en, zh-CN, …); English when a translation is missing. */
  lang?: string;
  /** Treat warnings as failures: `checkWithStats(…).summary.failed` is then true on a warning. */
  strict?: boolean;
  /** Images known to be loaded into the cluster with `kind load` (pulling them would fail). */
  localImages?: string[];
}

/** Position is a 1-based line:column. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Manifest is one YAML document that is a mapping, with what rules need: its plain value, its
 * identity, and `at(path)` to find where a field is written.
 */
export interface Manifest {
  file: string;
  /** Index of the document in its file (0-based). */
  index: number;
  doc: Document;
  value: Record<string, unknown>;
  apiVersion: string;
  kind: string;
  name: string;
  /** Namespace as written (undefined when omitted). */
  namespace: string | undefined;
  /** A kustomize patch: a partial object, so required fields are not expected and it joins no cross-object rule. */
  partial: boolean;
  /** The type name used for schema checks (after an apiVersion fix-up, see kinds.ts), if covered. */
  schemaType: string | undefined;
  /** Position of the key (`key: true`) or the value at a path; the nearest existing parent otherwise. */
  at(path: FieldPath, key?: boolean): Position;
  /** Start and end offsets of the value at a path in the file's text, when it exists. */
  range(path: FieldPath): [number, number] | undefined;
  /** The file's full text. */
  text: string;
  /** Converts an offset in the file's text to a position. */
  position(offset: number): Position;
}

/** Report is what a rule calls to record a finding; message and fix are locale keys with variables. */
export type Report = (finding: {
  manifest: Manifest;
  path: FieldPath;
  key?: boolean;
  rule: string;
  severity: Severity;
  /** Locale key suffix under `check.<rule>.`; the message is `…<variant>`, the fix `…<variant>.fix`. */
  variant?: string;
  vars?: Record<string, string | number>;
  /** An exact offset to point at (overrides path), e.g. inside a block scalar. */
  offset?: number;
}) => void;

/** RuleContext is everything a cross-document rule sees. */
export interface RuleContext {
  manifests: Manifest[];
  /** What the input's kustomizations say: which files are applied together. */
  layout: KustomizeLayout;
  options: CheckOptions;
  report: Report;
}

/** Rule is one check over all the parsed manifests. */
export interface Rule {
  id: string;
  run(ctx: RuleContext): void;
}
