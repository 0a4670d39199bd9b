// A Node object as kind creates it: one control plane (tainted NoSchedule) and workers, each with a
// /24 pod CIDR from 10.244.0.0/16 and an address on kind's 172.18.0.0/16 network. Used when the
// cluster is seeded (part 1) and when the node controller fills what is missing (part 2).
import type { KubeObject } from './types.js';

/** NODE_CPU and NODE_MEMORY are each node's allocatable resources (a 4-core, 8 GiB laptop). */
export const NODE_CPU = '4';
/** NODE_MEMORY is each node's allocatable memory. */
export const NODE_MEMORY = '8039912Ki';

/** CONTROL_PLANE_TAINT is the taint kubeadm puts on control-plane nodes. */
export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** newNode builds node number `index` (0 is the control plane). */
export function newNode(name: string, index: number, now: string): KubeObject {
  const controlPlane = index === 0;
  const resources = {
    cpu: NODE_CPU,
    'ephemeral-storage': '102626232Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: NODE_MEMORY,
    pods: '110',
  };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane
          ? {
              'node-role.kubernetes.io/control-plane': '',
              'node.kubernetes.io/exclude-from-external-load-balancers': '',
            }
          : {}),
      },
    },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      providerID: `kind://docker/k8s-learn/${name}`,
      ...(controlPlane ? { taints: [CONTROL_PLANE_TAINT] } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: `172.18.0.${index + 2}` },
        { type: 'Hostname', address: name },
      ],
      allocatable: resources,
      capacity: resources,
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: [],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://2.1.1',
        kernelVersion: '6.8.0',
        kubeProxyVersion: '',
        kubeletVersion: 'v1.33.1',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        bootID: '',
        machineID: '',
        systemUUID: '',
      },
    },
  };
}
