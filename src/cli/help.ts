import { globalOptionSpecs } from './options.js';
import { type CommandSpec, commands, type OptionSpec } from './registry.js';

function optionLines(specs: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.value ? ` ${spec.value}` : '';
    return [`  ${short}--${name}${value}`, spec.description] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, desc]) => left.padEnd(width) + desc);
}

function commandLines(table: CommandSpec[]): string[] {
  // Long usages (e.g. `check PATH… [--format …]`) get their own line, so the column stays narrow.
  const width = Math.min(Math.max(...table.map((c) => c.usage.length)), 26) + 4;
  return table.flatMap((c) =>
    c.usage.length + 4 > width
      ? [`  ${c.usage}`, `  ${' '.repeat(width)}${c.summary}`]
      : [`  ${c.usage.padEnd(width)}${c.summary}`],
  );
}

/** mainHelp is `k8s-learn --help`. */
export function mainHelp(version: string): string {
  return [
    `k8s-learn ${version} — learn Kubernetes step by step, verified with kubectl`,
    '',
    'Usage:',
    '  k8s-learn [command] [options]',
    '',
    'Commands:',
    ...commandLines(commands),
    '',
    'Global options:',
    ...optionLines(globalOptionSpecs),
    '',
    'Run `k8s-learn <command> --help` for more about a command.',
    'Exit codes: 0 ok, 1 a verification or check failed, 2 usage error, 130 cancelled.',
    '',
  ].join('\n');
}

/** commandHelp is `k8s-learn <command> --help`. */
export function commandHelp(spec: CommandSpec, parents: string[] = []): string {
  const path = ['k8s-learn', ...parents].join(' ');
  const lines = [`Usage: ${path} ${spec.usage}`, '', spec.summary];
  if (spec.details) lines.push('', spec.details);
  if (spec.subcommands) lines.push('', 'Commands:', ...commandLines(spec.subcommands));
  if (spec.options && Object.keys(spec.options).length > 0) {
    lines.push('', 'Options:', ...optionLines(spec.options));
  }
  lines.push('', 'Global options:', ...optionLines(globalOptionSpecs), '');
  return lines.join('\n');
}
