// kube-system as a kind 1.33 cluster has it (kind v0.29, node image v1.33.1): kubeadm's CoreDNS
// (Deployment coredns ×2, Service kube-dns 10.96.0.10) and kube-proxy DaemonSet, kind's kindnet
// DaemonSet and local-path-provisioner (namespace local-path-storage), and the control plane's
// static pods (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) as mirror pods on
// the control-plane node. The ordinary controllers run them: ReplicaSets make coredns pods, the
// DaemonSet controller one kube-proxy and one kindnet pod per node, the kubelets start them all.
//
// seedKubeSystem runs when the workloads plugin starts, before the controllers: it creates what
// is missing by name, so a restart neither duplicates nor resets what the state file kept. On a
// new cluster the coredns and local-path-provisioner ReplicaSets and pods are created with it,
// bound to the control plane as on kind (they are scheduled while the workers are still joining).
// staticPodController keeps one mirror pod per manifest: a deleted one comes back, as kubelet
// re-posts it.
import { createHash } from 'node:crypto';
import { apiCreate } from '../api.js';
import { ApiError } from '../api-error.js';
import type { Controller } from '../extensions.js';
import type { KubeObject } from '../types.js';
import { imageIdOf, parseImage } from '../workloads/images.js';
import type { WorkloadContext } from './context.js';
import { addImageToNode } from './image-puller.js';
import { ensureNodes, hostIPOf } from './nodes.js';
import { mutate, ownerRef, rfc3339 } from './runtime.js';

const KUBERNETES_VERSION = 'v1.33.1';

/** KIND_IMAGES are the images a kind v1.33.1 node image carries (preloaded: no pull). */
export const KIND_IMAGES = {
  coredns: 'registry.k8s.io/coredns/coredns:v1.12.0',
  etcd: 'registry.k8s.io/etcd:3.5.21-0',
  apiserver: `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`,
  controllerManager: `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`,
  scheduler: `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`,
  proxy: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
  kindnet: 'docker.io/kindest/kindnetd:v20250512-df8de77b',
  localPath: 'docker.io/kindest/local-path-provisioner:v20250214-acbabc1a',
  localPathHelper: 'docker.io/kindest/local-path-helper:v20241212-8ac705d0',
  pause: 'registry.k8s.io/pause:3.10',
};

// The pod-template-hash kind 1.33.1 clusters show (the ReplicaSets kubeadm's and kind's manifests
// produce there); our own hash function differs from upstream's, so the first ones are named here.
const COREDNS_HASH = '674b8bbfcf';
const LOCAL_PATH_HASH = '7dc846544d';

const KS = 'kube-system';
const LPS = 'local-path-storage';
const MANAGER = 'kubeadm';
type Obj = Record<string, unknown>;

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

const KUBE_PROXY_CONFIG = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
clusterCIDR: 10.244.0.0/16
conntrack:
  maxPerCore: 0
iptables:
  masqueradeAll: false
  syncPeriod: 0s
