// The streaming subresources of pods over the two protocols clients speak:
// - websocket with the channel protocol (`v5.channel.k8s.io`, `v4.channel.k8s.io`): one byte of
//   stream id per message (0 stdin, 1 stdout, 2 stderr, 3 error Status, 4 resize; v5 adds
//   255 = close a stream), used by kubectl ≥ 1.30 and @kubernetes/client-node for exec/attach;
// - SPDY/3.1 (`X-Stream-Protocol-Version: v4.channel.k8s.io` / `portforward.k8s.io`), one SPDY
//   stream per `streamtype` header, used by kubectl ≤ 1.29 for exec/attach and for
//   port-forward (≥ 1.31 tunnels the same SPDY bytes in a `SPDY/3.1+portforward.k8s.io`
//   websocket).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { ApiError } from '../api-error.js';
import type { WorkloadContext } from '../controllers/context.js';
import type { Extensions, UpgradeTarget } from '../extensions.js';
import { rejectUpgrade } from '../server/upgrade.js';
import { type Input, type Output, PushInput } from '../shell/io.js';
import { mainProcessOf } from './main-process.js';
import { portForwardStreams } from './port-forward.js';
import { type ExecResult, findContainer, runExec, statusFor } from './session.js';
import { type ByteChannel, SpdySession, type SpdyStream } from './spdy.js';
import { Terminal } from './tty.js';

const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
// `/` is not allowed in a websocket subprotocol token, so the ws library rejects the tunnel's
// name: it is swapped for this alias on the way in and restored in the 101 response.
const TUNNEL_ALIAS = 'k8s-learn-portforward-tunnel';

/** Client is one connected client's streams, whatever the protocol. */
interface Client {
  stdin?: Input;
  stdout: Output;
  stderr: Output;
  terminal?: Terminal;
  /** finish sends the Status and closes. */
  finish(status: Record<string, unknown>): void;
  onClose(fn: () => void): void;
}

type Session = (client: Client) => void;

function wantsWebsocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

function offered(header: string | string[] | undefined): string[] {
  return (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** installStreams registers exec, attach and portforward on the cluster. */
export function installStreams(ext: Extensions, need: () => WorkloadContext): void {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => {
      for (const p of [...CHANNEL_PROTOCOLS, TUNNEL_ALIAS]) if (protocols.has(p)) return p;
      return false;
    },
  });
  wss.on('headers', (headers) => {
    const i = headers.indexOf(`Sec-WebSocket-Protocol: ${TUNNEL_ALIAS}`);
    if (i >= 0) headers[i] = `Sec-WebSocket-Protocol: ${TUNNEL_PROTOCOL}`;
  });
  const upgradeRequired = async () => {
    throw new ApiError(400, 'BadRequest', 'Upgrade request required');
  };
  for (const sub of ['exec', 'attach', 'portforward']) ext.registerSubresource('pods', sub, upgradeRequired);

  const podOf = (t: UpgradeTarget) => {
    const pod = t.store.get('pods', t.namespace, t.name);
    if (!pod)
      throw new ApiError(404, 'NotFound', `pods "${t.name}" not found`, { name: t.name, kind: 'pods' });
    return pod;
  };

  ext.registerUpgrade('pods', 'exec', (req, socket, head, t) => {
    const ctx = need();
    const { worker, run } = findContainer(ctx, podOf(t), t.query.get('container'));
    const argv = t.query.getAll('command');
    if (argv.length === 0) throw new ApiError(400, 'BadRequest', 'you must specify at least 1 command');
    const session: Session = (client) => {
      const controller = new AbortController();
      client.onClose(() => controller.abort());
      runExec(worker, run, argv, client, controller.signal)
        .catch((err): ExecResult => ({ error: String(err) }))
        .then((result) => client.finish(statusFor(result, argv)));
    };
    accept(req, socket, head, t, session, true);
  });

  ext.registerUpgrade('pods', 'attach', (req, socket, head, t) => {
    const ctx = need();
    const { run } = findContainer(ctx, podOf(t), t.query.get('container'));
    const main = mainProcessOf(run);
    const session: Session = (client) => {
      if (!main) {
        // Images whose process is not simulated: attach shows nothing until the client leaves.
        client.onClose(() => {});
        return;
      }
      const withStdin = t.query.get('stdin') === 'true' || t.query.get('stdin') === '1';
      const out: Output = (chunk) => {
        if (chunk.length === 0) client.finish({ metadata: {}, status: 'Success' });
        else client.stdout(chunk);
      };
      main.listeners.add(out);
      if (withStdin) pipeInput(client, main);
      client.onClose(() => {
        main.listeners.delete(out);
        const spec = run.spec as { stdinOnce?: boolean };
        if (withStdin && spec.stdinOnce) {
          main.stdin?.end();
          main.terminal?.close();
        }
      });
    };
    accept(req, socket, head, t, session, false);
  });

  ext.registerUpgrade('pods', 'portforward', (req, socket, head, t) => {
    const ctx = need();
    const pod = podOf(t);
    if ((pod.status as { phase?: string } | undefined)?.phase !== 'Running') {
      throw new ApiError(400, 'BadRequest', `unable to do port forwarding: pod ${t.name} is not running`);
    }
    const onChannel = (channel: ByteChannel) => new SpdySession(channel, portForwardStreams(ctx, pod));
    if (wantsWebsocket(req)) {
      const asked = offered(req.headers['sec-websocket-protocol']);
      if (asked.includes(TUNNEL_PROTOCOL)) req.headers['sec-websocket-protocol'] = TUNNEL_ALIAS;
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (ws.protocol !== TUNNEL_ALIAS) {
          ws.close(1002, 'port-forward needs the SPDY/3.1+portforward.k8s.io protocol');
          return;
        }
        onChannel(wsChannel(ws));
      });
      return;
    }
    upgradeSpdy(req, socket, head, 'portforward.k8s.io', onChannel);
  });

  function accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    t: UpgradeTarget,
    session: Session,
    ownTerminal: boolean,
  ): void {
    // exec gets its own terminal; attach passes keystrokes to the main process's terminal.
    const tty = ['true', '1'].includes(t.query.get('tty') ?? '');
    const cook = tty && ownTerminal;
    const want = (k: string) => ['true', '1'].includes(t.query.get(k) ?? '');
    if (wantsWebsocket(req)) {
      wss.handleUpgrade(req, socket, head, (ws) => session(wsClient(ws, cook, want('stdin'))));
      return;
    }
    const versions = offered(req.headers['x-stream-protocol-version']);
    const version = ['v4.channel.k8s.io'].find((v) => versions.includes(v));
    if (!version) {
      rejectUpgrade(
        socket,
        new ApiError(
          403,
          'Forbidden',
          `unable to upgrade: unable to negotiate protocol: client supports [${versions.join(' ')}], server supports [v4.channel.k8s.io]`,
        ),
      );
      return;
    }
    upgradeSpdy(req, socket, head, version, (channel) => {
      const expected = new Set(['error']);
      if (want('stdin')) expected.add('stdin');
      if (want('stdout')) expected.add('stdout');
      if (want('stderr') && !tty) expected.add('stderr');
      if (tty) expected.add('resize');
      const streams = new Map<string, SpdyStream>();
      let started = false;
      const spdy = new SpdySession(channel, (stream) => {
        streams.set(stream.headers.streamtype ?? '', stream);
        if (!started && [...expected].every((e) => streams.has(e))) {
          started = true;
          session(spdyClient(spdy, streams, cook));
        }
      });
    });
  }
}

