import type { Translate } from '../i18n/index.js';
import type { Runner } from '../runner.js';

/** ClusterTarget is the cluster the course is pinned to (filled in by the backend layer). */
export interface ClusterTarget {
  /** kind | practice | context */
  backend: string;
  /** The kubectl context every cluster command is pinned to. */
  context: string;
  /** A kubeconfig file of our own, when the backend uses one. */
  kubeconfig?: string;
  /** Workshop mode: the learner's namespace; kubectl calls without a namespace flag get it. */
  namespace?: string;
}

/** CheckContext is what a check may use. Checks never prompt and never write the workspace. */
export interface CheckContext {
  runner: Runner;
  /** Absolute workspace path; relative paths in checks resolve against it. */
  workspace: string;
  lang: string;
  t: Translate;
  /** Course variables (namespace, image, …) already substituted into the spec. */
  vars: Record<string, string>;
  cluster?: ClusterTarget;
}

/**
 * CheckResult is the outcome of one check. A failure says what was expected, what was seen, the
 * likely cause and a hint — in the learner's language, not a raw tool error.
 */
export interface CheckResult {
  ok: boolean;
  /** One line describing what was checked (shown with ✓ / ✗). */
  title: string;
  expected?: string;
  saw?: string;
  cause?: string;
  hint?: string;
  /**
   * causeId names the failure's cause in a stable, language-free way (`image-pull`, `crash-loop`,
   * `not-found`, `wrong-namespace`, `replicas-mismatch`, `timeout`, …). Lesson hints can be keyed
   * by it (`hintsByCause` in lesson.yaml), and the engine picks feedback by it.
   */
  causeId?: string;
  /**
   * stuck is true when the cluster is in a state that cannot converge without a change by the
   * learner (ImagePullBackOff, CrashLoopBackOff, a replica count nothing will change, …): the check
   * said so at once instead of waiting out its timeout.
   */
  stuck?: boolean;
}

/**
 * CheckType is one kind of declarative check usable from lesson data as `- type: <name>`.
 * `schema` is the JSON Schema of its spec (without `type`), used by the course loader.
 */
export interface CheckType<Spec = Record<string, unknown>> {
  name: string;
  schema: Record<string, unknown>;
  run(spec: Spec, ctx: CheckContext): Promise<CheckResult>;
}
