// The facilitator's side reaches the workshop cluster through their own context (`--context NAME`,
// required: a workshop is never made in whatever context happens to be current), pinned like
// every kubectl call, optionally in another kubeconfig file (`--kubeconfig FILE`).
import { resolve } from 'node:path';
import type { CommandArgs } from '../cli/registry.js';
import { UsageError } from '../errors.js';
import { createTranslator, type Translate } from '../i18n/index.js';
import { createKubectl, type Kubectl } from '../kubectl.js';
import { createRunner } from '../runner.js';

/** AdminSession is what every `workshop` command starts from. */
export interface AdminSession {
  kubectl: Kubectl;
  t: Translate;
}

/** openAdmin checks `--context` and pins kubectl to it. */
export function openAdmin(args: CommandArgs): AdminSession {
  const t = createTranslator(args.global.lang);
  const context = args.flags.context;
  if (typeof context !== 'string' || context === '') {
    throw new UsageError(t('workshop.needsContext'), t('workshop.needsContext.hint'));
  }
  const runner = createRunner({ dryRun: args.global.dryRun, print: (l) => process.stderr.write(`${l}\n`) });
  const kubectl = createKubectl(runner, {
    backend: 'context',
    context,
    ...(args.global.kubeconfig ? { kubeconfig: resolve(args.global.kubeconfig) } : {}),
  });
  return { kubectl, t };
}

/** intFlag reads a positive whole-number flag. */
export function intFlag(args: CommandArgs, name: string, fallback: number, max: number): number {
  const raw = args.flags[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < 1 || value > max) {
    throw new UsageError(`invalid --${name} "${String(raw)}"`, `Give a whole number from 1 to ${max}.`);
  }
  return value;
}
