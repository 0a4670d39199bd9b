// Parses input files into manifests, keeping positions: every finding points at line:column through
// the yaml package's CST ranges and LineCounter. YAML errors become findings here, not exceptions.

import { basename } from 'node:path';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  parseDocument,
  visit,
  type YAMLError,
} from 'yaml';
import { textProblem } from './encoding.js';
import { type ForeignKind, foreignDocument, foreignFile, isKustomizationFile } from './foreign.js';
import { resolveKind } from './kinds.js';
import { type KustomizeLayout, kustomizeLayout } from './kustomize.js';
import type { CheckInput, FieldPath, Manifest, Position } from './types.js';

/** RawFinding is a finding before translation: a rule, a locale variant and its variables. */
export interface RawFinding {
  file: string;
  position: Position;
  rule: string;
  severity: 'error' | 'warning' | 'info';
  variant: string;
  vars: Record<string, string | number>;
  field?: string;
  object?: string;
}

/** ParseResult holds the manifests that parsed and the findings parsing produced. */
export interface ParseResult {
  manifests: Manifest[];
  findings: RawFinding[];
  /** What the input's kustomization files say about the other files. */
  layout: KustomizeLayout;
}

/** nodeAt walks a YAML node down a field path; with `key`, returns the last map key instead. */
function nodeAt(root: unknown, path: FieldPath, key: boolean): { node: Node | null; depth: number } {
  let current = root as Node | null;
  let lastGood = current;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(current)) {
      const pair = current.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) return { node: lastGood, depth: i };
      if (key && i === path.length - 1) return { node: pair.key as Node, depth: i + 1 };
      current = pair.value as Node | null;
      if (current === null) return { node: pair.key as Node, depth: i + 1 };
    } else if (isSeq(current) && typeof seg === 'number') {
      const item = current.items[seg] as Node | undefined;
      if (!item) return { node: lastGood, depth: i };
      current = item;
    } else {
      return { node: lastGood, depth: i };
    }
    lastGood = current;
  }
  return { node: current, depth: path.length };
}

