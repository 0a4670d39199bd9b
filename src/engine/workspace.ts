// Which workspace a command works on, found the way git finds a repository: `--dir` wins; else the
// nearest folder at or above the working directory that holds `.k8s-learn/`; else `./k8s-learn-lab`.
// Without this, a learner who follows the workspace README and runs commands from inside it would
// silently get a second, empty workspace nested in the first.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

/** defaultWorkspaceName is where a new workspace goes when none is found. */
export const defaultWorkspaceName = 'k8s-learn-lab';

/** WorkspaceSource says how the workspace was chosen (shown by `status`). */
export type WorkspaceSource = 'flag' | 'found' | 'default';

export interface WorkspaceChoice {
  /** Absolute path. */
  dir: string;
  source: WorkspaceSource;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** findWorkspace walks up from `cwd` to the nearest folder holding `.k8s-learn/`. */
export function findWorkspace(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (isDir(join(dir, '.k8s-learn'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * looksLikeWorkspace is true for a folder holding files a course wrote (its README, or the `k8s/`
 * manifests) but no `.k8s-learn/`: progress was removed, or the folder was copied without it.
 */
export function looksLikeWorkspace(dir: string): boolean {
  try {
    // A project made by `k8s-learn init` also has k8s/namespace.yaml and k8s/configmap.yaml.
    if (existsSync(join(dir, '.k8s-learn-init.json'))) return false;
    const readme = join(dir, 'README.md');
    if (existsSync(readme) && /^# Your Kubernetes lab/.test(readFileSync(readme, 'utf8'))) return true;
    const k8s = join(dir, 'k8s');
    return isDir(k8s) && readdirSync(k8s).some((f) => /^(namespace|configmap|k8s-core)\.yaml$/.test(f));
  } catch {
    return false;
  }
}

/**
 * userCwd is the folder the learner typed the command in. `npm start` runs k8s-learn from the
 * package's own folder and leaves the learner's folder in INIT_CWD.
 */
export function userCwd(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_lifecycle_event === 'start' && env.npm_package_name === 'k8s-learn' && env.INIT_CWD
    ? env.INIT_CWD
    : process.cwd();
}

/** chooseWorkspace applies the rules above; `flag` is `--dir` when given. */
export function chooseWorkspace(flag: string | undefined, cwd: string = userCwd()): WorkspaceChoice {
  if (flag !== undefined) return { dir: resolve(cwd, flag), source: 'flag' };
  const found = findWorkspace(cwd);
  if (found) return { dir: found, source: 'found' };
  return { dir: resolve(cwd, defaultWorkspaceName), source: 'default' };
}

/**
 * refuseNestedWorkspace stops a command that would create a new workspace inside a folder that
 * already looks like one (see looksLikeWorkspace).
 */
export function refuseNestedWorkspace(choice: WorkspaceChoice, cwd: string = userCwd()): void {
  if (choice.source !== 'default' || existsSync(choice.dir)) return;
  if (!looksLikeWorkspace(resolve(cwd))) return;
  throw new UserError(
    `${resolve(cwd)} looks like a k8s-learn workspace, but its progress folder .k8s-learn/ is missing`,
    `To continue here, pass --dir . (the course starts again from the first step, keeping your files); to start a separate workspace, run from another folder or pass --dir DIR.`,
    2,
  );
}
