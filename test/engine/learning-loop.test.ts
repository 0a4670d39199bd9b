// The learning loop on a fixture course with both exercise forms, a fake runner and a scripted
// learner: the article's version is applied before any erratum is shown, errata follow the answer
// they explain, hints read the recorded failure and never run anything, "not yet" runs nothing.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hint } from '../../src/commands/hint.js';
import { start } from '../../src/commands/start.js';
import { verify } from '../../src/commands/verify.js';
import { statePath } from '../../src/engine/state.js';
import { args, fakeRunner, scripted, tempWorkspace } from '../helpers/engine.js';

const exerciseCourse = resolve(import.meta.dirname, '../fixtures/exercise-course');
const refused = { exitCode: 1, stderr: 'error: refused: kind "Broken" is not a kind\n' };

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
});
afterEach(() => ws.cleanup());

const state = () => JSON.parse(readFileSync(statePath(ws.dir), 'utf8'));

describe('fix-the-article', () => {
  it('--yes applies the article version, asserts its answer, then fixes; errata come after the answer', async () => {
    const { runner, calls } = fakeRunner((c, n) =>
      c === 'fake-tool apply article.yaml' && n === 1 ? refused : {},
    );
    const { ui, text } = scripted([], false);
    const code = await start(args(ws.dir, { course: exerciseCourse, yes: true }), { ui, runner });
    expect(code).toBe(0);
    // First the article's version (refused), then the solved file applied again.
    expect(calls.map((c) => c.command)).toEqual([
      'fake-tool apply article.yaml',
      'fake-tool apply article.yaml',
    ]);
    const out = text();
    const answer = out.indexOf('refused: kind "Broken" is not a kind');
    const erratumOne = out.indexOf('ERRATUM-ONE-WHY');
    const erratumTwo = out.indexOf('ERRATUM-TWO-WHY');
    expect(out.indexOf('Apply the article file first.')).toBeLessThan(answer);
    expect(answer).toBeGreaterThan(0);
    expect(erratumOne).toBeGreaterThan(answer);
    // The second erratum was never met: it comes once the step has passed.
    expect(erratumTwo).toBeGreaterThan(out.indexOf('article.yaml is in place'));
    expect(state().steps['ex/fix']).toMatchObject({ status: 'done', met: 1, revealed: [0, 1] });
  });

  it('--yes fails the run when the article version is not answered as the errata say', async () => {
    const { runner } = fakeRunner();
    const { ui, text } = scripted([], false);
    const code = await start(args(ws.dir, { course: exerciseCourse, yes: true }), { ui, runner });
    expect(code).toBe(1);
    expect(text()).toContain("The article's version should have been refused");
    expect(text()).not.toContain('ERRATUM-ONE-WHY');
  });

  it('a learner who types the command pastes the answer; hints and "not yet" run nothing', async () => {
    const { runner, calls } = fakeRunner();
    const { ui, text } = scripted([
      'self', // meet: I'll type it myself
      'error: refused: kind "Broken" is not a kind', // pasted answer
      'hint', // before running: a hint (the erratum not yet shown)
      'self', // I'll type the commands myself
      'again', // "Done typing?" → not yet: show the commands again
      'hint', // → a tiered hint
      'verify', // now verify (the file is still broken)
      'hint', // after the failure: nothing left but "no more hints"
      'quit',
    ]);
    const code = await start(args(ws.dir, { course: exerciseCourse }), { ui, runner });
    expect(code).toBe(0);
    // The learner ran every command; k8s-learn ran none (no re-run check, no hint probe).
    expect(calls).toEqual([]);
    const out = text();
    expect(out).toContain("That is the cluster's real answer");
    expect(out.indexOf('ERRATUM-ONE-WHY')).toBeLessThan(out.indexOf('ERRATUM-TWO-WHY'));
    expect(out).toContain('Tier one: the kind is wrong.');
    expect(out.match(/\$ fake-tool apply article.yaml/g)?.length).toBeGreaterThanOrEqual(2);
    const record = state().steps['ex/fix'];
    expect(record).toMatchObject({ status: 'todo', met: 1, attempts: 1, hintsShown: 1 });
    expect(record.lastFailure.title).toContain('article.yaml');
  });

  it('a look-only stage whose paste is not its answer is answered by running it (it changes nothing)', async () => {
    const course = join(ws.dir, 'course');
    cpSync(exerciseCourse, course, { recursive: true });
    const lesson = join(course, 'ex', 'lesson.yaml');
    writeFileSync(
      lesson,
      readFileSync(lesson, 'utf8').replace(
        '          expect: \'refused: kind "Broken"\'\n    files:',
        "          expect: 'refused: kind \"Broken\"'\n        - run: kubectl get deployment web\n          file: article.yaml\n          expect: 'web +1/1'\n    files:",
      ),
    );
    const { runner, calls } = fakeRunner((c) =>
      c.endsWith('get deployment web') ? { stdout: 'NAME   READY\nweb    1/1\n' } : {},
    );
    const lab = join(ws.dir, 'lab');
    const { ui, text } = scripted([
      true, // the named context: continue
      'self',
      'error: refused: kind "Broken" is not a kind',
      'self',
      'NAME   READY',
      'self',
      'quit',
    ]);
    await start(args(lab, { course, cluster: 'context:lab' }), { ui, runner });
    // The learner's apply was theirs; the look-only stage was run for them, nothing else.
    // (Besides the reads that prepare the named context and record what the step found.)
    const ran = calls
      .map((c) => c.command)
      .filter((c) => !/get --raw \/version|api-resources|get namespaces/.test(c));
    expect(ran).toEqual(['kubectl --context lab get deployment web']);
    expect(text()).toContain('web    1/1');
    expect(JSON.parse(readFileSync(statePath(lab), 'utf8')).steps['ex/fix'].met).toBe(2);
  });

  it('a paste that is not the expected answer is not taken for it', async () => {
    const { runner, calls } = fakeRunner();
    const { ui, text } = scripted(['self', 'it worked?', 'quit'], true);
    // With a cluster the article's version would be sent as a dry run (covered on the practice
    // cluster); here there is none, and the paste alone must not count as the answer.
    await start(args(ws.dir, { course: exerciseCourse }), { ui, runner }).catch(() => undefined);
    expect(calls).toEqual([]);
    expect(text()).not.toContain("That is the cluster's real answer");
  });
});

