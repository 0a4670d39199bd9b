// False alarms on real-world repositories (issue 14): YAML that is not a Kubernetes object gets one
// info line saying what it is; kustomize patches are checked as partial objects; a name reused by
// independent examples is a warning, by files one kustomization applies together an error.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const env = { LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined };
const dir = 'test/fixtures/check/real-world';

interface JsonReport {
  summary: { errors: number; warnings: number; infos: number };
  findings: { file: string; line: number; severity: string; rule: string; message: string }[];
}

function check(path: string) {
  const r = cli(['check', '--format', 'json', path], { env });
  const report = JSON.parse(r.stdout) as JsonReport;
  const short = report.findings.map(
    (f) => `${f.file.slice(dir.length + 1)}:${f.line} ${f.severity} ${f.rule}`,
  );
  return { code: r.code, report, short };
}

describe('YAML that is not a Kubernetes object', () => {
  it('component and tool configs: one info per file, exit 0', () => {
    const { code, report, short } = check(`${dir}/config`);
    expect(code).toBe(0);
    expect(short).toEqual([
      'config/app-settings.yaml:1 info not-kubernetes',
      'config/audit-policy.yaml:1 info not-kubernetes',
      'config/egress-selector-configuration.yaml:1 info not-kubernetes',
      'config/kubeadm-config.yaml:1 info not-kubernetes',
    ]);
    expect(report.findings[0]!.message).toBe(
      "app-settings.yaml has no apiVersion or kind in any document: not a Kubernetes manifest (an application's own YAML?), skipped",
    );
    expect(report.findings[2]!.message).toMatch(
      /^EgressSelectorConfiguration \(apiserver\.k8s\.io\/v1beta1\) is a configuration file for a Kubernetes component or tool/,
    );
  });

  it('a Helm chart: Chart.yaml, values and templates are skipped with what they are', () => {
    const { code, report } = check(`${dir}/helm`);
    expect(code).toBe(0);
    expect(report.findings.map((f) => f.message)).toEqual([
      'Chart.yaml describes a Helm chart, not a Kubernetes object: skipped',
      'deployment.yaml is a Helm template ({{ … }} placeholders), not YAML yet: skipped',
      "values.yaml has no apiVersion or kind in any document: not a Kubernetes manifest (an application's own YAML?), skipped",
    ]);
  });

  it('docker-compose and a GitHub workflow', () => {
    expect(check(`${dir}/compose.yaml`).report.findings[0]!.message).toBe(
      'compose.yaml is a docker-compose file, not a Kubernetes manifest: skipped',
    );
    expect(check(`${dir}/github/.github/workflows/ci.yml`).report.findings[0]!.message).toBe(
      'ci.yml is a CI workflow (GitHub Actions), not a Kubernetes manifest: skipped',
    );
  });
});

describe('fields upstream defaults before validating', () => {
  it('a Job podFailurePolicy onPodConditions without status (defaulted to True): no finding', () => {
    const { code, report } = check(`${dir}/job-pod-failure-policy.yaml`);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
  });
});

describe('YAML that go-yaml (kubectl) accepts', () => {
  it("\\' in a double-quoted string (a shell command in the documentation): no syntax error, exit 0", () => {
    const { code, report } = check(`${dir}/go-yaml-escape.yaml`);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it("reads \\' as ' and leaves the other escapes as they are", () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "it\\\'s"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "a\\\\\'b"\n';
    const r = cli(['check', '--format', 'json', '-'], { env, input: text });
    const names = (JSON.parse(r.stdout) as JsonReport).findings
      .filter((f) => f.rule === 'invalid-name')
      .map((f) => f.message.match(/Invalid value: "(.*?)"/)?.[1]);
    // `\\'` is an escaped backslash followed by a quote: a\'b, as go-yaml reads it.
    expect(names).toEqual(["it's", "a\\'b"]);
  });
});

describe('kustomize', () => {
  it('a base and an overlay: kustomizations skipped, the patch checked as a partial object, the JSON patch skipped', () => {
    const { code, short } = check(`${dir}/kustomize`);
    expect(code).toBe(0);
    expect(short).toEqual([
      'kustomize/base/kustomization.yaml:1 info not-kubernetes',
      'kustomize/overlays/prod/image.yaml:1 info not-kubernetes',
      'kustomize/overlays/prod/kustomization.yaml:1 info not-kubernetes',
    ]);
  });

  it('the patch alone, outside its kustomization, is a Deployment missing its selector and template', () => {
    const { code, short } = check(`${dir}/kustomize/overlays/prod/replicas.yaml`);
    expect(code).toBe(1);
    expect(short.filter((s) => s.includes('missing-field'))).toHaveLength(2);
  });
});

describe('duplicate objects in directory mode', () => {
  it('independent examples reusing a name: a warning that says they are separate files, exit 0', () => {
    const { code, report } = check(`${dir}/examples`);
    expect(code).toBe(0);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ severity: 'warning', rule: 'duplicate-object', line: 5 });
    expect(report.findings[0]!.message).toBe(
      `ConfigMap/game-config (namespace default) is also defined in ${dir}/examples/a/configmap.yaml:5, a separate file that no kustomization ties to this one: applied together, one would overwrite the other`,
    );
  });

  it('independent examples defining one ConfigMap with different keys: a key is missing only if no definition has it', () => {
    const { code, short } = check(`${dir}/examples-shared-configmap`);
    expect(code).toBe(0);
    expect(short).toEqual(['examples-shared-configmap/b/configmap.yaml:5 warning duplicate-object']);
  });

  it('two files of one kustomization: an error naming the kustomization, exit 1', () => {
    const { code, report } = check(`${dir}/kustomize-duplicate`);
    expect(code).toBe(1);
    const dup = report.findings.find((f) => f.rule === 'duplicate-object');
    expect(dup).toMatchObject({ severity: 'error', file: `${dir}/kustomize-duplicate/second.yaml` });
    expect(dup!.message).toBe(
      `ConfigMap/game-config (namespace default) is defined twice in what ${dir}/kustomize-duplicate/kustomization.yaml applies together; the first is at ${dir}/kustomize-duplicate/first.yaml:4`,
    );
  });

  it('twice in one file: still an error', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
    const r = cli(['check', '--format', 'json', '-'], { env, input: text });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonReport).findings[0]!.message).toBe(
      'ConfigMap/a (namespace default) is defined twice in this file; the first is at <stdin>:3',
    );
  });
});
