// Reaching a Service the two ways a learner does by hand: by its DNS names from inside a pod
// (service-dns: `kubectl exec … -- nslookup / wget`), and from the laptop through `kubectl
// port-forward` (port-forward). Both judge the answer by who sent it: the app answers with its pod
// name, which must be a ready endpoint of the Service.
import { type Kubectl, kubectlError } from '../../kubectl.js';
import { httpGet } from '../../local-http.js';
import type { RunResult } from '../../runner.js';
import type { CheckContext, CheckResult, CheckType } from '../types.js';
import { isResult, kubectlFailure, kubectlOf, namespaceSchema, notFound } from './common.js';
import { podNameOf, readyPodsOf } from './network.js';

interface ServiceObject {
  spec?: { clusterIP?: string; ports?: { name?: string; port?: number }[] };
}

/** readService returns the Service, or a finished check result when it cannot be read. */
async function readService(
  ctx: CheckContext,
  kubectl: Kubectl,
  spec: { service: string; namespace: string },
  title: string,
  expected: string,
): Promise<ServiceObject | CheckResult> {
  const read = await kubectl.json<ServiceObject>(['get', 'service', spec.service, '-n', spec.namespace]);
  if (read.value) return read.value;
  if (notFound(read.result)) {
    return {
      ok: false,
      title,
      expected,
      saw: ctx.t('checks.sawMissing', { object: `service/${spec.service}` }),
      causeId: 'not-found',
      stuck: true,
      cause: ctx.t('checks.endpoints.causeNoService', { service: spec.service }),
      hint: ctx.t('checks.reach.hintService', {
        namespace: spec.namespace,
        command: kubectl.display(['get', 'services', '-n', spec.namespace]),
      }),
    };
  }
  return kubectlFailure(ctx, title, expected, read.result);
}

function isCheckResult(value: ServiceObject | CheckResult): value is CheckResult {
  return 'ok' in value;
}

/** ServiceDnsSpec: from a pod, the Service's names resolve and answer from one of its pods. */
export interface ServiceDnsSpec {
  service: string;
  namespace: string;
  /** What to exec into, as kubectl takes it: `deployment/NAME` or a pod name. */
  from: string;
  /** Names to fetch (default: NAME, NAME.NS, NAME.NS.svc.cluster.local). */
  names?: string[];
  path?: string;
  /** The Service port to use in the URL (default: its first port). */
  port?: number;
}

interface Section {
  what: string;
  output: string;
  exitCode: number;
}

/** dnsScript is one `sh -c` script: nslookup of the full name, then one wget per name. */
export function dnsScript(fqdn: string, urls: { name: string; url: string }[]): string {
  const lines = [`echo '@@nslookup ${fqdn}'; nslookup ${fqdn} 2>&1; echo "@@rc=$?"`];
  for (const u of urls) lines.push(`echo '@@wget ${u.name}'; wget -qO- -T 5 '${u.url}' 2>&1; echo "@@rc=$?"`);
  return lines.join('\n');
}

/** parseSections splits the script's output into one section per command. */
export function parseSections(stdout: string): Section[] {
  const sections: Section[] = [];
  const parts = stdout.split(/^@@(?=nslookup |wget )/m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const what = part.slice(0, newline < 0 ? undefined : newline).trim();
    const rest = newline < 0 ? '' : part.slice(newline + 1);
    const rc = /@@rc=(\d+)\s*$/.exec(rest);
    sections.push({
      what,
      output: (rc ? rest.slice(0, rc.index) : rest).trim(),
      exitCode: rc ? Number(rc[1]) : 1,
    });
  }
  return sections;
}

