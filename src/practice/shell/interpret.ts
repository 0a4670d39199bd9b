// Runs parsed shell scripts inside a simulated container: expansions (parameters, `$(…)`,
// `$((…))`, field splitting, pathname globbing), redirections, pipelines, loops and the builtins
// of busybox ash / dash. Programs (cat, ls, wget, …) come from the host (see commands.ts).
// Everything is asynchronous so a container's `while true; do …; sleep 1; done` runs on the
// cluster's clock without blocking the API server; long loops without sleep yield regularly.
import { arith } from './arith.js';
import { ERRNO_TEXT, type FsError, type Vfs } from './fs.js';
import { bufferInput, EMPTY_INPUT, type Input, LineReader, type Output, readAll, type Stdio } from './io.js';
import { type Command, type List, parseScript, ShellSyntaxError, type Word } from './parse.js';

/** Flavor is the userland of an image: busybox (ash) or Debian (dash as sh, bash). */
export type Flavor = 'busybox' | 'debian';

/** ProgramContext is what a program (an executable in the image) is run with. */
export interface ProgramContext {
  argv: string[];
  io: Stdio;
  shell: Shell;
  host: ShellHost;
}

/** Program is an executable of the image. */
export type Program = (ctx: ProgramContext) => Promise<number>;

/** ShellHost is the container a shell runs in. */
export interface ShellHost {
  fs: Vfs;
  hostname: string;
  user: string;
  flavor: Flavor;
  /** programs on $PATH, by name. */
  programs: Map<string, Program>;
  /** sleep waits `seconds` of cluster time (rejects when the signal aborts). */
  sleep(seconds: number, signal: AbortSignal): Promise<void>;
  signal: AbortSignal;
  now(): Date;
  /** spawn registers a process in the container's table (for ps); returns its pid and a release. */
  spawn(command: string): { pid: number; done: () => void };
  /** processes lists the container's processes (ps). */
  processes(): { pid: number; user: string; command: string }[];
  /** net is the cluster network as seen from the pod. */
  net: ShellNetwork;
  /** podIP is the container's address (hostname -i). */
  podIP: string;
}

/** HttpRequest is one request a program in the container sends. */
export interface HttpRequest {
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** `https` when the URL said so (only the API server speaks TLS here). */
  scheme?: string;
  /** TLS: skip verification (curl -k, busybox wget, which does not verify). */
  insecure?: boolean;
  /** TLS: the CA bundle the client trusts (curl --cacert FILE's content). */
  caPem?: string;
}

/** HttpResult is an answer, or why there is none. */
export type HttpResult =
  | {
      ok: true;
      ip: string;
      status: number;
      statusText: string;
      headers: Record<string, string>;
      body: Buffer;
    }
  | { ok: false; ip?: string; error: 'resolve' | 'refused' | 'timeout' | 'certificate' };

/** ShellNetwork is DNS and HTTP inside the cluster, from one pod. */
export interface ShellNetwork {
  nameserver: string;
  /** lookup resolves a name with the pod's search path; undefined is NXDOMAIN. */
  lookup(name: string): { name: string; ip: string } | undefined;
  /** tried is the list of names a search-path lookup tried (nslookup prints the misses). */
  searchNames(name: string): string[];
  http(req: HttpRequest): Promise<HttpResult>;
  /** ping tells whether an address answers ICMP (pods do, Service IPs do not). */
  answersPing(ip: string): boolean;
}

/** ExitSignal ends a shell with a status (`exit N`, or a fatal error). */
export class ExitSignal {
  constructor(readonly code: number) {}
}

class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}

const IFS_WS = /[ \t\n]+/;

/** Shell is one shell process: variables, cwd, last status. */
export class Shell {
  readonly vars = new Map<string, string>();
  readonly exported = new Set<string>();
  cwd: string;
  status = 0;
  args: string[];
  readonly pid: number;
  lastBackground = 0;
  /** signal aborts what runs now: the container stopping, or ^C on a terminal. */
  signal: AbortSignal;
  private readonly background: Promise<number>[] = [];
  private steps = 0;

