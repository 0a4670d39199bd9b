// Running the practice cluster as a background process: where its files live, starting the
// daemon (dist/practice/daemon.js) detached, finding it again (daemon.json + pid + /readyz), and
// stopping it. The commands in src/commands/practice-*.ts are thin layers over this.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../paths.js';

/** DaemonInfo is what the daemon writes to <dataDir>/daemon.json once it serves. */
export interface DaemonInfo {
  pid: number;
  url: string;
  port: number;
  context: string;
  kubeconfigPath: string;
  nodes: number;
  startedAt: string;
}

/** DAEMON_FILE is the daemon's info file name. */
export const DAEMON_FILE = 'daemon.json';
/** LOG_FILE receives the daemon's stdout and stderr. */
export const LOG_FILE = 'daemon.log';

/** practiceDataDir is where the practice cluster keeps its state (K8S_LEARN_PRACTICE_DIR overrides). */
export function practiceDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.K8S_LEARN_PRACTICE_DIR) return env.K8S_LEARN_PRACTICE_DIR;
  const home = env.HOME ?? homedir();
  if (platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'k8s-learn', 'practice');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'k8s-learn', 'practice');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'k8s-learn', 'practice');
}

/** readDaemonInfo reads daemon.json, or undefined when missing or unreadable. */
export function readDaemonInfo(dataDir: string): DaemonInfo | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, DAEMON_FILE), 'utf8')) as DaemonInfo;
  } catch {
    return undefined;
  }
}

/** pidAlive tells whether a process exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** credentials reads the token and CA from the cluster's kubeconfig (the only place the token is written). */
export function credentials(kubeconfigPath: string): { token: string; caCert: string } | undefined {
  try {
    const cfg = parse(readFileSync(kubeconfigPath, 'utf8')) as {
      users?: { user?: { token?: string } }[];
      clusters?: { cluster?: { 'certificate-authority-data'?: string } }[];
    };
    const token = cfg.users?.[0]?.user?.token;
    const ca = cfg.clusters?.[0]?.cluster?.['certificate-authority-data'];
    if (!token || !ca) return undefined;
    return { token, caCert: Buffer.from(ca, 'base64').toString('utf8') };
  } catch {
    return undefined;
  }
}

/** probeReady asks the daemon's /readyz with its token; true on 200. */
export function probeReady(info: DaemonInfo, timeoutMs = 2000): Promise<boolean> {
  const creds = credentials(info.kubeconfigPath);
  if (!creds) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = request(
      `${info.url}/readyz`,
      { ca: creds.caCert, headers: { Authorization: `Bearer ${creds.token}` }, timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** runningDaemon returns the daemon's info when it is alive and answering. */
export async function runningDaemon(dataDir: string): Promise<DaemonInfo | undefined> {
  const info = readDaemonInfo(dataDir);
  if (!info || !pidAlive(info.pid)) return undefined;
  return (await probeReady(info)) ? info : undefined;
}

/** daemonScript is the bundled daemon entry point. */
export function daemonScript(): string {
  return join(packageRoot(), 'dist', 'practice', 'daemon.js');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** StartResult tells how a start went. */
export type StartResult = { ok: true; info: DaemonInfo } | { ok: false; log: string };

/**
 * startDaemon spawns the daemon detached (it outlives this process; its output goes to
 * daemon.log) and waits until it has written daemon.json and answers /readyz.
 */
export async function startDaemon(
  dataDir: string,
  opts: { port?: number; nodes?: number; fresh?: boolean },
  timeoutMs = 20_000,
): Promise<StartResult> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Two `practice start` at once (the engine and a learner): the second waits for the first.
  const lock = join(dataDir, 'start.lock');
  try {
    closeSync(openSync(lock, 'wx', 0o600));
  } catch {
    const fresh = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) < timeoutMs;
    if (fresh) {
      for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) {
        const info = await runningDaemon(dataDir);
        if (info) return { ok: true, info };
        if (!existsSync(lock)) break;
      }
    }
    rmSync(lock, { force: true });
    closeSync(openSync(lock, 'w', 0o600));
  }
  try {
    return await spawnDaemon(dataDir, opts, timeoutMs);
  } finally {
    rmSync(lock, { force: true });
  }
}

async function spawnDaemon(
  dataDir: string,
  opts: { port?: number; nodes?: number; fresh?: boolean },
  timeoutMs: number,
): Promise<StartResult> {
  rmSync(join(dataDir, DAEMON_FILE), { force: true });
  const logPath = join(dataDir, LOG_FILE);
  const log = openSync(logPath, 'w', 0o600);
  const args = [
    daemonScript(),
    '--data-dir',
    dataDir,
    '--port',
    String(opts.port ?? 0),
    '--nodes',
    String(opts.nodes ?? 2),
  ];
  if (opts.fresh) args.push('--fresh');
  // A long-lived detached child is not a command the runner waits for, so it is spawned here.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    const info = readDaemonInfo(dataDir);
    if (info && info.pid === child.pid && (await probeReady(info))) return { ok: true, info };
    await sleep(100);
  }
  if (!exited && child.pid) process.kill(child.pid, 'SIGTERM');
  const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
  return { ok: false, log: text.trim().split('\n').slice(-5).join('\n') };
}

