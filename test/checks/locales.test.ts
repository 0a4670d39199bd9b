// Every UI string this part uses exists in English and in Chinese: literal keys found in the
// sources, and the keys built from names (alert reasons, kind failures, doctor items).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const en = JSON.parse(readFileSync(join(root, 'src/locales/en.json'), 'utf8')) as Record<string, string>;
const zh = JSON.parse(readFileSync(join(root, 'src/locales/zh-CN.json'), 'utf8')) as Record<string, string>;

function sources(): string[] {
  const files = [
    'src/kubectl.ts',
    'src/commands/doctor.ts',
    'src/commands/alerts.ts',
    'src/commands/cleanup.ts',
  ];
  for (const dir of ['src/backends', 'src/doctor', 'src/alerts', 'src/checks/kube']) {
    for (const name of readdirSync(join(root, dir))) {
      if (statSync(join(root, dir, name)).isFile() && name.endsWith('.ts')) files.push(`${dir}/${name}`);
    }
  }
  return files;
}

const built = [
  ...[
    'ErrImagePull',
    'ImagePullBackOff',
    'ErrImageNeverPull',
    'InvalidImageName',
    'CreateContainerConfigError',
    'CrashLoopBackOff',
    'OOMKilled',
    'Unschedulable',
    'ReadinessFailing',
    'NoReadyEndpoints',
    'ProgressDeadlineExceeded',
    'MissingCpuRequest',
    'MetricsUnavailable',
  ].flatMap((r) => [`alerts.${r}.means`, `alerts.${r}.fix`]),
  ...[
    'daemonDown',
    'clusterExists',
    'portInUse',
    'nodeBoot',
    'tooManyOpenFiles',
    'diskFull',
    'imageMissing',
    'noNodes',
  ].flatMap((f) => [`backends.kind.${f}`, `backends.kind.${f}.fix`]),
  ...['dockerMissing', 'daemonDown', 'kindMissing'].map((p) => `backends.auto.${p}`),
  ...['node', 'docker', 'dockerDaemon', 'dockerMemory', 'kind', 'kubectl', 'kindCluster', 'skew'].map(
    (i) => `doctor.item.${i}`,
  ),
  ...[
    'node.ok',
    'node.fail',
    'docker.ok',
    'docker.fail',
    'dockerDaemon.ok',
    'dockerDaemon.fail',
    'dockerMemory.ok',
    'dockerMemory.warn',
    'kind.ok',
    'kind.fail',
    'kubectl.ok',
    'kubectl.fail',
    'kindCluster.ok',
    'kindCluster.warn',
    'skew.ok',
    'skew.warn',
    'skew.fail',
  ].map((k) => `doctor.${k}`),
  ...['kind', 'practice', 'context'].map((b) => `doctor.backend.${b}`),
  ...['syntax', 'prefix', 'hostBits'].map((p) => `checks.configmapCidrs.${p}`),
  ...['raised', 'cleared'].map((c) => `alerts.change.${c}`),
  ...['replicas', 'selector', 'selectorNoPods'].flatMap((k) =>
    ['saw', 'cause', 'hint'].map((f) => `checks.stuck.${k}.${f}`),
  ),
  ...['missing', 'mismatch', 'tainted'].flatMap((k) =>
    ['cause', 'hint'].map((f) => `checks.stuck.nodeSelector.${k}.${f}`),
  ),
  'ui.spinner.limit',
  'ui.spinner.upTo',
];

describe('locales of backends, doctor, alerts and checks', () => {
  it('has every key in en and zh-CN, with the same placeholders', () => {
    const literal = new Set<string>();
    for (const file of sources()) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'((?:checks|doctor|alerts|backends|cleanup|kubectl)\.[\w.]+)'/g))
        literal.add(m[1]!);
    }
    expect(literal.size).toBeGreaterThan(100);
    const keys = [...literal, ...built];
    const missing = keys.filter((k) => !(k in en) || !(k in zh));
    expect(missing).toEqual([]);
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mismatched = keys.filter((k) => placeholders(en[k]!).join() !== placeholders(zh[k]!).join());
    expect(mismatched).toEqual([]);
    // Untranslated: the same text as English, with English prose outside placeholders and commands
    // (a lone tool name such as "kubectl" is the same in both languages).
    const words = (v: string) =>
      v
        .replace(/\{\w+\}/g, '')
        .replace(/`[^`]*`/g, '')
        .match(/[A-Za-z]{3,}/g) ?? [];
    const untranslated = keys.filter((k) => zh[k] === en[k] && words(en[k]!).length > 1);
    expect(untranslated).toEqual([]);
  });
});
