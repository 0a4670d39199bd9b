// The dashboard in a real browser: headless Chromium loads the page served by `workshop
// dashboard` (the built CLI) on 127.0.0.1, shows the three learners, and updates by itself when a
// learner's verification fails and then when the learner passes the step. A screenshot is saved
// to test/artifacts/ (not committed).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { chromiumFlags, chromiumPath, ensureChromium } from './browser.js';
import { cli, courseSteps, handMadeLearner, startWorkshopCluster, type WorkshopCluster } from './helpers.js';

const missing = ensureChromium();
if (missing) console.warn(`skipping the dashboard browser test: ${missing}`);

let w: WorkshopCluster;
let dashboard: ChildProcess | undefined;
let browser: BrowserContext | undefined;
let url = '';
const kubeconfigs: Record<string, string> = {};

beforeAll(async () => {
  if (missing) return;
  w = await startWorkshopCluster();
  for (const l of ['learner-01', 'learner-02', 'learner-03']) kubeconfigs[l] = await handMadeLearner(w, l);
  dashboard = spawn(
    process.execPath,
    [join(root, 'bin/k8s-learn.js'), 'workshop', 'dashboard', ...w.admin, '--port', '0'],
    { env: w.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    dashboard!.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolveUrl(m[0]);
    });
    dashboard!.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${out}`)));
  });
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'k8s-learn-chromium-')), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1280, height: 800 },
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  dashboard?.kill('SIGINT');
  await w?.tc.stop();
});

describe.skipIf(missing !== undefined)('workshop dashboard in headless Chromium', () => {
  it('loads on 127.0.0.1, shows 3 learners, and updates live when a learner fails then passes a step', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser!.newPage();
    await page.goto(url);
    await page.waitForSelector('#connection[data-state="live"]');
    const cards = page.locator('#grid .learner');
    await expect.poll(() => cards.count()).toBe(3);
    expect(
      await page.locator('#grid .learner').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))),
    ).toEqual(['not-started', 'not-started', 'not-started']);

    // learner-02 fails the first check: the card turns red and the cause is listed.
    const lab = join(w.dir, 'lab-02');
    const failed = await cli(w, [
      'verify',
      'cluster/nodes',
      '--kubeconfig',
      kubeconfigs['learner-02']!,
      '--dir',
      lab,
    ]);
    expect(failed.code).toBe(0); // three Ready nodes: this one passes; now a failing one:
    const failing = await cli(w, ['verify', 'configmap/network-config', '--dir', lab]);
    expect(failing.code).toBe(1);
    const card = page.locator('[data-learner="learner-02"]');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 10_000 }).toBe('failing');
    expect(await card.locator('.failure').textContent()).toMatch(/no such file/);
    expect(await page.locator('#failures li').first().textContent()).toMatch(/^1 × .*no such file/);
    // Failing learners come first.
    expect(await cards.first().getAttribute('data-learner')).toBe('learner-02');

    // learner-01 passes the first step: the page moves them on to step 2 without a reload.
    const solved = await cli(w, [
      'solve',
      'welcome/tour',
      '--yes',
      '--kubeconfig',
      kubeconfigs['learner-01']!,
      '--dir',
      join(w.dir, 'lab-01'),
    ]);
    expect(solved.code).toBe(0);
    const first = page.locator('[data-learner="learner-01"]');
    await expect.poll(() => first.getAttribute('data-step'), { timeout: 10_000 }).toBe('welcome/kubectl');
    expect(await first.getAttribute('data-state')).toBe('working');
    expect(courseSteps[1]!.key).toBe('welcome/kubectl');
    expect(await first.locator('.step').textContent()).toBe(`2/${courseSteps.length} Meet kubectl`);
    expect(await page.locator('#histogram li[data-step="welcome/kubectl"] .count').textContent()).toBe('1');
    expect(await page.locator('#counts').textContent()).toBe(
      'failing: 1 · working: 1 · not started: 1 · done: 0',
    );

    const artifacts = join(root, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'workshop-dashboard.png'), fullPage: true });
  }, 180_000);

  it('is read-only and answers only to its own host name', async () => {
    const post = await fetch(`${url}events`, { method: 'POST' });
    expect(post.status).toBe(405);
    const port = new URL(url).port;
    // fetch() will not send another Host header; node:http will.
    const rebound = await new Promise<number>((resolveStatus, reject) => {
      get(
        { host: '127.0.0.1', port, path: '/api/view', headers: { host: `evil.example:${port}` } },
        (res) => {
          res.resume();
          resolveStatus(res.statusCode ?? 0);
        },
      ).on('error', reject);
    });
    expect(rebound).toBe(403);
    const view = (await (await fetch(`${url}api/view`)).json()) as { learners: unknown[] };
    expect(view.learners).toHaveLength(3);
  });
});
