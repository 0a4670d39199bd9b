#!/usr/bin/env node
// Runs `k8s-learn check` over a folder of example manifests the way issue 14 measures the checker
// on the official docs' examples: every *.yaml / *.yml file on its own (`check <file>`), then the
// whole folder at once (`check <folder>`), through the built CLI (run `npm run build` first).
// Prints how many files have errors, which rules fired, and one line per file with an error, so a
// later session with a local copy of kubernetes/website's content/en/examples reproduces the figure
// in docs/checker.md. Asserts nothing.
//
//   node scripts/check-docs-examples.mjs FOLDER [--jobs N] [--json OUT.json]
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const folder = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!folder) {
  process.stderr.write('usage: node scripts/check-docs-examples.mjs FOLDER [--jobs N] [--json OUT.json]\n');
  process.exit(2);
}
const jobs = Math.max(1, Number(option('--jobs') ?? 2));
const cli = join(import.meta.dirname, '..', 'bin', 'k8s-learn.js');

/** yamlFiles lists the folder's YAML files as the checker's directory mode does (no hidden dirs). */
function yamlFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/i.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** check runs the CLI with --format json and returns its exit code and findings. */
function check(path) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'check', '--format', 'json', '--no-color', path], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => {
      let findings = [];
      let report = false;
      try {
        findings = JSON.parse(stdout).findings ?? [];
        report = true;
      } catch {
        // Not JSON: a usage error (exit 2) or a crash (a stack trace, dist/ rebuilt meanwhile…).
      }
      resolve({ code, report, findings, stderr: stderr.trim() });
    });
  });
}

const files = yamlFiles(folder);
const results = new Array(files.length);
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = { file: relative(folder, files[i]), ...(await check(files[i])) };
    }
  }),
);

// A file "with errors" is one the checker answered with a report and exit 1; anything else that is
// not a clean exit 0 (no JSON, another exit code) is listed apart, never counted as a finding.
const withErrors = results.filter((r) => r.code === 1 && r.report);
const crashed = results.filter((r) => !r.report || (r.code !== 0 && r.code !== 1));
const tally = (items) => {
  const counts = new Map();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
};
const errorRules = (r) => [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule))];

console.log(`folder: ${folder}`);
console.log(`file by file: ${files.length} files checked, ${withErrors.length} with errors (exit 1)`);
if (crashed.length)
  console.log(
    `  ${crashed.length} ended otherwise (no report): ${crashed.map((r) => `${r.file} (exit ${r.code}: ${r.stderr.split('\n')[0]})`).join('; ')}`,
  );
console.log(
  `  files per error rule: ${tally(withErrors.flatMap(errorRules))
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ')}`,
);
for (const r of withErrors) {
  const first = r.findings.find((f) => f.severity === 'error');
  console.log(`  ${r.file}: ${errorRules(r).join(', ')}${first ? ` — ${first.message.slice(0, 160)}` : ''}`);
}

const whole = await check(folder);
const dirErrorFiles = new Set(whole.findings.filter((f) => f.severity === 'error').map((f) => f.file));
console.log(
  `as one directory: exit ${whole.code}, ${dirErrorFiles.size} files with errors; ` +
    `findings per rule: ${tally(whole.findings.map((f) => `${f.rule}/${f.severity}`))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
);

const out = option('--json');
if (out) {
  writeFileSync(out, `${JSON.stringify({ folder, files: results, directory: whole }, null, 2)}\n`);
  console.log(`details written to ${out}`);
}
