// `k8s-learn workshop provision --context NAME --learners 30`: per learner a fenced namespace, a
// credential and a kubeconfig file, plus printable handouts. Idempotent (see src/workshop/provision.ts).
import { resolve } from 'node:path';
import type { CommandArgs } from '../cli/registry.js';
import { intFlag, openAdmin } from '../workshop/admin.js';
import { defaultQuota, parseQuota } from '../workshop/objects.js';
import { provision } from '../workshop/provision.js';

export async function run(args: CommandArgs): Promise<number> {
  const { kubectl, t } = openAdmin(args);
  const str = (name: string, fallback: string) => {
    const v = args.flags[name];
    return typeof v === 'string' ? v : fallback;
  };
  const out = resolve(str('out', 'workshop'));
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const server = args.flags.server;
  const result = await provision(
    {
      learners: intFlag(args, 'learners', 1, 500),
      prefix: str('prefix', 'learner-'),
      out,
      quota: parseQuota(str('quota', defaultQuota)),
      duration: str('duration', '8h'),
      ...(typeof server === 'string' ? { server } : {}),
      dryRun: args.global.dryRun,
      lang: args.global.lang,
    },
    { kubectl, t, print },
  );
  if (args.global.dryRun) return 0;
  print(t('workshop.provision.done', { created: result.created.length, kept: result.kept.length }));
  print(t('workshop.provision.files', { dir: out, files: result.kubeconfigs.length }));
  print(t('workshop.provision.next', { context: kubectl.target.context }));
  return 0;
}
