// `k8s-learn check PATH… [--format text|json] [--strict]`: checks manifests offline, before
// `kubectl apply`, and explains each finding in the learner's language. Exit 0 clean, 1 when an
// error (or, with --strict, a warning) was found, 2 for bad usage or unreadable input.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkWithStats } from '../check/index.js';
import { collectInputs, UnreadableInput } from '../check/inputs.js';
import { formatJson, formatText } from '../check/report.js';
import type { CommandArgs } from '../cli/registry.js';
import { ExitCode, UsageError, UserError } from '../errors.js';
import { createTranslator } from '../i18n/index.js';
import { packageRoot } from '../paths.js';

/** run is the command's entry point. */
export async function run({ global, flags, positionals }: CommandArgs): Promise<number> {
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`invalid --format value "${String(format)}"`, 'Use --format text or --format json.');
  }
  if (positionals.length === 0) {
    throw new UsageError('check needs at least one PATH', "Give files or directories, or '-' to read stdin.");
  }
  const strict = flags.strict === true;
  const t = createTranslator(global.lang);
  let inputs: Awaited<ReturnType<typeof collectInputs>>;
  try {
    inputs = await collectInputs(positionals);
  } catch (err) {
    if (err instanceof UnreadableInput) {
      throw new UserError(
        t('check.ui.unreadable', { path: err.path, reason: err.reason }),
        'Check the path; directories are searched for *.yaml and *.yml files.',
        ExitCode.usage,
      );
    }
    throw err;
  }
  const { findings, documents, summary } = checkWithStats(inputs, { lang: global.lang, strict });
  // docs/rules.md ships in the package: every rule id has a section there (why, example, fix).
  const rulesDoc = join(packageRoot(), 'docs', 'rules.md');
  const docs = existsSync(rulesDoc) ? rulesDoc : undefined;
  const out =
    format === 'json'
      ? formatJson(findings, strict, docs)
      : formatText(
          inputs.map((i) => i.path),
          findings,
          documents,
          t,
          global.color,
          docs,
        );
  process.stdout.write(out);
  return summary.failed ? ExitCode.failed : ExitCode.ok;
}
