// Test doubles for the engine: a fake runner that records commands and answers from a script,
// argument builders, and temporary workspaces.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GlobalOptions } from '../../src/cli/options.js';
import type { CommandArgs } from '../../src/cli/registry.js';
import { formatCommand, type Runner, type RunOptions, type RunResult, runResult } from '../../src/runner.js';
import { createScriptedUI } from '../../src/ui/scripted.js';

export const fixtureCourse = resolve(import.meta.dirname, '../fixtures/course');

/** FakeResponse answers one command: by exact command line or by a predicate. */
export type FakeResponse = Partial<Pick<RunResult, 'exitCode' | 'stdout' | 'stderr' | 'notFound'>>;

/** fakeRunner records every call; `respond` decides each answer (default: exit 0, no output). */
export function fakeRunner(
  respond: (command: string, call: number) => FakeResponse = () => ({}),
  dryRun = false,
) {
  const calls: { command: string; options?: RunOptions }[] = [];
  const runner: Runner = {
    dryRun,
    async run(file, args, options) {
      const command = formatCommand(file, args);
      if (dryRun && !options?.readOnly) return runResult(command, { dryRun: true });
      calls.push({ command, ...(options ? { options } : {}) });
      return runResult(command, respond(command, calls.filter((c) => c.command === command).length));
    },
  };
  return { runner, calls };
}

/** tempWorkspace makes an empty folder and returns it with a cleanup function. */
export function tempWorkspace(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** args builds CommandArgs for the fixture course in a workspace. */
export function args(
  dir: string,
  global: Partial<GlobalOptions> = {},
  rest: Partial<CommandArgs> = {},
): CommandArgs {
  return {
    global: {
      dir,
      course: fixtureCourse,
      lang: 'en',
      cluster: 'auto',
      yes: false,
      dryRun: false,
      color: false,
      ...global,
    },
    flags: rest.flags ?? {},
    positionals: rest.positionals ?? [],
  };
}

/** scripted returns a scripted UI whose output lines are collected. */
export function scripted(answers: unknown[] = [], interactive = answers.length > 0) {
  const lines: string[] = [];
  const ui = createScriptedUI({ answers, write: (l) => lines.push(l), interactive });
  return { ui, lines, text: () => lines.join('\n') };
}
