// Learner kubeconfig files: written by provision (the cluster's address and CA, the learner's
// token, a context whose namespace is the learner's), read back by the learner's `--kubeconfig`.
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { UserError } from '../errors.js';
import type { Kubectl } from '../kubectl.js';
import { kubectlError } from '../kubectl.js';

/** ClusterAccess is how a learner's kubectl reaches the cluster (no credentials). */
export interface ClusterAccess {
  /** The cluster's name in the facilitator's kubeconfig (names the learners' cluster entry). */
  name: string;
  server: string;
  certificateAuthorityData?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify?: boolean;
}

interface KubeconfigCluster {
  name?: string;
  cluster?: {
    server?: string;
    'certificate-authority-data'?: string;
    'certificate-authority'?: string;
    'tls-server-name'?: string;
    'insecure-skip-tls-verify'?: boolean;
  };
}

interface KubeconfigFile {
  'current-context'?: string;
  clusters?: KubeconfigCluster[];
  contexts?: { name?: string; context?: { cluster?: string; user?: string; namespace?: string } }[];
}

/**
 * clusterAccess reads the server and CA of the facilitator's context (`kubectl config view --raw
 * --minify`, so it is the cluster kubectl itself would use); `server` overrides the address when
 * learners reach the API server by another one than the facilitator.
 */
export async function clusterAccess(kubectl: Kubectl, server?: string): Promise<ClusterAccess> {
  const { value, result } = await kubectl.json<KubeconfigFile>(['config', 'view', '--raw', '--minify']);
  const cluster = value?.clusters?.[0];
  if (!cluster?.cluster?.server) {
    throw new UserError(
      `cannot read the cluster of context "${kubectl.target.context}": ${value ? 'it names no server' : kubectlError(result)}`,
      'Check the name with `kubectl config get-contexts`.',
    );
  }
  const c = cluster.cluster;
  let ca = c['certificate-authority-data'];
  if (!ca && c['certificate-authority']) ca = readFileSync(c['certificate-authority']).toString('base64');
  return {
    name: cluster.name ?? kubectl.target.context,
    server: server ?? c.server!,
    ...(ca ? { certificateAuthorityData: ca } : {}),
    ...(c['tls-server-name'] ? { tlsServerName: c['tls-server-name'] } : {}),
    ...(c['insecure-skip-tls-verify'] ? { insecureSkipTlsVerify: true } : {}),
  };
}

/** learnerContextName is the context a learner's kubeconfig selects. */
export function learnerContextName(cluster: string, learner: string): string {
  return `${cluster}-${learner}`;
}

/** learnerKubeconfig is the YAML of one learner's kubeconfig file. */
export function learnerKubeconfig(access: ClusterAccess, learner: string, token: string): string {
  const context = learnerContextName(access.name, learner);
  const file = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: access.name,
        cluster: {
          server: access.server,
          ...(access.certificateAuthorityData
            ? { 'certificate-authority-data': access.certificateAuthorityData }
            : {}),
          ...(access.tlsServerName ? { 'tls-server-name': access.tlsServerName } : {}),
          ...(access.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
        },
      },
    ],
    users: [{ name: learner, user: { token } }],
    contexts: [{ name: context, context: { cluster: access.name, user: learner, namespace: learner } }],
    'current-context': context,
  };
  return `# k8s-learn workshop credential for ${learner}: it can touch only the namespace ${learner}.\n${stringify(file)}`;
}

/** LearnerKubeconfig is what the learner side needs from a `--kubeconfig` file. */
export interface LearnerKubeconfig {
  context: string;
  namespace?: string;
}

/** readLearnerKubeconfig reads the current context and its namespace; errors say what to do. */
export function readLearnerKubeconfig(path: string): LearnerKubeconfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read the kubeconfig ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'Check the path of the file your facilitator gave you (--kubeconfig FILE).',
      2,
    );
  }
  let file: KubeconfigFile | undefined;
  try {
    file = parse(text) as KubeconfigFile;
  } catch {
    file = undefined;
  }
  const context = file?.['current-context'];
  if (!file || !context) {
    throw new UserError(
      `${path} is not a kubeconfig with a current context`,
      'Use the file your facilitator gave you, unchanged.',
      2,
    );
  }
  const entry = file.contexts?.find((c) => c.name === context);
  return { context, ...(entry?.context?.namespace ? { namespace: entry.context.namespace } : {}) };
}
