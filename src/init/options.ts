// Gathers the answers, one value at a time, as create-astro does: the flag when given (checked:
// exit 2 on a bad one), else under --yes the default (a --from-course seed beats the built-in
// one), else a prompt with that default and inline validation.
import { basename, resolve } from 'node:path';
import { suggestName } from '../check/names.js';
import { UsageError } from '../errors.js';
import type { AppTemplate, InitContext, ProjectOptions } from './context.js';
import { checkAppName, checkClusterName, checkNamespace, checkPort, checkReplicas } from './validate.js';

/** DEFAULT_DIR is where `init -y` writes without a DIR. */
export const DEFAULT_DIR = 'my-k8s-app';

type Ctx = Pick<InitContext, 'flags' | 'seed' | 'yes' | 'ui' | 't' | 'cwd'>;

async function textValue(
  ctx: Ctx,
  spec: {
    flag: string | undefined;
    flagName: string;
    fallback: string;
    message: string;
    check: (v: string) => string | undefined;
  },
): Promise<string> {
  if (spec.flag !== undefined) {
    const problem = spec.check(spec.flag);
    if (problem)
      throw new UsageError(`--${spec.flagName}: ${problem}`, ctx.t('init.flagHint', { flag: spec.flagName }));
    return spec.flag;
  }
  if (ctx.yes) return spec.fallback;
  return ctx.ui.text({ message: spec.message, initial: spec.fallback, validate: spec.check });
}

async function yesNo(
  ctx: Ctx,
  flag: boolean | undefined,
  fallback: boolean,
  message: string,
): Promise<boolean> {
  if (flag !== undefined) return flag;
  if (ctx.yes) return fallback;
  return ctx.ui.confirm({ message, initial: fallback });
}

/** nameFromDir turns a folder name into a valid app name (`My App` → `my-app`, `2048` → `app-2048`). */
export function nameFromDir(dir: string): string {
  const name = suggestName(basename(resolve(dir)), false)
    .slice(0, 63)
    .replace(/-+$/, '');
  return /^[a-z]/.test(name) ? name : `app-${name}`.slice(0, 63);
}

/** gatherOptions returns every answer; it prompts only for values neither flags nor --yes gave. */
export async function gatherOptions(ctx: Ctx): Promise<ProjectOptions> {
  const { flags, seed, t } = ctx;
  const dirText =
    flags.dir ??
    (ctx.yes
      ? (seed?.name ?? DEFAULT_DIR)
      : await ctx.ui.text({
          message: t('init.ask.dir'),
          initial: seed?.name ?? DEFAULT_DIR,
          validate: (v) => (v.trim() ? undefined : t('init.ask.dirEmpty')),
        }));
  const dir = resolve(ctx.cwd, dirText.trim());
  const name = await textValue(ctx, {
    flag: flags.name,
    flagName: 'name',
    fallback: seed?.name ?? nameFromDir(dir),
    message: t('init.ask.name'),
    check: checkAppName,
  });
  let template: AppTemplate = 'node';
  if (flags.template !== undefined) {
    if (flags.template !== 'node' && flags.template !== 'python')
      throw new UsageError(`--template: unknown template "${flags.template}"`, t('init.templateHint'));
    template = flags.template;
  } else if (!ctx.yes) {
    template = await ctx.ui.select<AppTemplate>({
      message: t('init.ask.template'),
      options: [
        { value: 'node', label: 'Node.js', hint: t('init.template.node') },
        { value: 'python', label: 'Python', hint: t('init.template.python') },
      ],
      initial: 'node',
    });
  }
  const namespace = await textValue(ctx, {
    flag: flags.namespace,
    flagName: 'namespace',
    fallback: seed?.namespace ?? name,
    message: t('init.ask.namespace'),
    check: checkNamespace,
  });
  const port = await textValue(ctx, {
    flag: flags.port,
    flagName: 'port',
    fallback: String(seed?.port ?? 8080),
    message: t('init.ask.port'),
    check: checkPort,
  });
  const replicas = await textValue(ctx, {
    flag: flags.replicas,
    flagName: 'replicas',
    fallback: String(seed?.replicas ?? 2),
    message: t('init.ask.replicas'),
    check: checkReplicas,
  });
  const hpa = await yesNo(ctx, flags.hpa, true, t('init.ask.hpa'));
  const ingress = await yesNo(ctx, flags.ingress, false, t('init.ask.ingress'));
  const clusterName = await textValue(ctx, {
    flag: flags.clusterName,
    flagName: 'cluster-name',
    fallback: seed?.clusterName ?? name,
    message: t('init.ask.cluster'),
    check: checkClusterName,
  });
  return {
    dir,
    name,
    namespace,
    template,
    port: Number(port),
    replicas: Number(replicas),
    hpa,
    ingress,
    clusterName,
    config: seed?.config ?? {},
    carried: seed?.carried ?? {},
  };
}
