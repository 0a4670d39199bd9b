// `npm run check`: checks the manifests offline with `k8s-learn check --strict` before they are
// applied. kustomization.yaml is kubectl's build file, not an object, so it is left out.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { k8sLearn, main, root, run } from './lib.mjs';

await main(async () => {
  const files = readdirSync(join(root, 'k8s'))
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
    .sort()
    .map((f) => `k8s/${f}`);
  const out = await run([...(await k8sLearn()), 'check', '--strict', ...files], { nothrow: true });
  return out.exitCode;
});
