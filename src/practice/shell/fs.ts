// A container's filesystem for the simulated shell: an in-memory tree built from the image's
// layout and the pod's mounts (ConfigMaps, Secrets, the service account), writable except under
// read-only mounts, gone when the container restarts (as a container's writable layer is).
import { posix } from 'node:path';

/** FsNode is a file or a directory. */
export type FsNode =
  | { type: 'file'; data: Buffer; mode: number; mtime: Date }
  | { type: 'dir'; mode: number; mtime: Date };

/** FsError is the errno a call fails with. */
export type FsError = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EROFS' | 'EEXIST' | 'ENOTEMPTY';

/** ERRNO_TEXT is strerror() of each FsError, as busybox and coreutils print it. */
export const ERRNO_TEXT: Record<FsError, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
};

/** Vfs is one container's files, keyed by absolute normalized path. */
export class Vfs {
  private readonly nodes = new Map<string, FsNode>([['/', { type: 'dir', mode: 0o755, mtime: new Date() }]]);
  private readonly readOnly: string[] = [];

  /** resolve makes `path` absolute against `cwd` and normalizes it. */
  static resolve(cwd: string, path: string): string {
    const abs = posix.resolve(cwd, path);
    return abs.length > 1 ? abs.replace(/\/+$/, '') : abs;
  }

  /** markReadOnly makes a mount point and everything under it read-only. */
  markReadOnly(path: string): void {
    this.readOnly.push(path);
  }

  /**
   * Set by readOnlyRootFilesystem: every path is read-only except under these (the runtime's own
   * /dev, and writable volumes), as the container runtime mounts the image's layer read-only.
   */
  private writableUnderReadOnlyRoot: string[] | undefined;

  /** markRootReadOnly makes the whole filesystem read-only except under `writable` mount points. */
  markRootReadOnly(writable: string[]): void {
    this.writableUnderReadOnlyRoot = writable;
  }

  private isReadOnly(path: string): boolean {
    const under = (r: string) => path === r || path.startsWith(`${r}/`);
    if (this.readOnly.some(under)) return true;
    return this.writableUnderReadOnlyRoot !== undefined && !this.writableUnderReadOnlyRoot.some(under);
  }

  /** stat returns the node at an absolute path. */
  stat(path: string): FsNode | undefined {
    return this.nodes.get(path);
  }

  /** put writes a file while building the image (parents created, read-only ignored). */
  put(path: string, content: string | Buffer, mode = 0o644): void {
    this.mkdirAll(posix.dirname(path));
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    this.nodes.set(path, { type: 'file', data, mode, mtime: new Date() });
  }

  /** mkdirAll creates a directory and its parents (image build). */
  mkdirAll(path: string): void {
    const parts = path.split('/').filter(Boolean);
    let at = '';
    for (const p of parts) {
      at += `/${p}`;
      if (!this.nodes.has(at)) this.nodes.set(at, { type: 'dir', mode: 0o755, mtime: new Date() });
    }
  }

  /** read returns a file's content. */
  read(path: string): Buffer | FsError {
    const n = this.nodes.get(path);
    if (!n) return 'ENOENT';
    if (n.type === 'dir') return 'EISDIR';
    return n.data;
  }

  /** write creates or replaces (or appends to) a file. */
  write(path: string, data: Buffer, append = false): FsError | undefined {
    const parent = this.nodes.get(posix.dirname(path));
    if (!parent) return 'ENOENT';
    if (parent.type !== 'dir') return 'ENOTDIR';
    const n = this.nodes.get(path);
    if (n?.type === 'dir') return 'EISDIR';
    if (this.isReadOnly(path)) return 'EROFS';
    const content = append && n?.type === 'file' ? Buffer.concat([n.data, data]) : data;
    this.nodes.set(path, { type: 'file', data: content, mode: n?.mode ?? 0o644, mtime: new Date() });
    return undefined;
  }

  /** mkdir makes one directory (or all missing parents). */
  mkdir(path: string, parents: boolean): FsError | undefined {
    if (this.nodes.has(path)) return parents ? undefined : 'EEXIST';
    if (this.isReadOnly(path)) return 'EROFS';
    const parent = posix.dirname(path);
    if (!this.nodes.has(parent)) {
      if (!parents) return 'ENOENT';
      const err = this.mkdir(parent, true);
      if (err) return err;
    }
    this.nodes.set(path, { type: 'dir', mode: 0o755, mtime: new Date() });
    return undefined;
  }

  /** remove deletes a file, or a directory (recursive, or when empty). */
  remove(path: string, recursive: boolean): FsError | undefined {
    const n = this.nodes.get(path);
    if (!n) return 'ENOENT';
    if (this.isReadOnly(path)) return 'EROFS';
    if (n.type === 'dir') {
      const children = this.list(path);
      if (children.length && !recursive) return 'ENOTEMPTY';
      for (const key of [...this.nodes.keys()]) if (key.startsWith(`${path}/`)) this.nodes.delete(key);
    }
    this.nodes.delete(path);
    return undefined;
  }

  /** list returns the names in a directory, sorted. */
  list(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const names: string[] = [];
    for (const key of this.nodes.keys()) {
      if (key !== '/' && key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) {
        names.push(key.slice(prefix.length));
      }
    }
    return names.sort();
  }

  /** walk lists a path and everything under it (for tar), parents first. */
  walk(path: string): string[] {
    const out = [path];
    const n = this.nodes.get(path);
    if (n?.type === 'dir') for (const name of this.list(path)) out.push(...this.walk(posix.join(path, name)));
    return out;
  }
}
