import type { ClusterTarget } from '../checks/types.js';
import type { Translate } from '../i18n/index.js';
import type { Runner } from '../runner.js';
import type { UI } from '../ui/types.js';

/** BackendName is where the course's cluster comes from. */
export type BackendName = 'kind' | 'practice' | 'context';

/** BackendEnv is what a backend may use while creating, reusing or deleting its cluster. */
export interface BackendEnv {
  runner: Runner;
  ui: UI;
  t: Translate;
  /** Absolute workspace path (the kind config is written under `<workspace>/.k8s-learn/`). */
  workspace: string;
  /** Unattended (--yes): confirmations take their default. */
  yes: boolean;
}

/**
 * Backend is one way of getting a cluster. `ensure` creates or reuses it and returns the target
 * every kubectl call is then pinned to.
 */
export interface Backend {
  readonly name: BackendName;
  /** The context the course pins to (known before the cluster exists). */
  readonly context: string;
  ensure(env: BackendEnv): Promise<ClusterTarget>;
  /** loadImage makes a locally built image available to the cluster's nodes. */
  loadImage(env: BackendEnv, image: string): Promise<void>;
  /** remove deletes (kind) or stops (practice) the cluster; false when the user declined. */
  remove(env: BackendEnv): Promise<boolean>;
}

/** ClusterChoice is a parsed `--cluster` value. */
export type ClusterChoice =
  | { kind: 'auto' }
  | { kind: 'kind' }
  | { kind: 'practice' }
  | { kind: 'context'; name: string };

/** parseClusterChoice reads `auto | kind | practice | context:NAME`; undefined when invalid. */
export function parseClusterChoice(value: string): ClusterChoice | undefined {
  if (value === 'auto' || value === 'kind' || value === 'practice') return { kind: value };
  const m = /^context:(.+)$/.exec(value);
  return m ? { kind: 'context', name: m[1]! } : undefined;
}
