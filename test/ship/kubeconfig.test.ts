// The user's kubeconfig is theirs: comments, mode, symlinks and the current context survive every
// edit; a file we cannot parse or write is refused by name and left byte-identical.
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  addContext,
  CONTEXT_NAME,
  currentContextOf,
  KubeconfigError,
  removeContext,
  restoreCurrentContext,
  switchCurrentContext,
} from '../../src/practice/kubeconfig.js';

const userConfig = `# my clusters — hand edited, keep this comment
apiVersion: v1
kind: Config
clusters:
  - name: work # the office cluster
    cluster:
      server: https://10.0.0.1:6443
users:
  - name: work
    user: { token: abc }
contexts:
  - name: work
    context: { cluster: work, user: work }
current-context: work
`;

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8s-learn-kubeconfig-'));
  file = join(dir, 'config');
  writeFileSync(file, userConfig, { mode: 0o644 });
  chmodSync(file, 0o644);
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const add = (f = file) => addContext(f, 'https://127.0.0.1:1234', 'tok', 'CA');

describe('editing the user kubeconfig', () => {
  it('adds the practice context without making it current, keeping comments and mode', () => {
    expect(add()).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# my clusters — hand edited, keep this comment');
    expect(text).toContain('# the office cluster');
    const cfg = parse(text);
    expect(cfg['current-context']).toBe('work');
    expect(cfg.contexts.map((c: { name: string }) => c.name)).toEqual(['work', CONTEXT_NAME]);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['config']);
  });

  it('does not rewrite a file it does not change', () => {
    add();
    const before = readFileSync(file, 'utf8');
    const { ino, mtimeMs } = statSync(file);
    expect(add()).toBe(false);
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([ino, mtimeMs]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // Removing what is not there writes nothing either: not even a read-only file is touched.
    removeContext(file);
    chmodSync(file, 0o444);
    expect(removeContext(file)).toBe(false);
  });

  it('round-trips: add then remove gives back the same text', () => {
    add();
    removeContext(file);
    expect(readFileSync(file, 'utf8')).toBe(userConfig);
  });

  it('keeps the layout kubectl writes: unindented lists, compact flow maps, long lines', () => {
    // As kubectl writes it (sequences at their key's indentation), with a hand-edited flow map
    // and an exec argument longer than 80 columns.
    const kubectlStyle = `apiVersion: v1
clusters:
- cluster:
    server: https://10.0.0.1:6443
  name: work
contexts:
- context: {cluster: work, user: work}
  name: work
current-context: work
kind: Config
preferences: {}
users:
- name: work
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      args: [--project, my-very-long-project-name-for-the-office-cluster, --region, europe-west1, --verbose]
`;
    writeFileSync(file, kubectlStyle);
    expect(add()).toBe(true);
    const added = readFileSync(file, 'utf8');
    for (const line of kubectlStyle.split('\n')) expect(added.split('\n')).toContain(line);
    removeContext(file);
    expect(readFileSync(file, 'utf8')).toBe(kubectlStyle);
  });

  it('refuses a read-only file, names it and changes nothing', () => {
    chmodSync(file, 0o444);
    let error: unknown;
    try {
      add();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KubeconfigError);
    expect((error as KubeconfigError).reason).toBe('readOnly');
    expect((error as KubeconfigError).file).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe(userConfig);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    expect(readdirSync(dir)).toEqual(['config']);
  });

  it('refuses a file that does not parse, with file and line', () => {
    const broken = `${userConfig}contexts: [unclosed\n`;
    writeFileSync(file, broken);
    expect(() => add()).toThrow(KubeconfigError);
    try {
      add();
    } catch (err) {
      expect((err as KubeconfigError).reason).toBe('parse');
      expect((err as Error).message).toMatch(new RegExp(`^${file}:\\d+ is not valid YAML`));
    }
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(readdirSync(dir)).toEqual(['config']);
  });

  it('writes through a symlink to its target, which stays a symlink', () => {
    const real = join(dir, 'real-config');
    writeFileSync(real, userConfig, { mode: 0o600 });
    const link = join(dir, 'link');
    symlinkSync(real, link);
    add(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain(CONTEXT_NAME);
    expect(statSync(real).mode & 0o777).toBe(0o600);
  });

  it('takes kubectl’s lock and gives up, unchanged, while another writer holds it', () => {
    writeFileSync(`${file}.lock`, '');
    expect(() => add()).toThrow(/config\.lock exists/);
    expect(readFileSync(file, 'utf8')).toBe(userConfig);
    rmSync(`${file}.lock`);
    add();
    expect(readdirSync(dir)).toEqual(['config']);
  });

  it('creates a missing file with mode 0600', () => {
    const fresh = join(dir, 'sub', 'config');
    add(fresh);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(currentContextOf(fresh)).toBeUndefined();
  });

  it('switches only on request, and restores the previous context', () => {
    add();
    expect(switchCurrentContext(file, CONTEXT_NAME)).toBe('work');
    expect(currentContextOf(file)).toBe(CONTEXT_NAME);
    expect(restoreCurrentContext(file, CONTEXT_NAME, 'work')).toBe(true);
    expect(currentContextOf(file)).toBe('work');
    // A context the user picked since is left alone.
    switchCurrentContext(file, 'other');
    expect(restoreCurrentContext(file, CONTEXT_NAME, 'work')).toBe(false);
    expect(currentContextOf(file)).toBe('other');
  });

  it('removing the current practice context puts the previous one back (or unsets it)', () => {
    add();
    switchCurrentContext(file, CONTEXT_NAME);
    expect(removeContext(file, 'work')).toBe(true);
    expect(currentContextOf(file)).toBe('work');
    add();
    switchCurrentContext(file, CONTEXT_NAME);
    removeContext(file);
    expect(parse(readFileSync(file, 'utf8'))['current-context']).toBe('');
  });
});
