// The pure parts of the service/dns and service/see-balancing steps: the exec script and its
// output, kubectl port-forward's ready line, the balance table, the in-place redraw, and which
// commands the engine runs in the background.
import { describe, expect, it } from 'vitest';
import { bar, renderBalance } from '../../src/balance/view.js';
import { dnsScript, forwardingPort, parseSections } from '../../src/checks/kube/reach.js';
import { serviceName } from '../../src/commands/balance.js';
import { runsInBackground } from '../../src/engine/commands.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createLiveBlock } from '../../src/ui/live-block.js';

describe('service-dns script', () => {
  it('asks nslookup once and wget per name, and splits the answers back', () => {
    const script = dnsScript('web.ns.svc.cluster.local', [
      { name: 'web', url: 'http://web/' },
      { name: 'web.other', url: 'http://web.other/' },
    ]);
    expect(script.split('\n')).toEqual([
      `echo '@@nslookup web.ns.svc.cluster.local'; nslookup web.ns.svc.cluster.local 2>&1; echo "@@rc=$?"`,
      `echo '@@wget web'; wget -qO- -T 5 'http://web/' 2>&1; echo "@@rc=$?"`,
      `echo '@@wget web.other'; wget -qO- -T 5 'http://web.other/' 2>&1; echo "@@rc=$?"`,
    ]);
    // The app's JSON ends with a newline; wget's error does too; a body without one still parses.
    const out = [
      '@@nslookup web.ns.svc.cluster.local',
      'Server:\t\t10.96.0.10',
      'Name:\tweb.ns.svc.cluster.local',
      'Address: 10.96.3.4',
      '@@rc=0',
      '@@wget web',
      '{"pod":"web-1"}@@rc=0',
      '@@wget web.other',
      "wget: bad address 'web.other'",
      '@@rc=1',
      '',
    ].join('\n');
    expect(parseSections(out)).toEqual([
      {
        what: 'nslookup web.ns.svc.cluster.local',
        output: 'Server:\t\t10.96.0.10\nName:\tweb.ns.svc.cluster.local\nAddress: 10.96.3.4',
        exitCode: 0,
      },
      { what: 'wget web', output: '{"pod":"web-1"}', exitCode: 0 },
      { what: 'wget web.other', output: "wget: bad address 'web.other'", exitCode: 1 },
    ]);
    expect(parseSections('error: unable to upgrade connection\n')).toEqual([]);
  });
});

describe('port-forward', () => {
  it("reads the local port from kubectl's first line", () => {
    expect(
      forwardingPort('Forwarding from 127.0.0.1:43121 -> 8080\nForwarding from [::1]:43121 -> 8080\n'),
    ).toBe(43121);
    expect(forwardingPort('Forwarding from [::1]:43121 -> 8080\n')).toBeUndefined();
  });

  it('runs kubectl port-forward in the background, and nothing else', () => {
    expect(runsInBackground(['port-forward', 'svc/x', '8080:80'])).toBe(true);
    expect(runsInBackground(['-n', 'x', 'port-forward', 'svc/x', '8080:80'])).toBe(true);
    expect(runsInBackground(['--namespace=x', 'port-forward', 'svc/x', '8080:80'])).toBe(true);
    expect(runsInBackground(['get', 'pods', '-w'])).toBe(false);
    expect(runsInBackground(['exec', 'deploy/x', '--', 'port-forward'])).toBe(false);
  });
});

describe('balance view', () => {
  const t = createTranslator('en');
  const state = {
    service: 'web',
    namespace: 'ns',
    requests: 10,
    done: 5,
    failed: 1,
    counts: new Map([
      ['web-a', 3],
      ['web-b', 1],
      ['web-c', 0],
    ]),
    lastError: 'no endpoints available for service "web"',
  };

  it('draws one row per pod with a bar for its share of the answers', () => {
    expect(bar(0.5, 10)).toBe('█████░░░░░');
    expect(bar(2, 4)).toBe('████');
    expect(renderBalance(state, t, { color: false, width: 8 })).toEqual([
      'svc/web in ns — 5/10 requests',
      '  web-a       ██████░░    3   75%',
      '  web-b       ██░░░░░░    1   25%',
      '  web-c       ░░░░░░░░    0    0%',
      '  1 request(s) failed: no endpoints available for service "web"',
    ]);
  });

  it('has no escape codes without colour (NO_COLOR, pipes)', () => {
    expect(renderBalance(state, t, { color: false }).join('\n')).not.toMatch(/\x1b\[/);
  });

  it('redraws in place: up over the last drawing, erase, draw', () => {
    const out: string[] = [];
    const block = createLiveBlock((s) => out.push(s));
    block.draw(['a', 'b']);
    block.draw(['c', 'd', 'e']);
    block.end();
    block.draw(['f']);
    expect(out).toEqual(['a\nb\n', '\x1b[2A\r\x1b[0Jc\nd\ne\n', 'f\n']);
  });

  it('takes svc/NAME, service/NAME or NAME', () => {
    expect(serviceName('svc/k8s-employee')).toBe('k8s-employee');
    expect(serviceName('service/web')).toBe('web');
    expect(serviceName('web')).toBe('web');
    expect(serviceName('deploy/web')).toBeUndefined();
    expect(serviceName('Web')).toBeUndefined();
    expect(serviceName(undefined)).toBeUndefined();
  });
});
