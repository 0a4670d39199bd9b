// `workshop provision`: what exists stays as it is; missing learners get their objects (one
// `kubectl apply` for all of them), a token (TokenRequest via `kubectl create token`) and a
// kubeconfig file; the handouts list every learner. `--dry-run` prints the objects instead.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { UserError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { type Kubectl, kubectlError } from '../kubectl.js';
import { type HandoutCard, handoutHtml, handoutMarkdown } from './handout.js';
import { clusterAccess, learnerKubeconfig } from './kubeconfig.js';
import {
  checkLearnerName,
  type KubeObject,
  learnerLabel,
  learnerNames,
  learnerObjects,
  type Quota,
  serviceAccountName,
  viewClusterRole,
  viewClusterRoleName,
  workshopSelector,
} from './objects.js';
import { mapLimit } from './parallel.js';

export interface ProvisionOptions {
  learners: number;
  prefix: string;
  /** Folder for the kubeconfig files and handouts. */
  out: string;
  /** undefined: no ResourceQuota and no LimitRange (`--quota none`). */
  quota: Quota | undefined;
  /** Token lifetime as kubectl takes it (8h, 90m). */
  duration: string;
  /** The API server address learners use, when not the facilitator's. */
  server?: string;
  dryRun: boolean;
  lang: string;
}

export interface ProvisionEnv {
  kubectl: Kubectl;
  t: Translate;
  print: (line: string) => void;
}

/** ProvisionResult says what changed. */
export interface ProvisionResult {
  created: string[];
  kept: string[];
  /** Kubeconfig files written (new learners, and existing ones whose file was missing). */
  kubeconfigs: string[];
}

/** parseDuration reads a Go-style duration (8h, 90m, 1h30m, 3600s) into seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m || text === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** existingLearners lists the learners whose namespace provision made before. */
export async function existingLearners(kubectl: Kubectl): Promise<string[]> {
  const { value, result } = await kubectl.json<{
    items: { metadata: { name: string; labels?: Record<string, string> } }[];
  }>(['get', 'namespaces', '-l', workshopSelector]);
  if (!value) throw new UserError(`cannot list the workshop's namespaces: ${kubectlError(result)}`);
  return value.items.map((ns) => ns.metadata.labels?.[learnerLabel] ?? ns.metadata.name).sort();
}

function kubeconfigFileName(learner: string): string {
  return `${learner}.kubeconfig`;
}

/** provision creates what is missing; see the file comment. */
export async function provision(options: ProvisionOptions, env: ProvisionEnv): Promise<ProvisionResult> {
  const { kubectl, t } = env;
  const wanted = learnerNames(options.prefix, options.learners);
  for (const name of wanted) checkLearnerName(name);
  const seconds = parseDuration(options.duration);
  if (!seconds || seconds < 600) {
    throw new UserError(t('workshop.provision.badDuration', { value: options.duration }), undefined, 2);
  }
  const access = await clusterAccess(kubectl, options.server);
  const existing = new Set(await existingLearners(kubectl));
  const created = wanted.filter((l) => !existing.has(l));
  const kept = wanted.filter((l) => existing.has(l));
  const role = await kubectl.run(
    ['get', 'clusterrole', viewClusterRoleName, '-o', 'name', '--ignore-not-found'],
    {
      readOnly: true,
    },
  );
  const objects: KubeObject[] = [
    ...(role.stdout.trim() === '' ? [viewClusterRole()] : []),
    ...created.flatMap((l) => learnerObjects(l, options.quota)),
  ];
  // Learners already there keep their objects; a missing kubeconfig file gets a fresh token.
  const needToken = [
    ...created,
    ...kept.filter((l) => !existsSync(join(options.out, kubeconfigFileName(l)))),
  ];

  if (options.dryRun) {
    for (const obj of objects) env.print(`---\n${stringify(obj).trimEnd()}`);
    for (const l of needToken) {
      env.print(
        `# ${kubectl.display(['create', 'token', serviceAccountName, '-n', l, '--duration', options.duration])}`,
      );
    }
    env.print(
      t('workshop.provision.dryRunSummary', {
        created: created.length,
        kept: kept.length,
        objects: objects.length,
      }),
    );
    return { created, kept, kubeconfigs: [] };
  }

  if (objects.length > 0) {
    env.print(t('workshop.provision.applying', { objects: objects.length, learners: created.length }));
    const list = { apiVersion: 'v1', kind: 'List', items: objects };
    const applied = await kubectl.run(['apply', '-f', '-'], {
      input: JSON.stringify(list),
      timeoutMs: 600_000,
    });
    if (applied.exitCode !== 0) {
      throw new UserError(
        t('workshop.provision.applyFailed', { error: kubectlError(applied) }),
        t('workshop.provision.applyFailed.fix'),
      );
    }
  }

  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  const expires = new Date(Date.now() + seconds * 1000).toISOString();
  const kubeconfigs = await mapLimit(needToken, 4, async (learner) => {
    const token = await kubectl.run(
      ['create', 'token', serviceAccountName, '-n', learner, '--duration', options.duration],
      { timeoutMs: 60_000 },
    );
    if (token.exitCode !== 0 || token.stdout.trim() === '') {
      throw new UserError(
        t('workshop.provision.tokenFailed', { learner, error: kubectlError(token) }),
        t('workshop.provision.tokenFailed.fix'),
      );
    }
    const file = join(options.out, kubeconfigFileName(learner));
    writeFileSync(file, learnerKubeconfig(access, learner, token.stdout.trim()), { mode: 0o600 });
    chmodSync(file, 0o600);
    return file;
  });

  const all = [...new Set([...existing, ...wanted])].sort();
  const cards: HandoutCard[] = all.map((learner) => ({
    learner,
    namespace: learner,
    kubeconfigFile: kubeconfigFileName(learner),
    ...(needToken.includes(learner) ? { expires } : {}),
  }));
  writeFileSync(join(options.out, 'handout.md'), handoutMarkdown(cards, t));
  writeFileSync(join(options.out, 'handout.html'), handoutHtml(cards, t, options.lang));
  return { created, kept, kubeconfigs };
}
