// batch/v1 with the real kubectl: Jobs (completions, parallelism, backoffLimit), CronJobs and
// `create job --from=cronjob/…`, on the simulated kubelet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCron } from '../../src/practice/controllers/batch.js';
import type { TestCluster } from '../helpers/practice.js';
import { ok, startWorkloadCluster } from './e2e.js';

let tc: TestCluster;
beforeAll(async () => {
  tc = await startWorkloadCluster();
});
afterAll(async () => tc?.stop());

const jobYaml = (name: string, image: string, extra: string, command?: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${extra}  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: ${image}
${command ? `        command: ${command}\n` : ''}`;

describe('Jobs and CronJobs', () => {
  it('runs a Job to completion: the pod exits, the Job is Complete 1/1 with its generated selector', async () => {
    expect(
      await ok(tc, ['create', 'job', 'hello', '--image=busybox:1.36', '--', 'echo', 'hello from the job']),
    ).toBe('job.batch/hello created\n');
    await ok(tc, ['wait', '--for=condition=complete', 'job/hello', '--timeout=60s']);
    expect(await ok(tc, ['get', 'job', 'hello'])).toMatch(
      /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nhello\s+Complete\s+1\/1\s+\d+s\s+\d+s\n$/,
    );
    const job = JSON.parse(await ok(tc, ['get', 'job', 'hello', '-o', 'json']));
    expect(job.spec.selector).toEqual({
      matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid },
    });
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6 });
    expect(job.status.conditions.map((c: { type: string }) => c.type)).toEqual([
      'SuccessCriteriaMet',
      'Complete',
    ]);
    const pods = await ok(tc, ['get', 'pods', '-l', 'job-name=hello']);
    expect(pods).toMatch(/hello-[a-z0-9]{5}\s+0\/1\s+Completed\s+0\s+\d+s/);
    expect(await ok(tc, ['logs', 'job/hello'])).toContain('hello from the job');
  });

  it('honours completions and parallelism', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      jobYaml('batch3', 'k8s-core:1.0', '  completions: 3\n  parallelism: 2\n'),
    );
    await ok(tc, ['wait', '--for=condition=complete', 'job/batch3', '--timeout=60s']);
    expect(await ok(tc, ['get', 'job', 'batch3', '-o', 'jsonpath={.status.succeeded}'])).toBe('3');
    expect(
      (await ok(tc, ['get', 'pods', '-l', 'job-name=batch3', '-o', 'name'])).trim().split('\n'),
    ).toHaveLength(3);
    const events = await ok(tc, ['get', 'events', '--field-selector', 'involvedObject.name=batch3']);
    expect(events).toMatch(/Normal\s+SuccessfulCreate\s+job\/batch3\s+Created pod: batch3-/);
    expect(events).toMatch(/Normal\s+Completed\s+job\/batch3\s+Job completed/);
  });

  it('fails a Job after backoffLimit failed pods', async () => {
    await ok(
      tc,
      ['apply', '-f', '-'],
      jobYaml('fails', 'busybox:1.36', '  backoffLimit: 1\n', '["sh", "-c", "exit 1"]'),
    );
    await ok(tc, ['wait', '--for=condition=failed', 'job/fails', '--timeout=60s']);
    const job = JSON.parse(await ok(tc, ['get', 'job', 'fails', '-o', 'json']));
    expect(job.status.failed).toBe(2);
    expect(job.status.conditions.at(-1)).toMatchObject({ type: 'Failed', reason: 'BackoffLimitExceeded' });
    expect(await ok(tc, ['get', 'job', 'fails'])).toMatch(/fails\s+Failed\s+0\/1/);
  });

  it('creates a CronJob and a Job from it', async () => {
    await ok(tc, [
      'create',
      'cronjob',
      'tick',
      '--image=busybox:1.36',
      '--schedule=*/5 * * * *',
      '--',
      'date',
    ]);
    const cj = JSON.parse(await ok(tc, ['get', 'cronjob', 'tick', '-o', 'json']));
    expect(cj.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(await ok(tc, ['get', 'cronjobs'])).toMatch(
      /tick\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s/,
    );
    expect(await ok(tc, ['create', 'job', 'tick-now', '--from=cronjob/tick'])).toBe(
      'job.batch/tick-now created\n',
    );
    const job = JSON.parse(await ok(tc, ['get', 'job', 'tick-now', '-o', 'json']));
    expect(job.metadata.ownerReferences[0]).toMatchObject({ kind: 'CronJob', name: 'tick' });
    expect(job.metadata.annotations['cronjob.kubernetes.io/instantiate']).toBe('manual');
    await ok(tc, ['wait', '--for=condition=complete', 'job/tick-now', '--timeout=60s']);
  });

  it('parses cron schedules', () => {
    const every5 = parseCron('*/5 * * * *')!;
    expect([...every5[0]!]).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect([...parseCron('@hourly')![0]!]).toEqual([0]);
    expect([...parseCron('0 9-17/4 * * 1-5')![1]!]).toEqual([9, 13, 17]);
    expect(parseCron('61 * * * *')).toBeUndefined();
    expect(parseCron('* * *')).toBeUndefined();
  });
});