  constructor(
    readonly host: ShellHost,
    env: Record<string, string>,
    /** name is $0: `sh`, `bash`, `/bin/sh`. */
    readonly name: string,
    opts: { cwd?: string; args?: string[]; pid?: number } = {},
  ) {
    for (const [k, v] of Object.entries(env)) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    this.cwd = opts.cwd ?? env.PWD ?? '/';
    this.vars.set('PWD', this.cwd);
    this.exported.add('PWD');
    this.args = opts.args ?? [];
    this.pid = opts.pid ?? 1;
    this.signal = host.signal;
  }

  /** isBash tells whether this shell speaks as bash (messages, prompt). */
  get isBash(): boolean {
    return /(^|\/)bash$/.test(this.name);
  }

  /** errPrefix is how this shell prefixes its own errors: `sh: `, `sh: 1: ` (dash), `bash: `. */
  errPrefix(line = 1): string {
    if (this.isBash) return 'bash: ';
    if (this.host.flavor === 'debian') return `${this.name}: ${line}: `;
    return `${this.name}: `;
  }

  /** environment is what a program sees: exported variables. */
  environment(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  /** resolvePath makes a path absolute against the shell's cwd. */
  resolvePath(path: string): string {
    return path.startsWith('/') ? normalize(path) : normalize(`${this.cwd}/${path}`);
  }

  /** run parses and runs a script; returns its exit status. Syntax errors exit 2. */
  async run(src: string, io: Stdio): Promise<number> {
    let list: List;
    try {
      list = parseScript(src);
    } catch (err) {
      if (err instanceof ShellSyntaxError) {
        io.stderr(`${this.errPrefix()}${err.message}\n`);
        this.status = 2;
        return 2;
      }
      throw err;
    }
    try {
      return await this.runList(list, io);
    } catch (err) {
      if (err instanceof ExitSignalWithMessage) io.stderr(`${err.message}\n`);
      if (err instanceof ExitSignal) {
        this.status = err.code;
        throw err;
      }
      if (err instanceof LoopSignal) return this.status;
      throw err;
    }
  }

  /** runList runs an and-or list. */
  async runList(list: List, io: Stdio): Promise<number> {
    for (const chain of list) {
      if (chain.background) {
        const job = this.runChain(chain, { ...io, stdin: EMPTY_INPUT }).catch(() => 1);
        this.background.push(job);
        this.lastBackground = this.pid + this.background.length;
        this.status = 0;
        continue;
      }
      this.status = await this.runChain(chain, io);
    }
    return this.status;
  }

  /** waitAll waits for background jobs (`wait`). */
  async waitAll(): Promise<void> {
    await Promise.all(this.background.splice(0));
  }

  private async runChain(chain: List[number], io: Stdio): Promise<number> {
    let status = await this.runPipeline(chain.first, io);
    for (const next of chain.rest) {
      if ((next.op === '&&' && status !== 0) || (next.op === '||' && status === 0)) continue;
      status = await this.runPipeline(next.pipeline, io);
    }
    return status;
  }

  private async runPipeline(p: List[number]['first'], io: Stdio): Promise<number> {
    let status = 0;
    let input = io.stdin;
    for (let i = 0; i < p.cmds.length; i++) {
      const last = i === p.cmds.length - 1;
      if (last) {
        status = await this.runCommand(p.cmds[i]!, { ...io, stdin: input });
      } else {
        const chunks: Buffer[] = [];
        await this.runCommand(p.cmds[i]!, {
          ...io,
          stdin: input,
          stdout: (c) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c),
        });
        input = bufferInput(Buffer.concat(chunks));
      }
    }
    this.status = p.negate ? (status === 0 ? 1 : 0) : status;
    return this.status;
  }

  private async tick(): Promise<void> {
    if (this.signal.aborted) throw new ExitSignal(this.host.signal.aborted ? 137 : 130);
    this.steps++;
    // Microtasks never let the event loop run: yield now and then, and slow down a loop that
    // never sleeps so a busy container cannot starve the API server.
    if (this.steps % 200 === 0) await new Promise((r) => setImmediate(r));
    if (this.steps % 5000 === 0) await new Promise((r) => setTimeout(r, 20));
  }

  /** noteSleep tells the shell a program waited (resets the busy-loop brake). */
  noteSleep(): void {
    this.steps = 1;
  }

