// What a process started in a simulated container sees: the image's files plus the pod's mounts
// (ConfigMaps and Secrets at their mount paths, read-only; /etc/hostname, /etc/hosts,
// /etc/resolv.conf with the cluster search domains; the service account directory), the
// container's environment (image ENV, env/envFrom, Service links), its process table, and the
// cluster network (DNS names of Services and pods, kube-proxy's choice of endpoint).
import type { WorkloadContext } from '../controllers/context.js';
import type { ContainerRun, PodWorker } from '../controllers/pod-worker.js';
import { programsFor } from '../shell/commands.js';
import { Vfs } from '../shell/fs.js';
import type { HttpRequest, HttpResult, ShellHost, ShellNetwork } from '../shell/interpret.js';
import { statusText } from '../shell/net-commands.js';
import type { KubeObject } from '../types.js';
import { pickEndpoint, requestApp } from '../workloads/proxy.js';
import { type ImageProfile, imageProfile } from './image-profiles.js';

/** CLUSTER_DNS is kube-dns's ClusterIP on kind. */
export const CLUSTER_DNS = '10.96.0.10';

/** Sandbox is one container instance's state shared by its processes. */
export interface Sandbox {
  containerID: string;
  fs: Vfs;
  profile: ImageProfile;
  processes: Map<number, { user: string; command: string }>;
  nextPid: number;
}

const sandboxes = new WeakMap<ContainerRun, Sandbox>();

/** sandboxOf returns the container instance's sandbox, made fresh for each new container ID. */
export function sandboxOf(w: PodWorker, run: ContainerRun): Sandbox {
  const id = run.status.containerID ?? '';
  const existing = sandboxes.get(run);
  if (existing && existing.containerID === id) return existing;
  const profile = imageProfile(run);
  const fs = buildFs(w, run, profile);
  const main = [
    ...(run.spec.command ?? profile.entrypoint),
    ...(run.spec.args ?? (run.spec.command ? [] : profile.cmd)),
  ];
  const sandbox: Sandbox = {
    containerID: id,
    fs,
    profile,
    processes: new Map([[1, { user: profile.user, command: main.join(' ') || 'sh' }]]),
    nextPid: 7,
  };
  // `kubectl debug --target=C`: the ephemeral container joins C's process namespace, so `ps`
  // shows C's processes beside its own.
  const target = (run.spec as { targetContainerName?: string }).targetContainerName;
  const targetRun = run.ephemeral && target ? w.runs.find((r) => r.spec.name === target) : undefined;
  if (targetRun?.status.state.running) {
    const shared = sandboxOf(w, targetRun);
    const pid = shared.nextPid;
    shared.nextPid += 7;
    shared.processes.set(pid, { user: profile.user, command: main.join(' ') || 'sh' });
    sandbox.processes = shared.processes;
    sandbox.nextPid = shared.nextPid + 100;
  }
  sandboxes.set(run, sandbox);
  return sandbox;
}

function buildFs(w: PodWorker, run: ContainerRun, profile: ImageProfile): Vfs {
  const fs = new Vfs();
  for (const d of [
    '/bin',
    '/dev',
    '/etc',
    '/home',
    '/proc',
    '/root',
    '/sys',
    '/tmp',
    '/usr/bin',
    '/usr/local/bin',
    '/var/log',
    '/var/run',
  ])
    fs.mkdirAll(d);
  for (const name of profile.programs.keys())
    fs.put(`${profile.flavor === 'busybox' ? '/bin' : '/usr/bin'}/${name}`, '', 0o755);
  fs.put('/dev/null', '');
  fs.put(
    '/etc/passwd',
    profile.user === 'root'
      ? 'root:x:0:0:root:/root:/bin/sh\n'
      : `root:x:0:0:root:/root:/bin/sh\n${profile.user}:x:1000:1000::/home/${profile.user}:/bin/sh\n`,
  );
  fs.put('/etc/os-release', profile.osRelease);
  for (const [path, content] of Object.entries(profile.files)) fs.put(path, content);
  if (profile.workdir) fs.mkdirAll(profile.workdir);
  const ns = w.namespace;
  fs.put('/etc/hostname', `${w.name}\n`);
  fs.put(
    '/etc/hosts',
    `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${w.podIP ?? ''}\t${w.name}\n`,
  );
  fs.put(
    '/etc/resolv.conf',
    `search ${ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${CLUSTER_DNS}\noptions ndots:5\n`,
  );
  // The ServiceAccount directory (token, ca.crt, namespace) is the pod's kube-api-access-*
  // projected volume, among the mounted files below.
  for (const [path, content] of Object.entries(run.config?.files ?? {})) fs.put(path, content);
  for (const m of run.spec.volumeMounts ?? []) {
    // Every mount point exists, even an empty volume's (emptyDir, hostPath).
    if (!(m as { subPath?: string }).subPath) fs.mkdirAll(m.mountPath.replace(/\/$/, '') || '/');
    fs.markReadOnly(m.mountPath.replace(/\/$/, ''));
  }
  // securityContext.readOnlyRootFilesystem: the image's files cannot be changed (writes answer
  // `Read-only file system`); /dev stays the runtime's own writable tmpfs.
  const securityContext = (run.spec as { securityContext?: { readOnlyRootFilesystem?: boolean } })
    .securityContext;
  if (securityContext?.readOnlyRootFilesystem === true) fs.markRootReadOnly(['/dev']);
  return fs;
}

