// What runs inside a simulated container, chosen by image. The rules are documented in
// docs/practice-workloads.md so learners can predict them:
// - nginx, httpd, http-echo, registry.k8s.io/hpa-example: serve HTTP as those images do;
// - busybox, alpine: run their command (`sleep` keeps running, `exit N` exits N, otherwise the
//   shell finishes with 0); hello-world prints and exits; pause and other registry.k8s.io images idle;
// - every other image is the course's starter app: answers every path with JSON naming the pod,
//   the path and its config; `/healthz` and `/readyz` answer `ok`; `/burn?ms=N` burns N ms of CPU;
//   it listens on $PORT, else its first containerPort, else 8080; it exits with status 1 at start
//   when its config contains an IPv4 CIDR with host bits set.
import { findBadCidrs } from './cidr.js';
import type { ContainerConfig, ContainerSpec } from './config.js';
import type { ImageRef } from './images.js';

/** AppKind is the behaviour family of an image. */
export type AppKind = 'starter' | 'nginx' | 'httpd' | 'echo' | 'php-apache' | 'shell' | 'hello' | 'idle';

/** AppPlan is how one run of a container behaves. */
export interface AppPlan {
  kind: AppKind;
  /** TCP port it listens on (undefined: none). */
  port?: number;
  /** Lines printed at start. */
  startup: string[];
  /** When set, the process exits with this code after `SIM.crashAfter`. */
  exitCode?: number;
  /** Lines printed just before exiting. */
  exitLines?: string[];
  /** Resident memory in bytes (for metrics). */
  memory: number;
}

/** HttpAnswer is the app's answer to one request, with the CPU it cost. */
export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  cpuMs: number;
  log?: string;
}

/** appKindOf picks the behaviour of an image. */
export function appKindOf(ref: ImageRef): AppKind {
  const repo = ref.repository;
  const base = repo.split('/').pop() ?? '';
  if (repo === 'docker.io/library/nginx' || base === 'nginx-unprivileged') return 'nginx';
  if (repo === 'docker.io/library/httpd') return 'httpd';
  if (repo === 'docker.io/hashicorp/http-echo') return 'echo';
  if (repo === 'registry.k8s.io/hpa-example') return 'php-apache';
  if (['docker.io/library/busybox', 'docker.io/library/alpine'].includes(repo)) return 'shell';
  if (repo === 'docker.io/library/hello-world') return 'hello';
  if (repo.startsWith('registry.k8s.io/') || repo === 'docker.io/library/redis') return 'idle';
  return 'starter';
}

function nginxTime(d: Date): string {
  return d.toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '/');
}

