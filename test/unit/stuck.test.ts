// The pure parts of fail-fast (src/checks/kube/stuck.ts, watch.ts): cutting the watch stream into
// documents, which pods decide a rollout, when a replica count or a selector is stuck, and that a
// runner without streaming (the engine's fakes) only waits, starting no watch.
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/alerts/types.js';
import {
  currentPods,
  deploymentStuck,
  raceStuck,
  replicasStuck,
  selectorStuck,
} from '../../src/checks/kube/stuck.js';
import {
  applyEvent,
  createJsonSplitter,
  emptyLive,
  type LiveObjects,
  type ObjectWatch,
} from '../../src/checks/kube/watch.js';
import type { CheckContext } from '../../src/checks/types.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createKubectl } from '../../src/kubectl.js';
import { createClackUI } from '../../src/ui/clack.js';
import { spinnerClock } from '../../src/ui/clock.js';
import { fakeRunner, scripted } from '../helpers/engine.js';

describe('the watch stream', () => {
  it('cuts compact and indented documents at any chunk boundary, braces in strings included', () => {
    const docs = [
      { type: 'ADDED', object: { metadata: { name: 'a' }, data: { x: '} { "\\" }' } } },
      { type: 'MODIFIED', object: { metadata: { name: 'b' } } },
    ];
    const text = `${JSON.stringify(docs[0])}\n${JSON.stringify(docs[1], null, 4)}\n`;
    for (const size of [1, 3, 7, text.length]) {
      const seen: unknown[] = [];
      const feed = createJsonSplitter((d) => seen.push(JSON.parse(d)));
      for (let i = 0; i < text.length; i += size) feed(text.slice(i, i + size));
      expect(seen).toEqual(docs);
    }
  });

  it('keeps the current objects: ADDED and MODIFIED set, DELETED removes', () => {
    const into = new Map<string, K8sObject>();
    expect(applyEvent(into, { type: 'ADDED', object: { metadata: { name: 'p' } } })).toBe(true);
    expect(applyEvent(into, { type: 'BOOKMARK', object: { metadata: { name: 'p' } } })).toBe(false);
    expect(applyEvent(into, { type: 'DELETED', object: { metadata: { name: 'p' } } })).toBe(true);
    expect(into.size).toBe(0);
  });
});

const dep = (name: string, o: { replicas?: number; revision?: number; generation?: number } = {}) =>
  ({
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'n',
      generation: o.generation ?? 2,
      annotations: { 'deployment.kubernetes.io/revision': String(o.revision ?? 2) },
    },
    spec: { replicas: o.replicas ?? 3, template: { metadata: { labels: { app: name } } } },
    status: { observedGeneration: 2 },
  }) as K8sObject;

const rs = (name: string, owner: string, revision: number) =>
  ({
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'n',
      ownerReferences: [{ kind: 'Deployment', name: owner }],
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    },
  }) as K8sObject;