/** stopDaemon sends SIGTERM and waits for the process to go; true when it was running. */
export async function stopDaemon(dataDir: string, timeoutMs = 10_000): Promise<boolean> {
  const info = readDaemonInfo(dataDir);
  if (!info || !pidAlive(info.pid)) {
    rmSync(join(dataDir, DAEMON_FILE), { force: true });
    return false;
  }
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(info.pid) && Date.now() < deadline) await sleep(50);
  if (pidAlive(info.pid)) process.kill(info.pid, 'SIGKILL');
  rmSync(join(dataDir, DAEMON_FILE), { force: true });
  return true;
}

/** apiRequest sends one JSON request to the running daemon with its token. */
export function apiRequest(
  info: DaemonInfo,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: unknown }> {
  const creds = credentials(info.kubeconfigPath);
  if (!creds) return Promise.reject(new Error(`cannot read ${info.kubeconfigPath}`));
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${info.url}${path}`,
      {
        method,
        ca: creds.caCert,
        // A connection of its own: Node's global agent keeps sockets alive, and one the server
        // closed after its 5 s keep-alive would fail the next request with ECONNRESET.
        agent: false,
        headers: {
          Authorization: `Bearer ${creds.token}`,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': contentType } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** fullImageName spells an image the way a node lists it (`docker.io/library/nginx:1.27`). */
export function fullImageName(image: string): string {
  let name = image;
  const firstSlash = name.indexOf('/');
  const first = firstSlash < 0 ? '' : name.slice(0, firstSlash);
  if (firstSlash < 0) name = `docker.io/library/${name}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${name}`;
  if (!/[:@][^/]*$/.test(name.slice(name.lastIndexOf('/')))) name += ':latest';
  return name;
}

/** loadImage records an image as present on every node (`status.images`), like `kind load docker-image`. */
export async function loadImage(info: DaemonInfo, image: string): Promise<number> {
  const list = await apiRequest(info, 'GET', '/api/v1/nodes');
  const items =
    (list.body as { items?: { metadata: { name: string }; status?: { images?: { names: string[] }[] } }[] })
      .items ?? [];
  const full = fullImageName(image);
  for (const node of items) {
    const images = (node.status?.images ?? []).filter((i) => !i.names.includes(full));
    images.unshift({ names: [...new Set([full, image])], sizeBytes: 50_000_000 } as { names: string[] });
    const res = await apiRequest(
      info,
      'PATCH',
      `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}/status?fieldManager=k8s-learn-load-image`,
      { status: { images } },
      'application/merge-patch+json',
    );
    if (res.status !== 200) throw new Error(`node ${node.metadata.name}: HTTP ${res.status}`);
  }
  return items.length;
}
