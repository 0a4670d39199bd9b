// `--fast` on a practice cluster: write the autoscaling clock ConfigMap for the run, put back what
// was there after (src/practice/controllers/autoscaling-clock.ts reads it). Through the pinned
// kubectl, like every other write of the course.
import type { Kubectl } from '../kubectl.js';
import { CLOCK_CONFIGMAP, CLOCK_KEY, CLOCK_NAMESPACE } from '../practice/controllers/autoscaling-clock.js';

function configMap(scale: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: CLOCK_CONFIGMAP,
      namespace: CLOCK_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': 'k8s-learn' },
    },
    data: { [CLOCK_KEY]: scale },
  });
}

/** FastClock is a compressed autoscaling clock; `restore` puts the previous one back. */
export interface FastClock {
  restore(): Promise<void>;
}

/** compressClock sets the practice cluster's autoscaling clock to `scale`; throws with kubectl's error. */
export async function compressClock(kubectl: Kubectl, scale: number): Promise<FastClock> {
  const before = await kubectl.json<{ data?: Record<string, string> }>([
    'get',
    'configmap',
    CLOCK_CONFIGMAP,
    '-n',
    CLOCK_NAMESPACE,
  ]);
  const previous = before.value?.data?.[CLOCK_KEY];
  const applied = await kubectl.run(['apply', '-f', '-'], { input: configMap(String(scale)) });
  if (applied.exitCode !== 0) throw new Error((applied.stderr || applied.stdout).trim().split('\n')[0]);
  return {
    async restore() {
      if (previous !== undefined) await kubectl.run(['apply', '-f', '-'], { input: configMap(previous) });
      else
        await kubectl.run([
          'delete',
          'configmap',
          CLOCK_CONFIGMAP,
          '-n',
          CLOCK_NAMESPACE,
          '--ignore-not-found',
        ]);
    },
  };
}
