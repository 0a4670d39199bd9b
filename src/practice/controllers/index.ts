// The workloads plugin: installs the controllers (deployment, replicaset, scheduler, kubelets,
// endpointslices, HPA), the subresource handlers (pods/log, services/proxy, pods/proxy) and the
// metrics.k8s.io group on one practice cluster. Options set the speed of simulated time.

import { installStreams } from '../exec/streams.js';
import type { Controller, Extensions, PracticePlugin } from '../extensions.js';
import { type ContainerUsage, CpuMeter, metricsGroup } from '../metrics.js';
import type { KubeObject } from '../types.js';
import { podLogs } from '../workloads/log-handler.js';
import { LogBook } from '../workloads/logs.js';
import { podProxy, serviceProxy } from '../workloads/proxy.js';
import { autoscalingClockController } from './autoscaling-clock.js';
import { cronJobController, jobController } from './batch.js';
import type { WorkloadContext } from './context.js';
import { deploymentController } from './deployment.js';
import { endpointsController } from './endpoints.js';
import { EVENT_TTL_SECONDS, EventRecorder, pruneEvents } from './events.js';
import { hpaController } from './hpa.js';
import { seedKubeSystem, staticPodController } from './kube-system.js';
import { Kubelets } from './kubelet.js';
import { DEFAULT_WORKLOAD_OPTIONS, timeScaleFromEnv, type WorkloadOptions } from './options.js';
import { replicaSetController } from './replicaset.js';
import { Clock } from './runtime.js';
import { schedulerController } from './scheduler.js';
import { daemonSetController, statefulSetController } from './sets.js';

/**
 * workloadsPlugin brings workloads to life on a practice cluster. Without options the time
 * scale comes from K8S_LEARN_PRACTICE_TIME_SCALE (default 1, realistic).
 */
export function workloadsPlugin(options: Partial<WorkloadOptions> = {}): PracticePlugin {
  return (ext: Extensions) => {
    const opts: WorkloadOptions = { ...DEFAULT_WORKLOAD_OPTIONS, timeScale: timeScaleFromEnv(), ...options };
    let ctx: WorkloadContext | undefined;
    let kubelets: Kubelets | undefined;
    const need = () => {
      if (!ctx) throw new Error('workloads plugin used before its cluster started');
      return ctx;
    };
    const usageOf = (pod: KubeObject): ContainerUsage[] | undefined => {
      const c = need();
      if ((pod.status as { phase?: string } | undefined)?.phase !== 'Running') return undefined;
      const uid = pod.metadata.uid ?? '';
      const names = ((pod.spec as { containers?: { name: string }[] }).containers ?? []).map((x) => x.name);
      const apps = names.map((n) => ({ n, app: c.appOf(uid, n) }));
      if (!apps.some((a) => a.app?.running)) return undefined;
      return apps.map(({ n, app }) => ({
        name: n,
        cpuMilli: app?.running ? Math.max(c.cpu.millicores(uid, n), app.plan.idleMilli ?? 0) : 0,
        memoryBytes: app?.running ? app.plan.memory : 0,
      }));
    };
    let running: Controller[] = [];
    ext.addController({
      name: 'workloads',
      async start(c) {
        const clock = new Clock(opts);
        const context: WorkloadContext = {
          store: c.store,
          clock,
          events: new EventRecorder(c.store),
          logs: new LogBook(),
          cpu: new CpuMeter(clock),
          options: opts,
          nodeNames: c.nodeNames,
          inCluster: c.inCluster,
          appOf: (uid, container) => kubelets?.workers.get(uid)?.appOf(container),
          workerOf: (uid) => kubelets?.workers.get(uid),
        };
        ctx = context;
        // kind's kube-system objects exist before the controllers that run them start.
        if (opts.kubeSystem) seedKubeSystem(context);
        kubelets = new Kubelets(context);
        running = [
          // First, so the HPA loop starts on the clock a persisted ConfigMap asks for.
          autoscalingClockController(context),
          kubelets.controller(),
          schedulerController(context),
          replicaSetController(context),
          deploymentController(context),
          endpointsController(context),
          hpaController(context, usageOf),
          jobController(context),
          cronJobController(context),
          statefulSetController(context),
          daemonSetController(context),
          ...(opts.kubeSystem ? [staticPodController(context)] : []),
        ];
        for (const controller of running) await controller.start(c);
        // Events expire after an hour (the API server's --event-ttl default).
        clock.every(600, () => pruneEvents(c.store, Date.now() - clock.ms(EVENT_TTL_SECONDS)));
      },
      async stop() {
        ctx?.clock.stop();
        for (const controller of [...running].reverse()) await controller.stop();
        running = [];
      },
    });
    // Pods bound to a node are deleted gracefully: the simulated kubelet stops them, then removes them.
    ext.gracefulDeletion.add('pods');
    ext.registerSubresource('pods', 'log', (req) => podLogs(need())(req));
    ext.registerSubresource('services', 'proxy', (req) => serviceProxy(need())(req));
    ext.registerSubresource('pods', 'proxy', (req) => podProxy(need())(req));
    ext.addGroup(metricsGroup(usageOf));
    // exec, attach, port-forward: the simulated shell and apps over websocket and SPDY.
    installStreams(ext, need);
  };
}
