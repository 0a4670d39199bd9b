#!/usr/bin/env node
// Measures `k8s-learn check` (issue 6): the install size the checker adds to the package, the time
// to check the article's files and a 10-document file, end to end through the built CLI and in
// process. Prints figures; asserts nothing (timings vary by machine). Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { validatorsPlugin } from './gen-validators.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const node = process.execPath;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const dirSize = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? dirSize(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );

// 1. Install size: bytes the checker's sources contribute to dist (esbuild's metafile attributes
//    every output byte to an input), its source maps, and its locale strings. It adds no runtime
//    dependency (yaml is already one); kubernetes-models is a devDependency, not installed by users.
const cache = 'node_modules/.cache/bench-check';
rmSync(cache, { recursive: true, force: true });
const result = await build({
  plugins: [await validatorsPlugin()],
  entryPoints: ['src/cli.ts'],
  outdir: cache,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  logLevel: 'error',
});
let code = 0;
let mapShare = 0;
for (const [out, info] of Object.entries(result.metafile.outputs)) {
  if (out.endsWith('.map')) continue;
  const mine = Object.entries(info.inputs)
    .filter(([input]) => input.startsWith('src/check/') || input === 'src/commands/check.ts')
    .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
  code += mine;
  // A linked source map embeds each source; attribute the map by the share of output bytes.
  if (mine > 0 && info.bytes > 0) mapShare += statSync(`${out}.map`).size * (mine / info.bytes);
}
const schemaBytes = statSync('src/check/schemas/k8s.json').size;
// The checker's keys: check.<rule>.…, check.ui.… (other parts use check.command… etc.).
const ownPrefixes = [...readdirSync('test/fixtures/check/rules'), 'ui'].map((p) => `check.${p}.`);
const localeBytes = readdirSync('src/locales')
  .filter((f) => f.endsWith('.json'))
  .reduce((sum, f) => {
    const messages = JSON.parse(readFileSync(join('src/locales', f), 'utf8'));
    const own = Object.fromEntries(
      Object.entries(messages).filter(([k]) => ownPrefixes.some((p) => k.startsWith(p))),
    );
    return sum + Buffer.byteLength(JSON.stringify(own, null, 2));
  }, 0);
const total = code + mapShare + localeBytes;
console.log('Install size the checker adds (dist/ is what npm installs):');
console.log(`  checker code in dist (incl. ${kib(schemaBytes)} of schemas) ${kib(code).padStart(12)}`);
console.log(`  its share of the source maps                       ${kib(mapShare).padStart(12)}`);
console.log(`  check.* strings in dist/locales (all languages)     ${kib(localeBytes).padStart(12)}`);
console.log(
  `  total                                               ${kib(total).padStart(12)}  (budget 2048 KiB)`,
);
console.log('  new runtime dependencies: none (yaml was already one)');
try {
  console.log(
    `  not installed: kubernetes-models devDependency, ${kib(dirSize('node_modules/kubernetes-models'))}`,
  );
} catch {}

// 2. Timing: end to end through the built CLI (node start-up included), and in process.
const article = readdirSync('test/fixtures/check/article').map((f) => join('test/fixtures/check/article', f));
const corpus = readdirSync('test/fixtures/check/valid').map((f) => join('test/fixtures/check/valid', f));
const tenDocs = [];
for (const f of corpus) {
  for (const doc of readFileSync(f, 'utf8').split(/^---$/m)) {
    if (
      tenDocs.length < 10 &&
      /^kind: (Deployment|Service|ConfigMap|HorizontalPodAutoscaler|Ingress|Pod)$/m.test(doc)
    )
      tenDocs.push(doc.trim());
  }
}
mkdirSync(cache, { recursive: true });
const tenFile = join(cache, 'ten-documents.yaml');
writeFileSync(tenFile, `${tenDocs.join('\n---\n')}\n`);

function timeCli(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(node, ['bin/k8s-learn.js', 'check', ...args], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'C' },
    });
    samples.push(performance.now() - t0);
    if (r.status === 2 || r.status === null) throw new Error(`check ${args.join(' ')}: ${r.stderr}`);
  }
  return median(samples);
}
const bare = median(
  Array.from({ length: runs }, () => {
    const t0 = performance.now();
    spawnSync(node, ['-e', '0']);
    return performance.now() - t0;
  }),
);

