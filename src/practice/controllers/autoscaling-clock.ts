// The autoscaling clock of a practice cluster: the ConfigMap kube-system/k8s-learn-practice-clock
// with `data.autoscalingTimeScale` (a positive number) sets how fast the HPA loop (15 cluster s),
// its stabilization windows and policy periods, and the metrics window (15 cluster s) run, in place
// of the cluster's time scale. `k8s-learn load --fast` writes it for its run and removes it after,
// so an unattended course tells a whole scale-up and scale-down story in seconds while rollouts,
// probes and pulls keep their usual pace. A real cluster has no such knob (docs/practice-workloads.md).
import type { Controller } from '../extensions.js';
import type { KubeObject } from '../types.js';
import type { WorkloadContext } from './context.js';

/** CLOCK_NAMESPACE and CLOCK_CONFIGMAP name the ConfigMap; CLOCK_KEY is its key. */
export const CLOCK_NAMESPACE = 'kube-system';
export const CLOCK_CONFIGMAP = 'k8s-learn-practice-clock';
export const CLOCK_KEY = 'autoscalingTimeScale';

/** autoscalingScaleOf reads the scale from the ConfigMap; undefined when absent or not a positive number. */
export function autoscalingScaleOf(configMap: KubeObject | undefined): number | undefined {
  const raw = (configMap as { data?: Record<string, string> } | undefined)?.data?.[CLOCK_KEY];
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** autoscalingClockController keeps the cluster's autoscaling clock in step with the ConfigMap. */
export function autoscalingClockController(ctx: WorkloadContext): Controller {
  const { store, clock } = ctx;
  let unsubscribe = () => {};
  const read = () =>
    clock.setAutoscalingTimeScale(
      autoscalingScaleOf(store.get('configmaps', CLOCK_NAMESPACE, CLOCK_CONFIGMAP)),
    );
  return {
    name: 'autoscaling-clock',
    start() {
      read();
      unsubscribe = store.subscribe((e) => {
        if (e.resource !== 'configmaps') return;
        const { namespace, name } = e.object.metadata;
        if (namespace === CLOCK_NAMESPACE && name === CLOCK_CONFIGMAP) read();
      });
    },
    stop() {
      unsubscribe();
    },
  };
}
