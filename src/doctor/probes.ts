// One probe per prerequisite. Each returns a DoctorItem and never throws; the runner's timeout
// bounds each external call, and `withTimeout` bounds the probe as a whole.
import { dockerClientVersion, dockerInfo } from '../docker.js';
import { kindClusters, kindVersion, parseKindVersion } from '../kind.js';
import { createKubectl, kubectlError } from '../kubectl.js';
import type { Runner } from '../runner.js';
import type { FixId } from './fixes.js';

/** DoctorItem is one line of the doctor report. */
export interface DoctorItem {
  id: 'node' | 'docker' | 'dockerDaemon' | 'dockerMemory' | 'kind' | 'kubectl' | 'kindCluster' | 'skew';
  status: 'ok' | 'warn' | 'fail' | 'skip';
  /** What was found (a version, a size) or what is wrong; already translated. */
  detail: string;
  fix?: FixId;
  /** Raw values for --json. */
  data?: Record<string, string | number | boolean>;
}

/** minimumNode is the lowest Node.js k8s-learn supports. */
export const minimumNode = '20.12.0';

function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.replace(/^v/, '').split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** probeNode checks the running Node.js. */
export function probeNode(version = process.versions.node): DoctorItem {
  const ok = versionAtLeast(version, minimumNode);
  return {
    id: 'node',
    status: ok ? 'ok' : 'fail',
    detail: `v${version}`,
    data: { version, minimum: minimumNode },
    ...(ok ? {} : { fix: 'node' as const }),
  };
}

/** probeDocker checks the client, the daemon and the memory the daemon may use. */
export async function probeDocker(runner: Runner, timeoutMs: number): Promise<DoctorItem[]> {
  const [client, info] = await Promise.all([
    dockerClientVersion(runner, timeoutMs),
    dockerInfo(runner, timeoutMs),
  ]);
  if (client.notFound) {
    return [
      { id: 'docker', status: 'fail', detail: 'not installed', fix: 'dockerMissing' },
      { id: 'dockerDaemon', status: 'skip', detail: '' },
    ];
  }
  const clientVersion = client.stdout.trim().split('\n')[0] ?? '';
  const items: DoctorItem[] = [
    { id: 'docker', status: 'ok', detail: clientVersion, data: { version: clientVersion } },
  ];
  if (!info.info) {
    const text = `${info.result.stderr}\n${info.result.stdout}`;
    const permission = /permission denied/i.test(text);
    const line = info.result.timedOut
      ? 'timed out'
      : (info.result.stderr
          .trim()
          .split('\n')
          .find((l) => l.trim() !== '') ?? `exit ${info.result.exitCode}`);
    items.push({
      id: 'dockerDaemon',
      status: 'fail',
      detail: line,
      fix: permission ? 'dockerPermission' : 'daemonDown',
      data: { reachable: false },
    });
    return items;
  }
  items.push({
    id: 'dockerDaemon',
    status: 'ok',
    detail: info.info.serverVersion,
    data: { reachable: true, serverVersion: info.info.serverVersion },
  });
  if (info.info.memTotal !== undefined) {
    const gib = info.info.memTotal / 1024 ** 3;
    items.push({
      id: 'dockerMemory',
      status: gib < 4 ? 'warn' : 'ok',
      detail: `${gib.toFixed(1)} GiB`,
      data: { bytes: info.info.memTotal },
      ...(gib < 4 ? { fix: 'dockerMemory' as const } : {}),
    });
  }
  return items;
}

/** probeKindTool checks `kind version`. */
export async function probeKindTool(runner: Runner, timeoutMs: number): Promise<DoctorItem> {
  const result = await kindVersion(runner, timeoutMs);
  if (result.notFound) return { id: 'kind', status: 'fail', detail: 'not installed', fix: 'kindMissing' };
  const version = parseKindVersion(result.stdout);
  if (result.exitCode !== 0 || !version) {
    return {
      id: 'kind',
      status: 'fail',
      detail: result.timedOut ? 'timed out' : (result.stderr.trim().split('\n')[0] ?? ''),
      fix: 'kindMissing',
    };
  }
  return { id: 'kind', status: 'ok', detail: version, data: { version } };
}

/** probeKubectl checks the kubectl client (pinned like every kubectl call; --client never dials). */
export async function probeKubectl(runner: Runner, context: string, timeoutMs: number): Promise<DoctorItem> {
  const kubectl = createKubectl(runner, { backend: 'doctor', context });
  const { value, result } = await kubectl.json<{ clientVersion?: { gitVersion?: string; minor?: string } }>(
    ['version', '--client'],
    { timeoutMs },
  );
  if (result.notFound)
    return { id: 'kubectl', status: 'fail', detail: 'not installed', fix: 'kubectlMissing' };
  const version = value?.clientVersion?.gitVersion;
  if (!version)
    return {
      id: 'kubectl',
      status: 'fail',
      detail: kubectlError(result) || `exit code ${result.exitCode}`,
      fix: 'kubectlMissing',
    };
  return { id: 'kubectl', status: 'ok', detail: version, data: { version } };
}

/** probeKindCluster checks whether the course's kind cluster exists. */
export async function probeKindCluster(runner: Runner, name: string, timeoutMs: number): Promise<DoctorItem> {
  const listed = await kindClusters(runner, timeoutMs);
  if (!listed.names) return { id: 'kindCluster', status: 'skip', detail: '' };
  const exists = listed.names.includes(name);
  return { id: 'kindCluster', status: exists ? 'ok' : 'warn', detail: name, data: { name, exists } };
}

/**
 * probeSkew compares kubectl's client and the cluster's server minor versions (supported skew:
 * ±1 minor). Skipped when the cluster does not answer.
 */
export async function probeSkew(
  runner: Runner,
  target: { backend: string; context: string; kubeconfig?: string },
  timeoutMs: number,
): Promise<DoctorItem> {
  const kubectl = createKubectl(runner, target);
  const { value } = await kubectl.json<{
    clientVersion?: { minor?: string; gitVersion?: string };
    serverVersion?: { minor?: string; gitVersion?: string };
  }>(['version', `--request-timeout=${Math.ceil(timeoutMs / 1000)}s`], { timeoutMs });
  const client = Number.parseInt(value?.clientVersion?.minor ?? '', 10);
  const server = Number.parseInt(value?.serverVersion?.minor ?? '', 10);
  if (Number.isNaN(client) || Number.isNaN(server)) return { id: 'skew', status: 'skip', detail: '' };
  const skew = Math.abs(client - server);
  return {
    id: 'skew',
    status: skew > 1 ? 'warn' : 'ok',
    detail: `${value?.clientVersion?.gitVersion} / ${value?.serverVersion?.gitVersion}`,
    data: {
      client: value?.clientVersion?.gitVersion ?? '',
      server: value?.serverVersion?.gitVersion ?? '',
      skew,
    },
  };
}
