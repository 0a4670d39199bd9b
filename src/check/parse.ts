// Parses input files into manifests, keeping positions: every finding points at line:column through
// the yaml package's CST ranges and LineCounter. YAML errors become findings here, not exceptions.
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { resolveKind } from './kinds.js';
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

/**
 * parseInputs parses every document of every input. Empty documents are skipped silently. YAML 1.1,
 * as kubectl and the API server read manifests: `yes`/`on` are booleans, not strings.
 */
export function parseInputs(inputs: CheckInput[]): ParseResult {
  const manifests: Manifest[] = [];
  const findings: RawFinding[] = [];
  for (const input of inputs) {
    const lineCounter = new LineCounter();
    const position = (offset: number): Position => {
      const p = lineCounter.linePos(offset);
      return { line: p.line, column: p.col };
    };
    const docs = parseAllDocuments(input.text, { lineCounter, prettyErrors: false, version: '1.1' });
    const list = Array.isArray(docs) ? docs : [];
    list.forEach((doc, index) => {
      let broken = false;
      for (const err of doc.errors) {
        broken = true;
        const duplicate = err.code === 'DUPLICATE_KEY';
        findings.push({
          file: input.path,
          position: position(err.pos[0]),
          rule: duplicate ? 'duplicate-key' : 'yaml-syntax',
          severity: 'error',
          variant: 'message',
          vars: { detail: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') },
        });
      }
      if (broken) return;
      const contents = doc.contents;
      if (contents === null || (isScalar(contents) && contents.value === null)) return;
      if (!isMap(contents)) {
        const what = isSeq(contents) ? 'list' : 'scalar';
        findings.push({
          file: input.path,
          position: position(contents.range?.[0] ?? 0),
          rule: 'not-a-mapping',
          severity: 'error',
          variant: 'message',
          vars: { what },
        });
        return;
      }
      let value: Record<string, unknown>;
      try {
        value = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
      } catch (err) {
        // e.g. aliases expanding exponentially ("billion laughs"): report, do not crash.
        findings.push({
          file: input.path,
          position: position(contents.range?.[0] ?? 0),
          rule: 'yaml-syntax',
          severity: 'error',
          variant: 'message',
          vars: { detail: (err as Error).message },
        });
        return;
      }
      // `kind: List` (what `kubectl get -o yaml` prints) holds objects: check each item.
      if (value.kind === 'List' && value.apiVersion === 'v1' && Array.isArray(value.items)) {
        value.items.forEach((item, i) => {
          if (item && typeof item === 'object' && !Array.isArray(item))
            manifests.push(
              toManifest(input, index, doc, item as Record<string, unknown>, ['items', i], position),
            );
        });
        return;
      }
      manifests.push(toManifest(input, index, doc, value, [], position));
    });
  }
  return { manifests, findings };
}
