// Bundles a few TypeScript sources for a bench script (esbuild, no build step needed) and imports
// them. Not a bench itself (scripts/bench.mjs runs only bench-*.mjs).
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');

/** bundleSources builds `entry` (ESM re-exports of ./src/…) and returns the module and a cleanup. */
export async function bundleSources(entry, name) {
  // Inside the package (not /tmp) so the bundle finds k8s-learn's package.json and locales.
  const dir = join(root, 'node_modules', '.cache', name);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'bench-entry.mjs');
  await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'error',
  });
  return {
    mod: await import(pathToFileURL(out).href),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
