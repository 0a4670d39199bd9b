// kube-system as a kind 1.33 cluster has it, through the real kubectl: the pods and their names,
// DaemonSets and Deployments, kube-dns with endpoints, the control plane's requests in `describe
// node`, logs, a distroless image refusing `sh`, controllers bringing deleted pods back, the
// scheduler counting system requests, `k8s-learn alerts` staying quiet, and a restart that
// neither duplicates nor loses the system objects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workloadsPlugin } from '../../src/practice/controllers/index.js';
import { TEST_TIME_SCALE } from '../../src/practice/controllers/options.js';
import { createRunner } from '../../src/runner.js';
import { startTestCluster, type TestCluster } from '../helpers/practice.js';
import { eventually, namespaceYaml, ok, startWorkloadCluster } from './e2e.js';

const CP = 'k8s-learn-control-plane';
const root = join(import.meta.dirname, '..', '..');

/** systemPods lists `NAMESPACE NAME READY STATUS NODE` of the two system namespaces. */
async function systemPods(tc: TestCluster): Promise<string[][]> {
  const out = await ok(tc, [
    'get',
    'pods',
    '-A',
    '--no-headers',
    '-o',
    'custom-columns=NS:.metadata.namespace,NAME:.metadata.name,PHASE:.status.phase,READY:.status.containerStatuses[0].ready,NODE:.spec.nodeName',
  ]);
  return out
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/))
    .filter(([ns]) => ns === 'kube-system' || ns === 'local-path-storage');
}

const allRunning = (rows: string[][]) =>
  rows.length === 13 && rows.every(([, , phase, ready]) => phase === 'Running' && ready === 'true');

