// The manifest checker's programmatic API. `checkManifests` parses, runs every rule and returns the
// findings, translated and sorted by file and position. The CLI (`k8s-learn check`), the course
// engine (on files the learner edits) and `init` (on generated files) all call it.
import { createTranslator, type Translate } from '../i18n/index.js';
import { formatField, parseInputs, type RawFinding } from './parse.js';
import { cidrRule } from './rules/cidr.js';
import { imageRule, mountRule, probesRule, resourcesRule, volumeRule } from './rules/containers.js';
import { duplicateRule, kindRule, namespaceRule } from './rules/inventory.js';
import { selectorRule, serviceRule } from './rules/links.js';
import {
  endpointsRule,
  imageReferenceRule,
  keyRule,
  namespaceRefRule,
  probePortRule,
  requestsRule,
  restartPolicyRule,
  scheduleRule,
} from './rules/mistakes.js';
import { namesRule } from './rules/names.js';
import { referenceRule } from './rules/references.js';
import { schemaRule } from './rules/schema.js';
import { valuesRule } from './rules/values.js';
import type { CheckInput, CheckOptions, Finding, Report, Rule, Severity } from './types.js';

export type { CheckInput, CheckOptions, Finding, Severity } from './types.js';

/** objectRules look at one object at a time; they also run on kustomize patches (partial objects). */
const objectRules: Rule[] = [kindRule, schemaRule, namesRule, valuesRule, cidrRule, scheduleRule];

/** rules run in this order; each may report under several ids (see docs/rules.md). */
export const rules: Rule[] = [
  ...objectRules,
  selectorRule,
  serviceRule,
  imageRule,
  mountRule,
  volumeRule,
  resourcesRule,
  probesRule,
  referenceRule,
  restartPolicyRule,
  imageReferenceRule,
  requestsRule,
  probePortRule,
  keyRule,
  endpointsRule,
  namespaceRefRule,
  duplicateRule,
  namespaceRule,
];

/**
 * ruleIds are the finding ids the rules report; each is documented in docs/rules.md and has fixtures
 * (the file-system ones, `inputRuleIds`, are exercised through the CLI in test/check/inputs.test.ts).
 */
export const ruleIds = [
  'unreadable-file',
  'skipped-file',
  'not-utf8',
  'no-objects',
  'not-kubernetes',
  'yaml-syntax',
  'duplicate-key',
  'not-a-mapping',
  'unknown-kind',
  'no-schema',
  'unknown-field',
  'missing-field',
  'wrong-type',
  'invalid-value',
  'invalid-quantity',
  'requests-above-limits',
  'invalid-image',
  'invalid-schedule',
  'invalid-name',
  'invalid-label',
  'mismatching-selector',
  'dangling-service',
  'invalid-target-port',
  'latest-tag',
  'pull-policy-always',
  'sensitive-mount',
  'docker-sock',
  'undefined-volume',
  'missing-requests',
  'missing-limits',
  'missing-probes',
  'undefined-reference',
  'missing-key',
  'undefined-port',
  'undefined-namespace',
  'mismatching-endpoints',
  'invalid-cidr',
  'duplicate-object',
  'mixed-namespaces',
] as const;

/** inputRuleIds are reported by reading files (inputs.ts), not from a text: no YAML fixture can show them. */
export const inputRuleIds = ['unreadable-file', 'skipped-file'] as const;

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function translate(raw: RawFinding, t: Translate): Finding {
  const base = `check.${raw.rule}.${raw.variant}`;
  const fixKey = `${base}.fix`;
  const fix = t(fixKey, raw.vars);
  return {
    file: raw.file,
    line: raw.position.line,
    column: raw.position.column,
    severity: raw.severity,
    rule: raw.rule,
    message: t(base, raw.vars),
    ...(fix !== fixKey ? { fix } : {}),
    ...(raw.field ? { field: raw.field } : {}),
    ...(raw.object ? { object: raw.object } : {}),
  };
}

/** checkManifests checks files' texts and returns every finding (never throws on bad YAML). */
export function checkManifests(inputs: CheckInput[], options: CheckOptions = {}): Finding[] {
  return checkWithStats(inputs, options).findings;
}

/** CheckReport is a run's findings, the number of object documents checked, and the counts. */
export interface CheckReport {
  findings: Finding[];
  documents: number;
  /** Counts by severity; `failed` honours `options.strict` (warnings fail too). */
  summary: Summary;
}

/** checkWithStats is checkManifests plus the document count and a summary that honours `strict`. */
export function checkWithStats(inputs: CheckInput[], options: CheckOptions = {}): CheckReport {
  const t = createTranslator(options.lang ?? 'en');
  const { manifests, findings: raw, layout } = parseInputs(inputs);
  const seen = new Set<string>();
  const report: Report = ({
    manifest,
    path,
    key,
    rule,
    severity,
    variant = 'message',
    vars = {},
    offset,
  }) => {
    const position = offset !== undefined ? manifest.position(offset) : manifest.at(path, key);
    const dedupe = `${manifest.file}:${position.line}:${position.column}:${rule}:${variant}:${JSON.stringify(vars)}`;
    if (seen.has(dedupe)) return;
    seen.add(dedupe);
    raw.push({
      file: manifest.file,
      position,
      rule,
      severity,
      variant,
      vars,
      ...(path.length > 0 ? { field: formatField(path) } : {}),
      ...(manifest.kind ? { object: `${manifest.kind}/${manifest.name || '?'}` } : {}),
    });
  };
  const whole = manifests.filter((m) => !m.partial);
  for (const rule of rules) {
    const all = objectRules.includes(rule);
    rule.run({ manifests: all ? manifests : whole, layout, options, report });
  }
  const order = new Map(inputs.map((input, i) => [input.path, i]));
  const findings = raw
    .map((f) => translate(f, t))
    .sort(
      (a, b) =>
        (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) ||
        a.line - b.line ||
        a.column - b.column ||
        severityOrder[a.severity] - severityOrder[b.severity] ||
        a.rule.localeCompare(b.rule),
    );
  return { findings, documents: manifests.length, summary: summarize(findings, options.strict === true) };
}

/** Summary counts a run's findings; `failed` means the check should exit 1. */
export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  failed: boolean;
}

/** summarize counts findings by severity and says whether the run failed (warnings count with strict). */
export function summarize(findings: Finding[], strict = false): Summary {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  return { errors, warnings, infos, failed: errors > 0 || (strict && warnings > 0) };
}
