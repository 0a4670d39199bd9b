// Bundles the practice cluster and the workloads plugin from src/ for the bench scripts (the CLI
// bundle hides them). The bundle is written inside the repository so its external packages (ws,
// yaml) resolve from node_modules. Not a bench itself: scripts/bench.mjs runs only bench-*.mjs.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');

/** loadPracticeBundle returns the bundled module and its scratch directory (delete it after). */
export async function loadPracticeBundle(name) {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  const out = mkdtempSync(join(root, 'node_modules', '.cache', `k8s-learn-${name}-`));
  await build({
    stdin: {
      contents: `export { startPracticeCluster } from './src/practice/index.ts';
export { workloadsPlugin } from './src/practice/controllers/index.ts';
export { loadImageIntoStore } from './src/practice/workloads/load-image.ts';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outfile: join(out, 'bench-entry.mjs'),
    logLevel: 'warning',
  });
  return { lib: await import(pathToFileURL(join(out, 'bench-entry.mjs')).href), out };
}
