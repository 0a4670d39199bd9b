// Reaching a Service as the `service/dns` and `service/see-balancing` steps do, against the practice
// cluster with its controllers and the real kubectl: service-dns (kubectl exec + nslookup/wget in a
// pod), port-forward (kubectl port-forward started and stopped by the check), load-balanced with
// allReady, and the engine's background `kubectl port-forward` (started by "Run them for me",
// stopped when the step ends, nothing left listening).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../../src/checks/types.js';
import { start } from '../../src/commands/start.js';
import { runCommandLine, stopBackground } from '../../src/engine/commands.js';
import { CancelledError } from '../../src/errors.js';
import { createTranslator } from '../../src/i18n/index.js';
import { httpGet } from '../../src/local-http.js';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { loadImageIntoStore } from '../../src/practice/workloads/load-image.js';
import { createRunner } from '../../src/runner.js';
import { CANCEL } from '../../src/ui/scripted.js';
import { args, scripted } from '../helpers/engine.js';
import { deploymentObject } from '../helpers/objects.js';
import {
  kubeCheck,
  kubectlOk,
  kubectlPath,
  startTestCluster,
  type TestCluster,
} from '../helpers/practice.js';

let tc: TestCluster;
let ctx: CheckContext;
const ns = 'reach';
const env = () => ({ PATH: process.env.PATH, HOME: tc.dataDir, KUBECACHEDIR: `${tc.dataDir}/kubectl-cache` });

const check = kubeCheck(() => ctx);

const k = (args: string[], input?: string) => kubectlOk(tc, args, input);

const service = (name: string, app = name) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