/** planRun decides how a container run behaves from its image, spec and resolved config. */
export function planRun(ref: ImageRef, c: ContainerSpec, config: ContainerConfig, podName: string): AppPlan {
  const kind = appKindOf(ref);
  const now = nginxTime(new Date());
  const argv = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  switch (kind) {
    case 'nginx':
      return {
        kind,
        port: 80,
        memory: 3_400_000,
        startup: [
          '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
          '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
          '/docker-entrypoint.sh: Configuration complete; ready for start up',
          `${now} [notice] 1#1: using the "epoll" event method`,
          `${now} [notice] 1#1: start worker processes`,
        ],
      };
    case 'httpd':
      return {
        kind,
        port: 80,
        memory: 4_200_000,
        startup: [
          `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.0.1. Set the 'ServerName' directive globally to suppress this message`,
        ],
      };
    case 'echo': {
      const listen = /-listen[= ]:?(\d+)/.exec(argv);
      return {
        kind,
        port: listen ? Number(listen[1]) : 5678,
        memory: 2_000_000,
        startup: [`${now} [INFO] server is listening on :${listen?.[1] ?? 5678}`],
      };
    }
    case 'php-apache':
      return {
        kind,
        port: 80,
        memory: 9_800_000,
        startup: ["AH00558: apache2: Could not reliably determine the server's fully qualified domain name"],
      };
    case 'hello':
      return {
        kind,
        memory: 100_000,
        exitCode: 0,
        startup: [
          '',
          'Hello from Docker!',
          'This message shows that your installation appears to be working correctly.',
        ],
      };
    case 'idle':
      return { kind, memory: 300_000, startup: [] };
    case 'shell': {
      const exit = /\bexit\s+(\d+)/.exec(argv);
      const echoes = [...argv.matchAll(/\becho\s+["']?([^;&"']*)/g)].map((m) => (m[1] ?? '').trim());
      if (/\bsleep\b|\btail\s+-f\b|while\s+true/.test(argv) && !exit)
        return { kind, memory: 400_000, startup: echoes };
      return { kind, memory: 400_000, startup: echoes, exitCode: exit ? Number(exit[1]) : 0 };
    }
    default:
      return planStarter(c, config, podName);
  }
}

function planStarter(c: ContainerSpec, config: ContainerConfig, podName: string): AppPlan {
  const fromEnv = Number(config.env.PORT);
  const port = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (c.ports?.[0]?.containerPort ?? 8080);
  const fileList = Object.keys(config.files);
  const startup = [
    `starter app: pod ${podName} starting`,
    `config: ${Object.keys(config.env).length} environment variable(s), ${fileList.length} file(s)${fileList.length ? ` (${fileList.join(', ')})` : ''}`,
  ];
  const bad = findBadCidrs({ ...prefixKeys('env ', config.env), ...config.files });
  if (bad.length > 0) {
    return {
      kind: 'starter',
      port,
      memory: 8_000_000,
      startup,
      exitCode: 1,
      exitLines: [
        ...bad.map((b) => `config error: ${b.cidr} in ${b.where}: ${b.reason}`),
        'exiting with status 1',
      ],
    };
  }
  return { kind: 'starter', port, memory: 12_600_000, startup: [...startup, `listening on :${port}`] };
}

function prefixKeys(prefix: string, o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [prefix + k, v]));
}

/** RequestInfo is one HTTP request reaching a container. */
export interface RequestInfo {
  method: string;
  path: string;
  query: URLSearchParams;
  client: string;
  podName: string;
  namespace: string;
  nodeName: string;
  config: ContainerConfig;
}

const NGINX_INDEX =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n';

/** serveHttp answers a request the way the app of `plan.kind` would. */
export function serveHttp(plan: AppPlan, req: RequestInfo): HttpAnswer {
  const date = new Date();
  switch (plan.kind) {
    case 'nginx': {
      const ok = req.path === '/' || req.path === '/index.html';
      const body = ok
        ? NGINX_INDEX
        : '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n';
      const stamp = date.toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
      const log = `${req.client} - - [${stamp}] "${req.method} ${req.path} HTTP/1.1" ${ok ? 200 : 404} ${body.length} "-" "kubectl"`;
      return { status: ok ? 200 : 404, contentType: 'text/html', body, cpuMs: 1, log };
    }
    case 'httpd':
      return {
        status: 200,
        contentType: 'text/html',
        body: '<html><body><h1>It works!</h1></body></html>\n',
        cpuMs: 1,
        log: `${req.client} - - "${req.method} ${req.path} HTTP/1.1" 200 45`,
      };
    case 'echo':
      return {
        status: 200,
        contentType: 'text/plain',
        body: 'hello-world\n',
        cpuMs: 1,
        log: `${req.client} ${req.method} ${req.path}`,
      };
    case 'php-apache':
      return {
        status: 200,
        contentType: 'text/html',
        body: 'OK!',
        cpuMs: 200,
        log: `${req.client} - - "${req.method} ${req.path} HTTP/1.1" 200 3`,
      };
    default:
      return serveStarter(req);
  }
}

function serveStarter(req: RequestInfo): HttpAnswer {
  if (req.path === '/healthz' || req.path === '/readyz') {
    return { status: 200, contentType: 'text/plain', body: 'ok\n', cpuMs: 0.2 };
  }
  let cpuMs = 2;
  if (req.path === '/burn') {
    const ms = Number(req.query.get('ms') ?? 250);
    cpuMs = Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 5000) : 250;
  }
  const body = `${JSON.stringify({ pod: req.podName, namespace: req.namespace, node: req.nodeName, path: req.path, config: req.config })}\n`;
  const log = `${req.method} ${req.path} 200 client=${req.client} cpu=${cpuMs}ms`;
  return { status: 200, contentType: 'application/json', body, cpuMs, log };
}

/** probeStatus is the HTTP status the app answers to a probe path. */
export function probeStatus(plan: AppPlan, path: string): number {
  if (plan.kind === 'nginx') return path === '/' || path === '/index.html' ? 200 : 404;
  return 200;
}