/** formatField prints a path as the API server does: spec.containers[0].image. */
export function formatField(path: FieldPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

/** toManifest wraps one object (a document, or an item of a List at `base`) for the rules. */
function toManifest(
  input: CheckInput,
  index: number,
  doc: Document,
  value: Record<string, unknown>,
  base: FieldPath,
  position: (offset: number) => Position,
  partial = false,
): Manifest {
  const contents = doc.contents;
  const meta = (value.metadata ?? {}) as Record<string, unknown>;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const kind = typeof value.kind === 'string' ? value.kind : '';
  return {
    file: input.path,
    index,
    doc,
    value,
    apiVersion,
    kind,
    name: typeof meta.name === 'string' ? meta.name : typeof value.name === 'string' ? value.name : '',
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    schemaType: resolveKind(apiVersion, kind).schemaType,
    partial,
    text: input.text,
    position,
    at(path, key = false) {
      const { node } = nodeAt(contents, [...base, ...path], key);
      return position(node?.range?.[0] ?? contents?.range?.[0] ?? 0);
    },
    range(path) {
      const full = [...base, ...path];
      const { node, depth } = nodeAt(contents, full, false);
      if (depth !== full.length || !node?.range) return undefined;
      return [node.range[0], node.range[1]];
    },
  };
}

/** isQuoteEscape: the yaml package's error for `\'` inside a double-quoted scalar. */
function isQuoteEscape(err: YAMLError): boolean {
  return err.code === 'BAD_DQ_ESCAPE' && err.message.startsWith("Invalid escape sequence \\'");
}

/**
 * acceptGoYamlEscapes: go-yaml, which kubectl parses manifests with, reads `\'` in a double-quoted
 * scalar as `'` (its scanner lists it among the escapes, beside `\"` and `\\`); YAML 1.2 and the
 * yaml package reject it. Those errors are dropped and the scalars holding them re-read with the
 * escape resolved, so a file kubectl accepts is not called a syntax error here.
 */
function acceptGoYamlEscapes(doc: Document.Parsed, text: string): void {
  const at = doc.errors.filter(isQuoteEscape).map((e) => e.pos[0]);
  if (at.length === 0) return;
  for (let i = doc.errors.length - 1; i >= 0; i--) if (isQuoteEscape(doc.errors[i]!)) doc.errors.splice(i, 1);
  visit(doc, {
    Scalar(_, node) {
      if (node.type !== 'QUOTE_DOUBLE' || !node.range) return;
      const [start, end] = node.range;
      if (!at.some((pos) => pos >= start && pos < end)) return;
      // Drop the backslash of each `\'`, leaving every other escape (`\\` included) as written.
      const source = text
        .slice(start, end)
        .replace(/\\(.)/gs, (all, next: string) => (next === "'" ? "'" : all));
      const value = parseDocument(source).contents;
      if (isScalar(value)) node.value = value.value;
    },
  });
}

/** syntaxVariant names YAML errors that deserve their own explanation instead of the indentation advice. */
function syntaxVariant(message: string): string {
  if (/call stack|too much recursion/i.test(message)) return 'too-deep';
  if (/alias count|resource exhaustion/i.test(message)) return 'alias-bomb';
  return 'message';
}

/**
 * duplicateKeys lists keys that occur twice in one mapping, with both positions. Parsing keeps the
 * last value (uniqueKeys: false) so the rest of the document is still checked; kubectl rejects the
 * file (`key "name" already set in map`), so each duplicate is still an error.
 */
function duplicateKeys(root: unknown): { key: string; first: number; second: number }[] {
  const out: { key: string; first: number; second: number }[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          const at = pair.key.range?.[0] ?? 0;
          const first = seen.get(key);
          if (first !== undefined) out.push({ key, first, second: at });
          else seen.set(key, at);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return out.sort((a, b) => a.second - b.second);
}

/**
 * parseInputs parses every document of every input. Empty documents are skipped silently; a file
 * with no document at all gets one `no-objects` info. YAML 1.1, as kubectl and the API server read
 * manifests: `yes`/`on` are booleans, not strings. Inputs that carry a problem (unreadable, not
 * UTF-8) are reported, not parsed; YAML that is not Kubernetes objects (kustomize, component
 * configs, Helm, compose, workflows) gets one `not-kubernetes` info.
 */
export function parseInputs(inputs: CheckInput[]): ParseResult {
  const manifests: Manifest[] = [];
  const findings: RawFinding[] = [];
  const layout = kustomizeLayout(
    inputs.filter((i) => !i.problem),
    isKustomizationFile,
  );
  const info = (input: CheckInput, kind: ForeignKind, what: string, position = { line: 1, column: 1 }) =>
    findings.push({
      file: input.path,
      position,
      rule: 'not-kubernetes',
      severity: 'info',
      variant: kind,
      vars: { what },
    });
  for (const input of inputs) {
    const problem = input.problem ?? textInputProblem(input.text);
    if (problem) {
      findings.push({
        file: input.path,
        position: { line: problem.line ?? 1, column: problem.column ?? 1 },
        rule: problem.rule,
        severity: problem.severity,
        variant: problem.variant,
        vars: problem.vars,
      });
      continue;
    }
    const foreign = foreignFile(input.path, input.text);
    if (foreign) {
      info(input, foreign.kind, foreign.what);
      continue;
    }
    if (layout.jsonPatches.has(input.path)) {
      info(input, 'json-patch', basename(input.path));
      continue;
    }
    parseText(input, manifests, findings, layout.patches.has(input.path), info);
  }
  return { manifests, findings, layout };
}

function textInputProblem(text: string): CheckInput['problem'] {
  const p = textProblem(text);
  if (!p) return undefined;
  const before = text.slice(0, p.offset);
  const line = before.split('\n').length;
  return {
    rule: 'not-utf8',
    severity: 'error',
    variant: p.variant,
    vars: p.vars,
    line,
    column: p.offset - before.lastIndexOf('\n'),
  };
}

function parseText(
  input: CheckInput,
  manifests: Manifest[],
  findings: RawFinding[],
  partial: boolean,
  info: (input: CheckInput, kind: ForeignKind, what: string, position?: Position) => void,
): void {
  const lineCounter = new LineCounter();
  const position = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const syntax = (offset: number, detail: string) =>
    findings.push({
      file: input.path,
      position: position(offset),
      rule: 'yaml-syntax',
      severity: 'error',
      variant: syntaxVariant(detail),
      vars: { detail },
    });
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(input.text, {
      lineCounter,
      prettyErrors: false,
      version: '1.1',
      uniqueKeys: false,
    }) as Document.Parsed[];
  } catch (err) {
    // The parser itself can run out of stack on absurd nesting: one finding, not a crash.
    syntax(0, (err as Error).message);
    return;
  }
  const list = Array.isArray(docs) ? docs : [];
  // Decided per file at the end: documents that are not objects (a list, an app's own config) are
  // errors in a file of Kubernetes objects, and the whole file is "not Kubernetes" otherwise.
  const own: Manifest[] = [];
  const ownFindings: RawFinding[] = [];
  const plain: { manifest?: Manifest; finding?: RawFinding }[] = [];
  let foreign: { kind: ForeignKind; what: string; position: Position } | undefined;
  let documents = 0;
  let broken = false;
  list.forEach((doc, index) => {
    acceptGoYamlEscapes(doc, input.text);
    if (doc.errors.length > 0) {
      broken = true;
      for (const err of doc.errors as YAMLError[]) {
        const detail = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        syntax(err.pos[0], detail);
      }
      return;
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) return;
    documents++;
    if (!isMap(contents)) {
      const what = isSeq(contents) ? 'list' : 'scalar';
      // A list of objects (a stray "- " before apiVersion) is a broken manifest, not foreign YAML.
      const objectsInside =
        isSeq(contents) && contents.items.some((i) => isMap(i) && (i.has('apiVersion') || i.has('kind')));
      const finding: RawFinding = {
        file: input.path,
        position: position(contents.range?.[0] ?? 0),
        rule: 'not-a-mapping',
        severity: 'error',
        variant: 'message',
        vars: { what },
      };
      if (objectsInside) ownFindings.push(finding);
      else plain.push({ finding });
      return;
    }
    for (const dup of duplicateKeys(contents)) {
      ownFindings.push({
        file: input.path,
        position: position(dup.second),
        rule: 'duplicate-key',
        severity: 'error',
        variant: 'message',
        vars: { key: dup.key, first: position(dup.first).line, second: position(dup.second).line },
      });
    }
    let value: Record<string, unknown>;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
    } catch (err) {
      // Aliases expanding exponentially ("billion laughs") or nesting deeper than the stack.
      broken = true;
      syntax(contents.range?.[0] ?? 0, (err as Error).message);
      return;
    }
    const other = foreignDocument(input.path, value);
    if (other && other.kind !== 'message') {
      foreign ??= { ...other, position: position(contents.range?.[0] ?? 0) };
      return;
    }
    const made: Manifest[] = [];
    // `kind: List` (what `kubectl get -o yaml` prints) holds objects: check each item.
    if (value.kind === 'List' && value.apiVersion === 'v1' && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        if (item && typeof item === 'object' && !Array.isArray(item))
          made.push(
            toManifest(input, index, doc, item as Record<string, unknown>, ['items', i], position, partial),
          );
      });
    } else {
      made.push(toManifest(input, index, doc, value, [], position, partial));
    }
    if (other) for (const manifest of made) plain.push({ manifest });
    else own.push(...made);
  });
  findings.push(...ownFindings);
  if (foreign && own.length === 0) {
    info(input, foreign.kind, foreign.what, foreign.position);
    return;
  }
  if (own.length === 0 && plain.length > 0 && !broken) {
    // No document in the file looks like a Kubernetes object: an application's own YAML.
    info(input, 'message', basename(input.path));
    return;
  }
  manifests.push(...own);
  for (const p of plain) {
    if (p.manifest) manifests.push(p.manifest);
    if (p.finding) findings.push(p.finding);
  }
  if (documents === 0 && !broken && ownFindings.length === 0)
    findings.push({
      file: input.path,
      position: { line: 1, column: 1 },
      rule: 'no-objects',
      severity: 'info',
      variant: input.text.trim() === '' ? 'empty' : 'message',
      vars: {},
    });
}
