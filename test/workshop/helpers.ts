// Shared by the workshop suites: a practice cluster with workloads (the course's image on its
// nodes), the built CLI run asynchronously (the cluster runs in this process, so a blocking spawn
// would freeze it), and hand-made learner kubeconfigs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadCourse } from '../../src/course/load.js';
import { builtinCourseDir } from '../../src/paths.js';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { createRunner } from '../../src/runner.js';
import { root } from '../helpers/cli.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';

/** The built-in course's steps (their number and keys change as lessons are added). */
export const courseSteps = loadCourse(builtinCourseDir()).steps;
export const lastStep = courseSteps[courseSteps.length - 1]!;

export interface WorkshopCluster {
  tc: TestCluster;
  /** A folder for files of the test (kubeconfigs, workspaces). */
  dir: string;
  /** Environment of a process on this machine: nothing from the developer's own kubeconfig. */
  env: Record<string, string | undefined>;
  /** The facilitator's flags: context and kubeconfig of the practice cluster (admin). */
  admin: string[];
}

export async function startWorkshopCluster(): Promise<WorkshopCluster> {
  const tc = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: 0.05 })] });
  loadImageIntoStore(tc.cluster.store, 'k8s-core:1.0');
  const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-workshop-'));
  return {
    tc,
    dir,
    env: { PATH: process.env.PATH, HOME: dir, KUBECACHEDIR: join(dir, 'kubectl-cache'), NO_COLOR: '1' },
    admin: ['--context', tc.cluster.context, '--kubeconfig', tc.cluster.kubeconfigPath],
  };
}

/** cli runs the built k8s-learn without blocking this process. */
export async function cli(w: WorkshopCluster, argv: string[], timeoutMs = 240_000) {
  const r = await createRunner({ env: w.env as NodeJS.ProcessEnv }).run(
    process.execPath,
    [join(root, 'bin/k8s-learn.js'), ...argv],
    { timeoutMs },
  );
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/**
 * handMadeLearner makes a labelled namespace and a kubeconfig whose context selects it, with the
 * practice cluster's own (admin) token: the learner side without a fenced credential.
 */
export async function handMadeLearner(w: WorkshopCluster, learner: string, token?: string): Promise<string> {
  await w.tc.kubectl(['create', 'namespace', learner]);
  await w.tc.kubectl([
    'label',
    'namespace',
    learner,
    'app.kubernetes.io/managed-by=k8s-learn-workshop',
    `k8s-learn.io/learner=${learner}`,
  ]);
  return learnerKubeconfigFile(w, learner, token);
}

/** learnerKubeconfigFile writes the practice kubeconfig with the learner's namespace (and token). */
export function learnerKubeconfigFile(w: WorkshopCluster, learner: string, token?: string): string {
  const config = parse(readFileSync(w.tc.cluster.kubeconfigPath, 'utf8')) as {
    contexts: { context: { namespace?: string } }[];
    users: { user: { token?: string } }[];
  };
  config.contexts[0]!.context.namespace = learner;
  if (token) config.users[0]!.user.token = token;
  const file = join(w.dir, `${learner}.kubeconfig`);
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}

/** statusJson runs `workshop status --json` as the facilitator. */
export async function statusJson(w: WorkshopCluster) {
  const r = await cli(w, ['workshop', 'status', ...w.admin, '--json']);
  if (r.code !== 0) throw new Error(`workshop status: ${r.stderr}`);
  return JSON.parse(r.stdout) as import('../../src/workshop/rows.js').WorkshopView;
}
