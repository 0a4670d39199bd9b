// Bundles src/ into dist/ with esbuild: one small entry (dist/cli.js) and lazily loaded chunks, so
// `k8s-learn --help` loads almost nothing (workshops start 30 copies at once). Dependencies stay
// external (installed by npm); locale files are copied beside the bundle.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { build } from 'esbuild';
import { validatorsPlugin } from './gen-validators.mjs';

// Extra entry points are files other processes spawn directly (e.g. the practice cluster daemon).
const entries = ['src/cli.ts', 'src/script-api.ts', 'src/practice/daemon.ts'].filter((f) => existsSync(f));

// The course validators are compiled here, from the schemas, into plain code (no ajv at run time).
const linkValidators = await validatorsPlugin();

await rm('dist', { recursive: true, force: true });
await build({
  plugins: [linkValidators],
  // Identifies this build (the course cache never reads what another build's loader stored).
  define: { __K8S_LEARN_BUILD__: JSON.stringify(`${Date.now().toString(36)}-${process.pid}`) },
  entryPoints: entries,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
await mkdir('dist/locales', { recursive: true });
await cp('src/locales', 'dist/locales', { recursive: true });
// The workshop dashboard page is served as is (no build step for it).
await cp('src/workshop/dashboard', 'dist/workshop/dashboard', { recursive: true });
// The practice cluster's OpenAPI schemas (for `kubectl explain`), read on first use: brotli keeps
// the 0.6 MB of upstream field docs under 0.1 MB in the package.
const openapi = JSON.stringify(JSON.parse(await readFile('src/practice/schema/openapi-v3.json', 'utf8')));
await writeFile(
  'dist/practice/openapi-v3.json.br',
  brotliCompressSync(openapi, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: openapi.length },
  }),
);
