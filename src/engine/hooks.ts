// EngineHooks let a mode change what the engine does around steps without the engine knowing the
// mode. The one user today is workshop mode (src/workshop/learner.ts): its own cluster target,
// cluster-wide steps explained instead of run, progress shared with the facilitator.
import type { CheckResult, ClusterTarget } from '../checks/types.js';
import type { Step } from '../course/types.js';

export interface EngineHooks {
  /** prepareCluster replaces backend selection: it returns the target (and checks it works). */
  prepareCluster?(): Promise<ClusterTarget>;
  /** stepStarted runs before a step's actions. */
  stepStarted?(step: Step): Promise<void>;
  /** explainOnly is true when the step must be explained, not run (it has said why). */
  explainOnly?(step: Step): Promise<boolean>;
  /** verified runs after each verification of a step, with its results. */
  verified?(step: Step, results: CheckResult[]): Promise<void>;
  /** hintShown runs after a hint of the step was revealed and recorded. */
  hintShown?(step: Step): Promise<void>;
  /** stepEnded runs after a step was recorded (done, skipped, quit or failed). */
  stepEnded?(step: Step, outcome: 'done' | 'skipped' | 'quit' | 'failed'): Promise<void>;
}
