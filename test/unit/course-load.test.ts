import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CourseLoadError, loadCourse } from '../../src/course/load.js';
import { fixtureCourse, tempWorkspace } from '../helpers/engine.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace();
  cpSync(fixtureCourse, ws.dir, { recursive: true });
});
afterEach(() => ws.cleanup());

const problems = (dir: string) => {
  try {
    loadCourse(dir);
    return [];
  } catch (err) {
    if (err instanceof CourseLoadError) return err.problems.map((p) => `${p.line ?? '-'}:${p.message}`);
    throw err;
  }
};

it('loads the fixture course with stable step keys', () => {
  const course = loadCourse(ws.dir);
  expect(course.steps.map((s) => s.key)).toEqual(['alpha/config', 'alpha/tool', 'beta/edit']);
  expect(course.steps[0]!.text['zh-CN']).toContain('配置步骤');
});

it('reports YAML syntax errors with their line', () => {
  writeFileSync(join(ws.dir, 'beta/lesson.yaml'), 'id: beta\ntitle: { en: Beta\nsteps: []\n');
  expect(problems(ws.dir)[0]).toMatch(/^\d+:/);
});

it('reports an unknown field, an unknown check type and a bad check spec at their lines', () => {
  writeFileSync(
    join(ws.dir, 'beta/lesson.yaml'),
    [
      'id: beta',
      'title: { en: Beta }',
      'steps:',
      '  - id: edit',
      '    title: { en: Edit }',
      '    colour: blue',
      '    verify:',
      '      - type: telepathy',
      '      - type: file',
      '        pth: note.txt',
      '    solve: [scaffold]',
    ].join('\n'),
  );
  const found = problems(ws.dir);
  expect(found).toContain('6:steps.0: unknown field "colour"');
  expect(found).toContain('8:steps.0.verify.0: unknown check type "telepathy"');
  expect(found).toContain('9:steps.0.verify.1: missing required field "path"');
});

/** betaStep writes lesson beta as one step, `edit`, with these field lines. */
const betaStep = (...fields: string[]) =>
  writeFileSync(
    join(ws.dir, 'beta/lesson.yaml'),
    ['id: beta', 'title: { en: Beta }', 'steps:', '  - id: edit', '    title: { en: Edit }', ...fields].join(
      '\n',
    ),
  );

it('lets only a find-the-fault drill leave out its file (its own commands make the fault)', () => {
  const lesson = (exercise: string) =>
    betaStep(
      `    exercise: ${exercise}`,
      '    run: [kubectl set image deployment/app app=app:9.9]',
      '    verify: [{ type: rollout, name: app }]',
      '    solve: [{ run: kubectl rollout undo deployment/app }]',
    );
  lesson('{ form: find-the-fault, cause: image-pull }');
  expect(problems(ws.dir)).toEqual([]);
  lesson('{ form: fill-in }');
  expect(problems(ws.dir)).toContain('6:steps.0.exercise: missing required field "file"');
});

it('accepts needs on earlier steps only', () => {
  const lesson = (needs: string) =>
    betaStep(
      `    needs: [${needs}]`,
      '    verify: [{ type: file, path: note.txt }]',
      '    solve: [scaffold]',
    );
  lesson('alpha/tool');
  expect(problems(ws.dir)).toEqual([]);
  lesson('beta/edit');
  expect(problems(ws.dir).join('\n')).toContain(
    'step "beta/edit" needs "beta/edit", which is not an earlier step',
  );
  lesson('alpha/nothing');
  expect(problems(ws.dir).join('\n')).toContain('needs "alpha/nothing", which is not an earlier step');
});

it('rejects a course format newer than the tool', () => {
  writeFileSync(
    join(ws.dir, 'course.yaml'),
    'formatVersion: 2\nid: x\nversion: 1\ntitle: {en: X}\nlanguages: [en]\nlessons: [alpha]\n',
  );
  expect(problems(ws.dir).join('\n')).toContain('formatVersion 2 is newer than this k8s-learn understands');
});
