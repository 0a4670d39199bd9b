// Recognises the kind failures users hit (see shared/reference/kubernetes-facts.md) in kind's
// output and names them, so the learner reads what went wrong and how to fix it, not a Go trace.

/** KindFailure names one recognised kind failure; the text lives under `backends.kind.<id>`. */
export type KindFailure =
  | 'daemonDown'
  | 'clusterExists'
  | 'portInUse'
  | 'nodeBoot'
  | 'tooManyOpenFiles'
  | 'diskFull'
  | 'imageMissing'
  | 'noNodes';

const patterns: [KindFailure, RegExp][] = [
  ['daemonDown', /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect/i],
  ['clusterExists', /node\(s\) already exist for a cluster with the name/],
  ['portInUse', /port is already allocated|Ports are not available|address already in use/i],
  ['tooManyOpenFiles', /too many open files/i],
  ['nodeBoot', /could not find a log line that matches/],
  ['diskFull', /no space left on device/i],
  ['imageMissing', /image: ".*" not present locally/],
  ['noNodes', /no nodes found for cluster/],
];

/** recognizeKindFailure returns the first failure whose stable text appears in kind's output. */
export function recognizeKindFailure(output: string): KindFailure | undefined {
  return patterns.find(([, re]) => re.test(output))?.[0];
}

/** kindTimedOutWaiting is true when `--wait` gave up (kind still exits 0 then). */
export function kindTimedOutWaiting(output: string): boolean {
  return /Timed out waiting for Ready/.test(output);
}
