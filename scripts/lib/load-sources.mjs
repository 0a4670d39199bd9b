// Shared by the bench scripts: bundle a few TypeScript exports of src/ with esbuild on the fly (no
// build step) and import them; and the median of a list of samples.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const root = resolve(import.meta.dirname, '../..');

/** loadSources bundles `entry` (TypeScript re-exports from ./src) and returns the module and a cleanup. */
export async function loadSources(entry, name) {
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

/** median of the samples. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
