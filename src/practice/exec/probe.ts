// Exec probes: the command runs in the container's simulated shell; exit 0 is success, anything
// else fails with the command's output as kubelet reports it (`Liveness probe failed: cat: can't
// open '/tmp/healthy': No such file or directory`). A command still running after
// timeoutSeconds fails as kubelet's does.
import type { ContainerRun, PodWorker } from '../controllers/pod-worker.js';
import { runExec } from './session.js';

/** execProbe runs a probe command and returns kubelet's verdict. */
export async function execProbe(
  w: PodWorker,
  run: ContainerRun,
  command: string[],
  timeoutSeconds: number,
): Promise<{ ok: boolean; message: string }> {
  const chunks: Buffer[] = [];
  const collect = (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, w.ctx.clock.ms(timeoutSeconds));
  try {
    const result = await runExec(w, run, command, { stdout: collect, stderr: collect }, controller.signal);
    if (timedOut) return { ok: false, message: `command ${JSON.stringify(command.join(' '))} timed out` };
    if ('error' in result) return { ok: false, message: result.error };
    return { ok: result.code === 0, message: Buffer.concat(chunks).toString() };
  } finally {
    clearTimeout(timer);
  }
}
