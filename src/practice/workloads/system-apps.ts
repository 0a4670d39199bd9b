// What kind's kube-system containers print and where they listen, by image: coredns, etcd, the
// API server, controller manager, scheduler, kube-proxy, kindnetd and local-path-provisioner.
// No component runs: each is an idle process with its real start-up lines (wording from the
// components' sources and kind clusters' logs), its listening ports (so their probes pass) and a
// plausible resident size and idle CPU for `kubectl top`.
import type { ContainerConfig } from './config.js';
import type { ImageRef } from './images.js';

/** SystemComponent names the kube-system programs the practice cluster imitates. */
export type SystemComponent =
  | 'coredns'
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kube-proxy'
  | 'kindnetd'
  | 'local-path-provisioner';

const REPOSITORIES: Record<string, SystemComponent> = {
  'registry.k8s.io/coredns/coredns': 'coredns',
  'registry.k8s.io/etcd': 'etcd',
  'registry.k8s.io/kube-apiserver': 'kube-apiserver',
  'registry.k8s.io/kube-controller-manager': 'kube-controller-manager',
  'registry.k8s.io/kube-scheduler': 'kube-scheduler',
  'registry.k8s.io/kube-proxy': 'kube-proxy',
  'docker.io/kindest/kindnetd': 'kindnetd',
  'docker.io/kindest/local-path-provisioner': 'local-path-provisioner',
};

/** systemComponentOf tells which kube-system program an image is, if any. */
export function systemComponentOf(ref: ImageRef): SystemComponent | undefined {
  return REPOSITORIES[ref.repository];
}

/** SystemNode is the node a container runs on and every node of the cluster (kindnetd's routes). */
export interface SystemNode {
  name: string;
  peers: { name: string; ip: string; cidr: string }[];
}

/** SystemPlan is how a kube-system container behaves. */
export interface SystemPlan {
  ports: number[];
  memory: number;
  idleMilli: number;
  startup: string[];
}

/** klog prefixes a line as klog does: `I1207 04:05:46.123456       1 file.go:12] msg`. */
function klog(at: Date, source: string, message: string, level = 'I'): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const micros = String(at.getUTCMilliseconds() * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0');
  const stamp = `${p2(at.getUTCMonth() + 1)}${p2(at.getUTCDate())} ${p2(at.getUTCHours())}:${p2(at.getUTCMinutes())}:${p2(at.getUTCSeconds())}.${micros}`;
  return `${level}${stamp}       1 ${source}] ${message}`;
}

