// A course workspace as the learner has it after the built-in course, written from the course's
// own templates with the values its lessons' solutions use (so it follows the course when the
// course changes) — without running the course.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { render } from '../../src/engine/templates.js';
import { root } from '../helpers/cli.js';

/** COURSE_FILES: workspace file (under k8s/) → course template and the lesson's vars for it. */
const COURSE_FILES: Record<string, { template: string; vars?: Record<string, string> }> = {
  'namespace.yaml': { template: 'k8s/namespace.yaml.hbs' },
  // The ConfigMap lesson's fixed config (16.0.0.0/4, not the article's 20.0.0.0/4).
  'configmap.yaml': { template: 'k8s/configmap.yaml.hbs', vars: { second_cidr: '16.0.0.0/4' } },
  // The security lesson's Deployment: own ServiceAccount, locked-down container.
  'k8s-core.yaml': { template: 'k8s/deployment-secure.yaml.hbs', vars: { name: 'k8s-core', replicas: '1' } },
  'k8s-core-service.yaml': { template: 'k8s/service.yaml.hbs', vars: { name: 'k8s-core' } },
  // The autoscaling lesson's availability step: minReplicas 2, and the PDB.
  'k8s-core-hpa.yaml': {
    template: 'autoscaling/hpa.yaml.hbs',
    vars: { name: 'k8s-core', min_replicas: '2' },
  },
  'k8s-core-pdb.yaml': {
    template: 'autoscaling/pdb.yaml.hbs',
    vars: { name: 'k8s-core', min_available: '1' },
  },
  'k8s-core-rbac.yaml': { template: 'k8s/rbac.yaml.hbs' },
};

/** BEFORE_AUTOSCALING: what the workspace holds after the service lesson (no HPA, PDB or security). */
export const BEFORE_AUTOSCALING: Record<string, { template: string; vars?: Record<string, string> }> = {
  'namespace.yaml': COURSE_FILES['namespace.yaml']!,
  'configmap.yaml': COURSE_FILES['configmap.yaml']!,
  'k8s-core.yaml': { template: 'k8s/deployment.yaml.hbs', vars: { name: 'k8s-core', replicas: '3' } },
  'k8s-core-service.yaml': COURSE_FILES['k8s-core-service.yaml']!,
};

/** writeCourseWorkspace writes .k8s-learn/state.json and k8s/ (the whole course, or `files`). */
export function writeCourseWorkspace(dir: string, files = COURSE_FILES): string {
  const course = parse(readFileSync(join(root, 'lessons/course.yaml'), 'utf8')) as {
    vars: Record<string, string>;
  };
  mkdirSync(join(dir, '.k8s-learn'), { recursive: true });
  mkdirSync(join(dir, 'k8s'), { recursive: true });
  writeFileSync(
    join(dir, '.k8s-learn/state.json'),
    `${JSON.stringify({ formatVersion: 1, backend: 'practice', context: 'k8s-learn-practice', steps: {} })}\n`,
  );
  for (const [file, spec] of Object.entries(files)) {
    const text = readFileSync(join(root, 'templates', spec.template), 'utf8');
    writeFileSync(join(dir, 'k8s', file), render(text, { ...course.vars, ...spec.vars }, spec.template));
  }
  return dir;
}