/** pipeInput hands an attached client's raw input to the main process (its terminal cooks it). */
function pipeInput(client: Client, main: { stdin?: PushInput; terminal?: Terminal }): void {
  const target = main.terminal;
  const stdin = client.stdin;
  if (!stdin) return;
  (async () => {
    while (true) {
      const chunk = await stdin.read();
      if (chunk === null) return;
      if (target) target.keys(chunk);
      else main.stdin?.push(chunk);
    }
  })();
}

/** clientInput is what a client types: raw bytes, or keystrokes through a terminal with -t. */
function clientInput(withStdin: boolean, tty: boolean, echo: Output) {
  const raw = withStdin ? new PushInput() : undefined;
  const terminal = tty && raw ? new Terminal(echo) : undefined;
  return {
    stdin: terminal ? terminal.input : raw,
    terminal,
    push(data: Buffer) {
      if (terminal) terminal.keys(data);
      else raw?.push(data);
    },
    end() {
      raw?.end();
      terminal?.close();
    },
  };
}

function upgradeSpdy(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  version: string,
  then: (c: ByteChannel) => void,
): void {
  void req;
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${version}\r\n\r\n`,
  );
  const channel: ByteChannel = {
    write: (d) => {
      if (socket.writable) socket.write(d);
    },
    end: () => socket.end(),
    onData: (fn) => {
      if (head.length) setImmediate(() => fn(head));
      socket.on('data', fn);
    },
    onClose: (fn) => {
      socket.on('close', fn);
    },
  };
  then(channel);
}

function wsChannel(ws: WebSocket): ByteChannel {
  return {
    write: (d) => {
      if (ws.readyState === ws.OPEN) ws.send(d);
    },
    end: () => ws.close(1000),
    onData: (fn) =>
      ws.on('message', (data: Buffer) => fn(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer))),
    onClose: (fn) => ws.on('close', fn),
  };
}

function wsClient(ws: WebSocket, tty: boolean, withStdin: boolean): Client {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const send = (channel: number) => (chunk: Buffer | string) => {
    if (ws.readyState !== ws.OPEN) return;
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (data.length) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const stdout = send(1);
  const input = clientInput(withStdin, tty, stdout);
  ws.on('message', (raw: Buffer) => {
    const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
    const channel = data[0];
    if (channel === 0) input.push(data.subarray(1));
    else if (channel === 255 && v5 && data[1] === 0) input.end();
  });
  ws.on('close', () => input.end());
  let finished = false;
  return {
    stdin: input.stdin,
    stdout,
    stderr: send(2),
    terminal: input.terminal,
    finish(status) {
      if (finished) return;
      finished = true;
      send(3)(JSON.stringify(status));
      ws.close(1000);
    },
    onClose: (fn) => ws.on('close', fn),
  };
}

function spdyClient(spdy: SpdySession, streams: Map<string, SpdyStream>, tty: boolean): Client {
  const stdinStream = streams.get('stdin');
  const stdoutStream = streams.get('stdout');
  const stdout: Output = (c) => stdoutStream?.write(c);
  const input = clientInput(!!stdinStream, tty, stdout);
  stdinStream?.onData((d) => input.push(d));
  stdinStream?.onEnd(() => input.end());
  spdy.onClose(() => input.end());
  let finished = false;
  return {
    stdin: input.stdin,
    stdout,
    stderr: (c) => streams.get('stderr')?.write(c),
    terminal: input.terminal,
    finish(status) {
      if (finished) return;
      finished = true;
      const error = streams.get('error');
      if (status.status !== 'Success') error?.write(JSON.stringify(status));
      for (const s of streams.values()) s.end();
      // The client closes the connection once it has read every stream to its end.
      setTimeout(() => spdy.close(), 2000).unref();
    },
    onClose: (fn) => spdy.onClose(fn),
  };
}
