// `pods/log`: what the simulated app printed, with kubelet's options and error texts:
// container (required when several), previous, tailLines, timestamps, sinceSeconds, limitBytes,
// follow (streams until the container stops or the pod goes).
import { ApiError } from '../api-error.js';
import type { WorkloadContext } from '../controllers/context.js';
import type { SubresourceHandler } from '../extensions.js';
import type { KubeObject } from '../types.js';
import { formatLine, type LogLine } from './logs.js';

function bad(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

interface StatusEntry {
  name: string;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: unknown };
  lastState?: { terminated?: unknown };
}

function waitingText(reason: string): string {
  if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  if (reason === 'ErrImageNeverPull' || reason === 'InvalidImageName') return "image can't be pulled";
  return reason;
}

/** pickRun chooses the container run to show, or throws kubelet's error. */
export function pickRun(
  ctx: WorkloadContext,
  pod: KubeObject,
  container: string,
  previous: boolean,
): LogLine[] {
  const name = pod.metadata.name ?? '';
  const status = pod.status as
    | { containerStatuses?: StatusEntry[]; ephemeralContainerStatuses?: StatusEntry[] }
    | undefined;
  const statuses = [...(status?.containerStatuses ?? []), ...(status?.ephemeralContainerStatuses ?? [])];
  const st = statuses.find((s) => s.name === container);
  const uid = pod.metadata.uid ?? '';
  const running = !!st?.state?.running;
  const waiting = st?.state?.waiting;
  if (previous) {
    const lines = ctx.logs.lines(uid, container, running ? 1 : 0);
    if (!lines || !st?.lastState?.terminated)
      throw bad(`previous terminated container "${container}" in pod "${name}" not found`);
    return lines;
  }
  if (waiting && !st?.lastState?.terminated) {
    throw bad(
      `container "${container}" in pod "${name}" is waiting to start: ${waitingText(waiting.reason ?? 'ContainerCreating')}`,
    );
  }
  if (!st) throw bad(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  return ctx.logs.lines(uid, container, 0) ?? [];
}

/** podLogs is the `pods/log` handler. */
export function podLogs(ctx: WorkloadContext): SubresourceHandler {
  return async (req) => {
    const pod = req.store.mustGet('pods', req.namespace ?? 'default', req.name);
    const names = ((pod.spec as { containers?: { name: string }[] }).containers ?? []).map((c) => c.name);
    let container = req.query.get('container') ?? '';
    if (!container) {
      if (names.length !== 1)
        throw bad(
          `a container name must be specified for pod ${req.name}, choose one of: [${names.join(' ')}]`,
        );
      container = names[0] as string;
    }
    const ephemeral = (
      (pod.spec as { ephemeralContainers?: { name: string }[] }).ephemeralContainers ?? []
    ).map((c) => c.name);
    if (!names.includes(container) && !ephemeral.includes(container))
      throw bad(`container ${container} is not valid for pod ${req.name}`);
    const previous = req.query.get('previous') === 'true';
    const timestamps = req.query.get('timestamps') === 'true';
    let lines = pickRun(ctx, pod, container, previous);
    const since = Number(req.query.get('sinceSeconds'));
    if (since > 0) lines = lines.filter((l) => l.time.getTime() >= Date.now() - since * 1000);
    const tail = req.query.get('tailLines');
    if (tail !== null && Number(tail) >= 0) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
    let text = lines.map((l) => formatLine(l, timestamps)).join('');
    const limit = Number(req.query.get('limitBytes'));
    if (limit > 0) text = text.slice(0, limit);
    const statuses = (pod.status as { containerStatuses?: StatusEntry[] }).containerStatuses ?? [];
    const running = !!statuses.find((s) => s.name === container)?.state?.running;
    if (req.query.get('follow') !== 'true' || previous || !running) {
      return { status: 200, contentType: 'text/plain', body: text };
    }
    const res = req.response;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.write(text);
    const uid = pod.metadata.uid ?? '';
    const stop = ctx.logs.follow(uid, container, (line) => {
      if (line === null) {
        stop();
        res.end();
      } else res.write(formatLine(line, timestamps));
    });
    res.on('close', stop);
    return undefined;
  };
}
