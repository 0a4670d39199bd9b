// `npm run up`: brings the project up on a local cluster and checks it answers.
//   kind (when Docker and kind work): create or reuse the cluster from kind-config.yaml, build the
//   image, `kind load docker-image` it into the nodes.
//   Otherwise the k8s-learn practice cluster (no Docker needed; it simulates the app, runs no
//   container): `k8s-learn practice start`, `k8s-learn practice load-image`.
// Then `kubectl apply -k k8s`, wait for the rollout, call the app through its Service.
// `npm run up -- --kind` or `-- --practice` chooses; `npm run down` removes what this made.

import {
  existingObjects,
  imageRef,
  k8sLearn,
  kubectl,
  main,
  manifestsFor,
  onPath,
  project,
  readRecord,
  renderedObjects,
  run,
  say,
  writeRecord,
} from './lib.mjs';
import { smoke } from './smoke.mjs';

const INGRESS_NGINX = 'https://kind.sigs.k8s.io/examples/ingress/deploy-ingress-nginx.yaml';

async function chooseBackend() {
  if (process.argv.includes('--practice')) return { name: 'practice', why: 'asked for with --practice' };
  if (process.argv.includes('--kind')) return { name: 'kind', why: 'asked for with --kind' };
  if (!(await onPath('docker'))) return { name: 'practice', why: 'Docker is not installed' };
  if ((await run(['docker', 'info'], { quiet: true, nothrow: true })).exitCode !== 0)
    return { name: 'practice', why: 'the Docker daemon does not answer (is Docker running?)' };
  if (!(await onPath('kind')))
    return { name: 'practice', why: 'kind is not installed (https://kind.sigs.k8s.io)' };
  return { name: 'kind', why: 'Docker and kind are available' };
}

async function upOnKind(before) {
  const clusters = (await run(['kind', 'get', 'clusters'], { quiet: true })).stdout.split('\n');
  let clusterCreated = before?.clusterCreated ?? false;
  if (clusters.includes(project.cluster)) say(`• reusing the kind cluster "${project.cluster}"`);
  else {
    // kind makes the new cluster your current kubectl context; put yours back afterwards.
    const current = await run(['kubectl', 'config', 'current-context'], { quiet: true, nothrow: true });
    await run([
      'kind',
      'create',
      'cluster',
      '--name',
      project.cluster,
      '--config',
      'kind-config.yaml',
      '--wait',
      '2m',
    ]);
    clusterCreated = true;
    const previous = current.exitCode === 0 ? current.stdout.trim() : '';
    if (previous && previous !== `kind-${project.cluster}`) {
      await run(['kubectl', 'config', 'use-context', previous], { quiet: true });
      say(`• your current kubectl context stays "${previous}"; this project uses "kind-${project.cluster}"`);
    }
  }
  await run(['docker', 'build', '-t', imageRef, 'app']);
  await run(['kind', 'load', 'docker-image', imageRef, '--name', project.cluster]);
  return { backend: 'kind', context: `kind-${project.cluster}`, clusterCreated };
}

async function upOnPractice(before) {
  const cli = await k8sLearn();
  let status = await run([...cli, 'practice', 'status', '--json'], { quiet: true, nothrow: true });
  let practiceStarted = before?.practiceStarted ?? false;
  if (status.exitCode !== 0) {
    await run([...cli, 'practice', 'start']);
    practiceStarted = true;
    status = await run([...cli, 'practice', 'status', '--json'], { quiet: true });
  }
  const info = JSON.parse(status.stdout);
  say('• the practice cluster simulates the app (no container runs): the image is recorded, not built');
  await run([...cli, 'practice', 'load-image', imageRef]);
  return { backend: 'practice', context: info.context, kubeconfig: info.kubeconfigPath, practiceStarted };
}

await main(async () => {
  const backend = await chooseBackend();
  say(`• cluster: ${backend.name} (${backend.why})`);
  const before = readRecord();
  const made = backend.name === 'kind' ? await upOnKind(before) : await upOnPractice(before);
  const record = {
    ...made,
    existed: before?.existed,
    ingressControllerInstalled: before?.ingressControllerInstalled,
  };
  const k = kubectl(record);
  const objects = await renderedObjects(record);
  // What was there before the first `up` is recorded once, so that `down` leaves it.
  record.existed ??= await existingObjects(record, objects);
  // Saved before applying, so that `npm run down` can clean up after a failure below.
  writeRecord(record);
  if (project.ingress && record.backend === 'kind' && record.ingressControllerInstalled === undefined) {
    const present = await run([...k, 'get', 'namespace', 'ingress-nginx'], { quiet: true, nothrow: true });
    if (present.exitCode !== 0) {
      await run([...k, 'apply', '-f', INGRESS_NGINX]);
      record.ingressControllerInstalled = true;
      writeRecord(record);
      await run([
        ...k,
        'wait',
        '-n',
        'ingress-nginx',
        '--for=condition=Ready',
        'pod',
        '-l',
        'app.kubernetes.io/component=controller',
        '--timeout=120s',
      ]);
    } else record.ingressControllerInstalled = false;
  }
  if (record.existed.length > 0)
    say(`• there before the first \`npm run up\`, so kept by \`npm run down\`: ${record.existed.join(', ')}`);
  if (record.existed.some((name) => name.startsWith('namespace/')))
    await run([...k, 'apply', '-f', '-'], { input: manifestsFor('apply', record, objects) });
  else await run([...k, 'apply', '-k', 'k8s']);
  await run([
    ...k,
    'rollout',
    'status',
    `deployment/${project.name}`,
    '-n',
    project.namespace,
    '--timeout=180s',
  ]);
  await smoke(record);
  say('');
  say(`${project.name} is up in namespace ${project.namespace} (context ${record.context}). Reach it with:`);
  if (record.backend === 'kind') {
    say(
      `  kubectl --context ${record.context} -n ${project.namespace} port-forward service/${project.name} 8080:80   # then http://localhost:8080/`,
    );
    if (project.ingress) say('  http://localhost/   (through the ingress controller)');
  } else {
    say(
      `  ${k.join(' ')} get --raw /api/v1/namespaces/${project.namespace}/services/${project.name}:http/proxy/`,
    );
    say(
      '  (the practice cluster has no port-forward or ingress controller; the API server proxy reaches the Service)',
    );
  }
  say('Check again: npm run smoke   ·   Remove it: npm run down');
});
