// `k8s-learn load` against a practice cluster with the real kubectl: plain lines through a pipe,
// the live chart in a terminal (tmux, a screen captured mid-run), Ctrl-C, bad input and the exit
// codes, in English and Chinese. `--fast` runs the cluster's autoscaling clock 50× faster, so a
// whole scale-up and scale-down takes a few seconds.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, root } from '../helpers/cli.js';
import { tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
let env: Record<string, string>;
const socket = `k8s-learn-load-${process.pid}`;
const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
const bin = join(root, 'bin/k8s-learn.js');

const app = `apiVersion: v1
kind: Namespace
metadata: { name: k8s-test }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: k8s-core, namespace: k8s-test }
spec:
  replicas: 1
  selector: { matchLabels: { app: k8s-core } }
  template:
    metadata: { labels: { app: k8s-core } }
    spec:
      containers:
        - name: app
          image: k8s-core:1.0
          imagePullPolicy: IfNotPresent
          ports: [{ name: http, containerPort: 8080 }]
          resources: { requests: { cpu: 100m } }
---
apiVersion: v1
kind: Service
metadata: { name: k8s-core, namespace: k8s-test }
spec:
  selector: { app: k8s-core }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: k8s-core, namespace: k8s-test }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: k8s-core }
  minReplicas: 1
  maxReplicas: 5
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
  behavior:
    scaleDown: { stabilizationWindowSeconds: 30 }
`;

function kubectl(args: string[], input?: string) {
  return spawnSync('kubectl', ['--context', 'k8s-learn-practice', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    ...(input ? { input } : {}),
  });
}

async function screenWith(session: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = tmux('capture-pane', '-t', session, '-p', '-J');
    if (pattern.test(s)) return s;
    if (Date.now() > until) throw new Error(`${pattern} never appeared; the screen shows:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ARGS = ['load', 'svc/k8s-core', '-n', 'k8s-test', '--cluster', 'practice'];

beforeAll(() => {
  ws = tempWorkspace();
  env = { K8S_LEARN_PRACTICE_DIR: join(ws.dir, 'practice'), KUBECONFIG: join(ws.dir, 'kubeconfig') };
  expect(cli(['practice', 'start'], { env, timeoutMs: 60_000 }).code).toBe(0);
  expect(cli(['practice', 'load-image', 'k8s-core:1.0'], { env }).code).toBe(0);
  expect(kubectl(['apply', '-f', '-'], app).status).toBe(0);
  expect(
    kubectl(['rollout', 'status', 'deployment/k8s-core', '-n', 'k8s-test', '--timeout=60s']).status,
  ).toBe(0);
}, 120_000);

afterAll(() => {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {}
  cli(['practice', 'stop'], { env });
  ws.cleanup();
});

describe('k8s-learn load', () => {
  it('through a pipe: plain lines tell the scale-up and the way back down; exit 0', () => {
    const r = cli([...ARGS, '--duration', '45s', '--fast', '--dir', join(ws.dir, 'lab')], {
      env,
      timeoutMs: 90_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Load: svc/k8s-core in k8s-test, 250m of CPU as 20 requests/s');
    expect(r.stdout).toMatch(/hpa\/k8s-core: 1 pod\(s\) \(wants [2-5];/);
    expect(r.stdout).toMatch(/Load stopped at \d+s: \d+ sent, \d+ answered, 0 failed/);
    expect(r.stdout).toMatch(
      /hpa\/k8s-core scaled 1 → [2-5] under load and back to 1 \d+s after it stopped\./,
    );
    // No escape sequences through a pipe.
    expect(r.stdout).not.toContain('\x1b[');
    // The autoscaling clock is back to the cluster's own.
    expect(kubectl(['get', 'configmap', 'k8s-learn-practice-clock', '-n', 'kube-system']).status).not.toBe(0);
    const events = kubectl([
      'get',
      'events',
      '-n',
      'k8s-test',
      '--field-selector',
      'involvedObject.name=k8s-core,reason=SuccessfulRescale',
      '-o',
      'jsonpath={.items[*].message}',
    ]);
    expect(events.stdout).toMatch(
      /New size: [2-5]; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    expect(events.stdout).toContain('New size: 1; reason: All metrics below target');
  }, 120_000);

  it('in a terminal: a live chart of CPU against the target with the pods under it; Ctrl-C stops cleanly (130)', async () => {
    tmux(
      'new-session',
      '-d',
      '-s',
      'tty',
      '-x',
      '100',
      '-y',
      '40',
      `bash --norc --noprofile -c 'export K8S_LEARN_PRACTICE_DIR="${env.K8S_LEARN_PRACTICE_DIR}" KUBECONFIG="${env.KUBECONFIG}"; node ${bin} ${ARGS.join(' ')} --fast --duration 600s --dir ${join(ws.dir, 'lab')}; echo EXIT=$?; sleep 60'`,
    );
    // Mid-run: more than one pod already, load still on.
    const screen = await screenWith('tty', /pods │1+[2-5]/);
    expect(screen).toMatch(/load on \d+s of 600s · \d+ sent · \d+ ok · 0 failed/);
    expect(screen).toMatch(
      /hpa\/k8s-core: [1-5] pod\(s\) \(wants [1-5]; min 1, max 5\) · CPU \d+% of target 50%/,
    );
    expect(screen).toContain("CPU, % of the pods' request (┄ target 50%)");
    expect(screen).toMatch(/^ {3}50% ┤/m);
    expect(screen).toMatch(/^ {7}└━+$/m);
    expect(screen).toContain('one column = 3 s');
    tmux('send-keys', '-t', 'tty', 'C-c');
    const end = await screenWith('tty', /EXIT=\d+/);
    expect(end).toMatch(/Load stopped by Ctrl-C: \d+ sent, \d+ answered, 0 failed\./);
    expect(end).toContain('EXIT=130');
    // The chart is drawn in place: one header line on the screen, not one per redraw.
    expect(end.match(/load on \d+s of 600s/g)?.length).toBe(1);
    expect(kubectl(['get', 'configmap', 'k8s-learn-practice-clock', '-n', 'kube-system']).status).not.toBe(0);
  }, 90_000);

  it('in a terminal with --yes: plain lines, no chart', async () => {
    tmux(
      'new-session',
      '-d',
      '-s',
      'yes',
      '-x',
      '100',
      '-y',
      '40',
      `bash --norc --noprofile -c 'export K8S_LEARN_PRACTICE_DIR="${env.K8S_LEARN_PRACTICE_DIR}" KUBECONFIG="${env.KUBECONFIG}"; node ${bin} ${ARGS.join(' ')} --fast --duration 30s --settle 0 --yes --dir ${join(ws.dir, 'lab')}; echo EXIT=$?; sleep 60'`,
    );
    const end = await screenWith('yes', /EXIT=\d+/, 60_000);
    expect(end).toContain('EXIT=0');
    expect(end).toMatch(/Load stopped at \d+s/);
    expect(end).toMatch(/^ +\d+s {2}hpa\/k8s-core: \d pod\(s\)/m);
    expect(end).not.toContain('┤');
  }, 90_000);

  it('a Service that does not exist: exit 1 with the namespace and what to run (en, zh-CN)', () => {
    const en = cli(
      ['load', 'svc/k8s-cor', '-n', 'k8s-test', '--cluster', 'practice', '--dir', join(ws.dir, 'lab')],
      { env },
    );
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('There is no Service k8s-cor in namespace k8s-test');
    expect(en.stderr).toContain('kubectl get services -A');
    const zh = cli(
      [
        'load',
        'svc/k8s-cor',
        '-n',
        'k8s-test',
        '--cluster',
        'practice',
        '--lang',
        'zh-CN',
        '--dir',
        join(ws.dir, 'lab'),
      ],
      { env },
    );
    expect(zh.code).toBe(1);
    expect(zh.stderr).toContain('命名空间 k8s-test 中没有名为 k8s-cor 的 Service');
  });

  it('bad input: exit 2 with the usage', () => {
    const none = cli(['load', '--cluster', 'practice'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('load needs one Service');
    const kind = cli(['load', 'deploy/k8s-core', '--cluster', 'practice'], { env });
    expect(kind.code).toBe(2);
    const duration = cli([...ARGS, '--duration', 'soon'], { env });
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain('--duration and --settle take a time');
    const help = cli(['load', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('load svc/NAME [-n NS] [--duration 90s]');
    expect(help.stdout).toContain('--fast');
  });
});