  private async runCommand(cmd: Command, io: Stdio): Promise<number> {
    await this.tick();
    let redirected: Stdio;
    try {
      redirected = await this.redirect(cmd.redirs, io);
    } catch (err) {
      if (err instanceof RedirectError) {
        io.stderr(`${this.errPrefix()}${err.message}\n`);
        return 1;
      }
      throw err;
    }
    switch (cmd.k) {
      case 'simple':
        return this.runSimple(cmd, redirected);
      case 'group': {
        if (!cmd.subshell) return this.runList(cmd.body, redirected);
        const sub = this.fork();
        try {
          return await sub.runList(cmd.body, redirected);
        } catch (err) {
          if (err instanceof ExitSignal) return err.code;
          throw err;
        }
      }
      case 'if': {
        for (const clause of cmd.clauses) {
          if ((await this.runList(clause.cond, redirected)) === 0)
            return this.runList(clause.body, redirected);
        }
        if (cmd.elseBody) return this.runList(cmd.elseBody, redirected);
        this.status = 0;
        return 0;
      }
      case 'loop': {
        let status = 0;
        while (true) {
          const c = await this.runList(cmd.cond, redirected);
          if (cmd.until ? c === 0 : c !== 0) break;
          const pass = await this.loopPass(cmd.body, redirected);
          status = pass.status ?? status;
          if (pass.broke) break;
          await this.tick();
        }
        this.status = status;
        return status;
      }
      case 'for': {
        const items = cmd.items ? await this.expandWords(cmd.items) : this.args;
        let status = 0;
        for (const item of items) {
          this.vars.set(cmd.name, item);
          const pass = await this.loopPass(cmd.body, redirected);
          status = pass.status ?? status;
          if (pass.broke) break;
        }
        this.status = status;
        return status;
      }
      case 'case': {
        const value = (await this.expandWord(cmd.word, false)).join(' ');
        for (const item of cmd.items) {
          for (const pat of item.patterns) {
            const p = (await this.expandWord(pat, false)).join(' ');
            if (globToRegExp(p).test(value)) return this.runList(item.body, redirected);
          }
        }
        this.status = 0;
        return 0;
      }
    }
  }

  /** loopPass runs a loop body once; `break`/`continue` for this loop end the pass. */
  private async loopPass(body: List, io: Stdio): Promise<{ status?: number; broke: boolean }> {
    try {
      return { status: await this.runList(body, io), broke: false };
    } catch (err) {
      if (!(err instanceof LoopSignal)) throw err;
      if (--err.levels > 0) throw err;
      return { broke: err.kind === 'break' };
    }
  }

  /** fork copies the shell for a subshell or `$(…)`. */
  fork(): Shell {
    const sub = new Shell(this.host, {}, this.name, { cwd: this.cwd, args: [...this.args], pid: this.pid });
    for (const [k, v] of this.vars) sub.vars.set(k, v);
    for (const k of this.exported) sub.exported.add(k);
    sub.status = this.status;
    sub.signal = this.signal;
    return sub;
  }

  private async runSimple(cmd: Command & { k: 'simple' }, io: Stdio): Promise<number> {
    this.currentStderr = io.stderr;
    const argv = await this.expandWords(cmd.words);
    const assigned: [string, string][] = [];
    for (const a of cmd.assigns) assigned.push([a.name, (await this.expandWord(a.value, false)).join('')]);
    if (argv.length === 0) {
      for (const [k, v] of assigned) this.vars.set(k, v);
      return this.status;
    }
    if (assigned.length === 0) return this.execute(argv, io);
    // VAR=x cmd: the variables are set for that command only.
    const saved = assigned.map(([k]) => [k, this.vars.get(k), this.exported.has(k)] as const);
    for (const [k, v] of assigned) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    try {
      return await this.execute(argv, io);
    } finally {
      for (const [k, v, wasExported] of saved) {
        if (v === undefined) this.vars.delete(k);
        else this.vars.set(k, v);
        if (!wasExported) this.exported.delete(k);
      }
    }
  }

  /** execute runs a builtin or a program by name. */
  async execute(argv: string[], io: Stdio): Promise<number> {
    const name = argv[0]!;
    const builtin = BUILTINS[name];
    if (builtin) {
      this.status = await builtin(argv, io, this);
      return this.status;
    }
    const program = this.findProgram(name);
    if (!program) {
      const slash = name.includes('/');
      const exists = slash && this.host.fs.stat(this.resolvePath(name));
      if (exists) {
        io.stderr(`${this.errPrefix()}${name}: Permission denied\n`);
        this.status = 126;
        return 126;
      }
      const what = this.isBash ? (slash ? 'No such file or directory' : 'command not found') : 'not found';
      io.stderr(`${this.errPrefix()}${name}: ${what}\n`);
      this.status = 127;
      return 127;
    }
    const proc = this.host.spawn(argv.join(' '));
    try {
      this.status = await program({ argv, io, shell: this, host: this.host });
    } finally {
      proc.done();
    }
    return this.status;
  }

