// Network programs in a pod: wget (busybox), curl, nslookup (busybox), ping. Names resolve with
// the pod's DNS search path (svc, svc.ns, svc.ns.svc.cluster.local); requests to a Service IP
// reach one ready endpoint as kube-proxy picks it; Service IPs do not answer ping.
import { STATUS_CODES } from 'node:http';
import type { HttpResult, Program, ProgramContext } from './interpret.js';

interface Target {
  host: string;
  port: number;
  path: string;
  scheme: string;
}

function parseUrl(raw: string): Target | undefined {
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { host: u.hostname, port, path: `${u.pathname}${u.search}`, scheme: u.protocol.slice(0, -1) };
  } catch {
    return undefined;
  }
}

async function fetchOnce(
  ctx: ProgramContext,
  t: Target,
  method: string,
  headers: Record<string, string>,
  body?: string,
  tls: { insecure?: boolean; caPem?: string } = {},
): Promise<HttpResult> {
  return ctx.host.net.http({
    host: t.host,
    port: t.port,
    method,
    path: t.path,
    headers,
    body,
    scheme: t.scheme,
    ...tls,
  });
}

function addHeader(headers: Record<string, string>, line: string): void {
  const c = line.indexOf(':');
  if (c > 0) headers[line.slice(0, c).trim()] = line.slice(c + 1).trim();
}

export const wget: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  let quiet = false;
  let output: string | undefined;
  let spider = false;
  let showHeaders = false;
  const urls: string[] = [];
  const headers: Record<string, string> = { 'User-Agent': 'Wget' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-O') output = args[++i];
    else if (a.startsWith('-O') && a.length > 2) output = a.slice(2);
    else if (a === '--header') addHeader(headers, args[++i] ?? '');
    else if (a.startsWith('--header=')) addHeader(headers, a.slice('--header='.length));
    else if (a === '--no-check-certificate') continue;
    else if (a === '-T' || a === '-t' || a === '-U' || a === '-Y') i++;
    else if (a === '--spider') spider = true;
    else if (a.startsWith('--timeout') || a.startsWith('--tries')) continue;
    else if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      const o = a.indexOf('O');
      const letters = o >= 0 ? a.slice(1, o) : a.slice(1);
      if (letters.includes('q')) quiet = true;
      if (letters.includes('S')) showHeaders = true;
      if (o >= 0) output = a.slice(o + 1) || args[++i];
    } else urls.push(a);
  }
  if (urls.length === 0) {
    ctx.io.stderr(
      'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n',
    );
    return 1;
  }
  let status = 0;
  for (const raw of urls) {
    const t = parseUrl(raw);
    if (!t) {
      ctx.io.stderr(`wget: not an http or ftp url: ${raw}\n`);
      status = 1;
      continue;
    }
    // BusyBox's ssl_client does not verify the server's certificate.
    const r = await fetchOnce(ctx, t, spider ? 'HEAD' : 'GET', headers, undefined, { insecure: true });
    if (!r.ok) {
      ctx.io.stderr(
        r.error === 'resolve'
          ? `wget: bad address '${t.host}'\n`
          : r.error === 'timeout'
            ? 'wget: download timed out\n'
            : `wget: can't connect to remote host (${r.ip}): Connection refused\n`,
      );
      status = 1;
      continue;
    }
    if (!quiet)
      ctx.io.stderr(`Connecting to ${t.host}${t.port !== 80 ? `:${t.port}` : ''} (${r.ip}:${t.port})\n`);
    if (showHeaders) {
      ctx.io.stderr(`  HTTP/1.1 ${r.status} ${r.statusText}\n`);
      for (const [k, v] of Object.entries(r.headers)) ctx.io.stderr(`  ${k}: ${v}\n`);
    }
    if (r.status >= 400) {
      ctx.io.stderr(`wget: server returned error: HTTP/1.1 ${r.status} ${r.statusText}\n`);
      status = 1;
      continue;
    }
    if (spider) {
      if (!quiet) ctx.io.stderr('remote file exists\n');
      continue;
    }
    const name = output ?? (t.path.split('?')[0]!.split('/').pop() || 'index.html');
    if (name === '-') {
      if (!quiet) ctx.io.stderr('writing to stdout\n');
      ctx.io.stdout(r.body);
      if (!quiet) ctx.io.stderr('written to stdout\n');
      continue;
    }
    const path = ctx.shell.resolvePath(name);
    if (!quiet) ctx.io.stderr(`saving to '${name}'\n`);
    const err = ctx.host.fs.write(path, r.body);
    if (err) {
      ctx.io.stderr(
        `wget: can't open '${name}': ${err === 'EROFS' ? 'Read-only file system' : 'No such file or directory'}\n`,
      );
      status = 1;
      continue;
    }
    if (!quiet)
      ctx.io.stderr(
        `${name.padEnd(20).slice(0, 20)} 100% |********************************| ${String(r.body.length).padStart(5)}  0:00:00 ETA\n'${name}' saved\n`,
      );
  }
  return status;
};