describe('kube-system as on kind', () => {
  let tc: TestCluster;
  beforeAll(async () => {
    tc = await startWorkloadCluster();
  }, 60_000);
  afterAll(async () => tc?.stop());

  it('runs coredns ×2, the static pods, kube-proxy and kindnet per node, local-path-provisioner', async () => {
    const deadline = Date.now() + 30_000;
    let rows = await systemPods(tc);
    while (!allRunning(rows) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      rows = await systemPods(tc);
    }
    expect(allRunning(rows)).toBe(true);
    const names = rows.map(([, name]) => name ?? '');
    const nodeOf = new Map(rows.map(([, name, , , node]) => [name, node]));
    expect(names.filter((n) => /^coredns-674b8bbfcf-[a-z0-9]{5}$/.test(n))).toHaveLength(2);
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'])
      expect(nodeOf.get(`${c}-${CP}`)).toBe(CP);
    const kindnet = rows.filter(([, n]) => /^kindnet-[a-z0-9]{5}$/.test(n ?? ''));
    const proxy = rows.filter(([, n]) => /^kube-proxy-[a-z0-9]{5}$/.test(n ?? ''));
    for (const ds of [kindnet, proxy])
      expect(ds.map(([, , , , node]) => node).sort()).toEqual([CP, 'k8s-learn-worker', 'k8s-learn-worker2']);
    expect(
      rows.filter(
        ([ns, n]) => ns === 'local-path-storage' && /^local-path-provisioner-7dc846544d-/.test(n ?? ''),
      ),
    ).toHaveLength(1);
    // coredns and local-path-provisioner on the control plane, as kind schedules them.
    for (const n of names.filter((x) => x.startsWith('coredns-') || x.startsWith('local-path-')))
      expect(nodeOf.get(n)).toBe(CP);

    const ds = await ok(tc, ['get', 'ds', '-A']);
    expect(ds).toMatch(/kube-system\s+kindnet\s+3\s+3\s+3\s+3\s+3\s+<none>/);
    expect(ds).toMatch(/kube-system\s+kube-proxy\s+3\s+3\s+3\s+3\s+3\s+kubernetes\.io\/os=linux/);
    const deploy = await ok(tc, ['get', 'deploy', '-A']);
    expect(deploy).toMatch(/kube-system\s+coredns\s+2\/2\s+2\s+2/);
    expect(deploy).toMatch(/local-path-storage\s+local-path-provisioner\s+1\/1\s+1\s+1/);
  });

  it('serves kube-dns on 10.96.0.10 with both coredns pods as endpoints', async () => {
    const svc = await ok(tc, ['-n', 'kube-system', 'get', 'svc', 'kube-dns']);
    expect(svc).toMatch(/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP/);
    const ready = await eventually(
      tc,
      [
        '-n',
        'kube-system',
        'get',
        'endpointslices',
        '-l',
        'kubernetes.io/service-name=kube-dns',
        '-o',
        'jsonpath={range .items[*].endpoints[*]}{.conditions.ready}{" "}{end}',
      ],
      (r) => r.stdout.trim() === 'true true',
    );
    expect(ready.stdout.trim()).toBe('true true');
    const priority = await ok(tc, [
      '-n',
      'kube-system',
      'get',
      'pods',
      '-l',
      'k8s-app=kube-dns',
      '-o',
      'jsonpath={.items[0].spec.priority} {.items[0].spec.priorityClassName}',
    ]);
    expect(priority).toBe('2000000000 system-cluster-critical');
  });

  it('describe node lists the system pods with their requests', async () => {
    const out = await ok(tc, ['describe', 'node', CP]);
    expect(out).toContain('Non-terminated Pods:          (9 in total)');
    expect(out).toMatch(
      /kube-system\s+coredns-674b8bbfcf-\w{5}\s+100m \(2%\)\s+0 \(0%\)\s+70Mi \(0%\)\s+170Mi \(2%\)/,
    );
    expect(out).toMatch(/kube-system\s+kube-apiserver-k8s-learn-control-plane\s+250m \(6%\)/);
    expect(out).toMatch(
      /kube-system\s+kindnet-\w{5}\s+100m \(2%\)\s+100m \(2%\)\s+50Mi \(0%\)\s+50Mi \(0%\)/,
    );
    expect(out).toMatch(/cpu\s+950m \(23%\)\s+100m \(2%\)/);
    expect(out).toMatch(/memory\s+290Mi \(3%\)\s+390Mi \(4%\)/);
    // QoS as upstream computes it: kindnet limits = requests for cpu and memory.
    const qos = await ok(tc, [
      '-n',
      'kube-system',
      'get',
      'pods',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.status.qosClass}{"\\n"}{end}',
    ]);
    expect(qos).toMatch(/^kindnet-\w{5}=Guaranteed$/m);
    expect(qos).toMatch(/^coredns-674b8bbfcf-\w{5}=Burstable$/m);
    expect(qos).toMatch(/^kube-proxy-\w{5}=BestEffort$/m);
    const worker = await ok(tc, ['describe', 'node', 'k8s-learn-worker']);
    expect(worker).toContain('Non-terminated Pods:          (2 in total)');
  });

  it('logs what the components print at start; the images have no shell', async () => {
    const coredns = (
      await ok(tc, ['-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-dns', '-o', 'name'])
    )
      .trim()
      .split('\n')[0]!;
    const logs = await ok(tc, ['-n', 'kube-system', 'logs', coredns]);
    expect(logs).toMatch(
      /^maxprocs: Leaving GOMAXPROCS=\d+: CPU quota undefined\n\.:53\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.12\.0\nlinux\/amd64, go1\.23\.3, 51e11f1\n$/,
    );
    const proxy = await ok(tc, ['-n', 'kube-system', 'logs', 'ds/kube-proxy']);
    expect(proxy).toMatch(
      /^I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 server_linux\.go:\d+\] "Using iptables proxy"$/m,
    );
    const etcd = await ok(tc, ['-n', 'kube-system', 'logs', `etcd-${CP}`]);
    expect(etcd).toContain('"msg":"ready to serve client requests"');
    const kindnet = await ok(tc, ['-n', 'kube-system', 'logs', 'ds/kindnet']);
    expect(kindnet).toMatch(/main\.go:\d+\] Handling node with IPs: map\[172\.18\.0\.\d:\{\}\]/);
    const sh = await tc.kubectl(['-n', 'kube-system', 'exec', coredns, '--', 'sh']);
    expect(sh.code).not.toBe(0);
    expect(sh.stderr).toContain('exec: "sh": executable file not found in $PATH');
  });

  it('brings a deleted coredns pod and a deleted mirror pod back', async () => {
    const before = (
      await ok(tc, ['-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-dns', '-o', 'name'])
    )
      .trim()
      .split('\n');
    await ok(tc, ['-n', 'kube-system', 'delete', before[0]!]);
    const after = await eventually(
      tc,
      [
        '-n',
        'kube-system',
        'get',
        'pods',
        '-l',
        'k8s-app=kube-dns',
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}={.status.phase}{"\\n"}{end}',
      ],
      (r) => {
        const lines = r.stdout.trim().split('\n');
        return (
          lines.length === 2 &&
          lines.every((l) => l.endsWith('=Running')) &&
          !r.stdout.includes(before[0]!.slice(4))
        );
      },
    );
    expect(after.stdout).toMatch(/coredns-674b8bbfcf-\w{5}=Running\ncoredns-674b8bbfcf-\w{5}=Running/);

    const uid = () =>
      tc.kubectl([
        '-n',
        'kube-system',
        'get',
        'pod',
        `kube-scheduler-${CP}`,
        '-o',
        'jsonpath={.metadata.uid}',
      ]);
    const oldUid = (await uid()).stdout;
    await ok(tc, ['-n', 'kube-system', 'delete', 'pod', `kube-scheduler-${CP}`]);
    await eventually(
      tc,
      [
        '-n',
        'kube-system',
        'get',
        'pod',
        `kube-scheduler-${CP}`,
        '-o',
        'jsonpath={.metadata.uid} {.status.phase}',
      ],
      (r) => r.code === 0 && !r.stdout.startsWith(oldUid) && r.stdout.endsWith(' Running'),
    );
    const owner = await ok(tc, [
      '-n',
      'kube-system',
      'get',
      'pod',
      `kube-scheduler-${CP}`,
      '-o',
      'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.annotations.kubernetes\\.io/config\\.source}',
    ]);
    expect(owner).toBe(`Node/${CP} file`);
  });

  it('counts system requests when scheduling: kindnet takes 100m of each worker', async () => {
    const pod = (name: string, cpu: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: sched}
spec:
  containers:
  - name: app
    image: k8s-core:1.0
    resources: {requests: {cpu: ${cpu}}}
`;
    await ok(tc, ['apply', '-f', '-'], namespaceYaml('sched') + pod('too-big', '3950m'));
    const msg = await eventually(
      tc,
      [
        '-n',
        'sched',
        'get',
        'pod',
        'too-big',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}',
      ],
      (r) => r.stdout.includes('nodes are available'),
    );
    expect(msg.stdout).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    await ok(tc, ['apply', '-f', '-'], pod('fits', '3900m'));
    await eventually(tc, ['-n', 'sched', 'get', 'pod', 'fits', '-o', 'jsonpath={.spec.nodeName}'], (r) =>
      r.stdout.startsWith('k8s-learn-worker'),
    );
    // An unschedulable pod (and its FailedScheduling events) is an alert; the next test wants
    // only the system pods' verdict.
    await ok(tc, ['delete', 'namespace', 'sched', '--wait', '--timeout=60s']);
  });

  it('k8s-learn alerts reports nothing for the system pods', async () => {
    const r = await createRunner({
      env: { PATH: process.env.PATH, HOME: tc.dataDir, KUBECONFIG: tc.cluster.kubeconfigPath, LANG: 'C' },
    }).run(
      process.execPath,
      [join(root, 'bin/k8s-learn.js'), 'alerts', '--cluster', `context:${tc.cluster.context}`],
      {
        timeoutMs: 60_000,
      },
    );
    expect({ code: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('kube-system across a restart', () => {
  it('keeps the same system objects, without duplicates; --fresh makes new ones', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'k8s-learn-kube-system-'));
    const start = (fresh = false) =>
      startTestCluster({ dataDir, fresh, plugins: [workloadsPlugin({ timeScale: TEST_TIME_SCALE })] });
    const names = async (tc: TestCluster) => {
      let rows = await systemPods(tc);
      const deadline = Date.now() + 30_000;
      while (!allRunning(rows) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        rows = await systemPods(tc);
      }
      expect(allRunning(rows)).toBe(true);
      return rows.map(([ns, name]) => `${ns}/${name}`).sort();
    };
    try {
      let tc = await start();
      const first = await names(tc);
      await tc.stop();
      tc = await start();
      expect(await names(tc)).toEqual(first);
      expect((await ok(tc, ['get', 'rs', '-A', '--no-headers'])).trim().split('\n')).toHaveLength(2);
      await tc.stop();
      tc = await start(true);
      const fresh = await names(tc);
      expect(fresh).toHaveLength(13);
      expect(fresh.filter((n) => n.startsWith('kube-system/coredns-'))).not.toEqual(
        first.filter((n) => n.startsWith('kube-system/coredns-')),
      );
      await tc.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