  /** findProgram looks a name up on $PATH (or as a path to a known program). */
  findProgram(name: string): Program | undefined {
    const base = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
    if (name.includes('/') && !this.host.fs.stat(this.resolvePath(name))) return undefined;
    return this.host.programs.get(base);
  }

  // --- redirections ---

  private async redirect(redirs: { fd: number; op: string; target: Word }[], io: Stdio): Promise<Stdio> {
    if (redirs.length === 0) return io;
    const fds: [Input, Output, Output] = [io.stdin, io.stdout, io.stderr];
    for (const r of redirs) {
      const target = (await this.expandWord(r.target, false)).join(' ');
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') continue;
        const from = Number(target);
        if (from === 1 || from === 2) fds[r.fd === 2 ? 2 : 1] = fds[from] as Output;
        continue;
      }
      if (r.op === '<') {
        const data = this.readFileForRedirect(target);
        fds[0] = bufferInput(data);
        continue;
      }
      const out = this.fileOutput(target, r.op === '>>');
      if (r.fd === 1 || r.fd === 2) fds[r.fd] = out;
    }
    return { stdin: fds[0], stdout: fds[1], stderr: fds[2] };
  }

  private readFileForRedirect(target: string): Buffer {
    if (target === '/dev/null') return Buffer.alloc(0);
    const data = this.host.fs.read(this.resolvePath(target));
    if (typeof data === 'string') throw new RedirectError(`can't open '${target}': ${ERRNO_TEXT[data]}`);
    return data;
  }

  private fileOutput(target: string, append: boolean): Output {
    if (target === '/dev/null') return () => {};
    const path = this.resolvePath(target);
    const fs = this.host.fs;
    const err = fs.write(path, Buffer.alloc(0), append);
    if (err) {
      const msg =
        this.host.flavor === 'busybox'
          ? `can't create ${target}: ${ERRNO_TEXT[err]}`
          : `cannot create ${target}: ${ERRNO_TEXT[err]}`;
      throw new RedirectError(msg);
    }
    return (chunk) => {
      fs.write(path, typeof chunk === 'string' ? Buffer.from(chunk) : chunk, true);
    };
  }

  // --- expansions ---

  /** expandWords expands words into fields (splitting and globbing unquoted expansions). */
  async expandWords(words: Word[]): Promise<string[]> {
    const out: string[] = [];
    for (const w of words) out.push(...(await this.expandWord(w, true)));
    return out;
  }

  /** expandWord expands one word; with `split`, unquoted results are split and globbed. */
  async expandWord(word: Word, split: boolean): Promise<string[]> {
    const fields: { text: string; glob: boolean }[] = [];
    let cur = '';
    let has = false;
    let glob = false;
    const push = () => {
      fields.push({ text: cur, glob });
      cur = '';
      has = false;
      glob = false;
    };
    for (let i = 0; i < word.length; i++) {
      const part = word[i]!;
      if (part.k === 'lit') {
        let text = part.text;
        if (!part.quoted && i === 0 && (text === '~' || text.startsWith('~/')))
          text = (this.vars.get('HOME') ?? '/') + text.slice(1);
        if (!part.quoted && /[*?[]/.test(text)) glob = true;
        cur += text;
        has = has || part.quoted || text !== '';
        continue;
      }
      const value = await this.expandPart(part);
      if (part.quoted || !split) {
        cur += value;
        has = true;
        continue;
      }
      const pieces = value.split(IFS_WS);
      pieces.forEach((piece, idx) => {
        if (idx > 0 && (has || cur)) push();
        cur += piece;
        if (piece) has = true;
      });
    }
    if (has || cur) push();
    if (!split) return [fields.map((f) => f.text).join(' ')];
    const out: string[] = [];
    for (const f of fields) {
      if (f.glob) {
        const matches = this.glob(f.text);
        if (matches.length) {
          out.push(...matches);
          continue;
        }
      }
      out.push(f.text);
    }
    return out;
  }

  private async expandPart(part: Exclude<Word[number], { k: 'lit' }>): Promise<string> {
    switch (part.k) {
      case 'param':
        return this.expandParam(part.name, part.op, part.arg);
      case 'cmd': {
        const sub = this.fork();
        const chunks: Buffer[] = [];
        try {
          await sub.runList(part.body, {
            stdin: EMPTY_INPUT,
            stdout: (c) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c),
            stderr: this.currentStderr,
          });
        } catch (err) {
          if (!(err instanceof ExitSignal)) throw err;
          sub.status = err.code;
        }
        this.status = sub.status;
        return Buffer.concat(chunks).toString().replace(/\n+$/, '');
      }
      case 'arith': {
        const text = (await this.expandWord(part.expr, false)).join('');
        try {
          return String(arith(text, this.vars));
        } catch (err) {
          throw new ExitSignalWithMessage(
            2,
            `${this.errPrefix()}arithmetic syntax error: ${(err as Error).message}`,
          );
        }
      }
    }
  }

  /** currentStderr is where `$(…)` errors go (set while a command runs). */
  currentStderr: Output = () => {};

  private async expandParam(name: string, op?: string, arg?: Word): Promise<string> {
    const value = this.param(name);
    if (!op) return value ?? '';
    if (op === '#len') return String((value ?? '').length);
    const argText = async () => (arg ? (await this.expandWord(arg, false)).join('') : '');
    const unsetOrEmpty = op.startsWith(':') ? !value : value === undefined;
    switch (op.replace(':', '')) {
      case '-':
        return unsetOrEmpty ? argText() : (value ?? '');
      case '=': {
        if (!unsetOrEmpty) return value ?? '';
        const v = await argText();
        this.vars.set(name, v);
        return v;
      }
      case '+':
        return unsetOrEmpty ? '' : argText();
      case '?':
        if (unsetOrEmpty)
          throw new ExitSignalWithMessage(
            1,
            `${this.errPrefix()}${name}: ${(await argText()) || 'parameter not set'}`,
          );
        return value ?? '';
      case '#': {
        const re = globToRegExp(await argText(), 'prefix');
        return (value ?? '').replace(re, '');
      }
      case '%': {
        const re = globToRegExp(await argText(), 'suffix');
        return (value ?? '').replace(re, '');
      }
    }
    return value ?? '';
  }

  /** param reads a variable or special parameter. */
  param(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return String(this.pid);
      case '#':
        return String(this.args.length);
      case '@':
      case '*':
        return this.args.join(' ');
      case '!':
        return this.lastBackground ? String(this.lastBackground) : '';
      case '0':
        return this.name;
      case '-':
        return '';
      case 'RANDOM':
        return String(Math.floor(Math.random() * 32768));
    }
    if (/^\d+$/.test(name)) return this.args[Number(name) - 1];
    return this.vars.get(name);
  }

  private glob(pattern: string): string[] {
    const abs = pattern.startsWith('/');
    const dirPart = pattern.includes('/') ? pattern.slice(0, pattern.lastIndexOf('/')) : '';
    const base = pattern.slice(pattern.lastIndexOf('/') + 1);
    if (/[*?[]/.test(dirPart)) return [];
    const dir = this.resolvePath(dirPart || (abs ? '/' : '.'));
    const re = globToRegExp(base);
    const names = this.host.fs
      .list(dir)
      .filter((n) => re.test(n) && (base.startsWith('.') || !n.startsWith('.')));
    return names.map((n) => (dirPart || abs ? `${dirPart}/${n}` : n));
  }
}

