// The simulated shell on its own: parsing, expansions, control flow, redirections, programs,
// the busybox/Debian differences in messages, tar for kubectl cp, and the terminal discipline.
import { describe, expect, it } from 'vitest';
import { Terminal } from '../../src/practice/exec/tty.js';
import { programsFor } from '../../src/practice/shell/commands.js';
import { Vfs } from '../../src/practice/shell/fs.js';
import { ExitSignal, type Flavor, Shell, type ShellHost } from '../../src/practice/shell/interpret.js';
import { bufferInput, EMPTY_INPUT } from '../../src/practice/shell/io.js';
import { parseScript, ShellSyntaxError } from '../../src/practice/shell/parse.js';
import { repl } from '../../src/practice/shell/repl.js';
import { tarCreate, tarExtract } from '../../src/practice/shell/tar.js';

function host(flavor: Flavor = 'busybox'): ShellHost {
  const fs = new Vfs();
  fs.put('/etc/hostname', 'pod-1\n');
  fs.mkdirAll('/tmp');
  fs.put('/etc/app/key', 'value');
  fs.markReadOnly('/etc/app');
  let pid = 7;
  return {
    fs,
    hostname: 'pod-1',
    user: 'root',
    flavor,
    programs: programsFor(flavor),
    sleep: (s) => new Promise((r) => setTimeout(r, s)),
    signal: new AbortController().signal,
    now: () => new Date(Date.UTC(2026, 10, 30, 6, 5, 9)),
    spawn: () => ({ pid: pid++, done: () => {} }),
    processes: () => [{ pid: 1, user: 'root', command: 'sleep 3600' }],
    podIP: '10.244.1.5',
    net: {
      nameserver: '10.96.0.10',
      lookup: (n) => (n === 'web' ? { name: 'web.default.svc.cluster.local', ip: '10.96.7.7' } : undefined),
      searchNames: (n) => [`${n}.default.svc.cluster.local`],
      http: async (req) =>
        req.host === 'web'
          ? {
              ok: true,
              ip: '10.96.7.7',
              status: 200,
              statusText: 'OK',
              headers: {},
              body: Buffer.from('hi from web\n'),
            }
          : { ok: false, error: 'resolve' },
      answersPing: () => false,
    },
  };
}

async function sh(src: string, opts: { flavor?: Flavor; stdin?: string; h?: ShellHost } = {}) {
  const h = opts.h ?? host(opts.flavor);
  const shell = new Shell(h, { HOME: '/root', PATH: '/bin', NAME: 'a  b' }, 'sh');
  let out = '';
  let err = '';
  let code: number;
  try {
    code = await shell.run(src, {
      stdin: opts.stdin === undefined ? EMPTY_INPUT : bufferInput(opts.stdin),
      stdout: (c) => {
        out += c;
      },
      stderr: (c) => {
        err += c;
      },
    });
  } catch (e) {
    if (!(e instanceof ExitSignal)) throw e;
    code = e.code;
  }
  return { out, err, code };
}

