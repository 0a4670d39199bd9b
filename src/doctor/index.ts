// `k8s-learn doctor`: checks the learner's machine for the chosen backend, in parallel, each probe
// with a timeout, and says for every failure what is wrong, how to fix it on this OS, and whether
// the practice cluster can be used instead.

import { join } from 'node:path';
import { kindClusterName } from '../backends/kind.js';
import { parsePracticeStatus, practiceContext } from '../backends/practice.js';
import { parseClusterChoice } from '../backends/types.js';
import { packageRoot } from '../paths.js';
import type { Runner } from '../runner.js';
import { type Fix, fixFor, type Platform } from './fixes.js';
import {
  type DoctorItem,
  probeDocker,
  probeKindCluster,
  probeKindTool,
  probeKubectl,
  probeNode,
  probeSkew,
} from './probes.js';

export type { DoctorItem } from './probes.js';

/** DoctorReport is the whole result (also the `--json` shape). */
export interface DoctorReport {
  platform: Platform;
  /** The `--cluster` value asked about. */
  cluster: string;
  /** The backend that would run: kind | practice | context. */
  backend: string;
  /** Whether that backend can work on this machine. */
  usable: boolean;
  kindUsable: boolean;
  practiceUsable: boolean;
  items: (DoctorItem & { howToFix?: Fix })[];
}

/** DoctorOptions drive one doctor run. */
export interface DoctorOptions {
  runner: Runner;
  cluster: string;
  platform: Platform;
  /** Per-probe timeout (default 15 s). */
  timeoutMs?: number;
  nodeVersion?: string;
}

function skipped(id: DoctorItem['id']): DoctorItem {
  return { id, status: 'skip', detail: '' };
}

/** withTimeout bounds a probe; a probe that hangs past its runner timeout reads as a failure. */
async function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** runDoctor runs every probe and decides whether the chosen backend can work. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const guard = timeoutMs + 2_000;
  const choice = parseClusterChoice(options.cluster) ?? { kind: 'auto' as const };
  const pinContext =
    choice.kind === 'context'
      ? choice.name
      : choice.kind === 'practice'
        ? practiceContext
        : `kind-${kindClusterName}`;
  const timedOut = (id: DoctorItem['id']): DoctorItem => ({ id, status: 'fail', detail: 'timed out' });
  const [docker, kind, kubectl] = await Promise.all([
    withTimeout(probeDocker(options.runner, timeoutMs), guard, [timedOut('docker'), skipped('dockerDaemon')]),
    withTimeout(probeKindTool(options.runner, timeoutMs), guard, {
      ...timedOut('kind'),
      fix: 'kindMissing' as const,
    }),
    withTimeout(probeKubectl(options.runner, pinContext, timeoutMs), guard, timedOut('kubectl')),
  ]);
  const node = probeNode(options.nodeVersion);
  const dockerOk = docker.every((i) => i.status !== 'fail');
  const kindUsable = dockerOk && kind.status === 'ok' && kubectl.status === 'ok' && node.status === 'ok';
  const practiceUsable = node.status === 'ok' && kubectl.status === 'ok';
  const items: DoctorItem[] = [node, ...docker, kind, kubectl];

  let backend: string = choice.kind === 'auto' ? (kindUsable ? 'kind' : 'practice') : choice.kind;
  let usable = backend === 'kind' ? kindUsable : practiceUsable;
  if (backend === 'kind') {
    const cluster = kindUsable
      ? await withTimeout(
          probeKindCluster(options.runner, kindClusterName, timeoutMs),
          guard,
          skipped('kindCluster'),
        )
      : skipped('kindCluster');
    items.push(cluster);
    if (cluster.data?.exists === true) {
      items.push(
        await withTimeout(
          probeSkew(options.runner, { backend: 'kind', context: `kind-${kindClusterName}` }, timeoutMs),
          guard,
          skipped('skew'),
        ),
      );
    }
  }
  if (backend === 'practice' && practiceUsable) {
    // Skew only when the practice cluster already runs (doctor never starts it).
    const status = await options.runner.run(
      process.execPath,
      [join(packageRoot(), 'bin', 'k8s-learn.js'), 'practice', 'status', '--json'],
      {
        readOnly: true,
        timeoutMs,
      },
    );
    const running = parsePracticeStatus(status.stdout);
    const kubeconfig = running?.kubeconfigPath;
    if (status.exitCode === 0 && running?.running && kubeconfig) {
      const target = { backend: 'practice', context: running.context ?? practiceContext, kubeconfig };
      items.push(await withTimeout(probeSkew(options.runner, target, timeoutMs), guard, skipped('skew')));
    }
  }
  if (choice.kind === 'context') {
    backend = 'context';
    const skew =
      kubectl.status === 'ok'
        ? await withTimeout(
            probeSkew(options.runner, { backend: 'context', context: choice.name }, timeoutMs),
            guard,
            skipped('skew'),
          )
        : skipped('skew');
    if (skew.status === 'skip' && kubectl.status === 'ok') {
      items.push({ id: 'skew', status: 'fail', detail: choice.name, data: { reachable: false } });
      usable = false;
    } else {
      items.push(skew);
      usable = kubectl.status === 'ok';
    }
  }
  return {
    platform: options.platform,
    cluster: options.cluster,
    backend,
    usable,
    kindUsable,
    practiceUsable,
    items: items.map((i) => (i.fix ? { ...i, howToFix: fixFor(i.fix, options.platform) } : i)),
  };
}
