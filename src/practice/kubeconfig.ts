// Kubeconfig files: the cluster's own (<dataDir>/kubeconfig, 0600, token auth) and the context
// `k8s-learn-practice` merged into the user's kubeconfig the way kind adds `kind-NAME`: the first
// path of $KUBECONFIG (or ~/.kube/config), other entries kept, written with mode 0600.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** CONTEXT_NAME is the kubectl context of the practice cluster. */
export const CONTEXT_NAME = 'k8s-learn-practice';

interface Named {
  name: string;
  [k: string]: unknown;
}

interface KubeConfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  contexts?: Named[];
  users?: Named[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [k: string]: unknown;
}

/** kubeconfigFor is a kubeconfig with only the practice cluster. */
export function kubeconfigFor(url: string, token: string, caCert: string): KubeConfig {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: { server: url, 'certificate-authority-data': Buffer.from(caCert).toString('base64') },
      },
    ],
    users: [{ name: CONTEXT_NAME, user: { token } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME } }],
    'current-context': CONTEXT_NAME,
  };
}

function writePrivate(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** writeKubeconfig writes a standalone kubeconfig (0600). */
export function writeKubeconfig(file: string, url: string, token: string, caCert: string): void {
  writePrivate(file, stringify(kubeconfigFor(url, token, caCert)));
}

/** userKubeconfigPath is where kubectl (and kind) write: the first $KUBECONFIG entry, or ~/.kube/config. */
export function userKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p.trim() !== '');
  return first ?? join(env.HOME ?? homedir(), '.kube', 'config');
}

function readConfig(file: string): KubeConfig {
  if (!existsSync(file)) return { apiVersion: 'v1', kind: 'Config' };
  const parsed = parse(readFileSync(file, 'utf8')) as unknown;
  if (parsed === null || parsed === undefined) return { apiVersion: 'v1', kind: 'Config' };
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`${file} is not a kubeconfig (expected a YAML mapping)`);
  return parsed as KubeConfig;
}

function upsert(list: Named[] | undefined, entry: Named): Named[] {
  const out = (list ?? []).filter((e) => e?.name !== entry.name);
  out.push(entry);
  return out;
}

/** addContext merges the practice context into a kubeconfig file and makes it current. */
export function addContext(file: string, url: string, token: string, caCert: string): void {
  const cfg = readConfig(file);
  const mine = kubeconfigFor(url, token, caCert);
  cfg.clusters = upsert(cfg.clusters, mine.clusters![0]!);
  cfg.users = upsert(cfg.users, mine.users![0]!);
  cfg.contexts = upsert(cfg.contexts, mine.contexts![0]!);
  cfg['current-context'] = CONTEXT_NAME;
  writePrivate(file, stringify(cfg));
}

/** removeContext deletes the practice context, cluster and user; unsets current-context if it was ours. */
export function removeContext(file: string): boolean {
  if (!existsSync(file)) return false;
  const cfg = readConfig(file);
  const had = (cfg.contexts ?? []).some((c) => c?.name === CONTEXT_NAME);
  cfg.clusters = (cfg.clusters ?? []).filter((c) => c?.name !== CONTEXT_NAME);
  cfg.users = (cfg.users ?? []).filter((c) => c?.name !== CONTEXT_NAME);
  cfg.contexts = (cfg.contexts ?? []).filter((c) => c?.name !== CONTEXT_NAME);
  if (cfg['current-context'] === CONTEXT_NAME) cfg['current-context'] = '';
  writePrivate(file, stringify(cfg));
  return had;
}
