// cluster-answer: the learner reads something off the cluster and writes it into a workspace file
// (`nodes: 3`); the check asks the cluster the same question (`kubectl get KIND -o jsonpath=…`) and
// compares. The answer is the cluster's own, so it holds on kind, the practice cluster and a
// learner's own context alike. A wrong answer names the command that shows the right one, never
// the answer itself.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { CheckType } from '../types.js';
import { isResult, kubectlFailure, kubectlOf, namespaceSchema, nsArgs } from './common.js';

/** ClusterAnswerSpec names the learner's answer and the cluster's question. */
export interface ClusterAnswerSpec {
  /** A YAML file in the workspace. */
  file: string;
  /** The top-level key holding the answer (a scalar, or a list for `set`). */
  key: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** A label selector (`-l`), when no name is given. */
  selector?: string;
  /** kubectl's jsonpath; its output is split into words. */
  jsonpath: string;
  /** value: the words equal the answer; set: the same words in any order; count: how many words. */
  compare?: 'value' | 'set' | 'count';
}

const schema = {
  type: 'object',
  required: ['file', 'key', 'kind', 'jsonpath'],
  additionalProperties: false,
  properties: {
    file: { type: 'string', minLength: 1 },
    key: { type: 'string', minLength: 1 },
    kind: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    namespace: namespaceSchema,
    selector: { type: 'string', minLength: 1 },
    jsonpath: { type: 'string', minLength: 1 },
    compare: { enum: ['value', 'set', 'count'] },
  },
};

/** wordsOf splits an answer (scalar or list) or kubectl's output into words. */
export function wordsOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items
    .filter((v) => v !== null && v !== undefined)
    .flatMap((v) => String(v).split(/[\s,]+/))
    .filter(Boolean);
}

/** answerMatches compares the learner's words with the cluster's. */
export function answerMatches(
  answer: string[],
  cluster: string[],
  compare: ClusterAnswerSpec['compare'],
): boolean {
  if (compare === 'count') return answer.length === 1 && Number(answer[0]) === cluster.length;
  if (compare === 'set') {
    const sorted = (list: string[]) => [...new Set(list)].sort().join(' ');
    return sorted(answer) === sorted(cluster);
  }
  return answer.join(' ') === cluster.join(' ');
}

/** clusterAnswer passes when the learner's answer is what the cluster says. */
export const clusterAnswer: CheckType<ClusterAnswerSpec> = {
  name: 'cluster-answer',
  schema,
  async run(spec, ctx) {
    const title = ctx.t('checks.answer.title', { key: spec.key, file: spec.file });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const path = isAbsolute(spec.file) ? spec.file : join(ctx.workspace, spec.file);
    let answer: string[];
    try {
      // yaml is loaded here only: the other kube checks share this chunk and need no parser.
      const { parse } = await import('../../yaml.js');
      const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown> | null;
      answer = wordsOf(doc && typeof doc === 'object' ? doc[spec.key] : undefined);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      return {
        ok: false,
        title,
        saw: missing ? ctx.t('check.file.missing') : (err as Error).message.split('\n')[0],
        causeId: missing ? 'file-missing' : 'manifest',
        stuck: true,
        cause: ctx.t('checks.answer.causeFile', { file: spec.file }),
        hint: ctx.t('checks.answer.hint', { key: spec.key, file: spec.file }),
      };
    }
    const args = [
      'get',
      spec.kind,
      ...(spec.name ? [spec.name] : []),
      ...nsArgs(spec.namespace),
      ...(spec.selector ? ['-l', spec.selector] : []),
      '-o',
      `jsonpath=${spec.jsonpath}`,
    ];
    const command = kubectl.display(args);
    if (answer.length === 0) {
      return {
        ok: false,
        title,
        expected: ctx.t('checks.answer.expected', { key: spec.key }),
        saw: ctx.t('checks.answer.sawNone', { key: spec.key, file: spec.file }),
        causeId: 'answer-missing',
        stuck: true,
        cause: ctx.t('checks.answer.causeMissing', { key: spec.key }),
        hint: ctx.t('checks.answer.hint', { key: spec.key, file: spec.file }),
      };
    }
    const asked = await kubectl.run(args, { readOnly: true, timeoutMs: 30_000 });
    if (asked.exitCode !== 0)
      return kubectlFailure(ctx, title, ctx.t('checks.answer.expected', { key: spec.key }), asked);
    if (answerMatches(answer, wordsOf(asked.stdout), spec.compare)) return { ok: true, title };
    return {
      ok: false,
      title,
      expected: ctx.t('checks.answer.expected', { key: spec.key }),
      saw: ctx.t('checks.answer.saw', { key: spec.key, answer: answer.join(' ') }),
      causeId: 'wrong-answer',
      stuck: true,
      cause: ctx.t('checks.answer.cause'),
      hint: ctx.t('checks.answer.hintWrong', { command, key: spec.key, file: spec.file }),
    };
  },
};
