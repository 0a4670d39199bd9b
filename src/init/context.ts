// What `k8s-learn init`'s actions share (create-astro's Context): the command line, the UI, the
// answers gathered so far and the files to write. Each action takes only what it needs (Pick<>).
import type { Translate } from '../i18n/index.js';
import type { UI } from '../ui/types.js';

/** AppTemplate is the language of the generated service. */
export type AppTemplate = 'node' | 'python';

/** ProjectOptions are the answers: everything the templates are rendered from. */
export interface ProjectOptions {
  /** Target folder as typed (relative to the cwd) and resolved. */
  dir: string;
  name: string;
  namespace: string;
  template: AppTemplate;
  port: number;
  replicas: number;
  hpa: boolean;
  ingress: boolean;
  clusterName: string;
  /** ConfigMap data: key → value (seeded from the course workspace with --from-course). */
  config: Record<string, string>;
}

/** InitFlags are the command's own flags, as parsed (undefined = not given). */
export interface InitFlags {
  dir?: string;
  name?: string;
  namespace?: string;
  template?: string;
  port?: string;
  replicas?: string;
  hpa?: boolean;
  ingress?: boolean;
  clusterName?: string;
  fromCourse: boolean;
  force: boolean;
}

/** Seed is what --from-course found in the learner's workspace: defaults that beat the built-in ones. */
export type Seed = Partial<
  Pick<ProjectOptions, 'name' | 'namespace' | 'port' | 'replicas' | 'clusterName' | 'config'>
> & {
  /** Where the values came from, for the summary line. */
  source: string;
};

/** InitContext is shared by the actions of one `init` run. */
export interface InitContext {
  cwd: string;
  lang: string;
  t: Translate;
  ui: UI;
  yes: boolean;
  dryRun: boolean;
  flags: InitFlags;
  /** The course workspace (global --dir), read by --from-course. */
  workspace: string;
  seed?: Seed;
  options?: ProjectOptions;
  /** Rendered files: project-relative path → content. */
  files?: Map<string, string>;
}
