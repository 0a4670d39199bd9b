// Preloaded (node --import) into lesson authors' zx check scripts, which run under zx's CLI (so
// `$`, `fs`, `YAML`… are globals as usual). It adds one global, `k8s`, documented in
// docs/course-format.md:
//   k8s.workspace, k8s.context, k8s.lang, k8s.vars          where and for whom the check runs
//   await k8s.kubectl('get', 'ns', 'k8s-test', '-o', 'json') kubectl pinned to the course context
//   k8s.fail({ expected, saw, cause, hint })                 report a failure and exit 1
//   k8s.pass()                                               exit 0
import { $ } from 'zx';
import { resultMarker } from './script-api-marker.js';

interface Failure {
  expected?: string;
  saw?: string;
  cause?: string;
  hint?: string;
}

const env = process.env;
const context = env.K8S_LEARN_CONTEXT ?? '';
const pinned = [
  ...(context ? ['--context', context] : []),
  ...(env.K8S_LEARN_KUBECONFIG ? ['--kubeconfig', env.K8S_LEARN_KUBECONFIG] : []),
];

const api = {
  workspace: env.K8S_LEARN_WORKSPACE ?? process.cwd(),
  context,
  lang: env.K8S_LEARN_LANG ?? 'en',
  vars: JSON.parse(env.K8S_LEARN_VARS ?? '{}') as Record<string, string>,
  kubectl: (...args: string[]) => $({ quiet: true, nothrow: true })`kubectl ${pinned} ${args}`,
  fail(failure: Failure): never {
    process.stdout.write(`\n${resultMarker}${JSON.stringify(failure)}\n`);
    process.exit(1);
  },
  pass(): never {
    process.exit(0);
  },
};

(globalThis as { k8s?: typeof api }).k8s = api;
