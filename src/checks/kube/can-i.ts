// can-i: what an identity may do, asked the way a learner asks it — `kubectl auth can-i VERB
// RESOURCE[/NAME] -n NS --as=SUBJECT` (a SubjectAccessReview on the API server's own RBAC). Least
// privilege is checked both ways: a lesson lists what must be allowed and what must stay denied.
// Nothing changes RBAC by itself, so a wrong answer is final at once (stuck): no waiting.
import type { Kubectl } from '../../kubectl.js';
import type { RunResult } from '../../runner.js';
import type { CheckResult, CheckType } from '../types.js';
import { isResult, kubectlFailure, kubectlOf, namespaceSchema, nsArgs } from './common.js';

/** CanISpec is one question to the API server's authorizer. */
export interface CanISpec {
  verb: string;
  /** A resource (`configmaps`, `deployments.apps`, `pods/exec`), as kubectl auth can-i takes it. */
  resource: string;
  /** One object by name (`resourceNames` rules); omitted: any object of the resource. */
  name?: string;
  namespace?: string;
  /** Who asks: a user, or `system:serviceaccount:NS:NAME`. Omitted: the course's own user. */
  as?: string;
  /** The answer the lesson wants. */
  allowed: boolean;
}

const schema = {
  type: 'object',
  required: ['verb', 'resource', 'allowed'],
  additionalProperties: false,
  properties: {
    verb: { type: 'string', minLength: 1 },
    resource: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    namespace: namespaceSchema,
    as: { type: 'string', minLength: 1 },
    allowed: { type: 'boolean' },
  },
};

/** canIArgs is the kubectl command line of the question (without the pinned context). */
export function canIArgs(spec: CanISpec): string[] {
  const target = spec.name ? `${spec.resource}/${spec.name}` : spec.resource;
  return [
    'auth',
    'can-i',
    spec.verb,
    target,
    ...nsArgs(spec.namespace),
    ...(spec.as ? [`--as=${spec.as}`] : []),
  ];
}

/** answerOf reads kubectl's yes/no (exit 0 = yes, 1 = no); undefined when kubectl failed. */
export function answerOf(result: RunResult): boolean | undefined {
  const first = result.stdout.trim().split(/\s/)[0];
  if (result.exitCode === 0 && first === 'yes') return true;
  if (result.exitCode === 1 && first === 'no') return false;
  return undefined;
}

/**
 * grantedRules lists what the identity may do in the namespace (`kubectl auth can-i --list`),
 * without the rules every authenticated identity has (self reviews, discovery paths): the part a
 * learner wrote, shown when an answer was wrong.
 */
async function grantedRules(kubectl: Kubectl, spec: CanISpec): Promise<string> {
  const listed = await kubectl.run(
    ['auth', 'can-i', '--list', ...nsArgs(spec.namespace), ...(spec.as ? [`--as=${spec.as}`] : [])],
    { readOnly: true, timeoutMs: 30_000 },
  );
  if (listed.exitCode !== 0) return '';
  const lines = listed.stdout.trimEnd().split('\n');
  const own = lines
    .slice(1)
    .filter((l) => !/^\s|^self\w+reviews\./.test(l))
    .slice(0, 8);
  return own.length > 0 ? [lines[0], ...own].join('\n') : '';
}

/** canI passes when the authorizer's answer is the one the lesson wants. */
export const canI: CheckType<CanISpec> = {
  name: 'can-i',
  schema,
  async run(spec, ctx) {
    const who = spec.as ?? ctx.t('checks.canI.you');
    const what = spec.name ? `${spec.resource}/${spec.name}` : spec.resource;
    const where = spec.namespace ?? '';
    const vars = { who, verb: spec.verb, what, namespace: where };
    const title = ctx.t(spec.allowed ? 'checks.canI.titleAllowed' : 'checks.canI.titleDenied', vars);
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t(spec.allowed ? 'checks.canI.expectedYes' : 'checks.canI.expectedNo', vars);
    const asked = await kubectl.run(canIArgs(spec), { readOnly: true, timeoutMs: 30_000 });
    const answer = answerOf(asked);
    if (answer === undefined) return kubectlFailure(ctx, title, expected, asked);
    if (answer === spec.allowed) return { ok: true, title };
    const rules = await grantedRules(kubectl, spec);
    const command = kubectl.display(canIArgs(spec));
    const list = kubectl.display([
      'auth',
      'can-i',
      '--list',
      ...nsArgs(spec.namespace),
      ...(spec.as ? [`--as=${spec.as}`] : []),
    ]);
    const result: CheckResult = {
      ok: false,
      title,
      expected,
      saw: `$ ${command}\n${answer ? 'yes' : 'no'}${rules ? `\n$ ${list}\n${rules}` : ''}`,
      stuck: true,
      causeId: answer ? 'over-privileged' : 'not-allowed',
      cause: ctx.t(answer ? 'checks.canI.causeAllowed' : 'checks.canI.causeDenied', vars),
      hint: ctx.t(answer ? 'checks.canI.hintAllowed' : 'checks.canI.hintDenied', { ...vars, command: list }),
    };
    return result;
  },
};