const pod = (name: string, owner: string, waiting?: string, labels: Record<string, string> = {}) =>
  ({
    kind: 'Pod',
    metadata: { name, namespace: 'n', labels, ownerReferences: [{ kind: 'ReplicaSet', name: owner }] },
    spec: { containers: [{ name: 'app', image: 'k8s-core:9.9' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        { name: 'app', state: waiting ? { waiting: { reason: waiting } } : { running: {} } },
      ],
    },
  }) as K8sObject;

function liveOf(objects: Partial<Record<keyof LiveObjects, K8sObject[]>>): LiveObjects {
  const live = emptyLive();
  for (const [kind, list] of Object.entries(objects) as [keyof LiveObjects, K8sObject[]][])
    for (const o of list) live[kind].set(o.metadata.name, o);
  return live;
}

describe('which pods decide', () => {
  it('only the pods of the newest ReplicaSet: an old crashing pod does not make a rollout stuck', () => {
    const live = liveOf({
      deployments: [dep('web')],
      replicasets: [rs('web-old', 'web', 1), rs('web-new', 'web', 2)],
      pods: [pod('web-old-1', 'web-old', 'CrashLoopBackOff'), pod('web-new-1', 'web-new')],
    });
    expect(currentPods(live, live.deployments.get('web')!)?.map((p) => p.metadata.name)).toEqual([
      'web-new-1',
    ]);
    expect(deploymentStuck(live, 'web')).toBeUndefined();
    live.pods.set('web-new-1', pod('web-new-1', 'web-new', 'ImagePullBackOff'));
    expect(deploymentStuck(live, 'web')).toMatchObject({ causeId: 'image-pull' });
  });

  it('nothing decides while the controller has not seen the latest change', () => {
    const stale = dep('web', { generation: 3 });
    const live = liveOf({
      deployments: [stale],
      replicasets: [rs('web-new', 'web', 2)],
      pods: [pod('web-new-1', 'web-new', 'ImagePullBackOff')],
    });
    expect(currentPods(live, stale)).toBeUndefined();
    expect(deploymentStuck(live, 'web')).toBeUndefined();
  });
});

describe('replica counts and selectors', () => {
  it('a replica count is stuck unless an HPA scales the Deployment; HPAs are read only on a mismatch', async () => {
    const live = liveOf({ deployments: [dep('web', { replicas: 3 })] });
    let reads = 0;
    const none = async () => {
      reads++;
      return [];
    };
    expect(await replicasStuck(live, 'web', 3, 'equal', none, 'cmd')).toBeUndefined();
    expect(reads).toBe(0);
    expect(await replicasStuck(live, 'web', 5, 'equal', none, 'cmd')).toMatchObject({
      causeId: 'replicas-mismatch',
      vars: { desired: 3, wanted: 5, command: 'cmd' },
    });
    expect(await replicasStuck(live, 'web', 2, 'at-least', none, 'cmd')).toBeUndefined();
    const hpa = { metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' } } };
    expect(await replicasStuck(live, 'web', 5, 'equal', async () => [hpa], 'cmd')).toBeUndefined();
  });

  it('a selector is judged only once pods and Deployments are listed, and matches templates too', () => {
    const svc = {
      metadata: { name: 'svc', namespace: 'n' },
      spec: { selector: { app: 'k8s-cor' } },
    } as K8sObject;
    const live = liveOf({
      services: [svc],
      deployments: [dep('k8s-core')],
      pods: [pod('k8s-core-1', 'rs', undefined, { app: 'k8s-core', 'pod-template-hash': 'abc' })],
    });
    const watch = { live, listed: new Set(), ended: Promise.resolve([]), stop() {} } as ObjectWatch;
    expect(selectorStuck(watch, 'svc')).toBeUndefined();
    watch.listed.add('pods');
    watch.listed.add('deployments');
    expect(selectorStuck(watch, 'svc')).toMatchObject({
      causeId: 'selector-mismatch',
      vars: { selector: 'app=k8s-cor', labels: 'app=k8s-core' },
    });
    live.services.set('svc', { ...svc, spec: { selector: { app: 'k8s-core' } } });
    expect(selectorStuck(watch, 'svc')).toBeUndefined();
  });
});

describe('racing a wait', () => {
  it('with a runner that does not stream, only waits and starts no watch', async () => {
    const { runner, calls } = fakeRunner();
    const cluster = { backend: 'practice', context: 'c' };
    const ctx: CheckContext = {
      runner,
      workspace: '/',
      lang: 'en',
      t: createTranslator('en'),
      vars: {},
      cluster,
    };
    const judged: unknown[] = [];
    const result = await raceStuck(
      ctx,
      createKubectl(runner, cluster),
      { namespace: 'n', kinds: ['pods'], judge: (w) => void judged.push(w) },
      async (signal) => {
        await new Promise((r) => setTimeout(r, 400));
        return signal === undefined ? 'waited' : 'had a signal';
      },
    );
    expect(result).toEqual({ value: 'waited' });
    expect(calls).toEqual([]);
    expect(judged).toEqual([]);
  });
});

describe('the spinner clock', () => {
  it('plain lines print the limit once, in the learner language', () => {
    const en = spinnerClock(createTranslator('en'), 120)!;
    expect(en.running(4)).toBe('4 s of 120 s');
    expect(en.running(500)).toBe('120 s of 120 s');
    expect(spinnerClock(createTranslator('en'), 0)).toBeUndefined();
    expect(spinnerClock(createTranslator('zh-CN'), 120)!.limit).toBe('最多 120 秒');
    const { ui, lines } = scripted([], false);
    const spinner = ui.spinner();
    spinner.start('verifying (1/1)…', en);
    spinner.message('still verifying');
    spinner.stop('deployment/web rolled out');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('… verifying (1/1)… (up to 120 s)');
    expect(lines[1]).toMatch(/^✓ deployment\/web rolled out \(\d+\.\ds\)$/);
  });

  it('the live spinner shows elapsed of limit, refreshed every second', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (d) => (text += String(d)));
    const spinner = createClackUI({ output }).spinner();
    spinner.start('verifying (1/1)…', spinnerClock(createTranslator('en'), 120));
    await new Promise((r) => setTimeout(r, 1300));
    spinner.stop('deployment/web rolled out');
    const plain = stripVTControlCharacters(text);
    expect(plain).toContain('verifying (1/1)… · 0 s of 120 s');
    expect(plain).toContain('verifying (1/1)… · 1 s of 120 s');
    expect(plain).toContain('deployment/web rolled out');
  });
});
