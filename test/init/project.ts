// Helpers for the tests that run a generated project's own scripts: a machine of its own (a PATH
// holding only node, kubectl, bash, this checkout's `k8s-learn` and, when asked, the fake kind and
// docker), a generated project with zx linked in, and `node scripts/X.mjs` runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { cli, root } from '../helpers/cli.js';

function which(program: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${program} is not on PATH`);
  return r.stdout.trim();
}

/** Machine is a temp HOME with its own PATH. */
export interface Machine {
  home: string;
  bin: string;
  env: Record<string, string>;
}

/** machine builds the PATH: no docker or kind unless `fakes` links test/fakes/bin's. */
export function machine(options: { fakes?: boolean } = {}): Machine {
  const home = mkdtempSync(join(tmpdir(), 'k8s-learn-project-'));
  const bin = join(home, 'bin');
  mkdirSync(bin);
  symlinkSync(join(root, 'bin/k8s-learn.js'), join(bin, 'k8s-learn'));
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(process.env.KUBECTL ?? which('kubectl'), join(bin, 'kubectl'));
  // zx runs commands through bash; kubectl diff runs diff (every Linux and macOS has one).
  symlinkSync(which('bash'), join(bin, 'bash'));
  symlinkSync(which('diff'), join(bin, 'diff'));
  if (options.fakes)
    for (const tool of ['kind', 'docker']) symlinkSync(join(root, 'test/fakes/bin', tool), join(bin, tool));
  return {
    home,
    bin,
    env: {
      PATH: bin,
      HOME: home,
      KUBECONFIG: join(home, 'kube', 'config'),
      KUBECACHEDIR: join(home, 'kube', 'cache'),
      K8S_LEARN_PRACTICE_DIR: join(home, 'practice'),
      K8S_LEARN_PRACTICE_TIME_SCALE: '0.05',
      NO_COLOR: '1',
    },
  };
}

/** generate runs `k8s-learn init DIR -y ARGS` under the machine's home and links zx into the project. */
export function generate(m: Machine, dir: string, args: string[] = []): string {
  const r = cli(['init', dir, '-y', ...args], { cwd: m.home, env: m.env });
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}${r.stdout}`);
  const project = resolve(m.home, dir);
  // Stands in for `npm install` (no registry needed): the scripts import zx from node_modules.
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(join(root, 'node_modules/zx'), join(project, 'node_modules/zx'));
  if (!existsSync(join(project, 'node_modules/zx/package.json'))) throw new Error('zx not linked');
  return project;
}

/** script runs `node scripts/NAME.mjs ARGS` in the project, as `npm run NAME` would. Asynchronous:
 * an in-process practice cluster must keep answering while it runs. */
export async function script(
  m: Machine,
  project: string,
  name: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  const r = await execa(process.execPath, [join(project, 'scripts', `${name}.mjs`), ...args], {
    cwd: project,
    env: { ...m.env, ...env },
    extendEnv: false,
    all: true,
    reject: false,
    timeout: 120_000,
  });
  return { code: r.exitCode ?? -1, out: r.all ?? '' };
}

/** kubectl runs the real kubectl on the machine. */
export async function kubectl(m: Machine, args: string[], env: Record<string, string> = {}) {
  const r = await execa('kubectl', args, {
    env: { ...m.env, ...env },
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}
