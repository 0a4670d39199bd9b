// `npm run check`: checks the manifests offline with `k8s-learn check --strict` before they are
// applied. The whole k8s/ folder: the checker skips kustomization.yaml (kubectl's build file) with
// one line and checks the files it lists as the set kustomize applies together.
import { k8sLearn, main, run } from './lib.mjs';

await main(async () => {
  const out = await run([...(await k8sLearn()), 'check', '--strict', 'k8s/'], { nothrow: true });
  return out.exitCode;
});
