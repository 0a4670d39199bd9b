// Shared by up, down, smoke and check: the project's settings (package.json "k8sLearn"), the
// record of what `up` made (.k8s-learn-up.json), and how to run kubectl, kind, docker and
// k8s-learn. Every kubectl call names its context, so your current kubectl context is never used.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $, which, YAML } from 'zx';

/** root is the project folder (the parent of scripts/). */
export const root = fileURLToPath(new URL('..', import.meta.url));
/** project holds name, namespace, cluster, image and ingress, as `k8s-learn init` wrote them. */
export const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).k8sLearn;
/** imageRef is the image with the tag k8s/kustomization.yaml deploys (its `images:` newTag). */
export const imageRef = `${project.image}:${imageTag()}`;

function imageTag() {
  const kustomization = YAML.parse(readFileSync(join(root, 'k8s', 'kustomization.yaml'), 'utf8'));
  const entry = (kustomization.images ?? []).find((i) => i.name === project.image);
  if (!entry?.newTag) throw new Error(`k8s/kustomization.yaml sets no newTag for the image ${project.image}`);
  return String(entry.newTag);
}
const recordFile = join(root, '.k8s-learn-up.json');

$.cwd = root;
$.quiet = true;

/** say prints one line of progress. */
export const say = (line) => console.log(line);

/**
 * run prints a command as you would type it, then runs it with its output shown; `quiet` runs it
 * silently and captures the output instead. Throws when it fails, unless `nothrow`.
 */
export async function run(argv, { quiet = false, nothrow = false, input } = {}) {
  if (!quiet) say(`$ ${argv.join(' ')}`);
  const stdio = quiet ? ['pipe', 'pipe', 'pipe'] : ['pipe', 'inherit', 'inherit'];
  return $({ nothrow, stdio, ...(input === undefined ? {} : { input }) })`${argv}`;
}

/** onPath tells whether a program is on PATH. */
export async function onPath(program) {
  return Boolean(await which(program, { nothrow: true }));
}

/** k8sLearn is the k8s-learn command: from PATH when installed, else through npx. */
export async function k8sLearn() {
  return (await onPath('k8s-learn')) ? ['k8s-learn'] : ['npx', '--yes', 'k8s-learn'];
}

/** readRecord returns what `up` recorded, or undefined when the project is not up. */
export function readRecord() {
  return existsSync(recordFile) ? JSON.parse(readFileSync(recordFile, 'utf8')) : undefined;
}

/** writeRecord saves what `up` made, so that `down` removes exactly that. */
export function writeRecord(record) {
  writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
}

/** forgetRecord deletes the record once `down` has removed everything. */
export function forgetRecord() {
  rmSync(recordFile, { force: true });
}

/** kubectl is the kubectl command pinned to the recorded cluster. */
export function kubectl(record) {
  return [
    'kubectl',
    '--context',
    record.context,
    ...(record.kubeconfig ? ['--kubeconfig', record.kubeconfig] : []),
  ];
}

/** objectName names a manifest as `kubectl get -o name` does: `deployment.apps/web`, `service/web`. */
function objectName(doc) {
  const group = doc.apiVersion.includes('/') ? `.${doc.apiVersion.split('/')[0]}` : '';
  return `${doc.kind.toLowerCase()}${group}/${doc.metadata.name}`;
}

/** renderedObjects is k8s/ as `kubectl apply -k k8s` sends it (`kubectl kustomize k8s`). */
export async function renderedObjects(record) {
  const rendered = await run([...kubectl(record), 'kustomize', 'k8s'], { quiet: true });
  return YAML.parseAllDocuments(rendered.stdout)
    .map((d) => d.toJS())
    .filter(Boolean);
}

/** existingObjects lists which of the project's objects the cluster already has (before `up`). */
export async function existingObjects(record, objects) {
  const input = objects.map((o) => YAML.stringify(o)).join('---\n');
  const out = await run([...kubectl(record), 'get', '--ignore-not-found', '-o', 'name', '-f', '-'], {
    quiet: true,
    input,
  });
  return out.stdout.split('\n').filter(Boolean);
}

/**
 * manifestsFor picks the objects `up` applies or `down` deletes. Objects that were there before the
 * first `up` (recorded in `existed`) are never deleted; a namespace that was there is not changed
 * either, since other things live in it. Other existing objects (the course's Deployment when
 * --from-course named the app after it) are taken over by `up` and kept by `down`.
 */
export function manifestsFor(action, record, objects) {
  const existed = new Set(record.existed ?? []);
  const keep = (o) => !existed.has(objectName(o)) || (action === 'apply' && o.kind !== 'Namespace');
  return objects
    .filter(keep)
    .map((o) => YAML.stringify(o))
    .join('---\n');
}

/** main runs a script's body and turns a failed command into a short message and exit 1. */
export async function main(body) {
  try {
    process.exitCode = (await body()) ?? 0;
  } catch (err) {
    const failed = err && typeof err === 'object' && 'exitCode' in err;
    console.error(failed ? `✗ the command above failed (exit ${err.exitCode})` : `✗ ${err?.message ?? err}`);
    if (failed && err.stderr?.trim()) console.error(err.stderr.trim().split('\n').slice(-8).join('\n'));
    process.exitCode = 1;
  }
}
