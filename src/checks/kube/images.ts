// image-on-nodes: an image built on the learner's machine must be loaded into the cluster's nodes
// (`kind load docker-image`, or `k8s-learn practice load-image`). Nodes list what they hold in
// `status.images[].names`, as the kubelet reports it (kind adds the `docker.io/library/` prefix).
import type { CheckType } from '../types.js';
import { isResult, kubectlFailure, kubectlOf } from './common.js';

interface NodeList {
  items?: {
    metadata?: { name?: string; labels?: Record<string, string> };
    status?: { images?: { names?: string[] }[] };
  }[];
}

/** imageNames lists the forms under which a node may report a short image reference. */
export function imageNames(image: string): string[] {
  const withTag = /:[^/]+$/.test(image) || image.includes('@') ? image : `${image}:latest`;
  const names = [withTag];
  const first = withTag.split('/')[0]!;
  const hasRegistry =
    withTag.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry)
    names.push(withTag.includes('/') ? `docker.io/${withTag}` : `docker.io/library/${withTag}`);
  return names;
}

/** imageOnNodes passes when every worker node (every node, without workers) holds the image. */
export const imageOnNodes: CheckType<{ image: string }> = {
  name: 'image-on-nodes',
  schema: {
    type: 'object',
    required: ['image'],
    additionalProperties: false,
    properties: { image: { type: 'string', minLength: 1 } },
  },
  async run(spec, ctx) {
    const title = ctx.t('checks.imageOnNodes.title', { image: spec.image });
    const kubectl = kubectlOf(ctx, title);
    if (isResult(kubectl)) return kubectl;
    const expected = ctx.t('checks.imageOnNodes.expected', { image: spec.image });
    const { value, result } = await kubectl.json<NodeList>(['get', 'nodes']);
    if (!value) return kubectlFailure(ctx, title, expected, result);
    const nodes = value.items ?? [];
    const workers = nodes.filter(
      (n) => !('node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {})),
    );
    const wanted = imageNames(spec.image);
    const missing = (workers.length > 0 ? workers : nodes)
      .filter(
        (n) => !(n.status?.images ?? []).some((i) => (i.names ?? []).some((name) => wanted.includes(name))),
      )
      .map((n) => n.metadata?.name ?? '?');
    if (nodes.length > 0 && missing.length === 0) return { ok: true, title };
    return {
      ok: false,
      title,
      expected,
      saw: ctx.t('checks.imageOnNodes.saw', { nodes: missing.join(', ') || '-' }),
      cause: ctx.t('checks.imageOnNodes.cause'),
      hint: ctx.t('checks.imageOnNodes.hint', { image: spec.image }),
    };
  },
};