describe('fill-in', () => {
  it('verify lists the open blanks by line; hint picks the cause-keyed hint first, without running anything', async () => {
    const { runner, calls } = fakeRunner((c, n) =>
      c === 'fake-tool apply article.yaml' && n === 1 ? refused : {},
    );
    const yes = scripted([], false);
    // Do the first step unattended, then stop at the fill-in step by failing it once.
    await start(args(ws.dir, { course: exerciseCourse, yes: true }), { ui: yes.ui, runner });
    writeFileSync(join(ws.dir, 'blanks.yaml'), 'a: 1\n# TODO(k8s-learn): b — write b: 2\n');
    const before = calls.length;
    const v = scripted([], false);
    expect(
      await verify(args(ws.dir, { course: exerciseCourse }, { positionals: ['ex/fill'] }), {
        ui: v.ui,
        runner,
      }),
    ).toBe(1);
    expect(v.text()).toContain('blanks.yaml:2  b — write b: 2');
    const h1 = scripted([], false);
    await hint(args(ws.dir, { course: exerciseCourse }, { positionals: ['ex/fill'] }), { ui: h1.ui, runner });
    expect(h1.text()).toContain('CAUSE-HINT: one blank is left.');
    const h2 = scripted([], false);
    await hint(args(ws.dir, { course: exerciseCourse }, { positionals: ['ex/fill'] }), { ui: h2.ui, runner });
    expect(h2.text()).toContain('Tier one: write b: 2.');
    expect(calls.length).toBe(before);
  });
});

