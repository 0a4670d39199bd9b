// The server side of SPDY/3.1 as kubectl's streaming client (moby/spdystream) speaks it after an
// `Upgrade: SPDY/3.1` (exec/attach on kubectl ≤ 1.29, port-forward on ≤ 1.30) or inside a
// `SPDY/3.1+portforward.k8s.io` websocket (port-forward on ≥ 1.31). Only what that client uses:
// SYN_STREAM → SYN_REPLY, DATA with FIN, RST_STREAM, PING echo, GOAWAY; spdystream ignores flow
// control, so WINDOW_UPDATE and SETTINGS are read and dropped.
//
// Header blocks: the peer compresses with one zlib stream per direction primed with the SPDY/3
// dictionary; we inflate its stream in order (Node's zlib is asynchronous, so frames are handled
// through a queue) and send ours as stored (uncompressed) deflate blocks of one zlib stream,
// which any inflater accepts.

import { createInflate, type Inflate, constants as zlibConstants } from 'node:zlib';
import { adler32 } from './adler32.js';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

const TYPE_SYN_STREAM = 1;
const TYPE_SYN_REPLY = 2;
const TYPE_RST_STREAM = 3;
const TYPE_PING = 6;
const TYPE_GOAWAY = 7;
const TYPE_HEADERS = 8;
const FLAG_FIN = 1;

/** ByteChannel is what a SPDY session runs over: a TLS socket or a websocket tunnel. */
export interface ByteChannel {
  write(data: Buffer): void;
  end(): void;
  onData(fn: (data: Buffer) => void): void;
  onClose(fn: () => void): void;
}

/** SpdyStream is one stream the client opened; `headers` has lowercase names. */
export class SpdyStream {
  private readonly dataListeners: ((data: Buffer) => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  private buffered: Buffer[] = [];
  remoteClosed = false;
  localClosed = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: Record<string, string>,
  ) {}

  /** onData receives the client's bytes; chunks sent before the listener are replayed. */
  onData(fn: (data: Buffer) => void): void {
    this.dataListeners.push(fn);
    for (const b of this.buffered) fn(b);
    this.buffered = [];
  }

  /** onEnd is called when the client half-closes (FIN) or resets the stream. */
  onEnd(fn: () => void): void {
    if (this.remoteClosed) fn();
    else this.endListeners.push(fn);
  }

  /** write sends bytes on the stream. */
  write(data: Buffer | string): void {
    if (this.localClosed) return;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let i = 0; i < buf.length; i += 0xffff)
      this.session.sendData(this.id, buf.subarray(i, i + 0xffff), false);
  }

  /** end half-closes our side (DATA with FIN). */
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.session.sendData(this.id, Buffer.alloc(0), true);
  }

  /** received is called by the session. */
  received(data: Buffer, fin: boolean): void {
    if (data.length) {
      if (this.dataListeners.length) for (const fn of this.dataListeners) fn(data);
      else this.buffered.push(data);
    }
    if (fin) this.closedByPeer();
  }

  closedByPeer(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    for (const fn of this.endListeners.splice(0)) fn();
  }
}

