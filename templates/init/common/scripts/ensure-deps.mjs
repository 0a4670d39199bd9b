// Runs before every npm script (pre-hooks in package.json): installs zx on first use, so that a
// fresh project needs only `npm run up`. Plain Node: zx may not be there yet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(new URL('../node_modules/zx/package.json', import.meta.url))) {
  console.log('• first run: npm install (zx, which the scripts use)');
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (npm.status !== 0) process.exit(npm.status ?? 1);
}