const apply = (...objects: unknown[]) =>
  k(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n---\n'));

/** freePort is a local port nothing listens on (bound, read, released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function podsOf(app: string): Promise<string[]> {
  return (await k(['get', 'pods', '-n', ns, '-l', `app=${app}`, '-o', 'name']))
    .trim()
    .split('\n')
    .map((l) => l.replace('pod/', ''));
}

beforeAll(async () => {
  tc = await startTestCluster({ plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
  loadImageIntoStore(tc.cluster.store, 'k8s-core:1.0');
  const runner = createRunner({ env: env() });
  const cluster = { backend: 'practice', context: tc.cluster.context, kubeconfig: tc.cluster.kubeconfigPath };
  ctx = { runner, workspace: tc.dataDir, lang: 'en', t: createTranslator('en'), vars: {}, cluster };
  await k(['create', 'namespace', ns]);
  await apply(
    deploymentObject(ns, 'k8s-core'),
    service('k8s-core'),
    deploymentObject(ns, 'k8s-employee', { replicas: 3 }),
    service('k8s-employee'),
    // A Service whose selector matches nothing: a name without a pod behind it.
    service('orphan', 'nobody'),
  );
  await k(['rollout', 'status', 'deployment/k8s-core', '-n', ns, '--timeout=60s']);
  await k(['rollout', 'status', 'deployment/k8s-employee', '-n', ns, '--timeout=60s']);
}, 90_000);

afterAll(async () => {
  await tc?.stop();
});

describe('service-dns', () => {
  it("resolves the Service's names from a pod and names the pod that answered", async () => {
    const r = await check('service-dns')({
      service: 'k8s-core',
      namespace: ns,
      from: 'deployment/k8s-employee',
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const [pod] = await podsOf('k8s-core');
    const ip = (await k(['get', 'svc', 'k8s-core', '-n', ns, '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    expect(r.title).toBe(`from deployment/k8s-employee, k8s-core resolves to ${ip} and answers from ${pod}`);
  });

  it('fails at once for a missing Service, a missing pod to ask from, and a Service with no pod', async () => {
    const missing = await check('service-dns')({
      service: 'ghost',
      namespace: ns,
      from: 'deployment/k8s-employee',
    });
    expect(missing).toMatchObject({ ok: false, causeId: 'not-found', stuck: true });
    const noFrom = await check('service-dns')({
      service: 'k8s-core',
      namespace: ns,
      from: 'deployment/ghost',
    });
    expect(noFrom).toMatchObject({ ok: false, causeId: 'not-found' });
    expect(noFrom.saw).toMatch(/ghost/);
    const orphan = await check('service-dns')({
      service: 'orphan',
      namespace: ns,
      from: 'deployment/k8s-employee',
    });
    expect(orphan).toMatchObject({ ok: false, causeId: 'no-endpoints' });
  });

  it('says which name did not resolve', async () => {
    const r = await check('service-dns')({
      service: 'k8s-core',
      namespace: ns,
      from: 'deployment/k8s-employee',
      names: ['k8s-core', 'k8s-core.elsewhere'],
    });
    expect(r).toMatchObject({ ok: false, causeId: 'no-answer' });
    expect(r.saw).toMatch(/^k8s-core\.elsewhere: .*bad address/);
    expect(r.hint).toContain(
      'kubectl exec deployment/k8s-employee -n reach -- wget -qO- http://k8s-core.elsewhere/',
    );
  });
});

describe('port-forward', () => {
  it('forwards a free port of its own, and looks at the learner’s forward when one runs', async () => {
    const localPort = await freePort();
    const alone = await check('port-forward')({ service: 'k8s-core', namespace: ns, localPort });
    expect(alone.ok, JSON.stringify(alone)).toBe(true);
    const [pod] = await podsOf('k8s-core');
    expect(alone.title).toContain(`reaches ${pod}`);
    expect(alone.title).toContain(`nothing listened on localhost:${localPort}`);

    // The learner's own `kubectl port-forward svc/k8s-core PORT:80` in "another terminal".
    const learner = spawn(
      kubectlPath,
      [
        '--kubeconfig',
        tc.cluster.kubeconfigPath,
        '--context',
        tc.cluster.context,
        'port-forward',
        'svc/k8s-core',
        `${localPort}:80`,
        '-n',
        ns,
      ],
      { env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        learner.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Forwarding from')) resolve();
        });
        learner.on('exit', (code) => reject(new Error(`port-forward exited ${code}`)));
      });
      const withYours = await check('port-forward')({ service: 'k8s-core', namespace: ns, localPort });
      expect(withYours.ok).toBe(true);
      expect(withYours.title).toContain(
        `the forward on localhost:${localPort} (yours, or the one the course started for you) answered too (${pod})`,
      );
    } finally {
      learner.kill();
    }
  });

  it('says when another program holds the learner’s port', async () => {
    const other: Server = createServer((_req, res) => res.end('my own dev server\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = other.address() as AddressInfo;
      const r = await check('port-forward')({ service: 'k8s-core', namespace: ns, localPort: port });
      expect(r.ok).toBe(true);
      expect(r.title).toContain(`localhost:${port} answered, but not from a pod of k8s-core`);
    } finally {
      other.close();
    }
  });

  it('fails at once for a Service without a ready pod or without that port, leaving nothing running', async () => {
    const orphan = await check('port-forward')({ service: 'orphan', namespace: ns });
    expect(orphan).toMatchObject({ ok: false, causeId: 'no-endpoints' });
    const wrongPort = await check('port-forward')({ service: 'k8s-core', namespace: ns, port: 81 });
    expect(wrongPort).toMatchObject({ ok: false, causeId: 'port-forward' });
    expect(wrongPort.saw).toMatch(/does not have a service port 81/);
  });
});

describe('load-balanced with allReady', () => {
  it('passes when every ready pod answered, and names the silent ones otherwise', async () => {
    const all = await check('load-balanced')({
      service: 'k8s-employee',
      namespace: ns,
      port: 'http',
      requests: 30,
      allReady: true,
    });
    expect(all.ok, JSON.stringify(all)).toBe(true);
    // One request cannot reach three pods: two of them are named as silent.
    const one = await check('load-balanced')({
      service: 'k8s-employee',
      namespace: ns,
      port: 'http',
      requests: 1,
      allReady: true,
    });
    expect(one).toMatchObject({ ok: false, causeId: 'too-few-pods' });
    expect(one.cause).toMatch(
      /^These ready pods got no request among the answers: k8s-employee-\S+, k8s-employee-\S+\./,
    );
  });
});

describe('the engine runs kubectl port-forward in the background', () => {
  it('returns once kubectl listens, keeps it until stopBackground, then nothing listens', async () => {
    const port = await freePort();
    const { ui, text } = scripted();
    const engine = { runner: ctx.runner, workspace: tc.dataDir, ui, cluster: ctx.cluster, t: ctx.t };
    const started = await runCommandLine(engine, `kubectl port-forward svc/k8s-core ${port}:80 -n ${ns}`);
    expect(started.exitCode).toBe(0);
    expect(text()).toContain(`started \`kubectl port-forward svc/k8s-core ${port}:80 -n ${ns}\``);
    const through = await httpGet(port, '/from-my-laptop', 5000);
    expect(JSON.parse(through.body)).toMatchObject({ path: '/from-my-laptop' });
    // Run again (after a failed verify): the first forward gives the port up to the second.
    expect(
      (await runCommandLine(engine, `kubectl port-forward svc/k8s-core ${port}:80 -n ${ns}`)).exitCode,
    ).toBe(0);
    await stopBackground(engine);
    expect(text()).toContain(`stopped \`kubectl port-forward svc/k8s-core ${port}:80 -n ${ns}\``);
    expect((await httpGet(port, '/', 2000)).error).toBe('ECONNREFUSED');
  });

  it('reports a port that is taken as the failure kubectl gives, at once', async () => {
    // Taken on every local address (kubectl listens on 127.0.0.1 and [::1], and goes on with one).
    const other: Server = createServer((_req, res) => res.end('taken\n'));
    await new Promise<void>((r) => other.listen(0, '::', () => r()));
    try {
      const { port } = other.address() as AddressInfo;
      const { ui } = scripted();
      const engine = { runner: ctx.runner, workspace: tc.dataDir, ui, cluster: ctx.cluster, t: ctx.t };
      const r = await runCommandLine(engine, `kubectl port-forward svc/k8s-core ${port}:80 -n ${ns}`);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/address already in use|unable to listen/);
      await stopBackground(engine);
    } finally {
      other.close();
    }
  });
});

describe('a step whose run list has a kubectl port-forward', () => {
  it('"Run them for me" does not hang on it, and Ctrl-C at the next prompt leaves nothing listening', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-pf-'));
    try {
      const course = join(dir, 'course');
      mkdirSync(join(course, 'fwd', 'en'), { recursive: true });
      writeFileSync(
        join(course, 'course.yaml'),
        'formatVersion: 1\nid: pf\nversion: 1.0.0\ntitle: { en: PF }\nlanguages: [en]\nlessons: [fwd]\n',
      );
      writeFileSync(
        join(course, 'fwd', 'lesson.yaml'),
        [
          'id: fwd',
          'title: { en: Forward }',
          'steps:',
          '  - id: tunnel',
          '    title: { en: Tunnel }',
          '    run:',
          `      - kubectl port-forward svc/k8s-core ${port}:80 -n ${ns}`,
          `      - kubectl get svc k8s-core -n ${ns} -o name`,
          '    verify:',
          // Never passes: the learner is left at the "what now?" prompt with the forward running.
          `      - { type: resource-exists, kind: service, name: nothing-here, namespace: ${ns} }`,
          '    solve: [commands]',
          '',
        ].join('\n'),
      );
      writeFileSync(join(course, 'fwd', 'en', 'tunnel.md'), '# Tunnel\n');
      const runner = createRunner({ env: { ...env(), KUBECONFIG: tc.cluster.kubeconfigPath } });
      let listeningAtPrompt = '';
      // Continue in that context? yes; run them for me; then Ctrl-C at the prompt after the failed verify.
      const { ui, text } = scripted([true, 'run', CANCEL]);
      // At the prompt after the failed verify the forward still runs: look through it, then Ctrl-C.
      const select = ui.select.bind(ui);
      ui.select = async (options) => {
        if (String(options.message).includes('What now') || options.options.some((o) => o.value === 'retry'))
          listeningAtPrompt = (await httpGet(port, '/at-the-prompt', 5000)).body;
        return select(options);
      };
      const run = start(args(join(dir, 'ws'), { course, cluster: `context:${tc.cluster.context}` }), {
        ui,
        runner,
      });
      await expect(run).rejects.toBeInstanceOf(CancelledError);
      expect(text()).toContain(`started \`kubectl port-forward svc/k8s-core ${port}:80 -n ${ns}\``);
      expect(text()).toContain(`ran \`kubectl get svc k8s-core -n ${ns} -o name\``);
      expect(JSON.parse(listeningAtPrompt)).toMatchObject({ path: '/at-the-prompt' });
      expect(text()).toContain(`stopped \`kubectl port-forward svc/k8s-core ${port}:80 -n ${ns}\``);
      // Nothing of ours answers any more: the forward's port is closed (refused). Under a full parallel
      // run another test's server may have taken the freed port meanwhile; it must not be the app.
      const after = await httpGet(port, '/after-ctrl-c', 2000);
      expect(after.body ?? '').not.toContain('/after-ctrl-c');
      if (after.error !== 'ECONNREFUSED') expect(after.error ?? 'an answer').toBe('ECONNRESET');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