class RedirectError extends Error {}

/** ExitSignalWithMessage is a fatal expansion error: the message is printed, the shell exits. */
export class ExitSignalWithMessage extends ExitSignal {
  constructor(
    code: number,
    readonly message: string,
  ) {
    super(code);
  }
}

/** normalize resolves `.` and `..` in an absolute path. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** globToRegExp turns a shell pattern into a RegExp (whole string, or shortest prefix/suffix). */
export function globToRegExp(pattern: string, anchor: 'whole' | 'prefix' | 'suffix' = 'whole'): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += anchor === 'whole' ? '.*' : '.*?';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  if (anchor === 'prefix') return new RegExp(`^${re}`, 's');
  if (anchor === 'suffix') return new RegExp(`${re}$`, 's');
  return new RegExp(`^${re}$`, 's');
}

// --- builtins ---

type Builtin = (argv: string[], io: Stdio, sh: Shell) => Promise<number>;

function echoText(args: string[], interpret: boolean): { text: string; newline: boolean } {
  let newline = true;
  let escapes = interpret;
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    const flag = args.shift()!;
    if (flag.includes('n')) newline = false;
    if (flag.includes('e')) escapes = true;
    if (flag.includes('E')) escapes = false;
  }
  let text = args.join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) {
      text = text.slice(0, cut);
      newline = false;
    }
    text = expandEscapes(text);
  }
  return { text, newline };
}