export const curl: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  let silent = false;
  let showErrors = false;
  let include = false;
  let headOnly = false;
  let fail = false;
  let verbose = false;
  let method: string | undefined;
  let data: string | undefined;
  let output: string | undefined;
  let writeOut: string | undefined;
  let insecure = false;
  let caFile: string | undefined;
  const headers: Record<string, string> = { 'User-Agent': 'curl/8.11.1', Accept: '*/*' };
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-X' || a === '--request') method = args[++i];
    else if (a === '-d' || a === '--data' || a === '--data-raw') data = args[++i];
    else if (a === '-o' || a === '--output') output = args[++i];
    else if (a === '-w' || a === '--write-out') writeOut = args[++i];
    else if (a === '-H' || a === '--header') addHeader(headers, args[++i] ?? '');
    else if (a === '--cacert') caFile = args[++i];
    else if (a === '--insecure') insecure = true;
    else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') i++;
    else if (a === '--silent') silent = true;
    else if (a === '--include') include = true;
    else if (a === '--head') headOnly = true;
    else if (a === '--fail') fail = true;
    else if (a === '--verbose') verbose = true;
    else if (a === '--show-error') showErrors = true;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === 's') silent = true;
        else if (f === 'S') showErrors = true;
        else if (f === 'i') include = true;
        else if (f === 'I') headOnly = true;
        else if (f === 'f') fail = true;
        else if (f === 'v') verbose = true;
        else if (f === 'k') insecure = true;
      }
    } else if (!a.startsWith('-')) urls.push(a);
  }
  if (urls.length === 0) {
    ctx.io.stderr("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const err = (code: number, msg: string) => {
    if (!silent || showErrors) ctx.io.stderr(`curl: (${code}) ${msg}\n`);
    return code;
  };
  let status = 0;
  for (const raw of urls) {
    const t = parseUrl(raw);
    if (!t) return err(1, `Protocol "${raw.split(':')[0]}" not supported`);
    const m = method ?? (headOnly ? 'HEAD' : data !== undefined ? 'POST' : 'GET');
    if (verbose) ctx.io.stderr(`* Host ${t.host}:${t.port} was resolved.\n`);
    let caPem: string | undefined;
    if (caFile !== undefined) {
      const ca = ctx.host.fs.read(ctx.shell.resolvePath(caFile));
      if (!Buffer.isBuffer(ca)) {
        status = err(77, `error setting certificate file: ${caFile}`);
        continue;
      }
      caPem = ca.toString('utf8');
    }
    const r = await fetchOnce(ctx, t, m, { Host: t.host, ...headers }, data, { insecure, caPem });
    if (!r.ok) {
      if (r.error === 'certificate') {
        status = err(60, 'SSL certificate problem: unable to get local issuer certificate');
        if (!silent || showErrors) ctx.io.stderr(CURL_60_HELP);
      } else if (r.error === 'resolve') status = err(6, `Could not resolve host: ${t.host}`);
      else if (r.error === 'timeout')
        status = err(28, `Failed to connect to ${t.host} port ${t.port} after 0 ms: Timeout was reached`);
      else
        status = err(
          7,
          `Failed to connect to ${t.host} port ${t.port} after 0 ms: Couldn't connect to server`,
        );
      continue;
    }
    if (verbose) {
      ctx.io.stderr(
        `*   Trying ${r.ip}:${t.port}...\n* Connected to ${t.host} (${r.ip}) port ${t.port}\n> ${m} ${t.path} HTTP/1.1\n> Host: ${t.host}\n>\n< HTTP/1.1 ${r.status} ${r.statusText}\n`,
      );
    }
    if (fail && r.status >= 400) {
      status = err(22, `The requested URL returned error: ${r.status}`);
      continue;
    }
    let out = '';
    if (include || headOnly) {
      out += `HTTP/1.1 ${r.status} ${r.statusText}\r\n`;
      for (const [k, v] of Object.entries(r.headers)) out += `${k}: ${v}\r\n`;
      out += '\r\n';
    }
    const body = headOnly ? Buffer.alloc(0) : r.body;
    const payload = Buffer.concat([Buffer.from(out), body]);
    if (output && output !== '-') {
      const e = ctx.host.fs.write(ctx.shell.resolvePath(output), payload);
      if (e) status = err(23, `Failure writing output to destination`);
    } else ctx.io.stdout(payload);
    if (writeOut)
      ctx.io.stdout(
        writeOut
          .replace(/%\{http_code\}/g, String(r.status))
          .replace(/%\{remote_ip\}/g, r.ip)
          .replace(/\\n/g, '\n'),
      );
  }
  return status;
};

