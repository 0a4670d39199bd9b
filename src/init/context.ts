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
  /** Settings --from-course carried that have no flag or prompt (empty: init's defaults). */
  carried: Carried;
}

/** PolicyRule is one rule of an RBAC Role, as rbac.authorization.k8s.io/v1 has it. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** CarriedEnv is one variable the learner's app read from its ConfigMap (configMapKeyRef). */
export interface CarriedEnv {
  name: string;
  key: string;
  optional?: boolean;
}

/**
 * Carried holds what --from-course read from the learner's own manifests, each value already
 * checked the way the API server checks it; anything absent is rendered from init's defaults.
 */
export interface Carried {
  /** The HorizontalPodAutoscaler's bounds and target (its minimum is the `replicas` answer). */
  hpa?: { maxReplicas?: number; cpuUtilization?: number; behavior?: Record<string, unknown> };
  pdb?: { minAvailable: number | string } | { maxUnavailable: number | string };
  /** automountServiceAccountToken as the learner set it (pod spec, else their ServiceAccount). */
  automountToken?: boolean;
  /** The rules of the Role(s) bound to the app's ServiceAccount, ConfigMap names mapped to the project's. */
  roleRules?: PolicyRule[];
  podSecurityContext?: Record<string, unknown>;
  containerSecurityContext?: Record<string, unknown>;
  env?: CarriedEnv[];
  /** envFrom of the app's ConfigMap(s): every key as a variable, with this prefix ('' for none). */
  envFromPrefix?: string;
  /** The course file each carried item came from (relative to its k8s/), for the files' comments. */
  sources?: Partial<Record<SeedItem, string>>;
}

/** SeedItem names one thing --from-course reports on. */
export type SeedItem =
  | 'app'
  | 'config'
  | 'env'
  | 'hpa'
  | 'pdb'
  | 'token'
  | 'role'
  | 'podSecurityContext'
  | 'containerSecurityContext';

/** SeedLine says where one setting comes from: a file of the course (relative to k8s/) or init's default. */
export interface SeedLine {
  item: SeedItem;
  /** What the value is, in the manifests' own words (language-neutral). */
  value: string;
  /** The learner's file it was read from; undefined: init's default (nothing usable in the course). */
  file?: string;
}

/** SeedProblem is a file or a field --from-course could not use; init's default stands in for it. */
export interface SeedProblem {
  file: string;
  /** A field that was odd (its path), or undefined when the whole file did not parse. */
  field?: string;
  /** The odd value (JSON), or the parser's first error. */
  detail: string;
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
  carried: Carried;
  /** What comes from which file, and what from init's defaults (shown before the questions). */
  lines: SeedLine[];
  problems: SeedProblem[];
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
