// Bundles src/ into dist/ with esbuild: one small entry (dist/cli.js) and lazily loaded chunks, so
// `k8s-learn --help` loads almost nothing (workshops start 30 copies at once). The runtime
// libraries (execa, yaml, handlebars, @clack/prompts, diff, ws) are bundled too, as create-vite
// ships itself: Node 20 resolves and links an ESM package graph file by file, and execa's ~60
// files alone cost 85-170 ms of every `verify` (docs/performance.md). zx stays an installed
// dependency: lesson authors' check scripts import it by name. Locale files are copied beside
// the bundle; the bundled packages' licences are collected into dist/THIRD-PARTY-LICENSES.md.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { build } from 'esbuild';
import { validatorsPlugin } from './gen-validators.mjs';

// Extra entry points are files other processes spawn directly (e.g. the practice cluster daemon).
const entries = ['src/cli.ts', 'src/script-api.ts', 'src/practice/daemon.ts'].filter((f) => existsSync(f));

// The course validators are compiled here, from the schemas, into plain code (no ajv at run time).
const linkValidators = await validatorsPlugin();

await rm('dist', { recursive: true, force: true });
// Bundled CommonJS (handlebars, cross-spawn) calls require(); ESM output has none of its own.
const bannerJs =
  "import { createRequire as __k8sLearnCreateRequire } from 'node:module';\nconst require = __k8sLearnCreateRequire(import.meta.url);";
const result = await build({
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
  // zx: imported by name from authors' scripts, so one copy is installed. The rest are optional
  // requires the bundled code guards with try/catch (ws's native speed-ups, handlebars' source
  // maps, used only when a template asks for one).
  external: ['zx', 'bufferutil', 'utf-8-validate', 'source-map', 'uglify-js'],
  banner: { js: bannerJs },
  metafile: true,
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

await writeFile('dist/THIRD-PARTY-LICENSES.md', await thirdPartyLicenses(result.metafile));
await dropUnusedRequireBanners(Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')));

/**
 * dropUnusedRequireBanners takes the `require` banner out of every output that never calls
 * require (most chunks: only the one holding esbuild's `__require` helper and bundled CommonJS
 * do): each createRequire costs start-up time, and `--help` loads several chunks.
 */
async function dropUnusedRequireBanners(files) {
  const banner = `${bannerJs}\n`;
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (text.startsWith(banner) && !/\brequire\b/.test(text.slice(banner.length)))
      await writeFile(file, text.slice(banner.length));
  }
}

/** thirdPartyLicenses lists every package the bundle took code from, with its licence text. */
async function thirdPartyLicenses(metafile) {
  const roots = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^./][^/]*)\//);
    if (m) roots.add(m[1]);
  }
  const packages = [...roots].map((root) => ({
    root,
    pkg: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
  }));
  packages.sort((a, b) => a.pkg.name.localeCompare(b.pkg.name) || a.pkg.version.localeCompare(b.pkg.version));
  const sections = [];
  for (const { root, pkg } of packages) {
    const file = (await readdir(root)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? readFileSync(join(root, file), 'utf8').trim() : `License: ${pkg.license}`;
    sections.push(`## ${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`);
  }
  // The practice cluster's schemas and field documentation come from Kubernetes' own API
  // definitions (scripts/gen-practice-schema.mjs, gen-practice-openapi.mjs).
  sections.push(
    "## Kubernetes API definitions (Apache-2.0)\n\nThe practice cluster's schemas and the field documentation `kubectl explain` prints (dist/practice/) are derived from the OpenAPI definitions of Kubernetes 1.33, Copyright The Kubernetes Authors, licensed under the Apache License, Version 2.0 (see LICENSE).\n",
  );
  return `# Third-party code bundled in dist/\n\n${sections.join('\n')}`;
}
