// Kubeconfig files: the cluster's own (<dataDir>/kubeconfig, 0600, token auth) and the context
// `k8s-learn-practice` merged into the user's kubeconfig the way kind adds `kind-NAME`: the first
// path of $KUBECONFIG (or ~/.kube/config), other entries kept.
//
// The user's file is theirs: edits go through `editKubeconfig`, which takes kubectl's lock
// (`<file>.lock`, created exclusively), keeps comments and layout (yaml's Document API), keeps the
// file's mode and owner, writes through a symlink to its target, writes nothing when nothing
// changes, and refuses a file that does not parse or is read-only (KubeconfigError names it).
// The current context is only changed on request (switchCurrentContext), never as a side effect.
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { type Document, isMap, isSeq, type Node, parseDocument, stringify } from 'yaml';

/** CONTEXT_NAME is the kubectl context of the practice cluster. */
export const CONTEXT_NAME = 'k8s-learn-practice';

interface Named {
  name: string;
  [k: string]: unknown;
}

interface KubeConfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  contexts?: Named[];
  users?: Named[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [k: string]: unknown;
}

/** KubeconfigError is a user kubeconfig we will not change; `reason` says why, `file` which. */
export class KubeconfigError extends Error {
  constructor(
    readonly file: string,
    readonly reason: 'parse' | 'readOnly' | 'locked' | 'notMapping',
    detail: string,
  ) {
    super(detail);
    this.name = 'KubeconfigError';
  }
}

/** kubeconfigFor is a kubeconfig with only the practice cluster. */
export function kubeconfigFor(url: string, token: string, caCert: string): KubeConfig {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: { server: url, 'certificate-authority-data': Buffer.from(caCert).toString('base64') },
      },
    ],
    users: [{ name: CONTEXT_NAME, user: { token } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME } }],
    'current-context': CONTEXT_NAME,
  };
}

/** writeAtomic writes through a temp file in the same folder, then renames; the temp never stays. */
function writeAtomic(file: string, text: string, mode: number, owner?: { uid: number; gid: number }): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    if (owner && process.getuid?.() === 0) chownSync(tmp, owner.uid, owner.gid);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** writeKubeconfig writes a standalone kubeconfig (0600): the practice cluster's own file. */
export function writeKubeconfig(file: string, url: string, token: string, caCert: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeAtomic(file, stringify(kubeconfigFor(url, token, caCert)), 0o600);
}

/** userKubeconfigPath is where kubectl (and kind) write: the first $KUBECONFIG entry, or ~/.kube/config. */
export function userKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p.trim() !== '');
  return first ?? join(env.HOME ?? homedir(), '.kube', 'config');
}

/** symlinkTarget follows a symlink (even a dangling one) to the file that really holds the text. */
function symlinkTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    try {
      if (lstatSync(file).isSymbolicLink()) return resolve(dirname(file), readlinkSync(file));
    } catch {
      // Missing: a new file at this path.
    }
    return file;
  }
}