const dnsName = { type: 'string', pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$' };

export const serviceDns: CheckType<ServiceDnsSpec> = {
  name: 'service-dns',
  schema: {
    type: 'object',
    required: ['service', 'namespace', 'from'],
    additionalProperties: false,
    properties: {
      service: { type: 'string', minLength: 1 },
      namespace: namespaceSchema,
      from: { type: 'string', pattern: '^[a-z0-9]([a-z0-9./-]*[a-z0-9])?$' },
      names: { type: 'array', items: dnsName, minItems: 1 },
      path: { type: 'string', pattern: "^/[^'\\s]*$" },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
    },
  },
  async run(spec, ctx) {
    const fqdn = `${spec.service}.${spec.namespace}.svc.cluster.local`;
    const names = spec.names ?? [spec.service, `${spec.service}.${spec.namespace}`, fqdn];
    const title = ctx.t('checks.serviceDns.title', { service: spec.service, from: spec.from });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.serviceDns.expected', { names: names.join(', '), service: spec.service });
    const service = await readService(ctx, kubectl, spec, title, expected);
    if (isCheckResult(service)) return service;
    const clusterIP = service.spec?.clusterIP ?? '';
    const port = spec.port ?? service.spec?.ports?.[0]?.port ?? 80;
    const path = spec.path ?? '/';
    const urls = names.map((name) => ({
      name,
      url: `http://${name}${port === 80 ? '' : `:${port}`}${path}`,
    }));
    // kubectl would wait a minute for a pod of `from` to run; a few seconds tell as much.
    const execArgs = [
      'exec',
      spec.from,
      '-n',
      spec.namespace,
      '--pod-running-timeout=5s',
      '--',
      'sh',
      '-c',
      dnsScript(fqdn, urls),
    ];
    const shown = (what: string) =>
      kubectl.display(
        what.startsWith('nslookup ')
          ? ['exec', spec.from, '-n', spec.namespace, '--', 'nslookup', fqdn]
          : [
              'exec',
              spec.from,
              '-n',
              spec.namespace,
              '--',
              'wget',
              '-qO-',
              urls.find((u) => `wget ${u.name}` === what)!.url,
            ],
      );
    const ran = await kubectl.run(execArgs, { readOnly: true, timeoutMs: 60_000 });
    const sections = parseSections(ran.stdout);
    if (sections.length === 0) {
      // The exec itself failed: no such Deployment, no running pod, no shell in the image.
      return {
        ...kubectlFailure(ctx, title, expected, ran),
        ...(/not found|NotFound/i.test(ran.stderr) ? { causeId: 'not-found' } : {}),
        hint: ctx.t('checks.serviceDns.hintExec', {
          command: kubectl.display(['get', 'pods', '-n', spec.namespace]),
        }),
      };
    }
    const lookup = sections.find((s) => s.what.startsWith('nslookup '));
    const resolved = lookup?.exitCode === 0 && (!clusterIP || lookup.output.includes(clusterIP));
    if (!resolved) {
      return {
        ok: false,
        title,
        expected,
        saw: lastLine(lookup?.output ?? ran.stderr),
        causeId: 'dns-no-answer',
        cause: ctx.t('checks.serviceDns.causeLookup', { name: fqdn, ip: clusterIP || '-' }),
        hint: ctx.t('checks.serviceDns.hintTry', { command: shown(`nslookup ${fqdn}`) }),
      };
    }
    // Who may answer: the ready endpoints now (read after the requests, so a pod that became ready
    // meanwhile counts).
    const ready = (await readyPodsOf(kubectl, spec.namespace, spec.service)) ?? [];
    if (ready.length === 0) return noEndpoints(ctx, kubectl, spec, title, expected);
    const answered: string[] = [];
    for (const s of sections.filter((x) => x.what.startsWith('wget '))) {
      const name = s.what.slice('wget '.length);
      const pod = s.exitCode === 0 ? podNameOf(s.output) : '';
      if (s.exitCode !== 0 || !ready.includes(pod)) {
        return {
          ok: false,
          title,
          expected,
          saw: `${name}: ${lastLine(s.output) || `exit ${s.exitCode}`}`,
          causeId: 'no-answer',
          cause:
            s.exitCode !== 0
              ? ctx.t('checks.serviceDns.causeNoAnswer', { name, service: spec.service })
              : ctx.t('checks.serviceDns.causeStranger', { pod: pod || '?', service: spec.service }),
          hint: ctx.t('checks.serviceDns.hintTry', { command: shown(s.what) }),
        };
      }
      answered.push(pod);
    }
    return {
      ok: true,
      title: ctx.t('checks.serviceDns.passed', {
        service: spec.service,
        from: spec.from,
        ip: clusterIP,
        pods: [...new Set(answered)].join(', '),
      }),
    };
  },
};

function noEndpoints(
  ctx: CheckContext,
  kubectl: Kubectl,
  spec: { service: string; namespace: string },
  title: string,
  expected: string,
): CheckResult {
  return {
    ok: false,
    title,
    expected,
    saw: ctx.t('checks.endpoints.saw', { ready: 0, total: 0 }),
    causeId: 'no-endpoints',
    cause: ctx.t('checks.reach.causeNoEndpoints', { service: spec.service }),
    hint: ctx.t('checks.endpoints.hint', {
      command: kubectl.display([
        'get',
        'endpointslices',
        '-n',
        spec.namespace,
        '-l',
        `kubernetes.io/service-name=${spec.service}`,
      ]),
    }),
  };
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  return (lines.at(-1) ?? '').slice(0, 300);
}

/** PortForwardSpec: `kubectl port-forward svc/NAME` reaches a pod of the Service. */
export interface PortForwardSpec {
  service: string;
  namespace: string;
  /** The Service port to forward (default: its first port). */
  port?: number;
  path?: string;
  /** Where the learner's own forward listens (`8080` for `8080:80`): looked at, never required. */
  localPort?: number;
}

/** forwardingPort finds the local port in kubectl port-forward's `Forwarding from 127.0.0.1:N -> M`. */
export function forwardingPort(output: string): number | undefined {
  const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
  return m ? Number(m[1]) : undefined;
}

/**
 * withPortForward runs `kubectl port-forward TARGET :PORT` (kubectl picks a free local port, so it
 * never takes the learner's), calls `use` with that port once kubectl listens, then stops kubectl
 * (its whole process group, through the runner) and waits until it has exited: nothing is left
 * running. Returns kubectl's result when it ended before listening.
 */
export async function withPortForward<T>(
  kubectl: Kubectl,
  args: readonly string[],
  use: (localPort: number) => Promise<T>,
  startTimeoutMs = 20_000,
): Promise<{ value: T } | { failed: RunResult }> {
  const controller = new AbortController();
  let output = '';
  let onListening: (port: number) => void = () => {};
  const listening = new Promise<number>((resolveListening) => {
    onListening = resolveListening;
  });
  const running = kubectl.run(['port-forward', ...args], {
    readOnly: true,
    // Bounds a `use` that never returns; normally the abort below ends it first.
    timeoutMs: startTimeoutMs + 60_000,
    signal: controller.signal,
    onStdout: (chunk) => {
      output += chunk;
      const port = forwardingPort(output);
      if (port !== undefined) onListening(port);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const started = await Promise.race([
    listening.then((port) => ({ port })),
    running.then((result) => ({ result })),
    new Promise<{ slow: true }>((resolveSlow) => {
      timer = setTimeout(() => resolveSlow({ slow: true }), startTimeoutMs);
    }),
  ]);
  clearTimeout(timer);
  try {
    if ('port' in started) return { value: await use(started.port) };
    if ('result' in started) return { failed: started.result };
    controller.abort();
    const result = await running;
    return { failed: { ...result, timedOut: true, exitCode: 124 } };
  } finally {
    controller.abort();
    await running;
  }
}

export const portForward: CheckType<PortForwardSpec> = {
  name: 'port-forward',
  schema: {
    type: 'object',
    required: ['service', 'namespace'],
    additionalProperties: false,
    properties: {
      service: { type: 'string', minLength: 1 },
      namespace: namespaceSchema,
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      path: { type: 'string', pattern: '^/' },
      localPort: { type: 'integer', minimum: 1, maximum: 65535 },
    },
  },
  async run(spec, ctx) {
    const title = ctx.t('checks.portForward.title', { service: spec.service });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.portForward.expected', { service: spec.service });
    const service = await readService(ctx, kubectl, spec, title, expected);
    if (isCheckResult(service)) return service;
    const port = spec.port ?? service.spec?.ports?.[0]?.port ?? 80;
    const path = spec.path ?? '/';
    const target = [
      'port-forward',
      `svc/${spec.service}`,
      `${spec.localPort ?? 8080}:${port}`,
      '-n',
      spec.namespace,
    ];
    const hint = ctx.t('checks.portForward.hint', { command: kubectl.display(target) });
    if (!ctx.runner.streams) {
      return { ok: false, title, expected, cause: ctx.t('checks.portForward.noStreams'), hint };
    }
    // kubectl would wait a minute for a pod to forward to; no ready endpoint is known at once.
    const readyBefore = (await readyPodsOf(kubectl, spec.namespace, spec.service)) ?? [];
    if (readyBefore.length === 0) return noEndpoints(ctx, kubectl, spec, title, expected);
    // The learner's own forward, if one is running now: a bonus, never required (it leaves no
    // trace in the cluster, and it is fine to have stopped it with Ctrl-C before verifying).
    const learner = spec.localPort ? await httpGet(spec.localPort, path, 1500) : undefined;
    const forwarded = await withPortForward(
      kubectl,
      [`svc/${spec.service}`, `:${port}`, '-n', spec.namespace],
      (local) => httpGet(local, path, 10_000),
    );
    if ('failed' in forwarded) {
      return {
        ok: false,
        title,
        expected,
        saw: kubectlError(forwarded.failed),
        causeId: forwarded.failed.timedOut ? 'timeout' : 'port-forward',
        cause: ctx.t('checks.portForward.causeFailed'),
        hint,
      };
    }
    const answer = forwarded.value;
    const ready = (await readyPodsOf(kubectl, spec.namespace, spec.service)) ?? [];
    const pod = answer.error ? '' : podNameOf(answer.body);
    if (answer.error || !ready.includes(pod)) {
      return {
        ok: false,
        title,
        expected,
        saw: answer.error ?? `HTTP ${answer.status ?? '?'}: ${lastLine(answer.body)}`,
        causeId: 'no-answer',
        cause: answer.error
          ? ctx.t('checks.portForward.causeNoAnswer')
          : ctx.t('checks.serviceDns.causeStranger', { pod: pod || '?', service: spec.service }),
        hint,
      };
    }
    const learnerPod = learner && !learner.error ? podNameOf(learner.body) : undefined;
    const yours = !spec.localPort
      ? ''
      : learnerPod && ready.includes(learnerPod)
        ? ctx.t('checks.portForward.yoursAnswered', { port: spec.localPort, pod: learnerPod })
        : learner?.error
          ? ctx.t('checks.portForward.yoursNotRunning', { port: spec.localPort })
          : ctx.t('checks.portForward.yoursOther', { port: spec.localPort, service: spec.service });
    return {
      ok: true,
      title: `${ctx.t('checks.portForward.passed', { service: spec.service, pod })}${yours ? ` — ${yours}` : ''}`,
    };
  },
};