/** expandEscapes interprets backslash escapes as echo -e and printf do. */
export function expandEscapes(text: string): string {
  return text.replace(/\\(0[0-7]{0,3}|[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/g, (_m, e: string) => {
    const map: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      e: '\x1b',
    };
    if (map[e] !== undefined) return map[e];
    if (/^0?[0-7]+$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    if (e.startsWith('x')) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return `\\${e}`;
  });
}

/** printfFormat implements printf's %s %d %i %x %o %c %f %% with flags and width. */
export function printfFormat(format: string, args: string[]): string {
  let out = '';
  let used = 0;
  const fmt = expandEscapes(format);
  do {
    let consumed = false;
    out += fmt.replace(
      /%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdixXocfgeb%])/g,
      (_m, flags: string, width: string, prec: string, conv: string) => {
        if (conv === '%') return '%';
        const arg = args[used++] ?? '';
        consumed = true;
        let s: string;
        switch (conv) {
          case 'd':
          case 'i':
            s = String(Math.trunc(Number(arg) || 0));
            break;
          case 'x':
            s = (Math.trunc(Number(arg)) || 0).toString(16);
            break;
          case 'X':
            s = (Math.trunc(Number(arg)) || 0).toString(16).toUpperCase();
            break;
          case 'o':
            s = (Math.trunc(Number(arg)) || 0).toString(8);
            break;
          case 'c':
            s = arg.slice(0, 1);
            break;
          case 'f':
          case 'g':
          case 'e':
            s = (Number(arg) || 0).toFixed(prec ? Number(prec) : 6);
            break;
          case 'b':
            s = expandEscapes(arg);
            break;
          default:
            s = prec ? arg.slice(0, Number(prec)) : arg;
        }
        const w = Number(width || 0);
        if (s.length < w)
          s = flags.includes('-')
            ? s.padEnd(w)
            : s.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ');
        return s;
      },
    );
    if (!consumed) break;
  } while (used < args.length);
  return out;
}

function testExpr(args: string[], sh: Shell): boolean {
  const fs = sh.host.fs;
  const unary = (op: string, v: string): boolean => {
    const node = fs.stat(sh.resolvePath(v));
    switch (op) {
      case '-z':
        return v === '';
      case '-n':
        return v !== '';
      case '-e':
      case '-r':
      case '-w':
        return !!node;
      case '-f':
        return node?.type === 'file';
      case '-d':
        return node?.type === 'dir';
      case '-s':
        return node?.type === 'file' && node.data.length > 0;
      case '-x':
        return !!node && (node.mode & 0o111) !== 0;
      case '-L':
      case '-h':
        return false;
    }
    return false;
  };
  const num = (s: string) => Number.parseInt(s, 10);
  const binary = (a: string, op: string, b: string): boolean | undefined => {
    switch (op) {
      case '=':
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '-eq':
        return num(a) === num(b);
      case '-ne':
        return num(a) !== num(b);
      case '-lt':
        return num(a) < num(b);
      case '-le':
        return num(a) <= num(b);
      case '-gt':
        return num(a) > num(b);
      case '-ge':
        return num(a) >= num(b);
    }
    return undefined;
  };
  const evalOne = (a: string[]): boolean => {
    if (a[0] === '!') return !evalOne(a.slice(1));
    const or = a.indexOf('-o');
    if (or > 0) return evalOne(a.slice(0, or)) || evalOne(a.slice(or + 1));
    const and = a.indexOf('-a');
    if (and > 0) return evalOne(a.slice(0, and)) && evalOne(a.slice(and + 1));
    if (a.length === 0) return false;
    if (a.length === 1) return a[0] !== '';
    if (a.length === 2) return unary(a[0]!, a[1]!);
    const b = binary(a[0]!, a[1]!, a[2]!);
    if (b !== undefined) return b;
    throw new Error(`${a[1]}: binary operator expected`);
  };
  return evalOne(args);
}

