#!/usr/bin/env node
// Practice cluster figures (issue 3), on this machine, against the built daemon in its own
// process: list requests/s for a `kubectl get pods -o json`-sized list, memory (RSS) with 1,000
// ConfigMaps, and the wall time of the real `kubectl apply -f` of a 4-object file.
// Run after `npm run build` (npm run bench does). Bounded: loopback only, fixed request counts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const daemon = 'dist/practice/daemon.js';
if (!existsSync(daemon)) {
  console.log('bench-practice: run `npm run build` first');
  process.exit(0);
}
const kubectl = process.env.KUBECTL ?? '/usr/bin/kubectl';
const dir = mkdtempSync(join(tmpdir(), 'k8s-learn-bench-practice-'));
const child = spawn(process.execPath, [daemon, '--data-dir', dir, '--port', '0'], { stdio: 'ignore' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  let info;
  for (let i = 0; i < 200 && !info; i++) {
    await sleep(50);
    try {
      info = JSON.parse(readFileSync(join(dir, 'daemon.json'), 'utf8'));
    } catch {}
  }
  if (!info) throw new Error('daemon did not start');
  const cfg = parse(readFileSync(info.kubeconfigPath, 'utf8'));
  const token = cfg.users[0].user.token;
  const ca = Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64');
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca });
  const call = (method, path, body, bearer = token) =>
    new Promise((resolve, reject) => {
      const req = request(
        `${info.url}${path}`,
        {
          method,
          agent,
          headers: {
            Authorization: `Bearer ${bearer}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            resolve({ status: res.statusCode, bytes: buf.length, text: () => buf.toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  const parallel = async (n, width, fn) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < n) await fn(next++);
      }),
    );
  };
  const rss = () => {
    const status = existsSync(`/proc/${info.pid}/status`)
      ? readFileSync(`/proc/${info.pid}/status`, 'utf8')
      : '';
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
    const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(info.pid)], { encoding: 'utf8' });
    return Number(ps.stdout.trim()) / 1024;
  };

  await call('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'bench' },
  });
  const idle = rss();
  // kind's kube-system (13 pods) running, as a learner finds the cluster a few seconds later.
  for (let i = 0; i < 100; i++) {
    const pods = JSON.parse((await call('GET', '/api/v1/pods')).text()).items ?? [];
    const system = pods.filter((p) => ['kube-system', 'local-path-storage'].includes(p.metadata.namespace));
    if (system.length >= 13 && system.every((p) => p.status?.phase === 'Running')) break;
    await sleep(200);
  }
  await sleep(3000);
  const idleSettled = rss();

  // 50 pods shaped like a Deployment's (the list kubectl get pods -o json fetches).
  const pod = (i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7d9c5b8f4-${String(i).padStart(5, '0')}`,
      labels: { app: 'web', 'pod-template-hash': '7d9c5b8f4' },
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'GREETING', value: 'hello' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' } },
        },
      ],
    },
  });
  await parallel(50, 8, (i) => call('POST', '/api/v1/namespaces/bench/pods', pod(i)));
  const sample = await call('GET', '/api/v1/namespaces/bench/pods');
  const lists = 1000;
  let t0 = performance.now();
  await parallel(lists, 8, () => call('GET', '/api/v1/namespaces/bench/pods'));
  const listRate = lists / ((performance.now() - t0) / 1000);

  // The same lists with a ServiceAccount token (`kubectl create token`), authorized by RBAC
  // through a RoleBinding to the default `view` ClusterRole.
  await call('POST', '/api/v1/namespaces/bench/serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'reader' },
  });
  await call('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/bench/rolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'reader-view' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'bench' }],
  });
  const tokenReply = await call('POST', '/api/v1/namespaces/bench/serviceaccounts/reader/token', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {},
  });
  const saToken = JSON.parse(tokenReply.text()).status.token;
  const check = await call('GET', '/api/v1/namespaces/bench/pods', undefined, saToken);
  if (check.status !== 200) throw new Error(`ServiceAccount list answered ${check.status}`);
  t0 = performance.now();
  await parallel(lists, 8, () => call('GET', '/api/v1/namespaces/bench/pods', undefined, saToken));
  const saListRate = lists / ((performance.now() - t0) / 1000);

  t0 = performance.now();
  await parallel(1000, 8, (i) =>
    call('POST', '/api/v1/namespaces/bench/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, labels: { bench: 'yes' } },
      data: { key: `value-${i}`, 'app.properties': 'a=1\nb=2\nc=3\n' },
    }),
  );
  const createRate = 1000 / ((performance.now() - t0) / 1000);
  await sleep(500);
  global.gc?.();
  const withCms = rss();

  const env = { ...process.env, KUBECONFIG: info.kubeconfigPath, KUBECACHEDIR: join(dir, 'kubectl-cache') };
  const applyTimes = [];
  const unchangedTimes = [];
  for (let i = 0; i < 5; i++) {
    spawnSync(kubectl, ['delete', 'ns', 'demo', '--ignore-not-found'], { env });
    let a = performance.now();
    const r = spawnSync(kubectl, ['apply', '-f', 'test/fixtures/practice/app.yaml'], {
      env,
      encoding: 'utf8',
    });
    applyTimes.push(performance.now() - a);
    if (r.status !== 0) throw new Error(r.stderr);
    a = performance.now();
    spawnSync(kubectl, ['apply', '-f', 'test/fixtures/practice/app.yaml'], { env });
    unchangedTimes.push(performance.now() - a);
  }
  const get = [];
  for (let i = 0; i < 5; i++) {
    const a = performance.now();
    spawnSync(kubectl, ['get', 'pods', '-n', 'bench', '-o', 'json'], { env });
    get.push(performance.now() - a);
  }
  // 50 kubectl processes at once (the "50 concurrent kubectl clients"), then /readyz.
  const burstStart = performance.now();
  const codes = await Promise.all(
    Array.from(
      { length: 50 },
      () =>
        new Promise((resolve) => {
          const p = spawn(kubectl, ['get', 'pods', '-n', 'bench', '-o', 'name'], { env, stdio: 'ignore' });
          p.on('close', (code) => resolve(code));
          p.on('error', () => resolve(-1));
        }),
    ),
  );
  const burstMs = performance.now() - burstStart;
  const readyAfter = (await call('GET', '/readyz')).status;
  const row = (name, value) => console.log(`  ${name.padEnd(58)} ${value}`);
  console.log('Practice cluster (daemon process, HTTPS on 127.0.0.1):');
  row(
    `list 50 pods (${(sample.bytes / 1024).toFixed(0)} KiB JSON), 8 clients`,
    `${listRate.toFixed(0)} req/s`,
  );
  row('the same list with a ServiceAccount token (RBAC: view)', `${saListRate.toFixed(0)} req/s`);
  row('create ConfigMaps, 8 clients', `${createRate.toFixed(0)} req/s`);
  row('RSS idle (4 namespaces, 3 nodes, 50 default RBAC objects)', `${idle.toFixed(1)} MiB`);
  row('RSS idle, kube-system running (13 pods), 3 s later', `${idleSettled.toFixed(1)} MiB`);
  row('RSS with 1,000 ConfigMaps + 50 pods', `${withCms.toFixed(1)} MiB`);
  row('kubectl apply -f app.yaml (4 objects, create), median of 5', `${median(applyTimes).toFixed(0)} ms`);
  row('kubectl apply -f app.yaml (unchanged), median of 5', `${median(unchangedTimes).toFixed(0)} ms`);
  row('kubectl get pods -o json (50 pods), median of 5', `${median(get).toFixed(0)} ms`);
  row(
    '50 concurrent kubectl get pods: succeeded, wall time',
    `${codes.filter((c) => c === 0).length}/50, ${burstMs.toFixed(0)} ms`,
  );
  row('/readyz after the burst', String(readyAfter));
  agent.destroy();
} finally {
  child.kill('SIGTERM');
  await sleep(300);
  rmSync(dir, { recursive: true, force: true });
}