/** withLock holds kubectl's lock on a kubeconfig (`<file>.lock`) while `work` runs. */
function withLock<T>(file: string, work: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + 3000;
  for (;;) {
    try {
      writeFileSync(lock, '', { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        mkdirSync(dirname(lock), { recursive: true, mode: 0o700 });
        continue;
      }
      if (code !== 'EEXIST') throw err;
      if (Date.now() > deadline)
        throw new KubeconfigError(file, 'locked', `${lock} exists: another program is writing ${file}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function parseKubeconfig(file: string, text: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new KubeconfigError(
      file,
      'parse',
      `${file}${line ? `:${line}` : ''} is not valid YAML: ${e.message.split('\n')[0]}`,
    );
  }
  if (doc.contents !== null && !isMap(doc.contents))
    throw new KubeconfigError(file, 'notMapping', `${file} is not a kubeconfig (expected a YAML mapping)`);
  return doc;
}

/** readUserKubeconfig parses a kubeconfig (undefined when missing); throws KubeconfigError when broken. */
export function readUserKubeconfig(file: string): KubeConfig | undefined {
  const target = symlinkTarget(file);
  if (!existsSync(target)) return undefined;
  const doc = parseKubeconfig(file, readFileSync(target, 'utf8'));
  return (doc.toJS() ?? {}) as KubeConfig;
}

/**
 * editKubeconfig applies `edit` to a kubeconfig under kubectl's lock and writes it back only when
 * the content changed. Returns whether the file was written.
 */
export function editKubeconfig(file: string, edit: (doc: Document) => void): boolean {
  const target = symlinkTarget(file);
  return withLock(file, () => {
    const exists = existsSync(target);
    const text = exists ? readFileSync(target, 'utf8') : 'apiVersion: v1\nkind: Config\n';
    const doc = parseKubeconfig(file, text);
    // A file written as JSON stays JSON (kubectl reads both).
    const render = () =>
      text.trimStart().startsWith('{')
        ? `${JSON.stringify(doc.toJS(), null, 2)}\n`
        : doc.toString(layoutOf(text));
    if (doc.contents === null) doc.contents = doc.createNode({ apiVersion: 'v1', kind: 'Config' });
    const before = JSON.stringify(doc.toJS());
    edit(doc);
    if (JSON.stringify(doc.toJS()) === before) return false;
    if (!exists) {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeAtomic(target, render(), 0o600);
      return true;
    }
    const stat = statSync(target);
    let writable = (stat.mode & 0o200) !== 0;
    try {
      accessSync(target, constants.W_OK);
    } catch {
      writable = false;
    }
    if (!writable) throw new KubeconfigError(file, 'readOnly', `${file} is read-only`);
    writeAtomic(target, render(), stat.mode & 0o7777, { uid: stat.uid, gid: stat.gid });
    return true;
  });
}

/**
 * layoutOf reads how a kubeconfig is laid out, so an edit keeps the user's lines as they were:
 * lists at their key's indentation as kubectl writes them (`- name: …` under `contexts:`) or
 * indented, `{a: b}` or `{ a: b }`, and no folding of long values.
 */
function layoutOf(text: string): { indentSeq: boolean; flowCollectionPadding: boolean; lineWidth: number } {
  const list = /^( *)[^\s#][^\n]*:[ \t]*\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)- /m.exec(text);
  const flow = /\{[^\n}]+\}/.exec(text)?.[0];
  return {
    // kubectl's own layout when the file has no list yet (a new or empty kubeconfig).
    indentSeq: list ? (list[2] ?? '').length > (list[1] ?? '').length : false,
    flowCollectionPadding: flow ? /^\{ /.test(flow) : false,
    lineWidth: 0,
  };
}

function upsertNamed(doc: Document, key: string, entry: Named): void {
  const list = doc.get(key, true);
  if (!isSeq(list)) {
    doc.set(key, doc.createNode([entry]));
    return;
  }
  const at = list.items.findIndex((item) => isMap(item) && item.get('name') === entry.name);
  if (at < 0) list.add(doc.createNode(entry));
  else if (JSON.stringify((list.items[at] as Node).toJSON()) !== JSON.stringify(entry))
    list.items[at] = doc.createNode(entry);
}

function removeNamed(doc: Document, key: string, name: string): void {
  const list = doc.get(key, true);
  if (!isSeq(list)) return;
  list.items = list.items.filter((item) => !(isMap(item) && item.get('name') === name));
}

/** currentContextOf reads a kubeconfig's current-context; undefined when unset or missing. */
export function currentContextOf(file: string): string | undefined {
  const value = readUserKubeconfig(file)?.['current-context'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** addContext merges the practice context into a kubeconfig file; the current context is left alone. */
export function addContext(file: string, url: string, token: string, caCert: string): boolean {
  const mine = kubeconfigFor(url, token, caCert);
  return editKubeconfig(file, (doc) => {
    upsertNamed(doc, 'clusters', mine.clusters![0]!);
    upsertNamed(doc, 'users', mine.users![0]!);
    upsertNamed(doc, 'contexts', mine.contexts![0]!);
  });
}

/** switchCurrentContext makes `context` current (asked for by the learner); returns the previous one. */
export function switchCurrentContext(file: string, context: string): string | undefined {
  let previous: string | undefined;
  editKubeconfig(file, (doc) => {
    const now = doc.get('current-context');
    previous = typeof now === 'string' && now !== '' ? now : undefined;
    doc.set('current-context', context);
  });
  return previous;
}

/**
 * restoreCurrentContext puts `previous` back when the current context is still `ours` (or was unset
 * by removing ours); a context the user picked since is left alone. True when it wrote.
 */
export function restoreCurrentContext(file: string, ours: string, previous: string | undefined): boolean {
  if (!existsSync(symlinkTarget(file))) return false;
  return editKubeconfig(file, (doc) => {
    const now = doc.get('current-context');
    if (now !== ours && now !== '' && now !== undefined && now !== null) return;
    if (previous) doc.set('current-context', previous);
    else if (now === ours) doc.set('current-context', '');
  });
}

/**
 * removeContext deletes the practice context, cluster and user. When the current context was ours
 * it becomes `restoreTo` (the one before the course switched), else it is unset as kubectl does.
 * Returns whether the context was there.
 */
export function removeContext(file: string, restoreTo?: string): boolean {
  if (!existsSync(symlinkTarget(file))) return false;
  let had = false;
  editKubeconfig(file, (doc) => {
    const contexts = doc.get('contexts', true);
    had = isSeq(contexts) && contexts.items.some((c) => isMap(c) && c.get('name') === CONTEXT_NAME);
    removeNamed(doc, 'clusters', CONTEXT_NAME);
    removeNamed(doc, 'users', CONTEXT_NAME);
    removeNamed(doc, 'contexts', CONTEXT_NAME);
    if (doc.get('current-context') === CONTEXT_NAME) doc.set('current-context', restoreTo ?? '');
  });
  return had;
}
