// Port-forward to a pod: each connection kubectl accepts on 127.0.0.1 becomes a pair of SPDY
// streams (`streamtype: error|data`, `port`, `requestID`). Bytes on the data stream are HTTP
// requests to the app listening on that port in the pod; its answers go back, so
// `curl localhost:8080` behind `kubectl port-forward` shows the simulated app. A port nothing
// listens on gets kubelet's error text on the error stream.
import { STATUS_CODES } from 'node:http';
import type { WorkloadContext } from '../controllers/context.js';
import type { KubeObject } from '../types.js';
import { requestApp } from '../workloads/proxy.js';
import type { SpdyStream } from './spdy.js';

/** PORT_FORWARD_CLIENT is the address apps see for forwarded connections (localhost in the pod). */
const PORT_FORWARD_CLIENT = '127.0.0.1';

/** portForwardStreams answers the streams of one port-forward connection, pair by pair. */
export function portForwardStreams(ctx: WorkloadContext, pod: KubeObject): (stream: SpdyStream) => void {
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
  return (stream) => {
    const id = stream.headers.requestid ?? '';
    const pair = pairs.get(id) ?? {};
    pairs.set(id, pair);
    if (stream.headers.streamtype === 'error') pair.error = stream;
    else pair.data = stream;
    if (pair.data && pair.error) {
      pairs.delete(id);
      forward(ctx, pod, Number(stream.headers.port), pair.data, pair.error);
    }
  };
}

function forward(
  ctx: WorkloadContext,
  pod: KubeObject,
  port: number,
  data: SpdyStream,
  error: SpdyStream,
): void {
  const uid = pod.metadata.uid ?? '';
  const listening = ((pod.spec as { containers?: { name: string }[] }).containers ?? []).some((c) => {
    const app = ctx.appOf(uid, c.name);
    return app?.running && app.plan.port === port;
  });
  if (!listening) {
    const ns = `/var/run/netns/cni-${uid.slice(0, 8)}`;
    error.write(
      `error forwarding port ${port} to pod ${uid}, uid : failed to execute portforward in network namespace "${ns}": failed to connect to localhost:${port} inside namespace "${uid}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
    );
    error.end();
    data.end();
    return;
  }
  let buffer = Buffer.alloc(0);
  data.onData((chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (true) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      const lines = head.split('\r\n');
      const [method = 'GET', target = '/'] = (lines[0] ?? '').split(' ');
      const headers = new Map(
        lines
          .slice(1)
          .map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      const length = Number(headers.get('content-length') ?? 0);
      if (buffer.length < end + 4 + length) return;
      buffer = buffer.subarray(end + 4 + length);
      const [path = '/', query = ''] = target.split('?');
      const answer = requestApp(ctx, pod, port, {
        method,
        path,
        query: new URLSearchParams(query),
        client: PORT_FORWARD_CLIENT,
      });
      const status = answer?.status ?? 502;
      const body = Buffer.from(method === 'HEAD' ? '' : (answer?.body ?? ''));
      const close = headers.get('connection')?.toLowerCase() === 'close';
      data.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: ${answer?.contentType ?? 'text/plain'}\r\nContent-Length: ${method === 'HEAD' ? Buffer.byteLength(answer?.body ?? '') : body.length}\r\nDate: ${new Date().toUTCString()}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`,
      );
      if (body.length) data.write(body);
      if (close) {
        data.end();
        return;
      }
    }
  });
  data.onEnd(() => {
    data.end();
    error.end();
  });
}
