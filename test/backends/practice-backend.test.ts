// The practice backend's contract with `k8s-learn practice …` (run as a child process): start,
// then `status --json` for the context and kubeconfig; load-image; stop after confirmation.
import { describe, expect, it } from 'vitest';
import { createPracticeBackend, parsePracticeStatus } from '../../src/backends/practice.js';
import type { BackendEnv } from '../../src/backends/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import type { Runner, RunResult } from '../../src/runner.js';
import { createScriptedUI } from '../../src/ui/scripted.js';

const t = createTranslator('en');

function practiceRunner(answers: Record<string, Partial<RunResult>>): Runner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    dryRun: false,
    calls,
    async run(file, args) {
      expect(file).toBe(process.execPath);
      expect(args[0]).toMatch(/bin\/k8s-learn\.js$/);
      expect(args[1]).toBe('practice');
      const sub = args.slice(2);
      calls.push(sub);
      const answer = answers[sub[0]!] ?? {};
      return {
        command: '',
        exitCode: 0,
        stdout: '',
        stderr: '',
        durationMs: 1,
        timedOut: false,
        notFound: false,
        dryRun: false,
        ...answer,
      };
    },
  };
}

function envWith(runner: Runner, answers: unknown[] = []): BackendEnv & { lines: string[] } {
  const lines: string[] = [];
  return {
    runner,
    ui: createScriptedUI({ answers, write: (l) => lines.push(l) }),
    t,
    workspace: '/tmp/unused',
    yes: false,
    lines,
  };
}

describe('practice backend', () => {
  it('starts, then reads context and kubeconfig from status --json', async () => {
    const runner = practiceRunner({
      start: { stdout: 'Practice cluster started.\n' },
      status: {
        stdout: JSON.stringify({
          running: true,
          context: 'k8s-learn-practice',
          kubeconfigPath: '/home/u/.local/share/k8s-learn/practice/kubeconfig',
          url: 'https://127.0.0.1:6443',
        }),
      },
    });
    const env = envWith(runner);
    const target = await createPracticeBackend().ensure(env);
    expect(target).toEqual({
      backend: 'practice',
      context: 'k8s-learn-practice',
      kubeconfig: '/home/u/.local/share/k8s-learn/practice/kubeconfig',
    });
    expect(runner.calls).toEqual([['start'], ['status', '--json']]);
    expect(env.lines.join('\n')).toMatch(/no containers run/);
  });

  it('a failed start is explained with what to run', async () => {
    const runner = practiceRunner({ start: { exitCode: 1, stderr: 'error: port 6443 is in use\n' } });
    await expect(createPracticeBackend().ensure(envWith(runner))).rejects.toThrow(
      /`practice start` failed: error: port 6443 is in use/,
    );
  });

  it('a status that does not say running is a failure, not a guess', async () => {
    const runner = practiceRunner({ status: { stdout: '{"running": false}' } });
    await expect(createPracticeBackend().ensure(envWith(runner))).rejects.toThrow(/practice status/);
  });

  it('loads images and stops only after confirmation', async () => {
    const runner = practiceRunner({});
    await createPracticeBackend().loadImage(envWith(runner), 'k8s-core:1.0');
    expect(runner.calls.at(-1)).toEqual(['load-image', 'k8s-core:1.0']);
    expect(await createPracticeBackend().remove(envWith(runner, [false]))).toBe(false);
    expect(runner.calls.some((c) => c[0] === 'stop')).toBe(false);
    expect(await createPracticeBackend().remove(envWith(runner, [true]))).toBe(true);
    expect(runner.calls.at(-1)).toEqual(['stop']);
  });

  it('parses status spellings and rejects non-JSON', () => {
    expect(parsePracticeStatus('{"state":"running","kubeconfig":"/k","context":"c"}')).toEqual({
      running: true,
      kubeconfigPath: '/k',
      context: 'c',
    });
    expect(parsePracticeStatus('not running')).toBeUndefined();
    expect(parsePracticeStatus('[1]')).toBeUndefined();
  });
});
