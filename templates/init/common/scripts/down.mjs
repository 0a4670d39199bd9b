// `npm run down`: removes what `npm run up` made, and nothing else. The project's objects are
// deleted, except those that were there before the first `up`; the kind cluster is deleted only
// when `up` created it, the practice cluster stopped only when `up` started it.
import {
  forgetRecord,
  k8sLearn,
  kubectl,
  main,
  manifestsFor,
  project,
  readRecord,
  renderedObjects,
  run,
  say,
} from './lib.mjs';

const INGRESS_NGINX = 'https://kind.sigs.k8s.io/examples/ingress/deploy-ingress-nginx.yaml';

await main(async () => {
  const record = readRecord();
  if (!record) {
    say('Nothing to remove: `npm run up` has not run here (or `down` already removed it).');
    return 0;
  }
  const k = kubectl(record);
  if (record.backend === 'kind' && record.clusterCreated) {
    // The whole cluster was ours: deleting it removes everything in it.
    await run(['kind', 'delete', 'cluster', '--name', project.cluster]);
  } else {
    const ours = manifestsFor('delete', record, await renderedObjects(record));
    if (ours.trim())
      await run([...k, 'delete', '--ignore-not-found', '--wait=true', '-f', '-'], { input: ours });
    if (record.existed?.length)
      say(`• kept, as they were there before the first \`npm run up\`: ${record.existed.join(', ')}`);
    if (record.ingressControllerInstalled)
      await run([...k, 'delete', '--ignore-not-found', '-f', INGRESS_NGINX]);
    if (record.backend === 'practice' && record.practiceStarted)
      await run([...(await k8sLearn()), 'practice', 'stop']);
  }
  forgetRecord();
  say(`✓ removed what \`npm run up\` made for ${project.name}`);
});