const CURL_60_HELP = `More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the webpage mentioned above.
`;

export const nslookup: Program = async (ctx) => {
  const name = ctx.argv.slice(1).find((a) => !a.startsWith('-'));
  if (!name) {
    ctx.io.stderr('Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n');
    return 1;
  }
  const ns = ctx.host.net.nameserver;
  ctx.io.stdout(`Server:\t\t${ns}\nAddress:\t${ns}:53\n\n`);
  const found = ctx.host.net.lookup(name);
  if (found) {
    ctx.io.stdout(`Name:\t${found.name}\nAddress: ${found.ip}\n\n`);
    return 0;
  }
  for (const tried of ctx.host.net.searchNames(name))
    ctx.io.stdout(`** server can't find ${tried}: NXDOMAIN\n\n`);
  return 1;
};

export const ping: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  let count = Number.POSITIVE_INFINITY;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') count = Number(args[++i]);
    else if (/^-c\d+$/.test(args[i]!)) count = Number(args[i]!.slice(2));
    else if (!args[i]!.startsWith('-')) host = args[i];
  }
  if (!host) {
    ctx.io.stderr('Usage: ping [OPTIONS] HOST\n');
    return 1;
  }
  const found = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? { name: host, ip: host } : ctx.host.net.lookup(host);
  if (!found) {
    ctx.io.stderr(`ping: bad address '${host}'\n`);
    return 1;
  }
  ctx.io.stdout(`PING ${host} (${found.ip}): 56 data bytes\n`);
  const answers = ctx.host.net.answersPing(found.ip);
  let sent = 0;
  let received = 0;
  try {
    while (sent < count) {
      sent++;
      if (answers) {
        received++;
        ctx.io.stdout(`64 bytes from ${found.ip}: seq=${sent - 1} ttl=63 time=0.081 ms\n`);
      }
      if (sent < count) await ctx.host.sleep(1, ctx.shell.signal);
    }
  } catch {
    // ^C: print the statistics like ping does on SIGINT.
  }
  const loss = sent ? Math.round(((sent - received) / sent) * 100) : 0;
  ctx.io.stdout(
    `\n--- ${host} ping statistics ---\n${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n`,
  );
  if (received) ctx.io.stdout('round-trip min/avg/max = 0.081/0.081/0.081 ms\n');
  return received ? 0 : 1;
};

/** statusText is the reason phrase of an HTTP status. */
export function statusText(code: number): string {
  return STATUS_CODES[code] ?? '';
}
