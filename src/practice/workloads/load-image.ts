// `practice load-image`, the practice twin of `kind load docker-image`: the image becomes present
// on every node (each node's `status.images`, which the simulated kubelet reads). Pure planning
// here; the command applies it through kubectl, tests apply it to a store directly.
import type { ObjectStore } from '../store.js';
import type { KubeObject } from '../types.js';
import { type ImageRef, imageDigest, imageSize, parseImage } from './images.js';

/** NodeImage is one entry of a node's status.images. */
export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

/** ImageLoadPlan says which nodes need the image and their new image lists. */
export interface ImageLoadPlan {
  ref: ImageRef;
  id: string;
  updates: { node: string; images: NodeImage[] }[];
  present: string[];
}

/** planImageLoad computes the per-node image lists for loading `image`; undefined if invalid. */
export function planImageLoad(nodes: KubeObject[], image: string): ImageLoadPlan | undefined {
  const ref = parseImage(image);
  if (!ref) return undefined;
  const entry: NodeImage = {
    names: [ref.full, `${ref.repository}@${imageDigest(ref)}`],
    sizeBytes: imageSize(ref),
  };
  const updates: ImageLoadPlan['updates'] = [];
  const present: string[] = [];
  for (const node of nodes) {
    const images = ((node.status as { images?: NodeImage[] } | undefined)?.images ?? []) as NodeImage[];
    const name = node.metadata.name ?? '';
    if (images.some((i) => i.names?.includes(ref.full))) present.push(name);
    else updates.push({ node: name, images: [...images, entry] });
  }
  return { ref, id: imageDigest(ref), updates, present };
}

/** loadImageIntoStore loads an image on every node of an in-process cluster. */
export function loadImageIntoStore(store: ObjectStore, image: string): ImageLoadPlan | undefined {
  const plan = planImageLoad(store.list('nodes').items, image);
  for (const u of plan?.updates ?? []) {
    const node = store.get('nodes', undefined, u.node);
    if (!node) continue;
    const next = structuredClone(node) as KubeObject & { status?: Record<string, unknown> };
    next.status = { ...(next.status ?? {}), images: u.images };
    next.metadata.resourceVersion = '';
    store.update('nodes', next);
  }
  return plan;
}
