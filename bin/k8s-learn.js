#!/usr/bin/env node
// Thin launcher: check the Node floor first so an old Node gets a sentence, not a syntax error.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  process.stderr.write(`k8s-learn needs Node.js 20.12 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
