// The programs of a simulated image: the busybox applets (busybox, alpine, node:alpine) or a
// Debian userland (nginx, httpd, redis, postgres: dash and bash, coreutils, no ps/wget/nslookup,
// curl only where the image ships it). Output and error texts follow busybox and coreutils.
import { posix } from 'node:path';
import { ERRNO_TEXT } from './fs.js';
import {
  ExitSignal,
  expandEscapes,
  type Flavor,
  type Program,
  type ProgramContext,
  printfFormat,
  readInputs,
  Shell,
} from './interpret.js';
import { readAll } from './io.js';
import { curl, nslookup, ping, wget } from './net-commands.js';
import { repl } from './repl.js';
import { tarCreate, tarExtract } from './tar.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** cDate is date(1)'s default format in the C locale, UTC: `Mon Nov 30 06:00:00 UTC 2026`. */
export function cDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function dateFormat(d: Date, fmt: string): string {
  return fmt.replace(/%([a-zA-Z%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getUTCFullYear());
      case 'm':
        return p2(d.getUTCMonth() + 1);
      case 'd':
        return p2(d.getUTCDate());
      case 'H':
        return p2(d.getUTCHours());
      case 'M':
        return p2(d.getUTCMinutes());
      case 'S':
        return p2(d.getUTCSeconds());
      case 's':
        return String(Math.floor(d.getTime() / 1000));
      case 'T':
        return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      case 'F':
        return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
      case 'Z':
        return 'UTC';
      case 'a':
        return DAYS[d.getUTCDay()]!;
      case 'b':
        return MONTHS[d.getUTCMonth()]!;
      case '%':
        return '%';
    }
    return `%${c}`;
  });
}

/** flags splits `-abc` style options from operands (stops at `--`). */
function flags(argv: string[], withValue = ''): { opts: Map<string, string>; rest: string[] } {
  const opts = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j]!;
        if (withValue.includes(f)) {
          opts.set(f, a.slice(j + 1) || argv[++i] || '');
          break;
        }
        opts.set(f, '');
      }
    } else rest.push(a);
  }
  return { opts, rest };
}

function modeString(node: { type: 'file' | 'dir'; mode: number }): string {
  const bits = 'rwxrwxrwx';
  let s = node.type === 'dir' ? 'd' : '-';
  for (let i = 0; i < 9; i++) s += node.mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}

function lsDate(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
}

const ls: Program = async (ctx) => {
  const { opts, rest } = flags(ctx.argv);
  const fs = ctx.host.fs;
  const all = opts.has('a');
  const long = opts.has('l');
  const one = opts.has('1') || !ctx.io.tty;
  const targets = rest.length ? rest : ['.'];
  let status = 0;
  const print = (names: string[], dir: string) => {
    if (long) {
      for (const n of names) {
        const node = fs.stat(n === '.' || n === '..' ? dir : posix.join(dir, n));
        if (!node) continue;
        const size = node.type === 'file' ? node.data.length : 4096;
        const owner = ctx.host.user.padEnd(8);
        ctx.io.stdout(
          `${modeString(node)}    1 ${owner} ${owner} ${String(size).padStart(9)} ${lsDate(node.mtime)} ${n}\n`,
        );
      }
    } else if (one) {
      for (const n of names) ctx.io.stdout(`${n}\n`);
    } else if (names.length) {
      const width = Math.max(...names.map((n) => n.length)) + 2;
      const perLine = Math.max(1, Math.floor(80 / width));
      for (let i = 0; i < names.length; i += perLine) {
        ctx.io.stdout(
          `${names
            .slice(i, i + perLine)
            .map((n, k, row) => (k === row.length - 1 ? n : n.padEnd(width)))
            .join('')}\n`,
        );
      }
    }
  };
  const files = targets.filter((t) => fs.stat(ctx.shell.resolvePath(t))?.type === 'file');
  const dirs = targets.filter((t) => fs.stat(ctx.shell.resolvePath(t))?.type === 'dir');
  for (const t of targets.filter((x) => !fs.stat(ctx.shell.resolvePath(x)))) {
    ctx.io.stderr(
      ctx.host.flavor === 'busybox'
        ? `ls: ${t}: No such file or directory\n`
        : `ls: cannot access '${t}': No such file or directory\n`,
    );
    status = ctx.host.flavor === 'busybox' ? 1 : 2;
  }
  if (files.length) print(files, ctx.shell.cwd);
  dirs.forEach((d, idx) => {
    const path = ctx.shell.resolvePath(d);
    if (targets.length > 1) ctx.io.stdout(`${idx > 0 || files.length ? '\n' : ''}${d}:\n`);
    const names = fs.list(path).filter((n) => all || !n.startsWith('.'));
    if (long) ctx.io.stdout(`total ${names.length * 4}\n`);
    print(all ? ['.', '..', ...names] : names, path);
  });
  return status;
};

