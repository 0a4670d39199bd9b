// Every rule has a failing and a passing fixture (test/fixtures/check/rules/<rule>/{bad,good}.yaml),
// a section in docs/rules.md, and messages in every shipped language with the same placeholders.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifests, inputRuleIds, ruleIds } from '../../src/check/index.js';

const root = join(import.meta.dirname, '../..');
const rulesDir = join(root, 'test/fixtures/check/rules');
const read = (rule: string, which: string) => ({
  path: `${rule}/${which}.yaml`,
  text: readFileSync(join(rulesDir, rule, `${which}.yaml`), 'utf8'),
});

const textRuleIds = ruleIds.filter((r) => !(inputRuleIds as readonly string[]).includes(r));

describe('rule fixtures', () => {
  it('exist for exactly the documented rules that a text can show', () => {
    expect(readdirSync(rulesDir).sort()).toEqual([...textRuleIds].sort());
  });

  it.each(textRuleIds)('%s: bad.yaml triggers it, good.yaml does not', (rule) => {
    const bad = checkManifests([read(rule, 'bad')]).filter((f) => f.rule === rule);
    expect(bad.length).toBeGreaterThan(0);
    for (const f of bad) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.message).not.toMatch(/\{\w+\}|^check\./);
      expect(f.fix ?? '').not.toMatch(/\{\w+\}|^check\./);
    }
    expect(checkManifests([read(rule, 'good')]).filter((f) => f.rule === rule)).toEqual([]);
  });

  it('pull-policy-always also fires for images the caller says were loaded with kind load', () => {
    const text = read('pull-policy-always', 'bad').text.replace('localhost:5001/web:1.0', 'shop-web:1.0');
    const input = [{ path: 'x.yaml', text }];
    expect(checkManifests(input).some((f) => f.rule === 'pull-policy-always')).toBe(false);
    expect(
      checkManifests(input, { localImages: ['shop-web:1.0'] }).some((f) => f.rule === 'pull-policy-always'),
    ).toBe(true);
  });
});

describe('documentation and messages', () => {
  const doc = readFileSync(join(root, 'docs/rules.md'), 'utf8');
  it.each(ruleIds)('docs/rules.md documents %s with why, example and fix', (rule) => {
    const section = doc.split(/^## /m).find((s) => s.startsWith(`\`${rule}\``));
    expect(section, rule).toBeDefined();
    expect(section).toMatch(/\*\*Why\.\*\*/);
    expect(section).toMatch(/```yaml/);
    expect(section).toMatch(/\*\*Fix\.\*\*/);
  });

  it('en and zh-CN have the same check.* keys and placeholders', () => {
    const en = JSON.parse(readFileSync(join(root, 'src/locales/en.json'), 'utf8')) as Record<string, string>;
    const zh = JSON.parse(readFileSync(join(root, 'src/locales/zh-CN.json'), 'utf8')) as Record<
      string,
      string
    >;
    // Only the checker's own keys (rules, ui): other parts also use the check. prefix.
    const own = new RegExp(`^check\\.(${[...ruleIds, 'ui'].join('|')})\\.`);
    const keys = (o: Record<string, string>) =>
      Object.keys(o)
        .filter((k) => own.test(k))
        .sort();
    expect(keys(en).length).toBeGreaterThan(100);
    expect(keys(zh)).toEqual(keys(en));
    const vars = (s: string) => [...new Set(s.match(/\{\w+\}/g) ?? [])].sort();
    for (const k of keys(en)) expect(vars(zh[k]!), k).toEqual(vars(en[k]!));
  });
});

describe('zh-CN output', () => {
  it('explains the article ConfigMap in Chinese and keeps the API server wording', () => {
    const text = readFileSync(join(root, 'test/fixtures/check/article/configMap.yaml'), 'utf8');
    const [name, , cidr] = checkManifests([{ path: 'configMap.yaml', text }], { lang: 'zh-CN' });
    expect(name!.message).toContain('a lowercase RFC 1123 subdomain must consist of');
    expect(name!.fix).toContain('对象名只能包含小写字母');
    expect(name!.fix).toContain('"config-map"');
    expect(cidr!.message).toBe('"20.0.0.0/4" 不是网络地址：主机位不为零。包含它的 /4 网络是 16.0.0.0/4');
  });
});
