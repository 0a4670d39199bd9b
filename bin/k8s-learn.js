#!/usr/bin/env node
// Thin launcher: check the Node floor first so an old Node gets a sentence, not a syntax error.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  process.stderr.write(`k8s-learn needs Node.js 20.12 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
// `k8s-learn list | head -3`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { main } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2));
