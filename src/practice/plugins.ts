// The plugins every practice cluster installs. Part 2 (controllers: ReplicaSets, pods, endpoints,
// events, HPA, logs, metrics) appends its plugin here.
import { workloadsPlugin } from './controllers/index.js';
import type { PracticePlugin } from './extensions.js';

/** defaultPlugins are installed by startPracticeCluster unless options.plugins replaces them. */
export const defaultPlugins: PracticePlugin[] = [workloadsPlugin()];
