// `k8s-learn load svc/NAME [-n NS] [--duration 90s]`: sends CPU-heavy requests through a Service
// for a while and shows what the HorizontalPodAutoscaler does about it, live: replicas and CPU
// against the target, the scale-up under load and the scale-down after it. Exit 0 when requests
// got answers, 1 when none did (or the Service is missing), 2 on a bad command line, 130 on Ctrl-C.

import { createJsonSplitter } from '../checks/kube/watch.js';
import type { CommandArgs } from '../cli/registry.js';
import { ExitCode, UsageError, UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { createKubectl, type Kubectl, type KubectlStream } from '../kubectl.js';
import { startProxy } from '../kubectl-proxy.js';
import type { Sample } from '../load/chart.js';
import { compressClock, type FastClock } from '../load/clock.js';
import { startLoad } from '../load/generator.js';
import { type HpaObject, type HpaState, hpaState } from '../load/hpa-state.js';
import {
  burnPerRequest,
  FAST_CLOCK_SCALE,
  type LoadPlan,
  parseCpu,
  parseDuration,
  parseTarget,
  wallMs,
} from '../load/plan.js';
import { plainView, terminalView, type View } from '../load/view.js';
import { createRunner } from '../runner.js';
import { commandTarget } from './command-target.js';

interface ServiceObject {
  spec?: { ports?: { name?: string; port: number }[] };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** findHpa picks the HPA to show: --hpa, else the one scaling a workload named like the Service, else the only one. */
async function findHpa(kubectl: Kubectl, namespace: string, service: string, named?: string) {
  if (named) return named;
  const list = await kubectl.json<{ items: HpaObject[] }>([
    'get',
    'horizontalpodautoscalers',
    '-n',
    namespace,
  ]);
  const items = list.value?.items ?? [];
  const same =
    items.find((h) => h.spec?.scaleTargetRef?.name === service) ??
    (items.length === 1 ? items[0] : undefined);
  return same?.metadata?.name;
}

/** watchHpa follows one HPA with `kubectl get --watch`, restarted if the server ends the watch. */
function watchHpa(kubectl: Kubectl, namespace: string, name: string, onState: (s: HpaState) => void) {
  let stream: KubectlStream | undefined;
  let stopped = false;
  const start = () => {
    if (stopped) return;
    const feed = createJsonSplitter((text) => {
      const event = JSON.parse(text) as { type?: string; object?: HpaObject };
      if (event.object && event.type !== 'DELETED' && event.type !== 'ERROR') onState(hpaState(event.object));
    });
    stream = kubectl.stream(
      [
        'get',
        'horizontalpodautoscaler',
        name,
        '-n',
        namespace,
        '--watch',
        '--output-watch-events',
        '-o',
        'json',
      ],
      feed,
    );
    void stream.done.then(() => {
      if (!stopped) setTimeout(start, 1000).unref();
    });
  };
  start();
  return () => {
    stopped = true;
    stream?.stop();
  };
}

function option(args: CommandArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** run is the load command. */
export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const [targetText, ...extra] = args.positionals;
  const service = targetText ? parseTarget(targetText) : undefined;
  if (!service || extra.length > 0) throw new UsageError(t('load.usage'), t('load.usage.hint'));
  const durationSeconds = parseDuration(option(args, 'duration') ?? '90s');
  const settleSeconds = parseDuration(option(args, 'settle') ?? '180s');
  const cpuMillicores = parseCpu(option(args, 'cpu') ?? '250m');
  const rateText = option(args, 'rate');
  if (durationSeconds === undefined || durationSeconds <= 0 || settleSeconds === undefined)
    throw new UsageError(t('load.badDuration'), t('load.usage.hint'));
  if (cpuMillicores === undefined)
    throw new UsageError(t('load.badCpu', { value: option(args, 'cpu') ?? '' }));
  if (rateText !== undefined && !(Number(rateText) > 0))
    throw new UsageError(t('load.badRate', { value: rateText }));

  const runner = createRunner();
  const target = await commandTarget(args, runner, t);
  const kubectl = createKubectl(runner, target);
  const namespace = option(args, 'namespace') ?? target.namespace ?? 'default';

  const fast = args.flags.fast === true;
  const compress = fast && target.backend === 'practice';
  const print = (line: string) => process.stdout.write(`${line}\n`);
  // Three independent reads and writes at once: each kubectl start costs a few hundred ms.
  const [svc, hpaName, clockResult] = await Promise.all([
    kubectl.json<ServiceObject>(['get', 'service', service, '-n', namespace]),
    findHpa(kubectl, namespace, service, option(args, 'hpa')),
    compress
      ? compressClock(kubectl, FAST_CLOCK_SCALE).then(
          (c) => ({ clock: c }),
          (err: Error) => ({ error: err.message }),
        )
      : undefined,
  ]);
  const clock: FastClock | undefined = clockResult && 'clock' in clockResult ? clockResult.clock : undefined;
  if (!svc.value) {
    await clock?.restore();
    const why = (svc.result.stderr || svc.result.stdout).trim().split('\n')[0] ?? '';
    throw new UserError(
      t('load.noService', { service, namespace, error: why }),
      t('load.noService.fix', { command: kubectl.display(['get', 'services', '-A']) }),
    );
  }
  if (clockResult && 'error' in clockResult)
    throw new UserError(t('load.clockFailed', { error: clockResult.error }));
  const clockScale = clock ? FAST_CLOCK_SCALE : 1;
  if (fast && !compress) print(t('load.fastIgnored', { backend: target.backend }));
  const port = svc.value.spec?.ports?.[0];
  const servicePath = `${service}${port ? `:${port.name || port.port}` : ''}`;

  const plan: LoadPlan = {
    namespace,
    service,
    durationSeconds,
    settleSeconds,
    cpuMillicores,
    clockScale,
    ratePerSecond: rateText !== undefined ? Number(rateText) : clockScale < 1 ? 20 : 5,
  };
  const burn = burnPerRequest(plan);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const tty = process.stdout.isTTY === true && !args.global.yes;
  const view: View = tty
    ? terminalView(t, process.stdout, args.global.color)
    : plainView(t, print, hpaName !== undefined);
  let hpa: HpaState | undefined;
  let peak = 0;
  const stopWatch = hpaName
    ? watchHpa(kubectl, namespace, hpaName, (state) => {
        hpa = state;
        peak = Math.max(peak, state.replicas);
      })
    : () => {};
  let started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000 / clockScale;
  const samples: Sample[] = [];
  view.line(
    t('load.starting', {
      service: `svc/${service}`,
      namespace,
      cpu: `${cpuMillicores}m`,
      rate: plan.ratePerSecond,
      burn,
      duration: `${durationSeconds}s`,
      hpa: hpaName ? `hpa/${hpaName}` : t('load.noHpaShort'),
    }),
  );
  if (clockScale !== 1) view.line(t('load.fastNote', { factor: Math.round(1 / clockScale) }));
  if (!hpaName) view.line(t('load.view.noHpa'));

  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  let counters = { sent: 0, ok: 0, failed: 0 } as ReturnType<typeof startLoad>['counters'];
  let loadStoppedAt: number | undefined;
  try {
    proxy = await startProxy(kubectl).catch((err: Error) => {
      throw new UserError(t('load.proxyFailed', { error: err.message }));
    });
    const load = startLoad(
      proxy.port,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(servicePath)}/proxy/burn?ms=${burn}`,
      plan.ratePerSecond,
      controller.signal,
    );
    counters = load.counters;
    // The run's time starts with the first request, not with kubectl proxy's start-up.
    started = Date.now();
    // One column every 3 cluster seconds; the terminal is redrawn more often than that.
    const sampleEvery = wallMs(plan, 3);
    const redrawEvery = tty ? Math.min(250, sampleEvery) : sampleEvery;
    let nextSample = 0;
    let loading = true;
    const tick = () => {
      const now = Date.now() - started;
      if (now >= nextSample) {
        samples.push({ at: elapsed(), replicas: hpa?.replicas ?? 0, cpu: hpa?.cpu, loading });
        nextSample += sampleEvery;
      }
      view.update({ elapsed: elapsed(), duration: durationSeconds, loading, counters, hpa, samples });
    };
    while (!controller.signal.aborted && elapsed() < durationSeconds) {
      tick();
      await sleep(redrawEvery, controller.signal);
    }
    loading = false;
    await load.stop();
    loadStoppedAt = elapsed();
    // After Ctrl-C the closing line says so (below); "watching the scale-down" would not be true.
    if (!controller.signal.aborted)
      view.line(t('load.stopped', { elapsed: Math.round(loadStoppedAt), ...countersVars(counters) }));
    // Watch the way back down: until the HPA is at its minimum, or the settle time has passed.
    while (
      !controller.signal.aborted &&
      hpa &&
      !hpa.problem &&
      hpa.replicas > hpa.min &&
      elapsed() - loadStoppedAt < settleSeconds
    ) {
      tick();
      await sleep(redrawEvery, controller.signal);
    }
    if (!controller.signal.aborted) tick();
  } finally {
    process.removeListener('SIGINT', onSigint);
    view.close();
    stopWatch();
    proxy?.stop();
    await clock?.restore();
  }
  if (controller.signal.aborted) {
    print(t('load.cancelled', countersVars(counters)));
    return ExitCode.cancelled;
  }
  print(summary(t, hpa, peak, elapsed(), loadStoppedAt ?? 0));
  if (counters.ok === 0) {
    throw new UserError(
      t('load.noAnswer', { service, namespace, error: counters.lastError ?? '-' }),
      t('load.noAnswer.fix', {
        command: kubectl.display([
          'get',
          'endpointslices',
          '-n',
          namespace,
          '-l',
          `kubernetes.io/service-name=${service}`,
        ]),
      }),
    );
  }
  if (counters.failed > 0)
    print(t('load.someFailed', { failed: counters.failed, error: counters.lastError ?? '-' }));
  return ExitCode.ok;
}

function countersVars(c: { sent: number; ok: number; failed: number }) {
  return { sent: c.sent, ok: c.ok, failed: c.failed };
}

function summary(
  t: ReturnType<typeof createTranslator>,
  hpa: HpaState | undefined,
  peak: number,
  end: number,
  stop: number,
): string {
  if (!hpa) return t('load.summary.noHpa');
  if (hpa.problem)
    return t('load.summary.problem', {
      name: hpa.name,
      reason: hpa.problem.reason,
      message: hpa.problem.message,
    });
  if (peak <= hpa.min) return t('load.summary.noScale', { name: hpa.name, replicas: hpa.replicas });
  if (hpa.replicas <= hpa.min)
    return t('load.summary.upAndBack', {
      name: hpa.name,
      min: hpa.min,
      peak,
      seconds: Math.round(end - stop),
    });
  return t('load.summary.upNotBack', { name: hpa.name, peak, replicas: hpa.replicas });
}