describe('the end of the course', () => {
  it('lists the steps skipped or solved for the learner, with the commands to do them', async () => {
    const { runner } = fakeRunner((c, n) => (c === 'fake-tool apply article.yaml' && n === 1 ? refused : {}));
    const learner = scripted([
      'run', // meet: run it for me (refused, as the article's version is)
      'run', // run the commands (the file is still broken) → verify fails
      'solve', // solve it for me → verified
      'verify', // fill-in has no commands: "Ready?" → verify, which fails (a blank is open)
      'skip',
      'verify', // last step: "Ready?" → verify passes
    ]);
    const code = await start(args(ws.dir, { course: exerciseCourse }), { ui: learner.ui, runner });
    expect(code).toBe(0);
    const out = learner.text();
    expect(out).toContain('2 step(s) you can still do yourself');
    expect(out).toMatch(/ex\/fix — Fix the article's file \(solved for you\)/);
    expect(out).toMatch(/ex\/fill — Fill in the blanks \(skipped\)/);
    expect(out).toContain('reset ex/fill &&');
  });
});

describe('re-verifying a done step', () => {
  it('names the later step that changed the same object', async () => {
    const { laterChange } = await import('../../src/engine/diagnose.js');
    const { loadCourse } = await import('../../src/course/load.js');
    const { createTranslator } = await import('../../src/i18n/index.js');
    const course = loadCourse(resolve(import.meta.dirname, '../../lessons'));
    const t = createTranslator('en');
    const done = Object.fromEntries(
      course.steps.map((s) => [s.key, { status: 'done', attempts: 1, hintsShown: 0 }]),
    );
    const state = { steps: done } as never;
    const step = course.steps.find((s) => s.key === 'service/three-replicas')!;
    const spec = { type: 'ready-replicas', name: 'k8s-employee', namespace: 'k8s-test', replicas: 3 };
    const said = laterChange({ course, state, lang: 'en', t }, step, spec);
    expect(said).toMatch(/A later step changed this: (scaling|alerts)\/[a-z-]+/);
    expect(said).toContain('reset service/three-replicas');
    // A step not done yet, or with no later step on the object, gets no such sentence.
    const fresh = { steps: {} } as never;
    expect(laterChange({ course, state: fresh, lang: 'en', t }, step, spec)).toBeUndefined();
    const last = course.steps.at(-1)!;
    expect(laterChange({ course, state, lang: 'en', t }, last, spec)).toBeUndefined();
  });
});

describe('find-the-fault', () => {
  const faultCourse = resolve(import.meta.dirname, '../fixtures/fault-course');

  it('--yes applies the broken file as written, asserts the cause its verify reports, then fixes it', async () => {
    const { runner, calls } = fakeRunner();
    const { ui, text } = scripted([], false);
    const code = await start(args(ws.dir, { course: faultCourse, yes: true }), { ui, runner });
    expect(code).toBe(0);
    // The broken version is applied as the learner would, then the solved one.
    expect(calls.map((c) => c.command)).toEqual(['fake-tool apply fault.yaml', 'fake-tool apply fault.yaml']);
    const out = text();
    const broken = out.indexOf('The broken version, applied as written: fault.yaml');
    const met = out.indexOf('The cluster answered as the drill expects: manifest');
    expect(broken).toBeGreaterThan(0);
    expect(met).toBeGreaterThan(broken);
    // The erratum follows the failure the drill is about, never before it.
    expect(out.indexOf('FAULT-ERRATUM-WHY')).toBeGreaterThan(met);
    expect(state().steps['drill/fault']).toMatchObject({ status: 'done', met: 1 });
  });

  it('--yes fails the run when the file as scaffolded does not fail with the cause', async () => {
    // The learner's own (fixed) file is kept: an exercise file is their work.
    writeFileSync(join(ws.dir, 'fault.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n');
    const { runner } = fakeRunner();
    const { ui, text } = scripted([], false);
    const code = await start(args(ws.dir, { course: faultCourse, yes: true }), { ui, runner });
    expect(code).toBe(1);
    expect(text()).toContain('should have failed its check with the cause manifest, but the check passed');
  });

  it('an interactive learner is told to apply it as it is and find out why; nothing is verified first', async () => {
    const { runner, calls } = fakeRunner();
    const learner = scripted(['self', 'quit']);
    await start(args(ws.dir, { course: faultCourse }), { ui: learner.ui, runner });
    expect(learner.text()).toContain(
      'Apply fault.yaml as it is, then find out from the cluster why it does not work',
    );
    expect(calls).toEqual([]);
    expect(learner.text()).not.toContain('FAULT-ERRATUM-WHY');
  });
});
