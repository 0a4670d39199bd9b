// The course's starter app (also `k8s-learn init`'s Node template): a tiny HTTP server with no
// dependencies.
//   GET /anything   → JSON: which pod answered, on which node, the path, and the config it was given
//   GET /healthz    → ok (liveness)      GET /readyz → ok (readiness; 503 once it is stopping)
//   GET /burn?ms=N  → keeps one CPU busy for N ms (to make the autoscaler act)
// Config: env vars starting with $CONFIG_ENV_PREFIX (default CASC_) and the files in $CONFIG_DIR.
// At start it checks every CIDR in its config and exits 1 on one that is not a network address
// (such as 20.0.0.0/4), so a broken ConfigMap shows up as CrashLoopBackOff.
// On SIGTERM it stops accepting connections and exits 0 (at the latest after 1 s).
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const port = Number(process.env.PORT || 8080);
const configDir = process.env.CONFIG_DIR || '/etc/casc';
const envPrefix = process.env.CONFIG_ENV_PREFIX || 'CASC_';

function readConfig() {
  const config = {};
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith(envPrefix)) config[k] = v;
  try {
    // A mounted ConfigMap's keys are symlinks into a ..data folder: follow them, skip the dot-entries.
    for (const name of fs.readdirSync(configDir)) {
      const file = path.join(configDir, name);
      if (!name.startsWith('.') && fs.statSync(file).isFile()) config[name] = fs.readFileSync(file, 'utf8');
    }
  } catch {
    // no mounted config: fine
  }
  return config;
}

function badCidr(cidr) {
  const [ip, bits] = cidr.split('/');
  const parts = ip.split('.').map(Number);
  const prefix = Number(bits);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255)) || !(prefix >= 0 && prefix <= 32))
    return 'not a CIDR';
  const value = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((value & mask) >>> 0 !== value) {
    const net = (value & mask) >>> 0;
    return `host bits set (the /${prefix} network is ${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${prefix})`;
  }
  return undefined;
}

const config = readConfig();
for (const [key, text] of Object.entries(config)) {
  for (const cidr of String(text).match(/\b\d{1,3}(\.\d{1,3}){3}\/\d{1,2}\b/g) || []) {
    const problem = badCidr(cidr);
    if (problem) {
      console.error(`config error: ${cidr} in ${key}: ${problem}`);
      process.exit(1);
    }
  }
}

const pod = process.env.POD_NAME || require('node:os').hostname();
let stopping = false;
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  console.log(`${new Date().toISOString()} ${req.method} ${url.pathname}`);
  if (url.pathname === '/healthz') return res.end('ok\n');
  if (url.pathname === '/readyz') {
    if (stopping) res.statusCode = 503;
    return res.end(stopping ? 'stopping\n' : 'ok\n');
  }
  if (url.pathname === '/burn') {
    const until = Date.now() + Math.min(Number(url.searchParams.get('ms') || 100), 5000);
    while (Date.now() < until) {}
  }
  res.setHeader('content-type', 'application/json');
  res.end(
    `${JSON.stringify({ pod, namespace: process.env.POD_NAMESPACE, node: process.env.NODE_NAME, path: url.pathname, config })}\n`,
  );
});
server.listen(port, () => console.log(`listening on :${port} as ${pod}`));
process.on('SIGTERM', () => {
  stopping = true;
  console.log('SIGTERM: finishing open requests, then exiting');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // A client holding a connection open must not keep the pod past its grace period.
  setTimeout(() => process.exit(0), 1000).unref();
});
