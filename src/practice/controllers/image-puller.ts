// kubelet's image manager for the simulation: pull policy, presence on the node, pulls of
// public images, failures with ErrImagePull then ImagePullBackOff (doubling back-off), and
// ErrImageNeverPull. Event texts follow pkg/kubelet/images.
import type { KubeObject } from '../types.js';
import {
  imageIdOf,
  imageSize,
  isPublicImage,
  nodeHasImage,
  parseImage,
  pullError,
} from '../workloads/images.js';
import { pullPolicyFor } from '../workloads/pull-policy.js';
import type { WorkloadContext } from './context.js';
import { SIM } from './options.js';
import type { ContainerRun, PodWorker } from './pod-worker.js';
import { mutate } from './runtime.js';

/** ImageStep says whether the container can be created now or the puller will call back. */
export type ImageStep = 'ready' | 'later';

function waiting(run: ContainerRun, reason: string, message?: string): void {
  run.status.state = { waiting: message ? { reason, message } : { reason } };
}

/** addImageToNode records an image in a node's status.images (after a pull or a load). */
export function addImageToNode(
  ctx: Pick<WorkloadContext, 'store'>,
  nodeName: string,
  names: string[],
  size: number,
): void {
  mutate(ctx.store, 'nodes', undefined, nodeName, (node) => {
    const holder = node as KubeObject & { status?: Record<string, unknown> };
    holder.status = holder.status ?? {};
    const status = holder.status;
    const images = (Array.isArray(status.images) ? status.images : []) as {
      names: string[];
      sizeBytes: number;
    }[];
    if (images.some((i) => names.every((n) => i.names.includes(n)))) return false;
    images.push({ names, sizeBytes: size });
    status.images = images;
    return true;
  });
}

/** ensureImage runs the image step of a container; returns 'ready' when it can be created. */
export function ensureImage(worker: PodWorker, run: ContainerRun, ctx: WorkloadContext): ImageStep {
  const image = run.spec.image ?? '';
  const name = run.spec.name;
  const ref = parseImage(image);
  if (!ref) {
    const msg = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
    waiting(run, 'InvalidImageName', msg);
    worker.writeStatus();
    worker.event('Warning', 'InspectFailed', msg, name);
    worker.event('Warning', 'Failed', 'Error: InvalidImageName', name);
    return 'later';
  }
  run.ref = ref;
  const node = ctx.store.get('nodes', undefined, worker.nodeName);
  const present = nodeHasImage(node, ref);
  const policy = run.spec.imagePullPolicy ?? pullPolicyFor(image);
  if (present && policy !== 'Always') {
    worker.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, name);
    return 'ready';
  }
  if (policy === 'Never') {
    const msg = `Container image "${image}" is not present with pull policy of Never`;
    waiting(run, 'ErrImageNeverPull', msg);
    worker.writeStatus();
    worker.event('Warning', 'ErrImageNeverPull', msg, name);
    worker.after(run, SIM.configRetry, () => worker.pullThenCreate(run));
    return 'later';
  }
  worker.event('Normal', 'Pulling', `Pulling image "${image}"`, name);
  const seconds = present ? 0.6 : SIM.pullPerImage;
  worker.after(run, seconds, () => {
    if (isPublicImage(ref)) {
      run.pullBackoff = 0;
      const size = imageSize(ref);
      addImageToNode(ctx, worker.nodeName, [ref.full, imageIdOf(ref)], size);
      const took = `${seconds.toFixed(3).replace(/0+$/, '')}s`;
      const msg = `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`;
      worker.event('Normal', 'Pulled', msg, name);
      worker.create(run);
      return;
    }
    const err = pullError(ref);
    worker.event('Warning', 'Failed', `Failed to pull image "${image}": ${err}`, name);
    worker.event('Warning', 'Failed', 'Error: ErrImagePull', name);
    waiting(run, 'ErrImagePull', err);
    worker.writeStatus();
    const backoff = run.pullBackoff === 0 ? SIM.backoffBase : Math.min(run.pullBackoff * 2, SIM.backoffMax);
    run.pullBackoff = backoff;
    worker.after(run, 1, () => {
      waiting(run, 'ImagePullBackOff', `Back-off pulling image "${image}": ErrImagePull: ${err}`);
      worker.writeStatus();
      worker.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, name);
      worker.event('Warning', 'Failed', 'Error: ImagePullBackOff', name);
      worker.after(run, backoff, () => worker.pullThenCreate(run));
    });
  });
  return 'later';
}