const cat: Program = async (ctx) => {
  const { rest } = flags(ctx.argv);
  return readInputs(rest, ctx, 'cat', (data) => ctx.io.stdout(data));
};

const env: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const vars = ctx.shell.environment();
  while (args[0]?.includes('=')) {
    const a = args.shift()!;
    vars[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  }
  if (args.length) {
    const sub = new Shell(ctx.host, vars, ctx.shell.name, { cwd: ctx.shell.cwd });
    return sub.execute(args, ctx.io);
  }
  for (const [k, v] of Object.entries(vars)) ctx.io.stdout(`${k}=${v}\n`);
  return 0;
};

const printenv: Program = async (ctx) => {
  const vars = ctx.shell.environment();
  const names = ctx.argv.slice(1);
  if (names.length === 0) {
    for (const [k, v] of Object.entries(vars)) ctx.io.stdout(`${k}=${v}\n`);
    return 0;
  }
  let status = 0;
  for (const n of names) {
    if (vars[n] === undefined) status = 1;
    else ctx.io.stdout(`${vars[n]}\n`);
  }
  return status;
};

const hostname: Program = async (ctx) => {
  ctx.io.stdout(`${ctx.argv[1] === '-i' ? ctx.host.podIP : ctx.host.hostname}\n`);
  return 0;
};

const ps: Program = async (ctx) => {
  const procs = ctx.host.processes();
  ctx.io.stdout('PID   USER     TIME  COMMAND\n');
  for (const p of procs)
    ctx.io.stdout(`${String(p.pid).padStart(5)} ${p.user.padEnd(8)}  0:00 ${p.command}\n`);
  return 0;
};

const date: Program = async (ctx) => {
  const fmt = ctx.argv.slice(1).find((a) => a.startsWith('+'));
  const now = ctx.host.now();
  ctx.io.stdout(`${fmt ? dateFormat(now, fmt.slice(1)) : cDate(now)}\n`);
  return 0;
};

const uname: Program = async (ctx) => {
  const { opts } = flags(ctx.argv);
  const kernel = '6.8.0-49-generic';
  if (opts.has('a'))
    ctx.io.stdout(
      `Linux ${ctx.host.hostname} ${kernel} #49-Ubuntu SMP PREEMPT_DYNAMIC x86_64 ${ctx.host.flavor === 'busybox' ? 'Linux' : 'GNU/Linux'}\n`,
    );
  else if (opts.has('r')) ctx.io.stdout(`${kernel}\n`);
  else if (opts.has('n')) ctx.io.stdout(`${ctx.host.hostname}\n`);
  else if (opts.has('m')) ctx.io.stdout('x86_64\n');
  else ctx.io.stdout('Linux\n');
  return 0;
};

const whoami: Program = async (ctx) => {
  ctx.io.stdout(`${ctx.host.user}\n`);
  return 0;
};

const id: Program = async (ctx) => {
  const uid = ctx.host.user === 'root' ? 0 : 1000;
  const u = ctx.host.user;
  ctx.io.stdout(
    uid === 0
      ? 'uid=0(root) gid=0(root) groups=0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)\n'
      : `uid=${uid}(${u}) gid=${uid}(${u}) groups=${uid}(${u})\n`,
  );
  return 0;
};

