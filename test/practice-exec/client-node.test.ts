// The official JavaScript client (@kubernetes/client-node 1.x, the line that runs on Node 20):
// exec over its websocket (v5/v4 channel protocol), with the exit status on the error channel.
import { PassThrough, Writable } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '../helpers/practice.js';
import { ok, startWorkloadCluster } from '../practice-workloads/e2e.js';

let tc: TestCluster;
let kc: KubeConfig;
beforeAll(async () => {
  tc = await startWorkloadCluster();
  await ok(tc, ['run', 'box', '--image=busybox:1.36', '--', 'sleep', '3600']);
  await ok(tc, ['wait', '--for=condition=Ready', 'pod/box', '--timeout=60s']);
  kc = new KubeConfig();
  kc.loadFromFile(tc.cluster.kubeconfigPath);
});
afterAll(async () => tc?.stop());

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

function run(
  command: string[],
  stdin: PassThrough | null,
): Promise<{ out: string; err: string; status: V1Status }> {
  const out = sink();
  const err = sink();
  return new Promise((resolve, reject) => {
    new Exec(kc)
      .exec('default', 'box', 'box', command, out.stream, err.stream, stdin, false, (status) => {
        // The status arrives before the socket closes; let the last frames drain.
        setTimeout(() => resolve({ out: out.text(), err: err.text(), status }), 100);
      })
      .catch(reject);
  });
}

describe('@kubernetes/client-node exec', () => {
  it('runs a command and reports success', async () => {
    const r = await run(['sh', '-c', 'hostname; echo oops >&2'], null);
    expect(r.out).toBe('box\n');
    expect(r.err).toBe('oops\n');
    expect(r.status.status).toBe('Success');
  });

  it('reports a non-zero exit code as upstream does', async () => {
    const r = await run(['sh', '-c', 'exit 7'], null);
    expect(r.status.status).toBe('Failure');
    expect(r.status.reason).toBe('NonZeroExitCode');
    expect(r.status.details?.causes?.[0]).toMatchObject({ reason: 'ExitCode', message: '7' });
  });

  it('sends stdin', async () => {
    const stdin = new PassThrough();
    const pending = run(['cat'], stdin);
    stdin.end('through the websocket\n');
    const r = await pending;
    expect(r.out).toBe('through the websocket\n');
  });
});
