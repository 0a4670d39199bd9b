// Checks that need no cluster: a command's exit code and output, a file that exists and parses.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parseCommandLine } from '../commandline.js';
import { createKubectl, talksToCluster } from '../kubectl.js';
import { packageRoot } from '../paths.js';
import type { CheckContext, CheckResult, CheckType } from './types.js';

/** commandCheck runs a command and compares its exit code and output with expectations. */
export const commandCheck: CheckType<{ run: string; exitCode?: number; stdout?: string; stderr?: string }> = {
  name: 'command',
  schema: {
    type: 'object',
    required: ['run'],
    additionalProperties: false,
    properties: {
      run: { type: 'string', minLength: 1 },
      exitCode: { type: 'integer' },
      stdout: { type: 'string' },
      stderr: { type: 'string' },
    },
  },
  async run(spec, ctx) {
    const [file, ...args] = parseCommandLine(spec.run);
    const title = ctx.t('check.command.title', { command: spec.run });
    if (talksToCluster(spec.run) && !ctx.cluster) {
      // Never fall back to whatever the learner's current context is.
      return {
        ok: false,
        title,
        saw: ctx.t('cluster.noneYet'),
        hint: ctx.t('cluster.noneYetNext', { step: '' }),
      };
    }
    const options = { cwd: ctx.workspace, readOnly: true };
    const result =
      file === 'kubectl' && ctx.cluster
        ? await createKubectl(ctx.runner, ctx.cluster).run(args, options)
        : file === 'k8s-learn'
          ? // This same installation, on this workspace (as a step's `k8s-learn …` command runs).
            await ctx.runner.run(
              process.execPath,
              [
                join(packageRoot(), 'bin', 'k8s-learn.js'),
                ...args,
                '--dir',
                ctx.workspace,
                '--lang',
                ctx.lang,
              ],
              options,
            )
          : await ctx.runner.run(file!, args, options);
    const want = spec.exitCode ?? 0;
    if (result.notFound) {
      return {
        ok: false,
        title,
        expected: ctx.t('check.command.expectedExit', { code: want }),
        saw: ctx.t('check.command.notFound', { file: file! }),
        hint: ctx.t('check.command.notFoundHint', { file: file! }),
      };
    }
    if (result.exitCode !== want) {
      return {
        ok: false,
        title,
        expected: ctx.t('check.command.expectedExit', { code: want }),
        saw: ctx.t('check.command.sawExit', {
          code: result.exitCode,
          output: lastLines(result.stderr || result.stdout),
        }),
      };
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      const pattern = spec[stream];
      if (pattern !== undefined && !new RegExp(pattern, 'm').test(result[stream])) {
        return {
          ok: false,
          title,
          expected: ctx.t('check.command.expectedOutput', { stream, pattern }),
          saw: lastLines(result[stream]) || ctx.t('check.command.noOutput'),
        };
      }
    }
    return { ok: true, title };
  },
};

/** readWorkspaceFile reads a file of the workspace, or returns the "no such file" failure. */
export async function readWorkspaceFile(
  ctx: Pick<CheckContext, 'workspace' | 't'>,
  path: string,
  title: string,
): Promise<string | CheckResult> {
  try {
    return await readFile(isAbsolute(path) ? path : join(ctx.workspace, path), 'utf8');
  } catch {
    return {
      ok: false,
      title,
      expected: ctx.t('check.file.expectedExists'),
      saw: ctx.t('check.file.missing'),
      hint: ctx.t('check.file.missingHint', { path }),
    };
  }
}

/** fileCheck checks that a workspace file exists, optionally parses, optionally matches. */
export const fileCheck: CheckType<{ path: string; parses?: 'yaml' | 'json'; contains?: string }> = {
  name: 'file',
  schema: {
    type: 'object',
    required: ['path'],
    additionalProperties: false,
    properties: {
      path: { type: 'string', minLength: 1 },
      parses: { enum: ['yaml', 'json'] },
      contains: { type: 'string' },
    },
  },
  async run(spec, ctx): Promise<CheckResult> {
    const title = ctx.t('check.file.title', { path: spec.path });
    const text = await readWorkspaceFile(ctx, spec.path, title);
    if (typeof text !== 'string') return text;
    if (spec.parses) {
      const problem = await parseProblem(text, spec.parses);
      if (problem) {
        return {
          ok: false,
          title,
          expected: ctx.t('check.file.expectedParses', { format: spec.parses.toUpperCase() }),
          saw: problem,
        };
      }
    }
    if (spec.contains !== undefined && !new RegExp(spec.contains, 'm').test(text)) {
      return {
        ok: false,
        title,
        expected: ctx.t('check.file.expectedContains', { pattern: spec.contains }),
        saw: ctx.t('check.file.notContained'),
      };
    }
    return { ok: true, title };
  },
};

async function parseProblem(text: string, format: 'yaml' | 'json'): Promise<string | undefined> {
  if (format === 'json') {
    try {
      JSON.parse(text);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }
  const { parseAllDocuments } = await import('../yaml.js');
  for (const doc of parseAllDocuments(text)) {
    const first = doc.errors[0];
    if (first) return first.message.split('\n')[0];
  }
  return undefined;
}

/** lastLines keeps the end of a command's output, where the error usually is. */
export function lastLines(text: string, count = 5): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
