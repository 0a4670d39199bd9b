// doctor against fake docker / kind on PATH (and the real kubectl): every prerequisite failure is
// named, fixed per OS, and the practice cluster is offered when kind cannot run.
import { describe, expect, it } from 'vitest';
import { fixFor } from '../../src/doctor/fixes.js';
import { runDoctor } from '../../src/doctor/index.js';
import { renderDoctor } from '../../src/doctor/render.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createRunner } from '../../src/runner.js';
import { fakeMachine } from '../fakes/env.js';
import { cli } from '../helpers/cli.js';

const t = createTranslator('en');

async function doctor(
  machine: ReturnType<typeof fakeMachine>,
  cluster = 'auto',
  platform: 'linux' | 'darwin' | 'win32' = 'linux',
  timeoutMs?: number,
) {
  return runDoctor({
    runner: createRunner({ env: machine.env }),
    cluster,
    platform,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

const item = (report: Awaited<ReturnType<typeof doctor>>, id: string) =>
  report.items.find((i) => i.id === id);

describe('doctor', () => {
  it('all present: kind is usable, memory is read, the missing cluster is announced', async () => {
    const report = await doctor(fakeMachine());
    expect(report.backend).toBe('kind');
    expect(report.usable).toBe(true);
    expect(item(report, 'dockerDaemon')).toMatchObject({ status: 'ok', detail: '28.2.2' });
    expect(item(report, 'dockerMemory')).toMatchObject({ status: 'ok', detail: '7.7 GiB' });
    expect(item(report, 'kind')).toMatchObject({ status: 'ok', detail: 'v0.29.0' });
    expect(item(report, 'kubectl')?.status).toBe('ok');
    expect(item(report, 'kindCluster')).toMatchObject({ status: 'warn', data: { exists: false } });
  });

  it('daemon down: says so, how to start it on each OS, and auto picks the practice cluster', async () => {
    const machine = fakeMachine({ docker: 'daemon-down' });
    const linux = await doctor(machine);
    expect(item(linux, 'docker')?.status).toBe('ok');
    expect(item(linux, 'dockerDaemon')).toMatchObject({ status: 'fail', fix: 'daemonDown' });
    expect(item(linux, 'dockerDaemon')?.detail).toMatch(/Cannot connect to the Docker daemon/);
    expect(linux.backend).toBe('practice');
    expect(linux.usable).toBe(true);
    expect(linux.kindUsable).toBe(false);
    const text = renderDoctor(linux, t).join('\n');
    expect(text).toMatch(/fix: sudo systemctl start docker/);
    expect(text).toMatch(/--cluster practice/);
    const mac = await doctor(machine, 'auto', 'darwin');
    expect(renderDoctor(mac, t).join('\n')).toMatch(/fix: open -a Docker/);
    const kind = await doctor(machine, 'kind', 'win32');
    expect(kind.usable).toBe(false);
    expect(renderDoctor(kind, t).join('\n')).toMatch(/Not ready: kind cannot work/);
  });

  it('docker and kind missing: install commands and official pages per OS', async () => {
    const report = await doctor(fakeMachine({ tools: [] }), 'kind', 'darwin');
    expect(item(report, 'docker')).toMatchObject({ status: 'fail', fix: 'dockerMissing' });
    expect(item(report, 'kind')).toMatchObject({ status: 'fail', fix: 'kindMissing' });
    expect(item(report, 'kind')?.howToFix?.commands).toEqual(['brew install kind']);
    expect(report.usable).toBe(false);
    expect(report.practiceUsable).toBe(true);
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      for (const id of ['dockerMissing', 'daemonDown', 'kindMissing', 'kubectlMissing'] as const) {
        const fix = fixFor(id, platform);
        expect(fix.commands.length).toBeGreaterThan(0);
        expect(fix.url).toMatch(/^https:\/\/(docs\.docker\.com|kind\.sigs\.k8s\.io|kubernetes\.io)\//);
      }
    }
    expect(fixFor('kindMissing', 'win32').commands).toEqual(['winget install Kubernetes.kind']);
  });

  it('low Docker memory is a warning with where to change it', async () => {
    const report = await doctor(fakeMachine({ dockerMem: 2 * 1024 ** 3 }), 'kind', 'darwin');
    expect(item(report, 'dockerMemory')).toMatchObject({
      status: 'warn',
      detail: '2.0 GiB',
      fix: 'dockerMemory',
    });
    expect(report.usable).toBe(true);
  });

  it('a hanging docker is cut off by the timeout and reads as a failure', async () => {
    const report = await doctor(fakeMachine({ docker: 'hang' }), 'auto', 'linux', 1500);
    expect(item(report, 'dockerDaemon')?.status).toBe('fail');
    expect(item(report, 'dockerDaemon')?.detail).toBe('timed out');
    expect(report.backend).toBe('practice');
  });

  it('an existing kind cluster is reported as reused', async () => {
    const machine = fakeMachine();
    const runner = createRunner({ env: machine.env });
    await runner.run('kind', ['create', 'cluster', '--name', 'k8s-learn']);
    const report = await runDoctor({ runner, cluster: 'kind', platform: 'linux' });
    expect(item(report, 'kindCluster')).toMatchObject({ status: 'ok', data: { exists: true } });
  });

  it('context:NAME that does not exist fails with what to check', async () => {
    const report = await doctor(fakeMachine(), 'context:nowhere');
    expect(report.backend).toBe('context');
    expect(report.usable).toBe(false);
    expect(item(report, 'skew')).toMatchObject({ status: 'fail', detail: 'nowhere' });
  });

  it('CLI: exit 0 on auto with the daemon down, exit 1 for --cluster kind, --json for workshops', () => {
    const machine = fakeMachine({ docker: 'daemon-down' });
    const env = { ...machine.env, LANG: 'C' };
    const auto = cli(['doctor'], { env });
    expect(auto.code).toBe(0);
    expect(auto.stdout).toMatch(/Docker daemon +not reachable/);
    const kind = cli(['doctor', '--cluster', 'kind', '--json'], { env });
    expect(kind.code).toBe(1);
    const json = JSON.parse(kind.stdout) as { items: { id: string; status: string }[] };
    expect(json).toMatchObject({ backend: 'kind', usable: false, kindUsable: false, practiceUsable: true });
    expect(json.items.find((i) => i.id === 'dockerDaemon')?.status).toBe('fail');
    const zh = cli(['doctor', '--lang', 'zh-CN'], { env });
    expect(zh.stdout).toMatch(/Docker 守护进程/);
  });
});