kind: KubeProxyConfiguration
metricsBindAddress: ""
mode: iptables
`;

const LOCAL_PATH_CONFIG = `{
        "nodePathMap":[
        {
                "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",
                "paths":["/var/local-path-provisioner"]
        }
        ]
}`;

const hostPath = (name: string, path: string, type?: string) => ({
  name,
  hostPath: type ? { path, type } : { path },
});

function corednsDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: KS, labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: {
                      matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }],
                    },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                },
              ],
            },
          },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'coredns',
              image: KIND_IMAGES.coredns,
              imagePullPolicy: 'IfNotPresent',
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              args: ['-conf', '/etc/coredns/Corefile'],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
              livenessProbe: {
                httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 5,
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
            },
          ],
          dnsPolicy: 'Default',
          volumes: [
            {
              name: 'config-volume',
              configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] },
            },
          ],
        },
      },
    },
  };
}

function localPathDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'local-path-provisioner', namespace: LPS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'local-path-provisioner' } },
      template: {
        metadata: { labels: { app: 'local-path-provisioner' } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Equal', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', operator: 'Equal', effect: 'NoSchedule' },
          ],
          serviceAccountName: 'local-path-provisioner-service-account',
          containers: [
            {
              name: 'local-path-provisioner',
              image: KIND_IMAGES.localPath,
              imagePullPolicy: 'IfNotPresent',
              command: [
                'local-path-provisioner',
                '--debug',
                'start',
                '--helper-image',
                KIND_IMAGES.localPathHelper,
                '--config',
                '/etc/config/config.json',
              ],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config/' }],
              env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
            },
          ],
          volumes: [{ name: 'config-volume', configMap: { name: 'local-path-config' } }],
        },
      },
    },
  };
}

function kubeProxyDaemonSet(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: KS, labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          priorityClassName: 'system-node-critical',
          containers: [
            {
              name: 'kube-proxy',
              image: KIND_IMAGES.proxy,
              imagePullPolicy: 'IfNotPresent',
              command: [
                '/usr/local/bin/kube-proxy',
                '--config=/var/lib/kube-proxy/config.conf',
                '--hostname-override=$(NODE_NAME)',
              ],
              securityContext: { privileged: true },
              volumeMounts: [
                { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
                { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
                { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
              ],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
            },
          ],
          hostNetwork: true,
          serviceAccountName: 'kube-proxy',
          volumes: [
            { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
            hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
            hostPath('lib-modules', '/lib/modules'),
          ],
          tolerations: [{ operator: 'Exists' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    },
  };
}

function kindnetDaemonSet(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: 'kindnet',
      namespace: KS,
      labels: { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' },
    },
    spec: {
      selector: { matchLabels: { app: 'kindnet' } },
      template: {
        metadata: { labels: { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' } },
        spec: {
          hostNetwork: true,
          tolerations: [{ operator: 'Exists' }],
          serviceAccountName: 'kindnet',
          containers: [
            {
              name: 'kindnet-cni',
              image: KIND_IMAGES.kindnet,
              env: [
                { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'POD_SUBNET', value: '10.244.0.0/16' },
                { name: 'CONTROL_PLANE_ENDPOINT', value: 'k8s-learn-control-plane:6443' },
              ],
              volumeMounts: [
                { name: 'cni-cfg', mountPath: '/etc/cni/net.d' },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock', readOnly: false },
                { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
              ],
              resources: {
                requests: { cpu: '100m', memory: '50Mi' },
                limits: { cpu: '100m', memory: '50Mi' },
              },
              securityContext: { privileged: false, capabilities: { add: ['NET_RAW', 'NET_ADMIN'] } },
            },
          ],
          volumes: [
            hostPath('cni-cfg', '/etc/cni/net.d'),
            hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
            hostPath('lib-modules', '/lib/modules'),
          ],
        },
      },
    },
  };
}

function kubeDnsService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: KS,
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
      type: 'ClusterIP',
    },
  };
}

const configMap = (namespace: string, name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

const serviceAccount = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace },
});

/** StaticPod is one manifest in the control plane's /etc/kubernetes/manifests. */
interface StaticPod {
  component: string;
  image: string;
  command: string[];
  requests: Record<string, string>;
  probe: { host: string; port: number; scheme: string; live: string; ready?: string };
  volumes: [name: string, path: string, type: string][];
  annotations?: (ip: string) => Record<string, string>;
}

function staticPods(ip: string): StaticPod[] {
  return [
    {
      component: 'etcd',
      image: KIND_IMAGES.etcd,
      command: [
        'etcd',
        `--advertise-client-urls=https://${ip}:2379`,
        '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--experimental-initial-corrupt-check=true',
        '--experimental-watch-progress-notify-interval=5s',
        `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--initial-cluster=k8s-learn-control-plane=https://${ip}:2380`,
        '--key-file=/etc/kubernetes/pki/etcd/server.key',
        `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=https://${ip}:2380`,
        '--name=k8s-learn-control-plane',
        '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
        '--peer-client-cert-auth=true',
        '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
        '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
        '--snapshot-count=10000',
        '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      ],
      requests: { cpu: '100m', memory: '100Mi' },
      probe: { host: '127.0.0.1', port: 2381, scheme: 'HTTP', live: '/livez', ready: '/readyz' },
      volumes: [
        ['etcd-certs', '/etc/kubernetes/pki/etcd', 'DirectoryOrCreate'],
        ['etcd-data', '/var/lib/etcd', 'DirectoryOrCreate'],
      ],
      annotations: (a) => ({ 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${a}:2379` }),
    },
    {
      component: 'kube-apiserver',
      image: KIND_IMAGES.apiserver,
      command: [
        'kube-apiserver',
        `--advertise-address=${ip}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        '--client-ca-file=/etc/kubernetes/pki/ca.crt',
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        '--etcd-servers=https://127.0.0.1:2379',
        '--runtime-config=',
        '--secure-port=6443',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
        '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
        '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
      ],
      requests: { cpu: '250m' },
      probe: { host: ip, port: 6443, scheme: 'HTTPS', live: '/livez', ready: '/readyz' },
      volumes: [
        ['ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate'],
        ['etc-ca-certificates', '/etc/ca-certificates', 'DirectoryOrCreate'],
        ['k8s-certs', '/etc/kubernetes/pki', 'DirectoryOrCreate'],
        ['usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', 'DirectoryOrCreate'],
        ['usr-share-ca-certificates', '/usr/share/ca-certificates', 'DirectoryOrCreate'],
      ],
      annotations: (a) => ({
        'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${a}:6443`,
      }),
    },
    {
      component: 'kube-controller-manager',
      image: KIND_IMAGES.controllerManager,
      command: [
        'kube-controller-manager',
        '--allocate-node-cidrs=true',
        '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--bind-address=127.0.0.1',
        '--client-ca-file=/etc/kubernetes/pki/ca.crt',
        '--cluster-cidr=10.244.0.0/16',
        '--cluster-name=k8s-learn',
        '--controllers=*,bootstrapsigner,tokencleaner',
        '--enable-hostpath-provisioner=true',
        '--kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--leader-elect=true',
        '--root-ca-file=/etc/kubernetes/pki/ca.crt',
        '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
        '--service-cluster-ip-range=10.96.0.0/16',
        '--use-service-account-credentials=true',
      ],
      requests: { cpu: '200m' },
      probe: { host: '127.0.0.1', port: 10257, scheme: 'HTTPS', live: '/healthz' },
      volumes: [
        ['ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate'],
        ['k8s-certs', '/etc/kubernetes/pki', 'DirectoryOrCreate'],
        ['kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate'],
      ],
    },
    {
      component: 'kube-scheduler',
      image: KIND_IMAGES.scheduler,
      command: [
        'kube-scheduler',
        '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--bind-address=127.0.0.1',
        '--kubeconfig=/etc/kubernetes/scheduler.conf',
        '--leader-elect=true',
      ],
      requests: { cpu: '100m' },
      probe: { host: '127.0.0.1', port: 10259, scheme: 'HTTPS', live: '/livez', ready: '/readyz' },
      volumes: [['kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate']],
    },
  ];
}

