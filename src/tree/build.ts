// The objects of one namespace as a tree, for `k8s-learn tree`: what owns what comes from
// `metadata.ownerReferences` (Deployment → ReplicaSet → Pod, Service → EndpointSlice, Job → Pod),
// the same links the garbage collector follows; a few other links are shown as a note on the line
// (an HPA's scale target, which workloads use a ConfigMap or ServiceAccount, a RoleBinding's role
// and subjects). Pure: kubectl's JSON in, nodes out (render.ts draws them).
import type { Translate } from '../i18n/index.js';

/** KubeItem is the part of an object this module reads. */
export interface KubeItem {
  kind: string;
  metadata: {
    name: string;
    uid?: string;
    ownerReferences?: { uid: string; kind: string; name: string }[];
    deletionTimestamp?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** TreeNode is one line of the tree and the lines under it. */
export interface TreeNode {
  kind: string;
  name: string;
  /** What to know about the object at a glance (ready counts, node, links). */
  detail: string;
  children: TreeNode[];
}

/** treeResources are the resources `k8s-learn tree` lists, in the order roots are shown. */
export const treeResources = [
  'deployments.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'replicasets.apps',
  'jobs.batch',
  'pods',
  'services',
  'endpointslices.discovery.k8s.io',
  'horizontalpodautoscalers.autoscaling',
  'poddisruptionbudgets.policy',
  'configmaps',
  'serviceaccounts',
  'roles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
];

const kindOrder = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'Pod',
  'Service',
  'EndpointSlice',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'ConfigMap',
  'ServiceAccount',
  'Role',
  'RoleBinding',
];

/** Objects every namespace gets from Kubernetes itself: not something the learner built. */
function isBuiltIn(item: KubeItem): boolean {
  return (
    (item.kind === 'ConfigMap' && item.metadata.name === 'kube-root-ca.crt') ||
    (item.kind === 'ServiceAccount' && item.metadata.name === 'default')
  );
}

type PodSpec = {
  serviceAccountName?: string;
  volumes?: {
    configMap?: { name?: string };
    projected?: { sources?: { configMap?: { name?: string } }[] };
  }[];
  containers?: {
    image?: string;
    env?: { valueFrom?: { configMapKeyRef?: { name?: string } } }[];
    envFrom?: { configMapRef?: { name?: string } }[];
  }[];
};

function podSpecOf(item: KubeItem): PodSpec | undefined {
  if (item.kind === 'Pod') return item.spec as PodSpec | undefined;
  const template = (item.spec as { template?: { spec?: PodSpec } } | undefined)?.template;
  return template?.spec;
}

/** configMapsOf lists the ConfigMaps a pod spec reads (volumes, env, envFrom). */
function configMapsOf(spec: PodSpec): string[] {
  const names = new Set<string>();
  for (const v of spec.volumes ?? []) {
    if (v.configMap?.name) names.add(v.configMap.name);
    for (const s of v.projected?.sources ?? []) if (s.configMap?.name) names.add(s.configMap.name);
  }
  for (const c of spec.containers ?? []) {
    for (const e of c.env ?? [])
      if (e.valueFrom?.configMapKeyRef?.name) names.add(e.valueFrom.configMapKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.configMapRef?.name) names.add(e.configMapRef.name);
  }
  return [...names];
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function podDetail(item: KubeItem, t: Translate): string {
  const status = (item.status ?? {}) as {
    phase?: string;
    containerStatuses?: { ready?: boolean; state?: { waiting?: { reason?: string } } }[];
  };
  const statuses = status.containerStatuses ?? [];
  const waiting = statuses.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
  const phase = item.metadata.deletionTimestamp ? 'Terminating' : (waiting ?? status.phase ?? 'Pending');
  const ready = `${statuses.filter((c) => c.ready).length}/${statuses.length || podSpecOf(item)?.containers?.length || 1}`;
  const node = (item.spec as { nodeName?: string } | undefined)?.nodeName;
  return node ? t('tree.pod.on', { phase, ready, node }) : t('tree.pod', { phase, ready });
}

function detailOf(item: KubeItem, all: KubeItem[], t: Translate): string {
  const spec = (item.spec ?? {}) as Record<string, unknown>;
  const status = (item.status ?? {}) as Record<string, unknown>;
  switch (item.kind) {
    case 'Deployment':
    case 'StatefulSet':
      return t('tree.workload', {
        ready: num(status.readyReplicas),
        replicas: num(spec.replicas),
        image:
          podSpecOf(item)
            ?.containers?.map((c) => c.image)
            .join(', ') ?? '',
      });
    case 'ReplicaSet':
      return t('tree.replicaSet', { ready: num(status.readyReplicas), replicas: num(spec.replicas) });
    case 'Pod':
      return podDetail(item, t);
    case 'Service': {
      const ports = ((spec.ports ?? []) as { port?: number; targetPort?: number | string }[])
        .map((p) => `${p.port}→${p.targetPort ?? p.port}`)
        .join(', ');
      return t('tree.service', {
        type: String(spec.type ?? 'ClusterIP'),
        ip: String(spec.clusterIP ?? ''),
        ports,
      });
    }
    case 'EndpointSlice': {
      const endpoints = (item.endpoints ?? []) as {
        addresses?: string[];
        conditions?: { ready?: boolean };
      }[];
      const ready = endpoints.filter((e) => e.conditions?.ready !== false);
      return t('tree.endpointSlice', {
        ready: ready.length,
        total: endpoints.length,
        addresses: ready.flatMap((e) => e.addresses ?? []).join(', ') || '-',
      });
    }
    case 'HorizontalPodAutoscaler': {
      const target = (spec.scaleTargetRef ?? {}) as { kind?: string; name?: string };
      return t('tree.hpa', {
        target: `${target.kind}/${target.name}`,
        min: num(spec.minReplicas) || 1,
        max: num(spec.maxReplicas),
        current: num(status.currentReplicas),
      });
    }
    case 'ConfigMap': {
      const users = all
        .filter((o) => o.kind !== 'Pod' && o.kind !== 'ReplicaSet' && podSpecOf(o))
        .filter((o) => configMapsOf(podSpecOf(o)!).includes(item.metadata.name))
        .map((o) => `${o.kind}/${o.metadata.name}`);
      const keys = Object.keys((item.data ?? {}) as object).join(', ');
      return users.length > 0
        ? t('tree.configMap.used', { keys, users: users.join(', ') })
        : t('tree.configMap', { keys });
    }
    case 'ServiceAccount': {
      const users = all
        .filter((o) => o.kind !== 'Pod' && o.kind !== 'ReplicaSet')
        .filter((o) => podSpecOf(o)?.serviceAccountName === item.metadata.name)
        .map((o) => `${o.kind}/${o.metadata.name}`);
      const token = item.automountServiceAccountToken === false ? t('tree.sa.noToken') : t('tree.sa.token');
      return users.length > 0 ? `${token}; ${t('tree.usedBy', { users: users.join(', ') })}` : token;
    }
    case 'Role': {
      const rules = (item.rules ?? []) as {
        verbs?: string[];
        resources?: string[];
        resourceNames?: string[];
      }[];
      return rules
        .map(
          (r) =>
            `${(r.verbs ?? []).join(',')} ${(r.resources ?? []).join(',')}${r.resourceNames?.length ? `/${r.resourceNames.join(',')}` : ''}`,
        )
        .join('; ');
    }
    case 'RoleBinding': {
      const role = (item.roleRef ?? {}) as { kind?: string; name?: string };
      const subjects = ((item.subjects ?? []) as { kind?: string; name?: string }[])
        .map((s) => `${s.kind}/${s.name}`)
        .join(', ');
      return `${role.kind}/${role.name} → ${subjects}`;
    }
    default:
      return '';
  }
}

/** An older ReplicaSet a Deployment keeps at 0 pods (for `kubectl rollout undo`). */
function isIdleReplicaSet(item: KubeItem): boolean {
  return (
    item.kind === 'ReplicaSet' &&
    num(item.spec?.replicas) === 0 &&
    (item.metadata.ownerReferences?.length ?? 0) > 0
  );
}

/** buildTree arranges a namespace's objects by owner; the built-in ones are left out. */
export function buildTree(items: KubeItem[], t: Translate): TreeNode[] {
  const mine = items.filter((i) => !isBuiltIn(i));
  const byUid = new Map(mine.flatMap((i) => (i.metadata.uid ? [[i.metadata.uid, i] as const] : [])));
  const order = (i: KubeItem) => {
    const at = kindOrder.indexOf(i.kind);
    return at < 0 ? kindOrder.length : at;
  };
  const sorted = [...mine].sort(
    (a, b) => order(a) - order(b) || a.metadata.name.localeCompare(b.metadata.name),
  );
  const ownerOf = (i: KubeItem) => i.metadata.ownerReferences?.find((r) => byUid.has(r.uid))?.uid;
  const nodeOf = (i: KubeItem): TreeNode => {
    const children = sorted.filter((c) => ownerOf(c) === i.metadata.uid);
    const idle = children.filter(isIdleReplicaSet);
    const nodes = children.filter((c) => !isIdleReplicaSet(c)).map(nodeOf);
    if (idle.length > 0)
      nodes.push({
        kind: '',
        name: '',
        detail: t('tree.idleReplicaSets', { count: idle.length }),
        children: [],
      });
    return { kind: i.kind, name: i.metadata.name, detail: detailOf(i, mine, t), children: nodes };
  };
  return sorted.filter((i) => ownerOf(i) === undefined).map(nodeOf);
}
