// --from-course: seeds the answers from the learner's course workspace, so the project continues
// what they built: the namespace, the app (the Deployment a Service selects that they touched
// last), its replicas and port, the data of the ConfigMaps it reads, and the kind cluster.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { statePath } from '../engine/state.js';
import { UserError } from '../errors.js';
import type { InitContext, Seed } from './context.js';

interface KubeDoc {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface Found {
  doc: KubeDoc;
  mtime: number;
}

type PodSpec = {
  containers?: {
    ports?: { containerPort?: number }[];
    env?: { valueFrom?: { configMapKeyRef?: { name?: string } } }[];
    envFrom?: { configMapRef?: { name?: string } }[];
  }[];
  volumes?: { configMap?: { name?: string } }[];
};

function configMapsOf(spec: PodSpec | undefined): string[] {
  const names = new Set<string>();
  for (const v of spec?.volumes ?? []) if (v.configMap?.name) names.add(v.configMap.name);
  for (const c of spec?.containers ?? []) {
    for (const e of c.envFrom ?? []) if (e.configMapRef?.name) names.add(e.configMapRef.name);
    for (const e of c.env ?? [])
      if (e.valueFrom?.configMapKeyRef?.name) names.add(e.valueFrom.configMapKeyRef.name);
  }
  return [...names];
}

/** readCourseSeed reads `<workspace>/.k8s-learn/state.json` and the manifests under `<workspace>/k8s`. */
export async function readCourseSeed(ctx: Pick<InitContext, 'workspace' | 't'>): Promise<Seed> {
  const { workspace, t } = ctx;
  if (!existsSync(statePath(workspace)))
    throw new UserError(
      t('init.fromCourse.noWorkspace', { dir: workspace }),
      t('init.fromCourse.noWorkspace.next'),
    );
  const state = JSON.parse(readFileSync(statePath(workspace), 'utf8')) as {
    backend?: string;
    context?: string;
  };
  const dir = join(workspace, 'k8s');
  const found: Found[] = [];
  if (existsSync(dir)) {
    const { parseAllDocuments } = await import('../yaml.js');
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
      const path = join(dir, file);
      const mtime = statSync(path).mtimeMs;
      for (const d of parseAllDocuments(readFileSync(path, 'utf8'))) {
        const doc = d.toJS() as KubeDoc | null;
        if (doc && typeof doc === 'object' && typeof doc.kind === 'string') found.push({ doc, mtime });
      }
    }
  }
  if (found.length === 0)
    throw new UserError(t('init.fromCourse.noManifests', { dir }), t('init.fromCourse.noWorkspace.next'));
  const ofKind = (kind: string) => found.filter((f) => f.doc.kind === kind);
  const services = ofKind('Service');
  const selected = (d: KubeDoc) => {
    const labels = ((d.spec?.template as { metadata?: { labels?: Record<string, string> } })?.metadata
      ?.labels ?? {}) as Record<string, string>;
    return services.some((s) => {
      const sel = (s.doc.spec?.selector ?? {}) as Record<string, string>;
      return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    });
  };
  const deployments = ofKind('Deployment').sort(
    (a, b) =>
      Number(selected(b.doc)) - Number(selected(a.doc)) ||
      b.mtime - a.mtime ||
      Number(b.doc.spec?.replicas ?? 1) - Number(a.doc.spec?.replicas ?? 1),
  );
  const app = deployments[0]?.doc;
  const namespaces = ofKind('Namespace').map((f) => f.doc.metadata?.name);
  const seed: Seed = { source: dir };
  const namespace = app?.metadata?.namespace ?? namespaces[0];
  if (namespace) seed.namespace = namespace;
  if (app?.metadata?.name) seed.name = app.metadata.name;
  if (typeof app?.spec?.replicas === 'number') seed.replicas = app.spec.replicas;
  const podSpec = (app?.spec?.template as { spec?: PodSpec } | undefined)?.spec;
  const port = podSpec?.containers?.[0]?.ports?.[0]?.containerPort;
  if (typeof port === 'number') seed.port = port;
  const config: Record<string, string> = {};
  for (const name of configMapsOf(podSpec)) {
    const cm = ofKind('ConfigMap').find((f) => f.doc.metadata?.name === name);
    for (const [k, v] of Object.entries(cm?.doc.data ?? {})) config[k] = String(v);
  }
  if (Object.keys(config).length > 0) seed.config = config;
  // Reuse the course's kind cluster when the course ran on kind (kind-NAME is kind's context name).
  if (state.backend === 'kind' && state.context?.startsWith('kind-'))
    seed.clusterName = state.context.slice(5);
  return seed;
}
