// Entry point of the k8s-learn CLI. It parses the command line, prints help and version without
// loading anything heavy, then lazily loads the command. Errors are printed once, here, with what
// to do next; exit codes follow src/errors.ts.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { commandHelp, mainHelp } from './cli/help.js';
import {
  colorEnabled,
  detectLang,
  type GlobalOptions,
  globalOptionSpecs,
  normalizeLang,
} from './cli/options.js';
import { type CommandSpec, commands, findCommand, type OptionSpec } from './cli/registry.js';
import { chooseWorkspace } from './engine/workspace.js';
import { CancelledError, ExitCode, UsageError, UserError } from './errors.js';

/** The UI languages shipped in dist/locales (kept in step with src/locales by the build). */
const shippedLangs = ['en', 'zh-CN'];

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function toParseArgsOptions(specs: Record<string, OptionSpec>) {
  const out: Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }> = {};
  for (const [name, s] of Object.entries(specs)) {
    out[name] = {
      type: s.type,
      ...(s.short ? { short: s.short } : {}),
      ...(s.multiple ? { multiple: true } : {}),
    };
  }
  return out;
}

/** closest suggests a known name for a typo (Damerau edit distance ≤ 2), as kubectl and git do. */
function closest(input: string, names: string[]): string | undefined {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          v = Math.min(v, d[i - 2]![j - 2]! + 1);
        d[i]![j] = v;
      }
    }
    return d[a.length]![b.length]!;
  };
  const best = names.map((n) => [n, dist(input, n)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 2 ? best[0] : undefined;
}

/** resolveCommand walks the positionals down the command table (e.g. `course check`). */
function resolveCommand(positionals: string[]): { spec: CommandSpec; path: string[]; rest: string[] } {
  const first = positionals[0];
  if (first === undefined) return { spec: findCommand(commands, 'start')!, path: [], rest: [] };
  let spec = findCommand(commands, first);
  if (!spec) {
    const guess = closest(
      first,
      commands.map((c) => c.name),
    );
    throw new UsageError(
      `unknown command "${first}"`,
      guess ? `Did you mean "k8s-learn ${guess}"?` : undefined,
    );
  }
  const path: string[] = [];
  let rest = positionals.slice(1);
  while (spec.subcommands && rest[0] !== undefined) {
    const sub = findCommand(spec.subcommands, rest[0]);
    if (!sub) {
      const guess = closest(
        rest[0],
        spec.subcommands.map((c) => c.name),
      );
      throw new UsageError(
        `unknown command "${spec.name} ${rest[0]}"`,
        guess ? `Did you mean "k8s-learn ${spec.name} ${guess}"?` : undefined,
      );
    }
    path.push(spec.name);
    spec = sub;
    rest = rest.slice(1);
  }
  return { spec, path, rest };
}

function helpCommandFor(path: string[], spec?: CommandSpec): string {
  return ['k8s-learn', ...path, ...(spec ? [spec.name] : []), '--help'].join(' ');
}

export async function main(argv: string[]): Promise<number> {
  // First pass: only to find where the command is; flags are checked strictly below.
  const loose = parseArgs({
    args: argv,
    options: toParseArgsOptions(globalOptionSpecs),
    strict: false,
    allowPositionals: true,
  });
  const looseValues = loose.values as Record<string, unknown>;
  if (looseValues.version === true && loose.positionals.length === 0) {
    process.stdout.write(`${readVersion()}\n`);
    return ExitCode.ok;
  }
  let path: string[] = [];
  let spec: CommandSpec | undefined;
  try {
    const resolved = resolveCommand(loose.positionals);
    spec = resolved.spec;
    path = resolved.path;
    if (looseValues.help === true) {
      process.stdout.write(
        loose.positionals.length === 0 ? mainHelp(readVersion()) : commandHelp(spec, path),
      );
      return ExitCode.ok;
    }
    if (spec.subcommands && !spec.load) {
      // `k8s-learn course` alone: say what it takes, as a usage error.
      process.stderr.write(commandHelp(spec, path));
      return ExitCode.usage;
    }
    const parsed = parseArgs({
      args: argv,
      options: toParseArgsOptions({ ...globalOptionSpecs, ...(spec.options ?? {}) }),
      strict: true,
      allowPositionals: true,
    });
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    const positionals = parsed.positionals.slice(path.length + (loose.positionals.length > 0 ? 1 : 0));
    if (positionals.length > (spec.maxPositionals ?? 0)) {
      throw new UsageError(
        `too many arguments for "${[...path, spec.name].join(' ')}": ${positionals.join(' ')}`,
      );
    }
    const global = toGlobalOptions(values);
    if (!global.color) process.env.NO_COLOR = '1';
    if (!spec.load) throw new UsageError(`"${spec.name}" needs a subcommand`);
    const mod = await spec.load();
    return await mod.run({ global, flags: values, positionals });
  } catch (err) {
    return report(err, path, spec);
  }
}

function toGlobalOptions(values: Record<string, string | boolean | string[] | undefined>): GlobalOptions {
  let lang = detectLang(process.env);
  if (typeof values.lang === 'string') {
    const chosen = normalizeLang(values.lang, shippedLangs);
    if (!chosen) {
      throw new UsageError(
        `unsupported language "${values.lang}"`,
        `Use one of: ${shippedLangs.join(', ')}.`,
      );
    }
    lang = chosen;
  }
  const cluster = typeof values.cluster === 'string' ? values.cluster : 'auto';
  if (!/^(auto|kind|practice|context:.+)$/.test(cluster)) {
    throw new UsageError(
      `invalid --cluster value "${cluster}"`,
      'Use auto, kind, practice, or context:NAME (an existing kubectl context).',
    );
  }
  return {
    ...workspaceOption(values.dir),
    ...(typeof values.course === 'string' ? { course: values.course } : {}),
    lang,
    cluster,
    yes: values.yes === true,
    dryRun: values['dry-run'] === true,
    color: colorEnabled(values['no-color'] === true, process.env, process.stdout.isTTY === true),
  };
}

/** workspaceOption: `--dir` wins; else the nearest workspace above the cwd; else ./k8s-learn-lab. */
function workspaceOption(flag: unknown): Pick<GlobalOptions, 'dir' | 'dirSource'> {
  if (typeof flag === 'string') return { dir: chooseWorkspace(flag).dir, dirSource: 'flag' };
  const choice = chooseWorkspace(undefined);
  return { dir: choice.dir, dirSource: choice.source };
}

function report(err: unknown, path: string[], spec: CommandSpec | undefined): number {
  if (err instanceof CancelledError) return ExitCode.cancelled;
  if (err instanceof UsageError) {
    process.stderr.write(`error: ${err.message}\n`);
    if (err.hint) process.stderr.write(`${err.hint}\n`);
    process.stderr.write(`Run '${helpCommandFor(path, spec)}' for usage.\n`);
    return ExitCode.usage;
  }
  // node:util parseArgs throws TypeErrors with codes for unknown flags and missing values.
  const code = (err as { code?: string }).code;
  if (code?.startsWith('ERR_PARSE_ARGS_')) {
    process.stderr.write(`error: ${(err as Error).message.split('\n')[0]}\n`);
    process.stderr.write(`Run '${helpCommandFor(path, spec)}' for usage.\n`);
    return ExitCode.usage;
  }
  if (err instanceof UserError) {
    process.stderr.write(`error: ${err.message}\n`);
    if (err.next) process.stderr.write(`${err.next}\n`);
    return err.exitCode;
  }
  const fsProblem = fileSystemProblem(err);
  if (fsProblem) {
    process.stderr.write(`error: ${fsProblem}\n`);
    return ExitCode.failed;
  }
  process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
  if (process.env.K8S_LEARN_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  else process.stderr.write('This is a bug in k8s-learn; set K8S_LEARN_DEBUG=1 for details and report it.\n');
  return ExitCode.failed;
}

/** fileSystemProblem turns a Node file-system error into a sentence with what to do, or undefined. */
function fileSystemProblem(err: unknown): string | undefined {
  const e = err as { code?: string; path?: string; syscall?: string };
  const where = e.path ? ` ${e.path}` : '';
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied:${where}\nChoose a folder you can write to with --dir, or fix its permissions.`;
    case 'EROFS':
      return `read-only file system:${where}\nChoose a writable folder with --dir.`;
    case 'ENOSPC':
      return `no space left on the disk while writing${where}\nFree some space; your progress so far is saved.`;
    case 'EEXIST':
    case 'ENOTDIR':
      return `${where.trim() || 'a path'} is a file where a folder is needed\nChoose another --dir (a folder), or move the file away.`;
    default:
      return undefined;
  }
}