await build({
  entryPoints: ['src/check/index.ts'],
  outfile: join(cache, 'check.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'error',
});
const t0 = performance.now();
const { checkManifests } = await import(new URL(`../${cache}/check.mjs`, import.meta.url).href);
const loadMs = performance.now() - t0;
const inProcess = (files) => {
  const inputs = files.map((f) => ({ path: f, text: readFileSync(f, 'utf8') }));
  checkManifests(inputs); // warm-up
  return median(
    Array.from({ length: runs }, () => {
      const t = performance.now();
      checkManifests(inputs);
      return performance.now() - t;
    }),
  );
};

console.log(`\nTiming, median of ${runs} runs (ms):`);
const rows = [
  ['node -e 0 (bare node)', bare],
  [`k8s-learn check <article: ${article.length} files>`, timeCli(article)],
  ['k8s-learn check <10-document file>', timeCli([tenFile])],
  [`k8s-learn check <valid corpus: ${corpus.length} files>`, timeCli(corpus)],
  ['in process: load the checker module (once)', loadMs],
  ['in process: checkManifests(article files)', inProcess(article)],
  ['in process: checkManifests(10-document file)', inProcess([tenFile])],
];
for (const [name, ms] of rows) console.log(`  ${name.padEnd(48)} ${ms.toFixed(1).padStart(8)}`);
console.log('  budget: check of a 10-document file under 200 ms');

// 3. Scale (issue 14): N Deployment+Service pairs (with a ConfigMap reference and a named port, so the
//    cross-object rules have work to do), one file, checked in a fresh process each: objects/s and the
//    peak RSS of that process. Linear means 10k pairs cost about twice 5k.
const pairsDoc = (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: shop-${i % 10}
  labels: { app: web-${i} }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web-${i} }
  template:
    metadata:
      labels: { app: web-${i}, tier: frontend }
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
          ports:
            - { name: http, containerPort: 80 }
          envFrom:
            - configMapRef: { name: web-config }
          resources:
            requests: { cpu: 100m, memory: 64Mi }
            limits: { memory: 128Mi }
          readinessProbe:
            httpGet: { path: /, port: http }
          livenessProbe:
            tcpSocket: { port: http }
---
apiVersion: v1
kind: Service
metadata:
  name: web-${i}
  namespace: shop-${i % 10}
spec:
  selector: { app: web-${i} }
  ports:
    - port: 80
      targetPort: http
`;
const scaleScript = join(cache, 'scale-run.mjs');
writeFileSync(
  scaleScript,
  `import { readFileSync } from 'node:fs';
const { checkWithStats } = await import(${JSON.stringify(new URL(`../${cache}/check.mjs`, import.meta.url).href)});
const text = readFileSync(process.argv[2], 'utf8');
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const { documents, findings } = checkWithStats([{ path: process.argv[2], text }]);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(JSON.stringify({ ms, cpuMs, documents, findings: findings.length, rssKiB: process.resourceUsage().maxRSS }));
`,
);
// CPU time is reported beside wall time: on a shared machine the wall clock mostly measures the load.
console.log('\nScale: N Deployment+Service pairs in one file (fresh process each; median of 3 runs):');
console.log('  pairs   objects   CPU ms   objects/CPU-s   wall ms   peak RSS   CLI wall ms');
for (const pairs of [1000, 5000, 10000]) {
  const file = join(cache, `pairs-${pairs}.yaml`);
  writeFileSync(file, Array.from({ length: pairs }, (_, i) => pairsDoc(i)).join('---\n'));
  const runsHere = [];
  for (let r = 0; r < 3; r++) {
    const out = spawnSync(node, [scaleScript, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (out.status !== 0) throw new Error(out.stderr);
    runsHere.push(JSON.parse(out.stdout));
  }
  const ms = median(runsHere.map((x) => x.ms));
  const cpuMs = median(runsHere.map((x) => x.cpuMs));
  const rss = Math.max(...runsHere.map((x) => x.rssKiB));
  const t0 = performance.now();
  const cliRun = spawnSync(node, ['bin/k8s-learn.js', 'check', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, LANG: 'C' },
  });
  const cliMs = performance.now() - t0;
  if (cliRun.status === 2 || cliRun.status === null) throw new Error(cliRun.stderr);
  const objects = runsHere[0].documents;
  console.log(
    `  ${String(pairs).padStart(5)}  ${String(objects).padStart(8)}  ${cpuMs.toFixed(0).padStart(7)}  ${Math.round(
      (objects / cpuMs) * 1000,
    )
      .toString()
      .padStart(14)}  ${ms.toFixed(0).padStart(8)}  ${`${(rss / 1024).toFixed(0)} MB`.padStart(9)}  ${cliMs
      .toFixed(0)
      .padStart(11)}`,
  );
}