function lineCount(argv: string[]): { n: number; files: string[]; follow: boolean } {
  let n = 10;
  let follow = false;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-n') n = Number(argv[++i]);
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else if (a === '-f' || a === '-F') follow = true;
    else files.push(a);
  }
  return { n, files, follow };
}

const head: Program = async (ctx) => {
  const { n, files } = lineCount(ctx.argv);
  return readInputs(files, ctx, 'head', (data) => {
    const lines = data.toString().split('\n');
    ctx.io.stdout(lines.slice(0, n).join('\n') + (lines.length > n ? '\n' : ''));
  });
};

const tail: Program = async (ctx) => {
  const { n, files, follow } = lineCount(ctx.argv);
  const status = await readInputs(files, ctx, 'tail', (data) => {
    const text = data.toString();
    const lines = text.replace(/\n$/, '').split('\n');
    if (text) ctx.io.stdout(`${lines.slice(-n).join('\n')}\n`);
  });
  if (follow) await ctx.host.sleep(1e9, ctx.shell.signal);
  return status;
};

const wc: Program = async (ctx) => {
  const { opts, rest } = flags(ctx.argv);
  const which = ['l', 'w', 'c'].filter((f) => opts.has(f));
  const show = which.length ? which : ['l', 'w', 'c'];
  return readInputs(rest, ctx, 'wc', (data, file) => {
    const text = data.toString();
    const counts: Record<string, number> = {
      l: (text.match(/\n/g) ?? []).length,
      w: text.split(/\s+/).filter(Boolean).length,
      c: data.length,
    };
    const cols = show.map((f) => String(counts[f]).padStart(show.length > 1 ? 7 : 0));
    ctx.io.stdout(`${cols.join(' ')}${file !== '-' ? ` ${file}` : ''}\n`);
  });
};

const grep: Program = async (ctx) => {
  const { opts, rest } = flags(ctx.argv, 'e');
  const pattern = opts.get('e') ?? rest.shift();
  if (pattern === undefined) {
    ctx.io.stderr('Usage: grep [-HhnlLoqvsrRiwFE] PATTERN [FILE]...\n');
    return 2;
  }
  let re: RegExp;
  try {
    const source = opts.has('F')
      ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      : pattern.replace(/\\\|/g, '|');
    re = new RegExp(opts.has('w') ? `\\b(?:${source})\\b` : source, opts.has('i') ? 'i' : '');
  } catch {
    ctx.io.stderr(`grep: bad regex '${pattern}'\n`);
    return 2;
  }
  let matched = 0;
  const status = await readInputs(rest, ctx, 'grep', (data, file) => {
    const lines = data.toString().split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let count = 0;
    lines.forEach((line, idx) => {
      if (re.test(line) === opts.has('v')) return;
      count++;
      matched++;
      if (opts.has('q') || opts.has('c')) return;
      const prefix = `${rest.length > 1 ? `${file}:` : ''}${opts.has('n') ? `${idx + 1}:` : ''}`;
      if (opts.has('o'))
        for (const m of line.match(new RegExp(re.source, `g${re.flags}`)) ?? [])
          ctx.io.stdout(`${prefix}${m}\n`);
      else ctx.io.stdout(`${prefix}${line}\n`);
    });
    if (opts.has('c')) ctx.io.stdout(`${rest.length > 1 ? `${file}:` : ''}${count}\n`);
  });
  if (status && !matched) return 2;
  return matched ? 0 : 1;
};

const sort: Program = async (ctx) => {
  const { opts, rest } = flags(ctx.argv);
  const lines: string[] = [];
  const status = await readInputs(rest, ctx, 'sort', (data) => {
    lines.push(
      ...data
        .toString()
        .replace(/\n$/, '')
        .split('\n')
        .filter((l, i, a) => l !== '' || i < a.length - 1),
    );
  });
  lines.sort(opts.has('n') ? (a, b) => Number.parseFloat(a) - Number.parseFloat(b) : undefined);
  if (opts.has('r')) lines.reverse();
  const out = opts.has('u') ? lines.filter((l, i) => l !== lines[i - 1]) : lines;
  if (out.length) ctx.io.stdout(`${out.join('\n')}\n`);
  return status;
};

