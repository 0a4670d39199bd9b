// Puts the fake `kind` / `docker` (test/fakes/bin) on a PATH of their own, next to the real node
// and kubectl, and records every call they receive.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRunner, type Runner, type RunOptions, type RunResult } from '../../src/runner.js';

const fakesBin = resolve(import.meta.dirname, 'bin');

/** FakeTools describes one test machine. */
export interface FakeTools {
  /** Tools present on PATH (default both). */
  tools?: ('kind' | 'docker')[];
  kind?: string;
  docker?: string;
  dockerMem?: number;
}

/** fakeMachine returns an env whose PATH holds only the chosen fakes plus node and kubectl. */
export function fakeMachine(options: FakeTools = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-fakes-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of options.tools ?? ['kind', 'docker']) symlinkSync(join(fakesBin, tool), join(bin, tool));
  const log = join(dir, 'calls.jsonl');
  const env: NodeJS.ProcessEnv = {
    PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
    HOME: dir,
    FAKE_LOG: log,
    FAKE_STATE_DIR: join(dir, 'state'),
    ...(options.kind ? { FAKE_KIND: options.kind } : {}),
    ...(options.docker ? { FAKE_DOCKER: options.docker } : {}),
    ...(options.dockerMem ? { FAKE_DOCKER_MEM: String(options.dockerMem) } : {}),
  };
  return {
    dir,
    env,
    stateDir: join(dir, 'state'),
    /** calls lists every fake call as argv arrays, `['kind', 'create', ...]`. */
    calls(): string[][] {
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]);
    },
  };
}

/** RecordedCall is one command a runner was asked to run. */
export interface RecordedCall {
  file: string;
  args: string[];
}

/**
 * recordingRunner runs real commands with `env` but records every call; `kubectl` may be answered
 * by a stub (kind lifecycle tests have no kind cluster for kubectl to reach).
 */
export function recordingRunner(
  env: NodeJS.ProcessEnv,
  kubectlStub?: (args: string[]) => Partial<RunResult>,
): Runner & { calls: RecordedCall[] } {
  const real = createRunner({ env });
  const calls: RecordedCall[] = [];
  return {
    dryRun: false,
    calls,
    async run(file: string, args: readonly string[], options?: RunOptions) {
      calls.push({ file, args: [...args] });
      if (file === 'kubectl' && kubectlStub) {
        return {
          command: `kubectl ${args.join(' ')}`,
          exitCode: 0,
          stdout: '',
          stderr: '',
          durationMs: 1,
          timedOut: false,
          notFound: false,
          dryRun: false,
          ...kubectlStub([...args]),
        };
      }
      return real.run(file, args, options);
    },
  };
}
