// `workshop dashboard`: the live view as a web page on 127.0.0.1. The page (HTML, CSS, script)
// ships in the package; updates go out as server-sent events, one `view` event per change,
// straight from the watches. Read-only: GET only, and only for a Host naming this loopback
// address (so another web page cannot reach it through DNS rebinding).
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import type { WorkshopView } from './rows.js';

const assets: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const types: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** dashboardAssetsDir is src/workshop/dashboard in a checkout, dist/workshop/dashboard installed. */
export function dashboardAssetsDir(): string {
  for (const dir of ['src/workshop/dashboard', 'dist/workshop/dashboard']) {
    const full = join(packageRoot(), dir);
    if (existsSync(join(full, 'index.html'))) return full;
  }
  throw new Error('k8s-learn: the dashboard page is missing from the package');
}

export interface Dashboard {
  url: string;
  port: number;
  /** publish sends a new view to every open page. */
  publish(view: WorkshopView): void;
  close(): Promise<void>;
}

/** startDashboard serves the page; `current` gives the view a new page starts from. */
export async function startDashboard(options: {
  port: number;
  current: () => WorkshopView;
  lang: string;
  context: string;
}): Promise<Dashboard> {
  const dir = dashboardAssetsDir();
  const clients = new Set<ServerResponse>();
  let port = options.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('read-only\n');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const security = {
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; connect-src 'self'",
      'cache-control': 'no-store',
    };
    if (path === '/events') {
      res.writeHead(200, { ...security, 'content-type': 'text/event-stream', connection: 'keep-alive' });
      res.write(`event: view\ndata: ${JSON.stringify(options.current())}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (path === '/api/view') {
      res
        .writeHead(200, { ...security, 'content-type': 'application/json' })
        .end(JSON.stringify(options.current()));
      return;
    }
    if (path === '/api/meta') {
      res
        .writeHead(200, { ...security, 'content-type': 'application/json' })
        .end(JSON.stringify({ lang: options.lang, context: options.context }));
      return;
    }
    const file = assets[path];
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const body = readFileSync(join(dir, file));
    res.writeHead(200, { ...security, 'content-type': types[file.split('.').pop()!]! }).end(body);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  // Proxies and browsers drop an idle event stream; a comment line every 15 s keeps it open.
  const ping = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, 15_000);
  ping.unref();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    publish(view) {
      const message = `event: view\ndata: ${JSON.stringify(view)}\n\n`;
      for (const c of clients) c.write(message);
    },
    async close() {
      clearInterval(ping);
      for (const c of clients) c.end();
      clients.clear();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