/** mirrorPod builds the mirror pod kubelet posts for a static pod on the control plane. */
function mirrorPod(s: StaticPod, node: KubeObject, ip: string, seen: string): KubeObject {
  const nodeName = node.metadata.name ?? '';
  const hash = createHash('md5')
    .update(`${s.component}\n${s.image}\n${s.command.join(' ')}`)
    .digest('hex');
  const probe = (path: string, initial: number, failure: number, period = 10) => ({
    failureThreshold: failure,
    httpGet: { host: s.probe.host, path, port: s.probe.port, scheme: s.probe.scheme },
    initialDelaySeconds: initial,
    periodSeconds: period,
    timeoutSeconds: 15,
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${s.component}-${nodeName}`,
      namespace: KS,
      labels: { component: s.component, tier: 'control-plane' },
      annotations: {
        ...(s.annotations?.(ip) ?? {}),
        'kubernetes.io/config.hash': hash,
        'kubernetes.io/config.mirror': hash,
        'kubernetes.io/config.seen': seen,
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid ?? '', controller: true },
      ],
    },
    spec: {
      containers: [
        {
          name: s.component,
          image: s.image,
          imagePullPolicy: 'IfNotPresent',
          command: s.command,
          resources: { requests: s.requests },
          livenessProbe: probe(s.probe.live, 10, 8),
          ...(s.probe.ready ? { readinessProbe: probe(s.probe.ready, 0, 3, 1) } : {}),
          startupProbe: probe(s.probe.live, 10, 24),
          volumeMounts: s.volumes.map(([name, path]) => ({
            name,
            mountPath: path,
            readOnly: name !== 'etcd-data',
          })),
        },
      ],
      hostNetwork: true,
      nodeName,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      volumes: s.volumes.map(([name, path, type]) => hostPath(name, path, type)),
    },
  };
}

function tryCreate(ctx: WorkloadContext, resource: string, obj: KubeObject): KubeObject | undefined {
  const existing = ctx.store.get(resource, obj.metadata.namespace, obj.metadata.name ?? '');
  if (existing) return existing;
  try {
    return apiCreate(ctx.store, obj, MANAGER);
  } catch (err) {
    // A learner's object under the same name (a restart after `kubectl create`) is left alone.
    if (err instanceof ApiError) return undefined;
    throw err;
  }
}

/**
 * deployOnControlPlane creates a new Deployment together with its first ReplicaSet (named with kind's
 * hash) and its pods, bound to `nodeName` as the scheduler placed them on kind.
 */
function deployOnControlPlane(ctx: WorkloadContext, d: KubeObject, hash: string, nodeName: string): void {
  const ns = d.metadata.namespace ?? '';
  if (ctx.store.get('deployments.apps', ns, d.metadata.name ?? '')) return;
  const made = tryCreate(ctx, 'deployments.apps', d);
  if (!made) return;
  const spec = made.spec as { replicas: number; selector: Obj; template: { metadata: Obj; spec: Obj } };
  const template = structuredClone(spec.template);
  const labels = {
    ...((template.metadata.labels as Record<string, string>) ?? {}),
    'pod-template-hash': hash,
  };
  template.metadata.labels = labels;
  const maxSurge = Math.ceil(spec.replicas * 0.25);
  const rs = ctx.store.create('replicasets.apps', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${made.metadata.name}-${hash}`,
      namespace: ns,
      labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(spec.replicas),
        'deployment.kubernetes.io/max-replicas': String(spec.replicas + maxSurge),
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: [ownerRef(made)],
    },
    spec: {
      replicas: spec.replicas,
      selector: {
        matchLabels: {
          ...((spec.selector.matchLabels as Record<string, string>) ?? {}),
          'pod-template-hash': hash,
        },
      },
      template,
    },
  });
  ctx.events.record(
    made,
    'Normal',
    'ScalingReplicaSet',
    `Scaled up replica set ${rs.metadata.name} from 0 to ${spec.replicas}`,
    {
      component: 'deployment-controller',
    },
  );
  for (let i = 0; i < spec.replicas; i++) {
    const pod = apiCreate(
      ctx.store,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: `${rs.metadata.name}-`,
          namespace: ns,
          labels: { ...labels },
          ownerReferences: [ownerRef(rs)],
        },
        spec: { ...structuredClone(template.spec), nodeName },
      },
      'kube-controller-manager',
    );
    ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
      component: 'replicaset-controller',
    });
    const bound = mutate(ctx.store, 'pods', ns, pod.metadata.name ?? '', (next) => {
      const status = (next.status ?? {}) as Obj;
      status.conditions = [
        {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: rfc3339(Date.now()),
        },
      ];
      next.status = status;
      return true;
    });
    ctx.events.record(
      bound ?? pod,
      'Normal',
      'Scheduled',
      `Successfully assigned ${ns}/${pod.metadata.name} to ${nodeName}`,
      { component: 'default-scheduler' },
    );
  }
}

