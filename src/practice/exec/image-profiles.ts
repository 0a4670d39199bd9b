// The userland of each simulated image: busybox or Debian tools, the user it runs as, its
// working directory, ENV, default command and a few files a learner looks for (nginx's html,
// httpd's htdocs, the starter app's server.js). Documented in docs/practice-workloads.md.
import type { ContainerRun } from '../controllers/pod-worker.js';
import { programsFor } from '../shell/commands.js';
import type { Flavor, Program } from '../shell/interpret.js';
import { appKindOf } from '../workloads/app.js';
import { parseImage } from '../workloads/images.js';

/** ImageProfile is what exec sees of an image. */
export interface ImageProfile {
  flavor: Flavor;
  user: string;
  workdir?: string;
  path: string;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  files: Record<string, string>;
  osRelease: string;
  programs: Map<string, Program>;
  /**
   * argsDefaultTo: the image's entrypoint script runs this program with the arguments unless the
   * first one is itself a program (curlimages/curl: `-- -s web` runs curl, `-- sh` runs sh).
   */
  argsDefaultTo?: string;
}

const BUSYBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const ALPINE_RELEASE =
  'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME="Alpine Linux v3.21"\n';
const DEBIAN_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';
const NGINX_INDEX =
  '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n';

// What the bootcamp image's server does, as a file a learner can `cat` in the tutorial.
const BOOTCAMP_SERVER = `var http = require('http');
var requests = 0;
var podname = process.env.HOSTNAME;
var startTime;
var host;
var handleRequest = function (request, response) {
  response.setHeader('Content-Type', 'text/plain');
  response.writeHead(200);
  response.write('Hello Kubernetes bootcamp! | Running on: ');
  response.write(host);
  response.end(' | v=1\\n');
  console.log('Running On:', host, '| Total Requests:', ++requests, '| App Uptime:', (new Date() - startTime) / 1000, 'seconds', '| Log Time:', new Date());
};
var www = http.createServer(handleRequest);
www.listen(8080, function () {
  startTime = new Date();
  host = process.env.HOSTNAME;
  console.log('Kubernetes Bootcamp App Started At:', startTime, '| Running On: ', host, '\\n');
});
`;

/** imageProfile picks the profile of a container's image. */
export function imageProfile(run: ContainerRun): ImageProfile {
  const ref = run.ref ?? parseImage(run.spec.image ?? '');
  const kind = ref ? appKindOf(ref) : 'starter';
  const repo = ref?.repository ?? '';
  const base = { path: BUSYBOX_PATH, env: {}, entrypoint: [], cmd: [], files: {}, osRelease: ALPINE_RELEASE };
  const busybox = (extra: string[] = []) => programsFor('busybox', extra);
  const debian = (extra: string[] = []) => programsFor('debian', extra);
  switch (kind) {
    case 'shell':
      return {
        ...base,
        flavor: 'busybox',
        user: 'root',
        cmd: ['sh'],
        osRelease: repo.endsWith('/alpine') ? ALPINE_RELEASE : '',
        programs: busybox(),
      };
    case 'curl':
      return {
        ...base,
        flavor: 'busybox',
        user: 'curl_user',
        workdir: '/home/curl_user',
        cmd: ['curl'],
        argsDefaultTo: 'curl',
        programs: busybox(['curl']),
      };
    case 'nginx':
      return {
        ...base,
        flavor: 'debian',
        user: 'root',
        osRelease: DEBIAN_RELEASE,
        env: { NGINX_VERSION: ref?.tag && /^\d/.test(ref.tag) ? ref.tag : '1.27.3' },
        entrypoint: ['/docker-entrypoint.sh'],
        cmd: ['nginx', '-g', 'daemon off;'],
        files: {
          '/usr/share/nginx/html/index.html': NGINX_INDEX,
          '/usr/share/nginx/html/50x.html':
            '<!DOCTYPE html>\n<html>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n',
          '/etc/nginx/conf.d/default.conf':
            'server {\n    listen       80;\n    server_name  localhost;\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n',
        },
        programs: debian(['curl']),
      };
    case 'httpd':
    case 'php-apache':
      return {
        ...base,
        flavor: 'debian',
        user: 'root',
        osRelease: DEBIAN_RELEASE,
        workdir: kind === 'httpd' ? '/usr/local/apache2' : '/var/www/html',
        cmd: kind === 'httpd' ? ['httpd-foreground'] : ['apache2-foreground'],
        files:
          kind === 'httpd'
            ? { '/usr/local/apache2/htdocs/index.html': '<html><body><h1>It works!</h1></body></html>\n' }
            : {
                '/var/www/html/index.php':
                  '<?php\n$x = 0.0001;\nfor ($i = 0; $i <= 1000000; $i++) {\n  $x += sqrt($x);\n}\necho "OK!";\n?>\n',
              },
        programs: debian(kind === 'php-apache' ? ['curl'] : []),
      };
    case 'redis':
    case 'postgres':
      return {
        ...base,
        flavor: 'debian',
        user: kind === 'redis' ? 'redis' : 'postgres',
        workdir: kind === 'redis' ? '/data' : undefined,
        osRelease: DEBIAN_RELEASE,
        cmd: kind === 'redis' ? ['redis-server'] : ['postgres'],
        programs: debian(),
      };
    case 'bootcamp':
      return {
        ...base,
        flavor: 'debian',
        user: 'root',
        osRelease: DEBIAN_RELEASE,
        cmd: ['/bin/sh', '-c', 'node server.js'],
        files: { '/server.js': BOOTCAMP_SERVER },
        programs: debian(['curl']),
      };
    case 'agnhost-netexec':
    case 'agnhost-liveness':
      return {
        ...base,
        flavor: 'busybox',
        user: 'root',
        entrypoint: ['/agnhost'],
        programs: busybox(['curl']),
      };
    case 'system':
      // kube-system images are distroless: no shell, no coreutils (`exec … -- sh` fails as on kind).
      return { ...base, flavor: 'busybox', user: 'root', osRelease: '', programs: new Map() };
    case 'starter':
      return {
        ...base,
        flavor: 'busybox',
        user: 'node',
        workdir: '/app',
        env: { NODE_VERSION: '20.19.0', YARN_VERSION: '1.22.22' },
        cmd: ['node', 'server.js'],
        files: { '/app/server.js': '// the course starter app (see templates/app/server.js)\n' },
        programs: busybox(),
      };
    default:
      return { ...base, flavor: 'busybox', user: 'root', programs: busybox() };
  }
}