const BUILTINS: Record<string, Builtin> = {
  ':': async () => 0,
  true: async () => 0,
  false: async () => 1,
  echo: async (argv, io, sh) => {
    const { text, newline } = echoText(argv.slice(1), sh.host.flavor === 'debian' && !sh.isBash);
    io.stdout(newline ? `${text}\n` : text);
    return 0;
  },
  printf: async (argv, io, sh) => {
    if (argv.length < 2) {
      io.stderr(`${sh.errPrefix()}printf: usage: printf format [arguments]\n`);
      return 2;
    }
    io.stdout(printfFormat(argv[1]!, argv.slice(2)));
    return 0;
  },
  pwd: async (_a, io, sh) => {
    io.stdout(`${sh.cwd}\n`);
    return 0;
  },
  cd: async (argv, io, sh) => {
    const target =
      argv[1] === undefined
        ? (sh.vars.get('HOME') ?? '/')
        : argv[1] === '-'
          ? (sh.vars.get('OLDPWD') ?? sh.cwd)
          : argv[1];
    const path = sh.resolvePath(target);
    const node = sh.host.fs.stat(path);
    if (node?.type !== 'dir') {
      const why = node ? 'Not a directory' : 'No such file or directory';
      io.stderr(
        sh.isBash
          ? `bash: cd: ${target}: ${why}\n`
          : sh.host.flavor === 'debian'
            ? `${sh.errPrefix()}cd: can't cd to ${target}\n`
            : `${sh.errPrefix()}cd: can't cd to ${target}: ${why}\n`,
      );
      return sh.host.flavor === 'debian' && !sh.isBash ? 2 : 1;
    }
    sh.vars.set('OLDPWD', sh.cwd);
    sh.cwd = path;
    sh.vars.set('PWD', path);
    return 0;
  },
  export: async (argv, io, sh) => {
    if (argv.length === 1 || argv[1] === '-p') {
      for (const k of [...sh.exported].sort()) io.stdout(`export ${k}='${sh.vars.get(k) ?? ''}'\n`);
      return 0;
    }
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (eq >= 0) sh.vars.set(name, a.slice(eq + 1));
      sh.exported.add(name);
    }
    return 0;
  },
  unset: async (argv, _io, sh) => {
    for (const a of argv.slice(1).filter((x) => !x.startsWith('-'))) {
      sh.vars.delete(a);
      sh.exported.delete(a);
    }
    return 0;
  },
  set: async (argv, io, sh) => {
    if (argv.length === 1) {
      for (const [k, v] of [...sh.vars].sort(([a], [b]) => a.localeCompare(b))) io.stdout(`${k}='${v}'\n`);
      return 0;
    }
    const dd = argv.indexOf('--');
    if (dd >= 0) sh.args = argv.slice(dd + 1);
    return 0;
  },
  shift: async (argv, _io, sh) => {
    sh.args = sh.args.slice(Number(argv[1] ?? 1));
    return 0;
  },
  exit: async (argv, _io, sh) => {
    throw new ExitSignal(argv[1] !== undefined ? Number(argv[1]) & 255 : sh.status);
  },
  return: async (argv, _io, sh) => {
    throw new ExitSignal(argv[1] !== undefined ? Number(argv[1]) & 255 : sh.status);
  },
  break: async (argv) => {
    throw new LoopSignal('break', Number(argv[1] ?? 1));
  },
  continue: async (argv) => {
    throw new LoopSignal('continue', Number(argv[1] ?? 1));
  },
  test: async (argv, io, sh) => runTest(argv.slice(1), io, sh),
  '[': async (argv, io, sh) => {
    if (argv[argv.length - 1] !== ']') {
      io.stderr(`${sh.errPrefix()}[: missing ]\n`);
      return 2;
    }
    return runTest(argv.slice(1, -1), io, sh);
  },
  read: async (argv, io, sh) => {
    const args = argv.slice(1);
    let prompt = '';
    const names: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-p') prompt = args[++i] ?? '';
      else if (args[i] !== '-r') names.push(args[i]!);
    }
    if (prompt) io.stderr(prompt);
    const line = await new LineReader(io.stdin).line();
    if (line === null) return 1;
    const fields = line.trim().split(IFS_WS);
    const vars = names.length ? names : ['REPLY'];
    for (const [i, n] of vars.entries()) {
      sh.vars.set(n, i === vars.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? ''));
    }
    return 0;
  },
  eval: async (argv, io, sh) => sh.runList(parseScript(argv.slice(1).join(' ')), io),
  exec: async (argv, io, sh) => {
    if (argv.length === 1) return 0;
    throw new ExitSignal(await sh.execute(argv.slice(1), io));
  },
  '.': async (argv, io, sh) => sourceFile(argv, io, sh),
  source: async (argv, io, sh) => sourceFile(argv, io, sh),
  wait: async (_a, _io, sh) => {
    await sh.waitAll();
    return 0;
  },
  trap: async () => 0,
  umask: async (_a, io) => {
    io.stdout('0022\n');
    return 0;
  },
  type: async (argv, io, sh) => commandV(argv.slice(1), io, sh, true),
  command: async (argv, io, sh) => {
    if (argv[1] === '-v' || argv[1] === '-V') return commandV(argv.slice(2), io, sh, argv[1] === '-V');
    return argv.length > 1 ? sh.execute(argv.slice(1), io) : 0;
  },
  sleep: async (argv, io, sh) => {
    const total = argv.slice(1).reduce((sum, a) => sum + durationSeconds(a), 0);
    if (argv.length < 2 || Number.isNaN(total)) {
      io.stderr(`sleep: invalid number '${argv[1] ?? ''}'\n`);
      return 1;
    }
    await sh.host.sleep(total, sh.signal);
    sh.noteSleep();
    return 0;
  },
};

