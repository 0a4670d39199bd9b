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
import { type SystemNode, systemComponentOf, systemPlan } from './system-apps.js';

/** AppKind is the behaviour family of an image. */
export type AppKind =
  | 'starter'
  | 'nginx'
  | 'httpd'
  | 'echo'
  | 'php-apache'
  | 'shell'
  | 'hello'
  | 'idle'
  | 'bootcamp'
  | 'agnhost-netexec'
  | 'agnhost-liveness'
  | 'redis'
  | 'postgres'
  | 'curl'
  | 'system';

/** AppPlan is how one run of a container behaves. */
export interface AppPlan {
  kind: AppKind;
  /** TCP port it listens on (undefined: none). */
  port?: number;
  /** Further ports it listens on (kube-system components: health and metrics ports). */
  ports?: number[];
  /** CPU it uses when idle, in millicores (kube-system components; others use the default). */
  idleMilli?: number;
  /** Lines printed at start. */
  startup: string[];
  /** When set, the process exits with this code after `SIM.crashAfter`. */
  exitCode?: number;
  /** Lines printed just before exiting. */
  exitLines?: string[];
  /** Resident memory in bytes (for metrics). */
  memory: number;
  /** Version the app reports (kubernetes-bootcamp `v=1`). */
  version?: string;
  /** uptime is the cluster seconds since the container started (set when it starts). */
  uptime?: () => number;
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
  if (
    repo === 'gcr.io/google-samples/kubernetes-bootcamp' ||
    repo === 'docker.io/jocatalin/kubernetes-bootcamp'
  )
    return 'bootcamp';
  if (repo === 'registry.k8s.io/e2e-test-images/agnhost') return 'agnhost-netexec';
  if (repo === 'docker.io/library/postgres') return 'postgres';
  if (repo === 'docker.io/library/redis') return 'redis';
  if (repo === 'docker.io/curlimages/curl') return 'curl';
  if (['docker.io/library/busybox', 'docker.io/library/alpine'].includes(repo)) return 'shell';
  if (repo === 'docker.io/library/hello-world') return 'hello';
  if (systemComponentOf(ref)) return 'system';
  if (repo.startsWith('registry.k8s.io/')) return 'idle';
  return 'starter';
}

function nginxTime(d: Date): string {
  return d.toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '/');
}

/** planRun decides how a container run behaves from its image, spec and resolved config. */
export function planRun(
  ref: ImageRef,
  c: ContainerSpec,
  config: ContainerConfig,
  podName: string,
  node: SystemNode = { name: '', peers: [] },
): AppPlan {
  let kind = appKindOf(ref);
  const now = nginxTime(new Date());
  const argv = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (kind === 'agnhost-netexec' && /(^|\s)liveness(\s|$)/.test(argv)) kind = 'agnhost-liveness';
  switch (kind) {
    case 'bootcamp':
      return {
        kind,
        port: 8080,
        memory: 11_000_000,
        version: ref.tag === 'v2' ? '2' : '1',
        startup: [
          'Kubernetes Bootcamp App Started At: ' +
            new Date().toISOString() +
            ' | Running On:  ' +
            podName +
            ' \n',
        ],
      };
    case 'agnhost-netexec': {
      const port = /--http-port[= ](\d+)/.exec(argv)?.[1];
      return {
        kind,
        port: port ? Number(port) : 8080,
        memory: 6_000_000,
        startup: [`Started HTTP server on port ${port ?? 8080}`],
      };
    }
    case 'agnhost-liveness':
      return { kind, port: 8080, memory: 5_000_000, startup: [] };
    case 'redis':
      return {
        kind,
        port: 6379,
        memory: 3_900_000,
        startup: [
          `1:C ${redisTime()} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
          `1:M ${redisTime()} * Running mode=standalone, port=6379.`,
          `1:M ${redisTime()} * Server initialized`,
          `1:M ${redisTime()} * Ready to accept connections tcp`,
        ],
      };
    case 'postgres': {
      if (!config.env.POSTGRES_PASSWORD && config.env.POSTGRES_HOST_AUTH_METHOD !== 'trust') {
        return {
          kind,
          memory: 1_000_000,
          startup: [],
          exitCode: 1,
          exitLines: [
            'Error: Database is uninitialized and superuser password is not specified.',
            '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
            '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
          ],
        };
      }
      return {
        kind,
        port: 5432,
        memory: 22_000_000,
        startup: [
          'PostgreSQL init process complete; ready for start up.',
          `${nginxTime(new Date()).replace(/\//g, '-')}.000 UTC [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
          `${nginxTime(new Date()).replace(/\//g, '-')}.000 UTC [1] LOG:  database system is ready to accept connections`,
        ],
      };
    }
    case 'curl':
      return { kind, memory: 900_000, startup: [] };
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
    case 'system': {
      const component = systemComponentOf(ref);
      if (!component) return { kind: 'idle', memory: 300_000, startup: [] };
      const plan = systemPlan(component, config, podName, node);
      return {
        kind,
        ports: plan.ports,
        memory: plan.memory,
        idleMilli: plan.idleMilli,
        startup: plan.startup,
      };
    }
    case 'shell':
      // The command runs in the simulated shell (src/practice/exec/main-process.ts): it logs
      // what it prints and exits with its own status.
      return { kind, memory: 400_000, startup: [] };
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

function redisTime(): string {
  const d = new Date();
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${String(d.getUTCDate()).padStart(2, '0')} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
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
    case 'bootcamp':
      return {
        status: 200,
        contentType: 'text/plain',
        body: `Hello Kubernetes bootcamp! | Running on: ${req.podName} | v=${plan.version ?? '1'}\n`,
        cpuMs: 1,
        log: `Running On: ${req.podName} | Total Requests: 1 | App Uptime: ${Math.round(plan.uptime?.() ?? 0)} seconds | Log Time: ${date.toISOString()}`,
      };
    case 'agnhost-netexec':
      return {
        status: 200,
        contentType: 'text/plain; charset=utf-8',
        body: netexecAnswer(req, date),
        cpuMs: 1,
      };
    case 'agnhost-liveness': {
      const up = plan.uptime?.() ?? 0;
      if (req.path !== '/healthz')
        return { status: 404, contentType: 'text/plain', body: '404 page not found\n', cpuMs: 0.2 };
      if (up <= 10) return { status: 200, contentType: 'text/plain', body: 'ok', cpuMs: 0.2 };
      return { status: 500, contentType: 'text/plain', body: `error: ${up.toFixed(6)}`, cpuMs: 0.2 };
    }
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

function netexecAnswer(req: RequestInfo, date: Date): string {
  switch (req.path) {
    case '/hostname':
      return req.podName;
    case '/echo':
      return req.query.get('msg') ?? '';
    case '/clientip':
      return `${req.client}:${40000 + Math.floor(Math.random() * 20000)}`;
    default:
      return `NOW: ${date.toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC`;
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
  if (plan.kind === 'agnhost-liveness') {
    if (path !== '/healthz') return 404;
    return (plan.uptime?.() ?? 0) <= 10 ? 200 : 500;
  }
  return 200;
}
