// The practice cluster as a background process (started by `k8s-learn practice start`):
// serves until SIGTERM/SIGINT, then saves the state and removes daemon.json.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DAEMON_FILE, type DaemonInfo } from './control.js';
import { startPracticeCluster } from './index.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    nodes: { type: 'string', default: '2' },
    fresh: { type: 'boolean', default: false },
  },
});
const dataDir = values['data-dir'];
if (!dataDir) {
  process.stderr.write('practice daemon: --data-dir is required\n');
  process.exit(2);
}
const nodes = Number(values.nodes);
try {
  const cluster = await startPracticeCluster({
    dataDir,
    port: Number(values.port),
    nodes,
    fresh: values.fresh,
  });
  const info: DaemonInfo = {
    pid: process.pid,
    url: cluster.url,
    port: cluster.port,
    context: cluster.context,
    kubeconfigPath: cluster.kubeconfigPath,
    nodes,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(join(dataDir, DAEMON_FILE), JSON.stringify(info, null, 2), { mode: 0o600 });
  process.stdout.write(`practice cluster serving ${cluster.url}\n`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await cluster.stop();
    rmSync(join(dataDir, DAEMON_FILE), { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGHUP', shutdown);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  process.stderr.write(
    e.code === 'EADDRINUSE'
      ? `port ${values.port} is already in use\n`
      : `practice daemon failed: ${e.stack ?? e.message}\n`,
  );
  process.exit(1);
}
