import type { OptionSpec } from './registry.js';

/** Lang is a language tag the course and the UI may be written in. */
export type Lang = string;

/** GlobalOptions are accepted by every command (see README, "Global options"). */
export interface GlobalOptions {
  /** The workspace folder (src/engine/workspace.ts chose it: --dir, found above the cwd, or the default). */
  dir: string;
  /** How `dir` was chosen. */
  dirSource?: 'flag' | 'found' | 'default';
  course?: string;
  lang: Lang;
  cluster: string;
  yes: boolean;
  dryRun: boolean;
  color: boolean;
  /** Workshop mode: the learner's kubeconfig (its context names the namespace). */
  kubeconfig?: string;
  /** Workshop mode with --cluster context:NAME: the learner's namespace. */
  namespace?: string;
}

export const globalOptionSpecs: Record<string, OptionSpec> = {
  dir: {
    type: 'string',
    value: 'DIR',
    description:
      'workspace directory (default: the nearest folder above with .k8s-learn/, else ./k8s-learn-lab)',
  },
  course: { type: 'string', value: 'DIR', description: 'run another course than the built-in one' },
  lang: { type: 'string', value: 'LANG', description: 'en or zh-CN (default from LC_ALL/LC_MESSAGES/LANG)' },
  cluster: {
    type: 'string',
    value: 'KIND',
    description: 'auto | kind | practice | context:NAME (default auto)',
  },
  kubeconfig: {
    type: 'string',
    value: 'FILE',
    description: 'workshop: the kubeconfig your facilitator gave you (the course runs in its namespace)',
  },
  namespace: {
    type: 'string',
    value: 'N',
    description: 'workshop: your namespace (with --cluster context:NAME)',
  },
  yes: { type: 'boolean', short: 'y', description: 'unattended: take defaults, solve and verify every step' },
  'dry-run': { type: 'boolean', description: 'print every command and file it would write; change nothing' },
  'no-color': { type: 'boolean', description: 'plain output (also when NO_COLOR is set)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', short: 'v', description: 'print the version' },
};

/** detectLang picks the learner's language from the POSIX locale variables, in their precedence. */
export function detectLang(env: NodeJS.ProcessEnv): Lang {
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const tag = raw.split('.')[0]?.replace('_', '-') ?? '';
  if (/^zh(-|$)/i.test(tag)) return 'zh-CN';
  return 'en';
}

/** normalizeLang maps what a user may type (zh, zh_CN, zh-cn, EN) to a tag we ship, or undefined. */
export function normalizeLang(input: string, known: readonly string[]): Lang | undefined {
  const cleaned = input.trim().replace('_', '-').toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === cleaned);
  if (exact) return exact;
  const prefix = cleaned.split('-')[0];
  return known.find((k) => k.toLowerCase().split('-')[0] === prefix);
}

/** colorEnabled follows the no-color.org convention and the --no-color flag. */
export function colorEnabled(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}
