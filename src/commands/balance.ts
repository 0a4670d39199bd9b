// `k8s-learn balance svc/NAME [-n NS] [--requests N]`: send N requests through a Service (the API
// server's service proxy, `kubectl get --raw …/services/NAME:PORT/proxy/`) and watch which pod
// answers each one: a live table on a terminal, one plain line per answer elsewhere (pipes, --yes,
// the course running it for the learner). Exit 0 when every ready pod answered at least once.

import { styleText } from 'node:util';
import { type BalanceState, renderBalance } from '../balance/view.js';
import { askThroughService, readyPodsOf, serviceProxyPath } from '../checks/kube/network.js';
import type { CommandArgs } from '../cli/registry.js';
import { ExitCode, UsageError, UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { invocation } from '../invocation.js';
import { contextHint, createKubectl, kubectlError } from '../kubectl.js';
import { createRunner } from '../runner.js';
import { createLiveBlock } from '../ui/live-block.js';
import { commandTarget } from './command-target.js';

/** serviceName accepts `svc/NAME`, `service/NAME`, `services/NAME` or `NAME`. */
export function serviceName(arg: string | undefined): string | undefined {
  if (!arg) return undefined;
  const m = /^(?:(?:svc|service|services)\/)?([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(arg);
  return m?.[1];
}

function positiveInt(value: unknown, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max} (got "${String(value)}")`);
  return n;
}

interface ServiceObject {
  spec?: { ports?: { name?: string; port?: number }[] };
}

export async function run(args: CommandArgs): Promise<number> {
  const t = createTranslator(args.global.lang);
  const name = serviceName(args.positionals[0]);
  if (!name) {
    throw new UsageError(
      args.positionals[0]
        ? t('balance.badService', { value: args.positionals[0] })
        : t('balance.noService', { cli: invocation() }),
      t('balance.usageHint', { cli: invocation() }),
    );
  }
  const requests = positiveInt(args.flags.requests, 'requests', 1, 1000, 30);
  const pauseMs = positiveInt(args.flags.interval, 'interval', 0, 10_000, 0);
  const runner = createRunner();
  const target = await commandTarget(args, runner, t);
  const namespace =
    typeof args.flags.namespace === 'string' ? args.flags.namespace : (target.namespace ?? 'default');
  const kubectl = createKubectl(runner, target);
  const read = await kubectl.json<ServiceObject>(['get', 'service', name, '-n', namespace]);
  if (!read.value) {
    const missing = /not found/i.test(read.result.stderr);
    throw new UserError(
      missing
        ? t('balance.serviceMissing', { service: name, namespace })
        : t('balance.readFailed', { context: target.context, error: kubectlError(read.result) }),
      missing
        ? t('balance.serviceMissing.fix', { command: kubectl.display(['get', 'services', '-n', namespace]) })
        : t('alerts.readFailed.fix', { command: contextHint(target).command }),
    );
  }
  const firstPort = read.value.spec?.ports?.[0];
  const port =
    typeof args.flags.port === 'string' ? args.flags.port : (firstPort?.name ?? firstPort?.port ?? undefined);
  const path = typeof args.flags.path === 'string' ? args.flags.path : '/';
  const ready = (await readyPodsOf(kubectl, namespace, name)) ?? [];
  const state: BalanceState = {
    service: name,
    namespace,
    requests,
    done: 0,
    failed: 0,
    // Every ready pod gets its row at once: one that never answers stays visibly empty.
    counts: new Map(ready.map((pod) => [pod, 0])),
  };
  // The live table only on a terminal the learner watches; --yes and pipes get one line per answer.
  const live = process.stdout.isTTY === true && !args.global.yes;
  const color = live && !process.env.NO_COLOR;
  const write = (text: string) => process.stdout.write(text);
  const block = createLiveBlock(write);
  let pending: NodeJS.Timeout | undefined;
  const draw = () => block.draw(renderBalance(state, t, { color }));
  const schedule = () => {
    if (pending) return;
    // Answers arrive faster than a screen needs: at most one redraw per 50 ms.
    pending = setTimeout(() => {
      pending = undefined;
      draw();
    }, 50);
  };
  if (live) draw();
  else write(`${t('balance.start', { requests, service: name, namespace, pods: ready.length })}\n`);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  await askThroughService(kubectl, {
    raw: serviceProxyPath({ service: name, namespace, ...(port !== undefined ? { port } : {}), path }),
    requests,
    pauseMs,
    signal: controller.signal,
    onAnswer: (answer) => {
      state.done += 1;
      if ('pod' in answer) {
        state.counts.set(answer.pod, (state.counts.get(answer.pod) ?? 0) + 1);
      } else {
        state.failed += 1;
        state.lastError = 'failed' in answer ? kubectlError(answer.failed) : answer.error;
      }
      if (live) schedule();
      else {
        const who = 'pod' in answer ? answer.pod : `✗ ${state.lastError}`;
        write(`[${state.done}/${requests}] ${who}\n`);
      }
    },
  });
  process.removeListener('SIGINT', onSigint);
  clearTimeout(pending);
  if (live) {
    draw();
    block.end();
  } else {
    write(`${renderBalance(state, t, { color: false }).join('\n')}\n`);
  }
  if (controller.signal.aborted) {
    write(`${t('balance.stopped', { done: state.done, requests })}\n`);
    return ExitCode.cancelled;
  }
  const silent = ready.filter((pod) => (state.counts.get(pod) ?? 0) === 0);
  const answeredPods = [...state.counts.values()].filter((n) => n > 0).length;
  const mark = (ok: boolean) => (color ? styleText(ok ? 'green' : 'red', ok ? '✓' : '✗') : ok ? '✓' : '✗');
  if (answeredPods === 0) {
    write(`${mark(false)} ${t('balance.noAnswer', { service: name })}\n`);
    if (ready.length === 0)
      write(
        `  ${t('balance.noReadyPods', { command: kubectl.display(['get', 'endpointslices', '-n', namespace, '-l', `kubernetes.io/service-name=${name}`]) })}\n`,
      );
    return ExitCode.failed;
  }
  if (silent.length > 0) {
    write(`${mark(false)} ${t('balance.silent', { pods: silent.join(', '), requests })}\n`);
    return ExitCode.failed;
  }
  write(
    `${mark(true)} ${t('balance.everyPod', { count: answeredPods, requests: state.done - state.failed })}\n`,
  );
  return ExitCode.ok;
}