const mkdir: Program = async (ctx) => {
  const { opts, rest } = flags(ctx.argv);
  let status = 0;
  for (const d of rest) {
    const err = ctx.host.fs.mkdir(ctx.shell.resolvePath(d), opts.has('p'));
    if (err) {
      ctx.io.stderr(
        ctx.host.flavor === 'busybox'
          ? `mkdir: can't create directory '${d}': ${ERRNO_TEXT[err]}\n`
          : `mkdir: cannot create directory '${d}': ${ERRNO_TEXT[err]}\n`,
      );
      status = 1;
    }
  }
  return status;
};

const touch: Program = async (ctx) => {
  let status = 0;
  for (const f of flags(ctx.argv).rest) {
    const path = ctx.shell.resolvePath(f);
    const err = ctx.host.fs.write(path, Buffer.alloc(0), true);
    if (err) {
      ctx.io.stderr(`touch: ${f}: ${ERRNO_TEXT[err]}\n`);
      status = 1;
    }
  }
  return status;
};

const rm: Program = async (ctx) => {
  const { opts, rest } = flags(ctx.argv);
  let status = 0;
  for (const f of rest) {
    const path = ctx.shell.resolvePath(f);
    const node = ctx.host.fs.stat(path);
    if (node?.type === 'dir' && !opts.has('r') && !opts.has('R')) {
      ctx.io.stderr(`rm: '${f}' is a directory\n`);
      status = 1;
      continue;
    }
    const err = ctx.host.fs.remove(path, true);
    if (err && !(err === 'ENOENT' && opts.has('f'))) {
      ctx.io.stderr(`rm: can't remove '${f}': ${ERRNO_TEXT[err]}\n`);
      status = 1;
    }
  }
  return status;
};

const seq: Program = async (ctx) => {
  const nums = ctx.argv.slice(1).map(Number);
  const [first, step, last] =
    nums.length === 1
      ? [1, 1, nums[0]!]
      : nums.length === 2
        ? [nums[0]!, 1, nums[1]!]
        : [nums[0]!, nums[1]!, nums[2]!];
  if ([first, step, last].some((n) => Number.isNaN(n)) || step === 0) {
    ctx.io.stderr(`seq: invalid number '${ctx.argv[1] ?? ''}'\n`);
    return 1;
  }
  const out: string[] = [];
  for (let i = first; step > 0 ? i <= last : i >= last; i += step) {
    out.push(String(i));
    if (out.length > 100_000) break;
  }
  if (out.length) ctx.io.stdout(`${out.join('\n')}\n`);
  return 0;
};

const which: Program = async (ctx) => {
  let status = 0;
  for (const n of ctx.argv.slice(1)) {
    if (ctx.host.programs.has(n))
      ctx.io.stdout(`${ctx.host.flavor === 'busybox' ? '/bin' : '/usr/bin'}/${n}\n`);
    else status = 1;
  }
  return status;
};

const clear: Program = async (ctx) => {
  ctx.io.stdout('\x1b[H\x1b[J');
  return 0;
};

const base64: Program = async (ctx) => {
  const { opts, rest } = flags(ctx.argv);
  return readInputs(rest, ctx, 'base64', (data) => {
    if (opts.has('d')) ctx.io.stdout(Buffer.from(data.toString().replace(/\s+/g, ''), 'base64'));
    else ctx.io.stdout(`${(data.toString('base64').match(/.{1,76}/g) ?? ['']).join('\n')}\n`);
  });
};