/** containerEnv is the environment a process starts with, in the runtime's order. */
export function containerEnv(
  w: PodWorker,
  run: ContainerRun,
  profile: ImageProfile,
  tty: boolean,
): Record<string, string> {
  const env: Record<string, string> = { PATH: profile.path, HOSTNAME: w.name };
  if (tty) env.TERM = 'xterm';
  Object.assign(env, run.config?.env ?? {});
  const pod = w.pod() ?? w.lastPod;
  const links = (pod?.spec as { enableServiceLinks?: boolean } | undefined)?.enableServiceLinks !== false;
  const startedMs = run.startedAtMs || Date.now();
  for (const svc of w.ctx.store.list('services', { namespace: w.namespace }).items) {
    const created = Date.parse(svc.metadata.creationTimestamp ?? '') || 0;
    if (created > startedMs + 1000) continue;
    if (!links && svc.metadata.name !== 'kubernetes') continue;
    Object.assign(env, serviceEnv(svc));
  }
  if (w.namespace !== 'default') {
    const k = w.ctx.store.get('services', 'default', 'kubernetes');
    if (k) Object.assign(env, serviceEnv(k));
  }
  for (const [k, v] of Object.entries(profile.env)) if (env[k] === undefined) env[k] = v;
  env.HOME = profile.user === 'root' ? '/root' : `/home/${profile.user}`;
  return env;
}

