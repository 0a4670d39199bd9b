// Headless Chromium from Debian's packages, driven by playwright-core. When /usr/bin/chromium is
// missing we try to install it (apt, as .ci/run does); only when that fails too do the browser
// tests skip, with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.K8S_LEARN_CHROMIUM ?? '/usr/bin/chromium';

/** chromiumFlags keep the browser quiet and self-contained (no updates, sync or first-run UI). */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** ensureChromium returns undefined when Chromium is there, else why it could not be had. */
export function ensureChromium(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const apt = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (existsSync(chromiumPath)) return undefined;
  const why = apt.error ? apt.error.message : (apt.stderr || apt.stdout).trim().split('\n').pop();
  return `Chromium is not at ${chromiumPath} and \`apt-get install -y chromium\` failed: ${why}`;
}