/** seedKubeSystem creates kind's kube-system and local-path-storage objects that are missing. */
export function seedKubeSystem(ctx: WorkloadContext): void {
  const controlPlane = ctx.nodeNames[0] ?? '';
  ensureNodes(ctx.store, ctx.nodeNames);
  // Every kind node image carries these images: nothing is pulled.
  const preloaded = Object.values(KIND_IMAGES).flatMap((image) => {
    const ref = parseImage(image);
    return ref ? [ref] : [];
  });
  for (const name of ctx.nodeNames)
    for (const ref of preloaded)
      addImageToNode(ctx, name, [ref.full, imageIdOf(ref)], imageSizeOf(ref.repository));
  tryCreate(ctx, 'namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: LPS },
  });
  for (const [ns, name] of [
    [KS, 'coredns'],
    [KS, 'kube-proxy'],
    [KS, 'kindnet'],
    [LPS, 'local-path-provisioner-service-account'],
  ] as const)
    tryCreate(ctx, 'serviceaccounts', serviceAccount(ns, name));
  tryCreate(ctx, 'configmaps', configMap(KS, 'coredns', { Corefile: COREFILE }));
  tryCreate(
    ctx,
    'configmaps',
    configMap(KS, 'kube-proxy', {
      'config.conf': KUBE_PROXY_CONFIG,
      'kubeconfig.conf':
        'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://k8s-learn-control-plane:6443\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n',
    }),
  );
  tryCreate(
    ctx,
    'configmaps',
    configMap(LPS, 'local-path-config', {
      'config.json': LOCAL_PATH_CONFIG,
      setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"',
      teardown: '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"',
      'helperPod.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: helper-pod\nspec:\n  containers:\n  - name: helper-pod\n    image: ${KIND_IMAGES.localPathHelper}\n    imagePullPolicy: IfNotPresent`,
    }),
  );
  tryCreate(ctx, 'services', kubeDnsService());
  tryCreate(ctx, 'daemonsets.apps', kubeProxyDaemonSet());
  tryCreate(ctx, 'daemonsets.apps', kindnetDaemonSet());
  deployOnControlPlane(ctx, corednsDeployment(), COREDNS_HASH, controlPlane);
  deployOnControlPlane(ctx, localPathDeployment(), LOCAL_PATH_HASH, controlPlane);
}

