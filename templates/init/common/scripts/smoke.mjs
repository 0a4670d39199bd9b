// `npm run smoke`: asks the app for / several times through its Service (via the Kubernetes API
// server's service proxy, so no port needs to be opened) and checks each answer names the pod.
import { pathToFileURL } from 'node:url';
import { kubectl, main, project, readRecord, run, say } from './lib.mjs';

/** smoke sends `requests` requests through the Service and returns the pods that answered. */
export async function smoke(record, requests = 6) {
  const path = `/api/v1/namespaces/${project.namespace}/services/${project.name}:http/proxy/`;
  say(`$ ${[...kubectl(record), 'get', '--raw', path].join(' ')}`);
  const pods = new Set();
  for (let i = 0; i < requests; i++) {
    const out = await run([...kubectl(record), 'get', '--raw', path], { quiet: true, nothrow: true });
    if (out.exitCode !== 0)
      throw new Error(`the Service ${project.name} did not answer: ${out.stderr.trim()}`);
    let reply;
    try {
      reply = JSON.parse(out.stdout);
    } catch {
      throw new Error(
        `the Service ${project.name} answered something other than the app's JSON: ${out.stdout.slice(0, 200)}`,
      );
    }
    if (typeof reply.pod !== 'string' || reply.pod === '')
      throw new Error(`no pod name in the answer: ${out.stdout.slice(0, 200)}`);
    pods.add(reply.pod);
  }
  say(
    `✓ ${project.name} answered ${requests} requests through its Service, from ${pods.size} pod(s): ${[...pods].join(', ')}`,
  );
  return [...pods];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(async () => {
    const record = readRecord();
    if (!record) throw new Error('the project is not up: run `npm run up` first');
    await smoke(record);
  });
}