/** systemPlan gives a kube-system container's ports, size, idle CPU and start-up log. */
export function systemPlan(
  component: SystemComponent,
  config: ContainerConfig,
  podName: string,
  node: SystemNode,
): SystemPlan {
  const nodeName = node.name;
  const now = new Date();
  // Each line a little later than the one before, as a process's start-up lines are.
  let step = 0;
  const k = (source: string, message: string, level?: string) =>
    klog(new Date(now.getTime() + step++ * 3), source, message, level);
  const nodeIP = node.peers.find((n) => n.name === nodeName)?.ip ?? config.env.HOST_IP ?? '172.18.0.2';
  switch (component) {
    case 'coredns':
      return {
        ports: [53, 8080, 8181, 9153],
        memory: 15_400_000,
        idleMilli: 2,
        startup: [
          'maxprocs: Leaving GOMAXPROCS=4: CPU quota undefined',
          '.:53',
          '[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b',
          'CoreDNS-1.12.0',
          'linux/amd64, go1.23.3, 51e11f1',
        ],
      };
    case 'etcd':
      return {
        ports: [2379, 2380, 2381],
        memory: 48_000_000,
        idleMilli: 18,
        startup: [
          `{"level":"info","ts":"${now.toISOString()}","caller":"etcdmain/etcd.go:73","msg":"Running: ","args":["etcd","--advertise-client-urls=https://${nodeIP}:2379","--data-dir=/var/lib/etcd","--name=${nodeName}"]}`,
          `{"level":"info","ts":"${now.toISOString()}","caller":"embed/etcd.go:140","msg":"configuring peer listeners","listen-peer-urls":["https://${nodeIP}:2380"]}`,
          `{"level":"info","ts":"${now.toISOString()}","caller":"embed/etcd.go:310","msg":"starting an etcd server","etcd-version":"3.5.21","go-version":"go1.23.7","go-os":"linux","go-arch":"amd64","name":"${nodeName}","data-dir":"/var/lib/etcd"}`,
          `{"level":"info","ts":"${now.toISOString()}","caller":"etcdserver/server.go:2105","msg":"published local member to cluster through raft","local-member-attributes":"{Name:${nodeName} ClientURLs:[https://${nodeIP}:2379]}"}`,
          `{"level":"info","ts":"${now.toISOString()}","caller":"embed/serve.go:103","msg":"ready to serve client requests"}`,
          `{"level":"info","ts":"${now.toISOString()}","caller":"embed/serve.go:250","msg":"serving client traffic securely","traffic":"grpc+http","address":"${nodeIP}:2379"}`,
        ],
      };
    case 'kube-apiserver':
      return {
        ports: [6443],
        memory: 245_000_000,
        idleMilli: 38,
        startup: [
          k('options.go:249', `"external host was not specified, using ${nodeIP}"`),
          k('server.go:147', 'Version: v1.33.1'),
          k('server.go:149', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
          k('secure_serving.go:211', 'Serving securely on [::]:6443'),
          k('controller.go:667', 'quota admission added evaluator for: namespaces'),
          k(
            'alloc.go:328',
            '"allocated clusterIPs" service="default/kubernetes" clusterIPs={"IPv4":"10.96.0.1"}',
          ),
          k(
            'alloc.go:328',
            '"allocated clusterIPs" service="kube-system/kube-dns" clusterIPs={"IPv4":"10.96.0.10"}',
          ),
          k('controller.go:667', 'quota admission added evaluator for: deployments.apps'),
          k('controller.go:667', 'quota admission added evaluator for: daemonsets.apps'),
        ],
      };
    case 'kube-controller-manager':
      return {
        ports: [10257],
        memory: 52_000_000,
        idleMilli: 12,
        startup: [
          k('serving.go:386', 'Generated self-signed cert in-memory'),
          k('controllermanager.go:188', '"Starting" version="v1.33.1"'),
          k('secure_serving.go:211', 'Serving securely on 127.0.0.1:10257'),
          k(
            'leaderelection.go:257',
            'attempting to acquire leader lease kube-system/kube-controller-manager...',
          ),
          k('leaderelection.go:271', 'successfully acquired lease kube-system/kube-controller-manager'),
          k('controllermanager.go:778', '"Started controller" controller="deployment-controller"'),
          k('controllermanager.go:778', '"Started controller" controller="replicaset-controller"'),
          k('controllermanager.go:778', '"Started controller" controller="daemonset-controller"'),
          k('shared_informer.go:357', '"Caches are synced" controller="garbage collector"'),
        ],
      };
    case 'kube-scheduler':
      return {
        ports: [10259],
        memory: 24_000_000,
        idleMilli: 3,
        startup: [
          k('serving.go:386', 'Generated self-signed cert in-memory'),
          k('server.go:171', '"Starting Kubernetes Scheduler" version="v1.33.1"'),
          k('secure_serving.go:211', 'Serving securely on 127.0.0.1:10259'),
          k('leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-scheduler...'),
          k('leaderelection.go:271', 'successfully acquired lease kube-system/kube-scheduler'),
        ],
      };
    case 'kube-proxy':
      return {
        ports: [10249, 10256],
        memory: 18_500_000,
        idleMilli: 1,
        startup: [
          k('server_linux.go:63', '"Using iptables proxy"'),
          k('server.go:715', `"Successfully retrieved node IP(s)" IPs=["${nodeIP}"]`),
          k('server_linux.go:122', '"Using iptables Proxier"'),
          k('server.go:516', '"Version info" version="v1.33.1"'),
          k('config.go:199', '"Starting service config controller"'),
          k('config.go:105', '"Starting endpoint slice config controller"'),
          k('config.go:329', '"Starting node config controller"'),
          k('shared_informer.go:357', '"Caches are synced" controller="service config"'),
          k('shared_informer.go:357', '"Caches are synced" controller="endpoint slice config"'),
          k('shared_informer.go:357', '"Caches are synced" controller="node config"'),
        ],
      };
    case 'kindnetd': {
      const lines = [
        k('main.go:109', 'connected to apiserver: https://10.96.0.1:443'),
        k('main.go:139', `hostIP = ${nodeIP}`),
        `podIP = ${nodeIP}`,
        k('main.go:148', 'setting mtu 1500 for CNI '),
        k('main.go:178', 'kindnetd IP family: "ipv4"'),
        k('main.go:182', 'noMask IPv4 subnets: [10.244.0.0/16]'),
      ];
      for (const n of node.peers) {
        lines.push(k('main.go:297', `Handling node with IPs: map[${n.ip}:{}]`));
        lines.push(
          n.name === nodeName
            ? k('main.go:301', 'handling current node')
            : k('main.go:324', `Node ${n.name} has CIDR [${n.cidr}]`),
        );
      }
      return { ports: [], memory: 11_800_000, idleMilli: 1, startup: lines };
    }
    case 'local-path-provisioner':
      return {
        ports: [],
        memory: 9_600_000,
        idleMilli: 1,
        startup: [
          `time="${now.toISOString().slice(0, 19)}Z" level=debug msg="Applied config: {\\"nodePathMap\\":[{\\"node\\":\\"DEFAULT_PATH_FOR_NON_LISTED_NODES\\",\\"paths\\":[\\"/var/local-path-provisioner\\"]}]}"`,
          `time="${now.toISOString().slice(0, 19)}Z" level=debug msg="Provisioner started"`,
          k('controller.go:824', `Starting provisioner controller rancher.io/local-path_${podName}!`),
          k('controller.go:873', `Started provisioner controller rancher.io/local-path_${podName}!`),
        ],
      };
  }
}