/** SpdySession serves one upgraded connection; `onStream` sees every stream the client opens. */
export class SpdySession {
  private pending: Buffer = Buffer.alloc(0);
  private readonly streams = new Map<number, SpdyStream>();
  private readonly inflater: Inflate;
  private queue: Promise<void> = Promise.resolve();
  private outHeaderStarted = false;
  private closed = false;
  private lastStreamId = 0;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly channel: ByteChannel,
    private readonly onStream: (stream: SpdyStream) => void,
  ) {
    this.inflater = createInflate({ dictionary: SPDY3_DICTIONARY });
    this.inflater.on('error', () => this.close());
    channel.onData((d) => this.receive(d));
    channel.onClose(() => this.finish());
  }

  /** onClose is called once when the connection ends. */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closeListeners.push(fn);
  }

  /** close says GOAWAY and ends the connection. */
  close(): void {
    if (this.closed) return;
    const body = Buffer.alloc(8);
    body.writeUInt32BE(this.lastStreamId & 0x7fffffff, 0);
    this.control(TYPE_GOAWAY, 0, body);
    this.channel.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.closedByPeer();
    for (const fn of this.closeListeners.splice(0)) fn();
    this.inflater.close();
  }

  /** sendData writes one DATA frame. */
  sendData(streamId: number, data: Buffer, fin: boolean): void {
    if (this.closed) return;
    const head = Buffer.alloc(8);
    head.writeUInt32BE(streamId & 0x7fffffff, 0);
    head.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
    this.channel.write(Buffer.concat([head, data]));
  }

  /** reset sends RST_STREAM (status 5 = CANCEL). */
  reset(streamId: number, status = 5): void {
    const body = Buffer.alloc(8);
    body.writeUInt32BE(streamId & 0x7fffffff, 0);
    body.writeUInt32BE(status, 4);
    this.control(TYPE_RST_STREAM, 0, body);
  }

  private control(type: number, flags: number, body: Buffer): void {
    if (this.closed) return;
    const head = Buffer.alloc(8);
    head.writeUInt16BE(0x8000 | 3, 0);
    head.writeUInt16BE(type, 2);
    head.writeUInt32BE((flags << 24) | body.length, 4);
    this.channel.write(Buffer.concat([head, body]));
  }

  private receive(data: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (this.pending.length < 8 + length) break;
      const frame = this.pending.subarray(0, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      this.queue = this.queue.then(() => this.handle(frame)).catch(() => this.close());
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    if (this.closed) return;
    const flags = frame[4] as number;
    const body = frame.subarray(8);
    if (!((frame[0] as number) & 0x80)) {
      const id = frame.readUInt32BE(0) & 0x7fffffff;
      this.streams.get(id)?.received(Buffer.from(body), (flags & FLAG_FIN) !== 0);
      return;
    }
    const type = frame.readUInt16BE(2);
    switch (type) {
      case TYPE_SYN_STREAM: {
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const headers = await this.inflateHeaders(body.subarray(10));
        this.lastStreamId = id;
        const stream = new SpdyStream(this, id, headers);
        this.streams.set(id, stream);
        this.synReply(id);
        this.onStream(stream);
        if (flags & FLAG_FIN) stream.closedByPeer();
        return;
      }
      case TYPE_HEADERS:
        await this.inflateHeaders(body.subarray(4));
        return;
      case TYPE_RST_STREAM: {
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const s = this.streams.get(id);
        if (s) {
          s.localClosed = true;
          s.closedByPeer();
        }
        return;
      }
      case TYPE_PING:
        this.control(TYPE_PING, 0, Buffer.from(body));
        return;
      case TYPE_GOAWAY:
        this.close();
        return;
      default:
        // SETTINGS, WINDOW_UPDATE, NOOP: nothing to do (spdystream does no flow control).
        return;
    }
  }

  private synReply(id: number): void {
    const idBuf = Buffer.alloc(4);
    idBuf.writeUInt32BE(id & 0x7fffffff);
    this.control(TYPE_SYN_REPLY, 0, Buffer.concat([idBuf, this.deflateHeaders({})]));
  }

  private inflateHeaders(block: Buffer): Promise<Record<string, string>> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const onData = (c: Buffer) => chunks.push(c);
      this.inflater.on('data', onData);
      this.inflater.write(block);
      this.inflater.flush(zlibConstants.Z_SYNC_FLUSH, () => {
        this.inflater.off('data', onData);
        try {
          resolve(parseHeaderBlock(Buffer.concat(chunks)));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  /** deflateHeaders encodes a header block as stored deflate blocks of our one zlib stream. */
  private deflateHeaders(headers: Record<string, string>): Buffer {
    const raw = encodeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.outHeaderStarted) {
      this.outHeaderStarted = true;
      // zlib header: CMF 0x78 (deflate, 32K window), FLG 0xF9 (level 9, FDICT, check bits),
      // then the dictionary's Adler-32, as Go's zlib writer starts a stream with a dictionary.
      const dictId = Buffer.alloc(4);
      dictId.writeUInt32BE(adler32(SPDY3_DICTIONARY));
      parts.push(Buffer.from([0x78, 0xf9]), dictId);
    }
    for (let i = 0; i < raw.length || i === 0; i += 0xffff) {
      const chunk = raw.subarray(i, i + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0; // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
      head.writeUInt16LE(chunk.length, 1);
      head.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(head, chunk);
      if (raw.length === 0) break;
    }
    // An empty stored block, as a sync flush ends: Go's inflater hands out a block's bytes only
    // when the next block starts, so without it the peer reads past the frame.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [k, v] of entries) {
    const kb = Buffer.from(k.toLowerCase());
    const vb = Buffer.from(v);
    parts.push(u32(kb.length), kb, u32(vb.length), vb);
  }
  return Buffer.concat(parts);
}

function parseHeaderBlock(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  const n = buf.readUInt32BE(at);
  at += 4;
  for (let i = 0; i < n; i++) {
    const kl = buf.readUInt32BE(at);
    const k = buf.subarray(at + 4, at + 4 + kl).toString();
    at += 4 + kl;
    const vl = buf.readUInt32BE(at);
    const v = buf.subarray(at + 4, at + 4 + vl).toString();
    at += 4 + vl;
    out[k.toLowerCase()] = v.split('\0')[0] ?? '';
  }
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