function serviceEnv(svc: KubeObject): Record<string, string> {
  const spec = (svc.spec ?? {}) as {
    clusterIP?: string;
    ports?: { name?: string; port: number; protocol?: string }[];
  };
  const ip = spec.clusterIP;
  if (!ip || ip === 'None' || !spec.ports?.length) return {};
  const prefix = (svc.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
  const first = spec.ports[0]!;
  const out: Record<string, string> = {
    [`${prefix}_SERVICE_HOST`]: ip,
    [`${prefix}_SERVICE_PORT`]: String(first.port),
  };
  for (const p of spec.ports)
    if (p.name) out[`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(p.port);
  out[`${prefix}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
  for (const p of spec.ports) {
    const proto = (p.protocol ?? 'TCP').toUpperCase();
    const base = `${prefix}_PORT_${p.port}_${proto}`;
    out[base] = `${proto.toLowerCase()}://${ip}:${p.port}`;
    out[`${base}_PROTO`] = proto.toLowerCase();
    out[`${base}_PORT`] = String(p.port);
    out[`${base}_ADDR`] = ip;
  }
  return out;
}

/** podNetwork is the cluster network as a pod in `namespace` sees it. */
export function podNetwork(ctx: WorkloadContext, namespace: string, selfIP: string): ShellNetwork {
  const store = ctx.store;
  const searches = [`${namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'];
  const candidates = (name: string) => {
    const n = name.replace(/\.$/, '');
    const dots = (n.match(/\./g) ?? []).length;
    const searched = searches.map((s) => `${n}.${s}`);
    return name.endsWith('.') ? [n] : dots >= 5 ? [n, ...searched] : [...searched, n];
  };
  const resolveFqdn = (fqdn: string): string | undefined => {
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(fqdn);
    if (m) {
      const svc = store.get('services', m[2], m[1]!);
      const ip = (svc?.spec as { clusterIP?: string } | undefined)?.clusterIP;
      if (ip && ip !== 'None') return ip;
      if (ip === 'None') {
        const pod = store.list('pods', { namespace: m[2] }).items.find((p) => readyBehind(svc, p));
        return (pod?.status as { podIP?: string } | undefined)?.podIP;
      }
      return undefined;
    }
    const pm = /^(\d+-\d+-\d+-\d+)\.([a-z0-9-]+)\.pod\.cluster\.local$/.exec(fqdn);
    if (pm) return pm[1]!.replace(/-/g, '.');
    return undefined;
  };
  const net: ShellNetwork = {
    nameserver: CLUSTER_DNS,
    searchNames: (name) => candidates(name),
    lookup(name) {
      if (name === 'localhost') return { name, ip: '127.0.0.1' };
      if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return { name, ip: name };
      for (const c of candidates(name)) {
        const ip = resolveFqdn(c);
        if (ip) return { name: c, ip };
      }
      return undefined;
    },
    answersPing(ip) {
      return ip === '127.0.0.1' || ip === selfIP || !!podByIP(ip);
    },
    async http(req): Promise<HttpResult> {
      const found = net.lookup(req.host);
      if (!found) return { ok: false, error: 'resolve' };
      const ip = found.ip === '127.0.0.1' ? selfIP : found.ip;
      const [path = '/', query = ''] = req.path.split('?');
      const appReq = { method: req.method, path, query: new URLSearchParams(query), client: selfIP };
      const svc = serviceByIP(ip);
      if (svc) {
        if (svc.metadata.name === 'kubernetes' && svc.metadata.namespace === 'default')
          return apiServer(ctx, ip, req);
        const ports =
          (svc.spec as { ports?: { port: number; targetPort?: number | string; name?: string }[] }).ports ??
          [];
        const sp = ports.find((p) => p.port === req.port);
        if (!sp) return { ok: false, ip, error: 'timeout' };
        const picked = pickEndpoint(ctx, svc.metadata.namespace ?? 'default', svc.metadata.name ?? '', sp);
        if (!picked) return { ok: false, ip, error: 'refused' };
        const a = requestApp(ctx, picked.pod, picked.port, appReq);
        return a ? answer(ip, a.status, a.contentType, a.body) : { ok: false, ip, error: 'refused' };
      }
      const pod = podByIP(ip);
      if (!pod) return { ok: false, ip, error: 'timeout' };
      const a = requestApp(ctx, pod, req.port, appReq);
      return a ? answer(ip, a.status, a.contentType, a.body) : { ok: false, ip, error: 'refused' };
    },
  };
  function serviceByIP(ip: string): KubeObject | undefined {
    return store.list('services').items.find((s) => (s.spec as { clusterIP?: string }).clusterIP === ip);
  }
  function podByIP(ip: string): KubeObject | undefined {
    return store
      .list('pods')
      .items.find(
        (p) =>
          (p.status as { podIP?: string; phase?: string } | undefined)?.podIP === ip &&
          (p.status as { phase?: string }).phase === 'Running',
      );
  }
  return net;
}

// kubernetes.default.svc: the API server itself, over TLS on 443, with the request's own
// credentials (the mounted token when the program sends it).
async function apiServer(ctx: WorkloadContext, ip: string, req: HttpRequest): Promise<HttpResult> {
  if (req.port !== 443) return { ok: false, ip, error: 'timeout' };
  if (req.scheme !== 'https')
    return answer(ip, 400, 'text/plain; charset=utf-8', 'Client sent an HTTP request to an HTTPS server.\n');
  const api = ctx.inCluster;
  if (!api) return { ok: false, ip, error: 'refused' };
  if (!req.insecure && req.caPem?.trim() !== api.caCert.trim())
    return { ok: false, ip, error: 'certificate' };
  const res = await api.request({ method: req.method, path: req.path, headers: req.headers, body: req.body });
  return {
    ok: true,
    ip,
    status: res.status,
    statusText: statusText(res.status),
    headers: res.headers,
    body: res.body,
  };
}

function readyBehind(svc: KubeObject | undefined, pod: KubeObject): boolean {
  const sel = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {};
  const labels = pod.metadata.labels ?? {};
  return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
}

function answer(ip: string, status: number, contentType: string, body: string): HttpResult {
  const buf = Buffer.from(body);
  return {
    ok: true,
    ip,
    status,
    statusText: statusText(status),
    headers: {
      'Content-Type': contentType,
      'Content-Length': String(buf.length),
      Date: new Date().toUTCString(),
    },
    body: buf,
  };
}

/** shellHost is the ShellHost of one process in a container. */
export function shellHost(w: PodWorker, run: ContainerRun, signal: AbortSignal): ShellHost {
  const sandbox = sandboxOf(w, run);
  const profile = sandbox.profile;
  return {
    fs: sandbox.fs,
    hostname: w.name,
    user: profile.user,
    flavor: profile.flavor,
    programs: profile.programs,
    podIP: w.podIP ?? '',
    signal,
    now: () => new Date(),
    sleep: (seconds, sig) =>
      new Promise<void>((resolve, reject) => {
        if (sig.aborted) {
          reject(new DOMException('aborted', 'AbortError'));
          return;
        }
        const t = setTimeout(
          () => {
            sig.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.min(w.ctx.clock.ms(seconds), 2 ** 31 - 1),
        );
        const onAbort = () => {
          clearTimeout(t);
          reject(new DOMException('aborted', 'AbortError'));
        };
        sig.addEventListener('abort', onAbort, { once: true });
      }),
    spawn(command) {
      const pid = sandbox.nextPid++;
      sandbox.processes.set(pid, { user: profile.user, command });
      return { pid, done: () => sandbox.processes.delete(pid) };
    },
    processes: () => [...sandbox.processes].map(([pid, p]) => ({ pid, ...p })),
    net: podNetwork(w.ctx, w.namespace, w.podIP ?? ''),
  };
}

export { programsFor };