// Stable, plausible sizes of the preloaded images (kind's node image lists them in status.images).
function imageSizeOf(repository: string): number {
  const sizes: Record<string, number> = {
    'registry.k8s.io/coredns/coredns': 22_384_805,
    'registry.k8s.io/etcd': 57_680_541,
    'registry.k8s.io/kube-apiserver': 30_071_307,
    'registry.k8s.io/kube-controller-manager': 27_646_507,
    'registry.k8s.io/kube-scheduler': 21_785_428,
    'registry.k8s.io/kube-proxy': 31_886_008,
    'docker.io/kindest/kindnetd': 44_375_501,
    'docker.io/kindest/local-path-provisioner': 22_541_737,
    'docker.io/kindest/local-path-helper': 3_084_671,
    'registry.k8s.io/pause': 320_368,
  };
  return sizes[repository] ?? 10_000_000;
}

/**
 * staticPodController keeps the control plane's mirror pods: one per static pod manifest,
 * re-posted when deleted (after a moment, as kubelet's next sync does).
 */
export function staticPodController(ctx: WorkloadContext): Controller {
  const { store } = ctx;
  let unsubscribe = () => {};
  const ensure = () => {
    const nodeName = ctx.nodeNames[0] ?? '';
    const node = store.get('nodes', undefined, nodeName);
    if (!node) return;
    const ip = hostIPOf(node, 0);
    const seen = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
    for (const s of staticPods(ip)) {
      const name = `${s.component}-${nodeName}`;
      const existing = store.get('pods', KS, name);
      if (existing) {
        // A mirror pod left from another node object (a `--fresh` state has none) is replaced.
        const owner = existing.metadata.ownerReferences?.[0];
        if (owner?.kind === 'Node' && owner.uid === node.metadata.uid) continue;
        if (owner?.kind !== 'Node') continue; // a learner's pod of that name: leave it
        store.delete('pods', KS, name);
      }
      try {
        apiCreate(store, mirrorPod(s, node, ip, seen), 'kubelet');
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
      }
    }
  };
  return {
    name: 'static-pods',
    start() {
      ensure();
      unsubscribe = store.subscribe((e) => {
        if (
          e.resource === 'pods' &&
          e.type === 'DELETED' &&
          e.object.metadata.namespace === KS &&
          e.object.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined
        )
          ctx.clock.after(1, ensure);
      });
    },
    stop() {
      unsubscribe();
    },
  };
}