function durationSeconds(a: string): number {
  if (a === 'infinity') return 1e9;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
  if (!m) return Number.NaN;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? ''] ?? 1);
}

async function runTest(args: string[], io: Stdio, sh: Shell): Promise<number> {
  try {
    return testExpr(args, sh) ? 0 : 1;
  } catch (err) {
    io.stderr(`${sh.errPrefix()}test: ${(err as Error).message}\n`);
    return 2;
  }
}

async function sourceFile(argv: string[], io: Stdio, sh: Shell): Promise<number> {
  const data = argv[1] ? sh.host.fs.read(sh.resolvePath(argv[1])) : 'ENOENT';
  if (typeof data === 'string') {
    io.stderr(`${sh.errPrefix()}${argv[0]}: can't open '${argv[1] ?? ''}': ${ERRNO_TEXT[data as FsError]}\n`);
    return 1;
  }
  return sh.runList(parseScript(data.toString()), io);
}

async function commandV(names: string[], io: Stdio, sh: Shell, verbose: boolean): Promise<number> {
  let status = 0;
  for (const n of names) {
    if (BUILTINS[n]) io.stdout(verbose ? `${n} is a shell builtin\n` : `${n}\n`);
    else if (sh.host.programs.has(n)) {
      const path = `${sh.host.flavor === 'busybox' ? '/bin' : '/usr/bin'}/${n}`;
      io.stdout(verbose ? `${n} is ${path}\n` : `${path}\n`);
    } else {
      if (verbose) io.stdout(`${n}: not found\n`);
      status = 1;
    }
  }
  return status;
}

/** readProgramInput reads a program's file arguments or stdin (`-` or none). */
export async function readInputs(
  files: string[],
  ctx: ProgramContext,
  name: string,
  each: (data: Buffer, file: string) => void,
): Promise<number> {
  if (files.length === 0) {
    each(await readAll(ctx.io.stdin), '-');
    return 0;
  }
  let status = 0;
  for (const f of files) {
    if (f === '-') {
      each(await readAll(ctx.io.stdin), '-');
      continue;
    }
    const data = ctx.host.fs.read(ctx.shell.resolvePath(f));
    if (typeof data === 'string') {
      ctx.io.stderr(
        `${name}: ${ctx.host.flavor === 'busybox' ? `can't open '${f}'` : f}: ${ERRNO_TEXT[data]}\n`,
      );
      status = 1;
      continue;
    }
    each(data, f);
  }
  return status;
}
