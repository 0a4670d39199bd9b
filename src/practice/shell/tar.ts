// ustar archives for `kubectl cp`, which runs `tar cf - PATH` in the container to copy out and
// `tar -xmf - -C DIR` to copy in.
import { posix } from 'node:path';
import type { Vfs } from './fs.js';

function header(name: string, size: number, dir: boolean, mtime: Date): Buffer {
  const h = Buffer.alloc(512);
  const field = (value: string, at: number, len: number) => h.write(value.slice(0, len), at, len, 'utf8');
  const octal = (n: number, at: number, len: number) =>
    field(`${n.toString(8).padStart(len - 1, '0')}\0`, at, len);
  field(name, 0, 100);
  octal(dir ? 0o755 : 0o644, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(Math.floor(mtime.getTime() / 1000), 136, 12);
  h.write('        ', 148, 8);
  h.write(dir ? '5' : '0', 156, 1);
  field('ustar\u000000', 257, 8);
  field('root', 265, 32);
  field('root', 297, 32);
  let sum = 0;
  for (const b of h) sum += b;
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** tarCreate archives paths (relative to dir); leading `/` is removed as tar does. */
export function tarCreate(
  fs: Vfs,
  dir: string,
  paths: string[],
): { archive: Buffer; warnings: string[]; missing: string[] } {
  const parts: Buffer[] = [];
  const warnings: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const abs = p.startsWith('/') ? p : posix.join(dir, p);
    if (!fs.stat(abs)) {
      missing.push(p);
      continue;
    }
    if (p.startsWith('/') && !warnings.length) warnings.push("removing leading '/' from member names");
    const base = p.startsWith('/') ? '' : dir;
    for (const path of fs.walk(abs)) {
      const node = fs.stat(path)!;
      let name = (base ? posix.relative(base, path) : path).replace(/^\/+/, '');
      if (node.type === 'dir') name += '/';
      const data = node.type === 'file' ? node.data : Buffer.alloc(0);
      parts.push(header(name, data.length, node.type === 'dir', node.mtime), data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(1024));
  return { archive: Buffer.concat(parts), warnings, missing };
}

/** tarExtract writes an archive's entries under dir (or only lists them). */
export function tarExtract(
  fs: Vfs,
  dir: string,
  data: Buffer,
  listOnly: boolean,
): { listed: string[]; errors: string[] } {
  const listed: string[] = [];
  const errors: string[] = [];
  let at = 0;
  while (at + 512 <= data.length) {
    const h = data.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const str = (from: number, len: number) =>
      h
        .subarray(from, from + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const prefix = str(345, 155);
    const name = (prefix ? `${prefix}/` : '') + str(0, 100);
    const size = Number.parseInt(str(124, 12).trim() || '0', 8);
    const type = str(156, 1) || '0';
    const body = data.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (listOnly) {
      listed.push(name);
      continue;
    }
    const target = posix.resolve(dir, name);
    if (type === '5') {
      const err = fs.mkdir(target, true);
      if (err) errors.push(`can't create directory '${name}': ${err}`);
    } else if (type === '0' || type === '\0' || type === '7') {
      fs.mkdir(posix.dirname(target), true);
      const err = fs.write(target, Buffer.from(body));
      if (err) errors.push(`can't open '${name}': ${err === 'EROFS' ? 'Read-only file system' : err}`);
    }
  }
  return { listed, errors };
}
