// The beginner mistakes the checker used to miss or explain badly (issue 14): each case gives the
// exact finding (position, severity, rule, message) and the CLI's exit code.
import { describe, expect, it } from 'vitest';
import { checkManifests } from '../../src/check/index.js';
import { cli } from '../helpers/cli.js';

const env = { LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined };

const pod = (container: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
${container}`;

const deployment = (podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
${podSpec}`;

/** name, manifest, the finding of that rule, exit code. */
const cases: [string, string, string, number][] = [
  [
    'a quantity that is not one, with the near values explained',
    pod('      image: nginx:1.27.3\n      resources:\n        limits: { memory: 512mb }\n'),
    `10:27 error invalid-quantity spec.containers[0].resources.limits.memory: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' ("512mb"); did you mean 512Mi or 512M?`,
    1,
  ],
  [
    'a quantity with a suffix the API server does not know (100mi)',
    pod('      image: nginx:1.27.3\n      resources:\n        requests: { memory: 100mi }\n'),
    `10:29 error invalid-quantity spec.containers[0].resources.requests.memory: unable to parse quantity's suffix ("100mi"); did you mean 100Mi?`,
    1,
  ],
  [
    'requests above limits',
    pod(
      '      image: nginx:1.27.3\n      resources:\n        requests: { memory: 1Gi }\n        limits: { memory: 512Mi }\n',
    ),
    '10:29 error requests-above-limits spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi',
    1,
  ],
  [
    'an image with uppercase letters',
    pod('      image: MyApp:1.0\n'),
    '8:14 error invalid-image spec.containers[0].image: image "MyApp:1.0": invalid reference format: repository name (MyApp) must be lowercase; the pod is created but never starts (InvalidImageName)',
    1,
  ],
  [
    'a Deployment with restartPolicy: Never',
    deployment(
      '      restartPolicy: Never\n      containers:\n        - name: web\n          image: nginx:1.27.3\n',
    ),
    '13:22 error invalid-value spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    1,
  ],
  [
    'a CronJob schedule that is not cron syntax',
    'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report}\nspec:\n  schedule: "0 25 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: report, image: "busybox:1.36"}]\n',
    '5:13 error invalid-schedule spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25',
    1,
  ],
  [
    'an env key the ConfigMap in the same input lacks',
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {MODE: prod}\n---\n${pod('      image: nginx:1.27.3\n      env:\n        - name: MODE\n          valueFrom: { configMapKeyRef: { name: app, key: mode } }\n')}`,
    '16:59 error missing-key ConfigMap "app" in this input has no key "mode" (its keys: MODE): the container cannot start (CreateContainerConfigError: couldn\'t find key mode in ConfigMap default/app)',
    1,
  ],
  [
    'a probe on a named port the container does not declare',
    pod('      image: nginx:1.27.3\n      livenessProbe:\n        tcpSocket: { port: http }\n'),
    '10:28 error undefined-port spec.containers[0].livenessProbe.tcpSocket.port: the probe uses port "http", but container "web" names no such port (named ports: -): the probe can never succeed',
    1,
  ],
  [
    'a namespace the input defines nowhere (created elsewhere: info)',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: shop\n',
    '5:14 info undefined-namespace ConfigMap/app is in namespace "shop", which this input does not create: unless it already exists, kubectl apply fails with namespaces "shop" not found',
    0,
  ],
  [
    'a namespace misspelt next to the one the input creates (warning)',
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: shpo\n',
    '9:14 warning undefined-namespace ConfigMap/app is in namespace "shpo", which this input does not create; it does create "shop". kubectl apply fails with namespaces "shpo" not found',
    0,
  ],
  [
    "Endpoints whose port names do not match the Service's",
    'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  ports: [{name: pg, port: 5432}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: db}\nsubsets:\n  - addresses: [{ip: 10.0.0.9}]\n    ports: [{name: postgres, port: 5432}]\n',
    '12:12 error mismatching-endpoints these Endpoints have no port named "pg" (they have "postgres"), but Service "db" does: traffic to that Service port goes nowhere',
    1,
  ],
  [
    'a numeric targetPort no container declares (an error now)',
    `${deployment('      containers:\n        - name: web\n          image: nginx:1.27.3\n          ports: [{containerPort: 80}]\n')}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n`,
    '23:34 error invalid-target-port targetPort 8080 is not among the container ports of the selected pods (80)',
    1,
  ],
  [
    'replicas: "2" says to remove the quotes',
    deployment('      containers:\n        - name: web\n          image: nginx:1.27.3\n').replace(
      'replicas: 1',
      'replicas: "2"',
    ),
    '6:13 error wrong-type spec.replicas: expected integer, got string "2"',
    1,
  ],
  [
    'a Service selector written with matchLabels',
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector:\n    matchLabels: {app: web}\n  ports: [{port: 80}]\n',
    '6:18 error wrong-type spec.selector.matchLabels: a Service selector is a plain map of labels; it has no matchLabels or matchExpressions',
    1,
  ],
];

describe('missed classes and misleading messages', () => {
  it.each(cases)('%s', (_, text, expected, code) => {
    const rule = expected.split(' ')[2]!;
    const findings = checkManifests([{ path: 'x.yaml', text }]).filter((f) => f.rule === rule);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`)).toEqual([
      expected,
    ]);
    const r = cli(['check', '-'], { env, input: text });
    expect(r.code).toBe(code);
  });

  it('the fixes say what to write', () => {
    const fixOf = (i: number) => {
      const [, text, expected] = cases[i]!;
      return checkManifests([{ path: 'x.yaml', text }]).find((f) => f.rule === expected.split(' ')[2])!.fix;
    };
    expect(fixOf(0)).toBe(
      'Write 512Mi (536,870,912 bytes, binary units, the usual choice for memory) or 512M (512,000,000 bytes, decimal units). There is no "B": "mb" and "MB" are not units, and a lowercase m means milli.',
    );
    expect(fixOf(12)).toBe(
      'Remove the quotes: write 2, not "2". In YAML, quotes make a string and this field takes a number.',
    );
    expect(fixOf(13)).toMatch(/^Write the labels directly under selector/);
    expect(fixOf(4)).toMatch(/remove restartPolicy \(it defaults to Always\)/);
  });
});
