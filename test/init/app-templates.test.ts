// Each app template started locally (node, python3) and its HTTP contract tested: `/` names the
// pod and shows the config read from env vars and from files, `/healthz`, `/readyz`, `/burn`,
// a bad CIDR in the config stops it with exit 1, and SIGTERM ends it with exit 0 within 2 s even
// while a client holds a connection open.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const apps = [
  { template: 'node', command: process.execPath, file: join(root, 'templates/app/server.js') },
  { template: 'python', command: 'python3', file: join(root, 'templates/init/python/app/server.py') },
];

const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

interface Running {
  proc: ChildProcess;
  port: number;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(app: (typeof apps)[number], config: Record<string, string>): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-app-'));
  const configDir = join(dir, 'config');
  mkdirSync(configDir);
  for (const [k, v] of Object.entries(config)) writeFileSync(join(configDir, k), v);
  // A dot-entry, as a mounted ConfigMap has (..data): never read as config.
  writeFileSync(join(configDir, '.hidden'), 'not config');
  // Run a copy, as the image does: the checkout's package.json ("type": "module") must not apply.
  const file = join(dir, basename(app.file));
  copyFileSync(app.file, file);
  const port = await freePort();
  const proc = spawn(app.command, [file], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      CONFIG_DIR: configDir,
      CONFIG_ENV_PREFIX: 'APP_',
      APP_MESSAGE: 'hello from env',
      OTHER_VAR: 'not config',
      POD_NAME: 'web-7d4b9c-x2x',
      POD_NAMESPACE: 'shop',
      NODE_NAME: 'kind-worker',
    },
  });
  started.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.on('exit', (code, signal) => r({ code, signal })),
  );
  return { proc, port, out: () => out, exited };
}

async function listening(app: Running): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (/listening on :\d+/.test(app.out())) return;
    if (app.proc.exitCode !== null) throw new Error(`the app exited: ${app.out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the app did not start: ${app.out()}`);
}

function get(port: number, path: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((res, rej) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (r) => {
      let body = '';
      r.on('data', (d) => (body += d));
      r.on('end', () => res({ status: r.statusCode ?? 0, body, type: String(r.headers['content-type']) }));
    })
      .on('error', rej)
      .end();
  });
}

describe.each(apps)('the $template app template', (app) => {
  it('answers /, /healthz, /readyz and /burn with config from env and files', async () => {
    const running = await start(app, { 'settings.json': '{"greeting": "hi"}\n', network: '10.0.0.0/8\n' });
    await listening(running);
    const root = await get(running.port, '/some/path');
    expect(root.status).toBe(200);
    expect(root.type).toContain('application/json');
    expect(JSON.parse(root.body)).toEqual({
      pod: 'web-7d4b9c-x2x',
      namespace: 'shop',
      node: 'kind-worker',
      path: '/some/path',
      config: {
        APP_MESSAGE: 'hello from env',
        'settings.json': '{"greeting": "hi"}\n',
        network: '10.0.0.0/8\n',
      },
    });
    expect(await get(running.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get(running.port, '/readyz')).toMatchObject({ status: 200, body: 'ok\n' });
    const burn = await get(running.port, '/burn?ms=30');
    expect(burn.status).toBe(200);
    expect(JSON.parse(burn.body).path).toBe('/burn');
    // One log line per request, on stdout (what `kubectl logs` shows).
    expect(running.out()).toMatch(/GET \/some\/path/);
    running.proc.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
  });

  it('exits 1 at start on a CIDR with host bits set, saying which', async () => {
    const running = await start(app, { network: '[{"name": "20.0.0.0/4"}]\n' });
    expect(await running.exited).toEqual({ code: 1, signal: null });
    expect(running.out()).toContain(
      'config error: 20.0.0.0/4 in network: host bits set (the /4 network is 16.0.0.0/4)',
    );
  });

  it('exits 0 within 2 s of SIGTERM while a client holds a connection open', async () => {
    const running = await start(app, {});
    await listening(running);
    // An idle keep-alive connection that never closes by itself.
    const { connect } = await import('node:net');
    const socket = connect(running.port, '127.0.0.1');
    await new Promise((r) => socket.on('connect', r));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((r) => socket.once('data', r));
    running.proc.kill('SIGTERM');
    const deadline = new Promise((r) => setTimeout(() => r('still running 2 s after SIGTERM'), 2000));
    expect(await Promise.race([running.exited, deadline])).toEqual({ code: 0, signal: null });
    expect(running.out()).toContain('SIGTERM');
    socket.destroy();
  });
});
