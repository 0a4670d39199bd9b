// Defaults of the kinds added in part 3, as the API server's defaulting and admission set them:
// Jobs get their generated selector and labels (batch.kubernetes.io/controller-uid), CronJobs,
// StatefulSets and DaemonSets their policies, PVCs kind's default StorageClass `standard`.
import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject, type KubeObject } from '../types.js';
import { defaultPodSpec } from './defaults.js';

type Obj = JsonObject;

function child(o: Obj, key: string): Obj {
  if (!isJsonObject(o[key])) o[key] = {};
  return o[key] as Obj;
}

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function defaultJobSpec(spec: Obj, meta: KubeObject['metadata'] | undefined): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'manualSelector', undefined);
  setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  const template = child(spec, 'template');
  defaultPodSpec(child(template, 'spec'));
  if (!meta || spec.manualSelector === true) return;
  // The job controller's labels: the selector matches the Job's own uid.
  meta.uid ??= randomUUID();
  const labels = {
    'batch.kubernetes.io/controller-uid': meta.uid,
    'batch.kubernetes.io/job-name': meta.name ?? '',
    'controller-uid': meta.uid,
    'job-name': meta.name ?? '',
  };
  if (!isJsonObject(spec.selector))
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': meta.uid } };
  const tmeta = child(template, 'metadata');
  tmeta.labels = { ...labels, ...(isJsonObject(tmeta.labels) ? tmeta.labels : {}) };
}

/** applyMoreDefaults fills defaults of the part-3 kinds in place. */
export function applyMoreDefaults(o: KubeObject): void {
  const hadSpec = (o as Obj).spec !== undefined;
  const spec = child(o as Obj, 'spec');
  switch (o.kind) {
    case 'Job':
      defaultJobSpec(spec, o.metadata);
      break;
    case 'CronJob': {
      setDefault(spec, 'concurrencyPolicy', 'Allow');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'successfulJobsHistoryLimit', 3);
      setDefault(spec, 'failedJobsHistoryLimit', 1);
      defaultJobSpec(child(child(spec, 'jobTemplate'), 'spec'), undefined);
      break;
    }
    case 'StatefulSet': {
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      setDefault(spec, 'persistentVolumeClaimRetentionPolicy', {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      });
      defaultPodSpec(child(child(spec, 'template'), 'spec'));
      break;
    }
    case 'DaemonSet': {
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'updateStrategy', {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      });
      defaultPodSpec(child(child(spec, 'template'), 'spec'));
      break;
    }
    case 'ReplicationController':
      setDefault(spec, 'replicas', 1);
      defaultPodSpec(child(child(spec, 'template'), 'spec'));
      break;
    case 'PersistentVolumeClaim':
      setDefault(spec, 'volumeMode', 'Filesystem');
      // The DefaultStorageClass admission plugin: kind marks `standard` as the default.
      if (spec.storageClassName === undefined && !spec.volumeName) spec.storageClassName = 'standard';
      setDefault(child(o as Obj, 'status'), 'phase', 'Pending');
      break;
    case 'PersistentVolume':
      setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
      setDefault(spec, 'volumeMode', 'Filesystem');
      setDefault(child(o as Obj, 'status'), 'phase', 'Pending');
      break;
    case 'StorageClass':
      setDefault(o as Obj, 'reclaimPolicy', 'Delete');
      setDefault(o as Obj, 'volumeBindingMode', 'Immediate');
      break;
    case 'PriorityClass':
      setDefault(o as Obj, 'preemptionPolicy', 'PreemptLowerPriority');
      break;
    case 'Ingress':
      // status.loadBalancer is a struct in Go: always written, `{}` until a controller fills it.
      child(child(o as Obj, 'status'), 'loadBalancer');
      break;
  }
  if (!hadSpec && Object.keys(spec).length === 0) delete (o as Obj).spec;
}
