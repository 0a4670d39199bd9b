// Image references and pullability. The practice cluster has no registry: an image can be pulled
// when it is a well-known public image (PUBLIC_IMAGES); an image exists on a node when a pull put
// it there or `practice load-image` loaded it (the node's `status.images`, as kind load does).
import { createHash } from 'node:crypto';
import type { KubeObject } from '../types.js';

/**
 * PUBLIC_IMAGES are the repositories the practice cluster treats as pullable from the internet,
 * any tag: the images the course and the Kubernetes docs use. Everything else exists only when
 * loaded with `k8s-learn practice load-image`.
 */
export const PUBLIC_IMAGES = [
  'docker.io/library/busybox',
  'docker.io/library/nginx',
  'docker.io/library/alpine',
  'docker.io/library/httpd',
  'docker.io/library/redis',
  'docker.io/library/hello-world',
  'docker.io/hashicorp/http-echo',
  'docker.io/library/postgres',
  'docker.io/curlimages/curl',
  'docker.io/jocatalin/kubernetes-bootcamp',
  'gcr.io/google-samples/kubernetes-bootcamp',
  'docker.io/kindest/*',
  'registry.k8s.io/*',
];

/**
 * KNOWN_TAGS limits repositories whose tags a tutorial relies on: the Basics tutorial's
 * `kubernetes-bootcamp:v10` must fail to pull (`not found`), as on a real cluster.
 */
const KNOWN_TAGS: Record<string, string[]> = {
  'gcr.io/google-samples/kubernetes-bootcamp': ['v1'],
  'docker.io/jocatalin/kubernetes-bootcamp': ['v1', 'v2'],
};

/** ImageRef is a parsed image reference. */
export interface ImageRef {
  /** Fully qualified as containerd names it: `docker.io/library/nginx:1.27`. */
  full: string;
  /** Repository without tag: `docker.io/library/nginx`. */
  repository: string;
  registry: string;
  tag: string;
  digest?: string;
}

/** parseImage qualifies a reference the way containerd does (docker.io/library/, :latest). */
export function parseImage(image: string): ImageRef | undefined {
  const m = REFERENCE.exec(image);
  if (!m) return undefined;
  const rest = m[1] ?? '';
  const digest = m[3];
  let tag = m[2] ?? '';
  const first = rest.split('/')[0] ?? '';
  const hasRegistry =
    rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? rest.slice(first.length + 1) : rest;
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  const repository = `${registry}/${path}`;
  if (!tag && !digest) tag = 'latest';
  const full = digest ? `${repository}@${digest}` : `${repository}:${tag}`;
  return { full, repository, registry, tag, digest };
}

// Docker's reference grammar, simplified: [host[:port]/]path[:tag][@digest], lowercase path.
const REFERENCE =
  /^((?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** isPublicImage tells whether the practice cluster can "pull" this image from the internet. */
export function isPublicImage(ref: ImageRef): boolean {
  const tags = KNOWN_TAGS[ref.repository];
  if (tags && !ref.digest && !tags.includes(ref.tag)) return false;
  return PUBLIC_IMAGES.some((p) =>
    p.endsWith('/*') ? ref.repository.startsWith(p.slice(0, -1)) : ref.repository === p,
  );
}

/** nodeHasImage tells whether a node's `status.images` lists the image. */
export function nodeHasImage(node: KubeObject | undefined, ref: ImageRef): boolean {
  const images = ((node?.status as { images?: { names?: string[] }[] } | undefined)?.images ?? []) as {
    names?: string[];
  }[];
  return images.some((i) => (i.names ?? []).includes(ref.full));
}

/** imageSize is a stable, plausible size in bytes for an image. */
export function imageSize(ref: ImageRef): number {
  const h = createHash('sha256').update(ref.repository).digest();
  return 2_000_000 + (h.readUInt32BE(0) % 60_000_000);
}

/** imageDigest is a stable `sha256:` digest for an image (what imageID shows). */
export function imageDigest(ref: ImageRef): string {
  return `sha256:${createHash('sha256').update(`k8s-learn-practice:${ref.full}`).digest('hex')}`;
}

/** imageIdOf is containerStatuses[].imageID: `docker.io/library/nginx@sha256:…`. */
export function imageIdOf(ref: ImageRef): string {
  return `${ref.repository}@${imageDigest(ref)}`;
}

/**
 * pullError is the error containerd on kind reports for an image that cannot be pulled; kubelet
 * wraps it as `rpc error: code = … desc = …`.
 */
export function pullError(ref: ImageRef): string {
  if (KNOWN_TAGS[ref.repository]) {
    return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": ${ref.full}: not found`;
  }
  if (ref.registry === 'docker.io') {
    return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  }
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": failed to do request: Head "https://${ref.registry}/v2/${ref.repository.slice(ref.registry.length + 1)}/manifests/${ref.tag || ref.digest}": dial tcp: lookup ${ref.registry}: no such host`;
}