describe('simulated shell', () => {
  it('expands parameters, quotes, command substitution and arithmetic', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a JS template
    expect((await sh('echo $NAME "$NAME" ${NOPE:-dflt} ${#NAME}')).out).toBe('a b a  b dflt 4\n');
    expect((await sh('x=$(echo in); echo "[$x]" `echo back` $((2 + 3 * 4)) $((7 / 2))')).out).toBe(
      '[in] back 14 3\n',
    );
    expect((await sh('echo \'single $NAME\' "dq \\$x"')).out).toBe('single $NAME dq $x\n');
    expect((await sh('i=1; i=$((i+1)); : $((i+=3)); echo $i')).out).toBe('5\n');
  });

  it('runs loops, if, case, && and ||, pipelines', async () => {
    expect((await sh('i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done')).out).toBe('0\n1\n2\n');
    expect((await sh('for x in a b c; do [ $x = b ] && continue; echo $x; done')).out).toBe('a\nc\n');
    expect((await sh('if false; then echo 1; elif true; then echo 2; else echo 3; fi')).out).toBe('2\n');
    expect((await sh('case web-1 in db*) echo db;; web*) echo web;; esac')).out).toBe('web\n');
    expect((await sh('false || echo alt && echo and')).out).toBe('alt\nand\n');
    expect((await sh('seq 5 | grep -v 3 | wc -l')).out).toBe('4\n');
    expect((await sh('while true; do break; done; echo out')).out).toBe('out\n');
  });

  it('redirects to files, appends, reads back; mounts are read-only', async () => {
    const h = host();
    await sh('echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f > /tmp/g 2>&1', { h });
    expect((await sh('cat /tmp/g; ls /tmp', { h })).out).toBe('one\ntwo\nf\ng\n');
    const ro = await sh('echo x > /etc/app/key', { h });
    expect(ro.err).toBe("sh: can't create /etc/app/key: Read-only file system\n");
    expect((await sh('ls /etc/ap*', { h })).out).toBe('key\n');
  });

  it('speaks busybox or dash/bash in its errors', async () => {
    expect(await sh('nope')).toMatchObject({ err: 'sh: nope: not found\n', code: 127 });
    expect(await sh('nope', { flavor: 'debian' })).toMatchObject({
      err: 'sh: 1: nope: not found\n',
      code: 127,
    });
    expect((await sh('cat /missing')).err).toBe("cat: can't open '/missing': No such file or directory\n");
    expect((await sh('cat /missing', { flavor: 'debian' })).err).toBe(
      'cat: /missing: No such file or directory\n',
    );
    expect(await sh('echo "open')).toMatchObject({
      code: 2,
      err: 'sh: syntax error: unterminated quoted string\n',
    });
    expect(() => parseScript('if true; then')).toThrow(ShellSyntaxError);
  });

  it('has the programs a beginner types', async () => {
    expect((await sh('hostname; hostname -i; date; date +%F')).out).toBe(
      'pod-1\n10.244.1.5\nMon Nov 30 06:05:09 UTC 2026\n2026-11-30\n',
    );
    expect((await sh('ps')).out).toBe('PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n');
    expect((await sh('wget -qO- http://web/')).out).toBe('hi from web\n');
    expect((await sh('wget -qO- http://nowhere/')).err).toBe("wget: bad address 'nowhere'\n");
    expect((await sh('nslookup web')).out).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.7.7\n\n',
    );
    expect((await sh('ping -c 2 web')).out).toContain(
      '2 packets transmitted, 0 packets received, 100% packet loss',
    );
    expect((await sh('curl -s web')).err).toBe('sh: curl: not found\n');
    expect((await sh("printf '%s=%03d\\n' a 7 b 8")).out).toBe('a=007\nb=008\n');
    expect((await sh('echo aGk= | base64 -d')).out).toBe('hi');
    expect((await sh('read a b; echo "$b-$a"', { stdin: 'x y z\n' })).out).toBe('y z-x\n');
  });

  it('tars and untars as kubectl cp needs', () => {
    const from = host().fs;
    const { archive, warnings } = tarCreate(from, '/', ['/etc/hostname']);
    expect(warnings).toEqual(["removing leading '/' from member names"]);
    const to = host().fs;
    expect(tarExtract(to, '/tmp', archive, false).errors).toEqual([]);
    expect(to.read('/tmp/etc/hostname')?.toString()).toBe('pod-1\n');
  });

  it('reads commands from a terminal: echo, backspace, ^C, prompt, exit', async () => {
    let screen = '';
    const term = new Terminal(
      Terminal.crlf((c) => {
        screen += c;
      }),
    );
    const h = host();
    const shell = new Shell(h, { HOME: '/root' }, 'sh');
    const out = Terminal.crlf((c) => {
      screen += c;
    });
    const done = repl(shell, {
      stdin: term.input,
      stdout: out,
      stderr: out,
      tty: true,
      onInterrupt: term.onInterrupt,
    });
    term.keys(Buffer.from('echo hellx\x7fo\r'));
    await new Promise((r) => setTimeout(r, 20));
    term.keys(Buffer.from('exit 6\r'));
    expect(await done).toBe(6);
    expect(screen).toContain('/ # echo hellx\b \bo\r\nhello\r\n/ # exit 6\r\n');
  });
});