const tar: Program = async (ctx) => {
  // Accepts what kubectl cp runs: `tar cf - PATH`, `tar -xmf - [-C DIR]` (and v, z-less forms).
  const args = ctx.argv.slice(1);
  let mode = '';
  let file = '-';
  let dir = ctx.shell.cwd;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-C') dir = ctx.shell.resolvePath(args[++i] ?? '.');
    else if (i === 0 || (a.startsWith('-') && a.length > 1)) {
      const letters = a.replace(/^-/, '');
      for (const l of letters) {
        if ('cxt'.includes(l)) mode = l;
        if (l === 'f') file = args[++i] ?? '-';
      }
    } else paths.push(a);
  }
  if (file !== '-') {
    ctx.io.stderr('tar: only - (stdin/stdout) archives are supported here\n');
    return 1;
  }
  if (mode === 'c') {
    const { archive, warnings, missing } = tarCreate(ctx.host.fs, dir, paths);
    for (const w of warnings) ctx.io.stderr(`tar: ${w}\n`);
    for (const m of missing) ctx.io.stderr(`tar: ${m}: No such file or directory\n`);
    ctx.io.stdout(archive);
    return missing.length ? (ctx.host.flavor === 'busybox' ? 1 : 2) : 0;
  }
  if (mode === 'x' || mode === 't') {
    const data = await readAll(ctx.io.stdin);
    const result = tarExtract(ctx.host.fs, dir, data, mode === 't');
    for (const name of result.listed) ctx.io.stdout(`${name}\n`);
    for (const e of result.errors) ctx.io.stderr(`tar: ${e}\n`);
    return result.errors.length ? 1 : 0;
  }
  ctx.io.stderr("tar: must specify one of the '-Acdtrux' options\n");
  return 2;
};

const printf: Program = async (ctx) => {
  ctx.io.stdout(printfFormat(ctx.argv[1] ?? '', ctx.argv.slice(2)));
  return 0;
};

const echo: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const nl = args[0] !== '-n';
  if (!nl) args.shift();
  ctx.io.stdout(expandEscapes(args.join(' ')) + (nl ? '\n' : ''));
  return 0;
};

const shellProgram: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const name = ctx.argv[0]!;
  const sub = new Shell(ctx.host, ctx.shell.environment(), name, { cwd: ctx.shell.cwd });
  sub.signal = ctx.shell.signal;
  const c = args.indexOf('-c');
  if (c >= 0) {
    const script = args[c + 1];
    if (script === undefined) {
      ctx.io.stderr(`${name}: -c requires an argument\n`);
      return 2;
    }
    sub.args = args.slice(c + 3);
    return runScript(sub, script, ctx);
  }
  const file = args.find((a) => !a.startsWith('-'));
  if (file) {
    const data = ctx.host.fs.read(ctx.shell.resolvePath(file));
    if (typeof data === 'string') {
      ctx.io.stderr(`${name}: can't open '${file}': ${ERRNO_TEXT[data]}\n`);
      return 127;
    }
    return runScript(sub, data.toString(), ctx);
  }
  return repl(sub, ctx.io);
};

async function runScript(sh: Shell, script: string, ctx: ProgramContext): Promise<number> {
  try {
    return await sh.run(script, ctx.io);
  } catch (err) {
    if (err instanceof ExitSignal) return err.code;
    throw err;
  }
}

const BUSYBOX: Record<string, Program> = {
  sh: shellProgram,
  ash: shellProgram,
  cat,
  ls,
  env,
  printenv,
  hostname,
  ps,
  date,
  uname,
  whoami,
  id,
  head,
  tail,
  wc,
  grep,
  sort,
  mkdir,
  touch,
  rm,
  seq,
  which,
  clear,
  base64,
  tar,
  printf,
  echo,
  wget,
  nslookup,
  ping,
};

/** programsFor lists the programs of an image's userland; `extra` adds image tools (curl). */
export function programsFor(flavor: Flavor, extra: string[] = []): Map<string, Program> {
  const all: Record<string, Program> = { ...BUSYBOX, bash: shellProgram, dash: shellProgram, curl };
  const names =
    flavor === 'busybox'
      ? Object.keys(BUSYBOX)
      : [
          'sh',
          'bash',
          'dash',
          'cat',
          'ls',
          'env',
          'printenv',
          'hostname',
          'date',
          'uname',
          'whoami',
          'id',
          'head',
          'tail',
          'wc',
          'grep',
          'sort',
          'mkdir',
          'touch',
          'rm',
          'seq',
          'which',
          'clear',
          'base64',
          'tar',
          'printf',
          'echo',
        ];
  return new Map([...names, ...extra].filter((n) => all[n]).map((n) => [n, all[n]!] as [string, Program]));
}
