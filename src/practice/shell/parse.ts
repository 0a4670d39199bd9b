// A parser for the POSIX shell language a learner types into a container and the `sh -c`
// scripts of the Kubernetes docs: lists (`;`, `&`, newlines), `&&`/`||`, pipelines, `!`,
// `if`/`while`/`until`/`for`/`case`, `{ }` and `( )`, assignments, redirections, quoting,
// `$VAR`/`${VAR:-x}`/`${#VAR}`, `$(…)`, backquotes and `$((…))`. No here-documents, functions
// or aliases: the parser says so with the shell's own "syntax error" wording.

/** WordPart is a piece of a word; `quoted` parts are not split or globbed. */
export type WordPart =
  | { k: 'lit'; text: string; quoted: boolean }
  | { k: 'param'; name: string; op?: string; arg?: Word; quoted: boolean }
  | { k: 'cmd'; body: List; quoted: boolean }
  | { k: 'arith'; expr: Word; quoted: boolean };

/** Word is one shell word before expansion. */
export type Word = WordPart[];

/** Redirect is `[fd]op target`. */
export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&';
  target: Word;
}

/** Command is one simple or compound command. */
export type Command =
  | { k: 'simple'; assigns: { name: string; value: Word }[]; words: Word[]; redirs: Redirect[] }
  | { k: 'group'; body: List; subshell: boolean; redirs: Redirect[] }
  | { k: 'if'; clauses: { cond: List; body: List }[]; elseBody?: List; redirs: Redirect[] }
  | { k: 'loop'; until: boolean; cond: List; body: List; redirs: Redirect[] }
  | { k: 'for'; name: string; items?: Word[]; body: List; redirs: Redirect[] }
  | { k: 'case'; word: Word; items: { patterns: Word[]; body: List }[]; redirs: Redirect[] };

/** Pipeline is `[!] cmd | cmd …`. */
export interface Pipeline {
  negate: boolean;
  cmds: Command[];
}

/** AndOr is a pipeline chain joined by `&&`/`||`, optionally run in the background. */
export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
  background: boolean;
}

/** List is a sequence of and-or chains. */
export type List = AndOr[];

/** ShellSyntaxError carries the shell's message (without the `sh: ` prefix). */
export class ShellSyntaxError extends Error {
  /** incomplete is true when more input could complete the command (interactive `> ` prompt). */
  constructor(
    message: string,
    readonly incomplete = false,
  ) {
    super(message);
  }
}

type Token = { t: 'op'; v: string } | { t: 'word'; word: Word; reserved?: string } | { t: 'eof' };

const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'while',
  'until',
  'for',
  'in',
  'case',
  'esac',
  '{',
  '}',
  '!',
]);
const OPS = ['&&', '||', ';;', '>>', '>&', '<&', '<<', ';', '&', '|', '(', ')', '<', '>', '\n'];
const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/** parseScript parses a whole script. */
export function parseScript(src: string): List {
  const p = new Parser(src);
  const list = p.list(new Set());
  const tok = p.peek();
  if (tok.t !== 'eof') throw p.unexpected(tok);
  return list;
}

class Parser {
  pos = 0;
  private ahead?: { tok: Token; end: number; start: number };

  constructor(private readonly src: string) {}

  unexpected(tok: Token): ShellSyntaxError {
    if (tok.t === 'eof') return new ShellSyntaxError('syntax error: unexpected end of file', true);
    const text = tok.t === 'op' ? (tok.v === '\n' ? 'newline' : tok.v) : (tok.reserved ?? 'word');
    return new ShellSyntaxError(`syntax error: unexpected "${text}"`);
  }

  peek(): Token {
    if (!this.ahead) {
      const start = this.pos;
      const tok = this.lex();
      this.ahead = { tok, end: this.pos, start };
      this.pos = start;
    }
    return this.ahead.tok;
  }

  next(): Token {
    const tok = this.peek();
    this.pos = this.ahead!.end;
    this.ahead = undefined;
    return tok;
  }

  private isReserved(tok: Token, word: string): boolean {
    return tok.t === 'word' && tok.reserved === word;
  }

  private expectReserved(word: string): void {
    this.skipNewlines();
    const tok = this.next();
    if (!this.isReserved(tok, word)) throw this.unexpected(tok);
  }

  private skipNewlines(): void {
    while (true) {
      const tok = this.peek();
      if (tok.t === 'op' && tok.v === '\n') this.next();
      else return;
    }
  }

  /** list parses and-or chains until a reserved word in `stop`, `)`, `;;` or EOF. */
  list(stop: Set<string>): List {
    const out: List = [];
    while (true) {
      this.skipNewlines();
      const tok = this.peek();
      if (tok.t === 'eof') return out;
      if (tok.t === 'op' && (tok.v === ')' || tok.v === ';;')) return out;
      if (tok.t === 'word' && tok.reserved && stop.has(tok.reserved)) return out;
      const chain = this.andOr();
      out.push(chain);
      const sep = this.peek();
      if (sep.t === 'op' && (sep.v === ';' || sep.v === '&' || sep.v === '\n')) {
        this.next();
        if (sep.v === '&') chain.background = true;
        continue;
      }
      return out;
    }
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (true) {
      const tok = this.peek();
      if (tok.t === 'op' && (tok.v === '&&' || tok.v === '||')) {
        this.next();
        this.skipNewlines();
        rest.push({ op: tok.v, pipeline: this.pipeline() });
      } else return { first, rest, background: false };
    }
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (this.isReserved(this.peek(), '!')) {
      this.next();
      negate = true;
    }
    const cmds = [this.command()];
    while (true) {
      const tok = this.peek();
      if (tok.t === 'op' && tok.v === '|') {
        this.next();
        this.skipNewlines();
        cmds.push(this.command());
      } else return { negate, cmds };
    }
  }

  private command(): Command {
    const tok = this.peek();
    let cmd: Command;
    if (tok.t === 'op' && tok.v === '(') {
      this.next();
      const body = this.list(new Set());
      const close = this.next();
      if (!(close.t === 'op' && close.v === ')')) throw this.unexpected(close);
      cmd = { k: 'group', body, subshell: true, redirs: [] };
    } else if (tok.t === 'word' && tok.reserved) {
      cmd = this.compound(tok.reserved);
    } else return this.simple();
    this.redirects(cmd.redirs);
    return cmd;
  }

  private compound(word: string): Command {
    switch (word) {
      case '{': {
        this.next();
        const body = this.list(new Set(['}']));
        this.expectReserved('}');
        return { k: 'group', body, subshell: false, redirs: [] };
      }
      case 'if': {
        this.next();
        const clauses: { cond: List; body: List }[] = [];
        let elseBody: List | undefined;
        while (true) {
          const cond = this.list(new Set(['then']));
          this.expectReserved('then');
          const body = this.list(new Set(['elif', 'else', 'fi']));
          clauses.push({ cond, body });
          const tok = this.next();
          if (this.isReserved(tok, 'elif')) continue;
          if (this.isReserved(tok, 'else')) {
            elseBody = this.list(new Set(['fi']));
            this.expectReserved('fi');
          } else if (!this.isReserved(tok, 'fi')) throw this.unexpected(tok);
          return { k: 'if', clauses, elseBody, redirs: [] };
        }
      }
      case 'while':
      case 'until': {
        this.next();
        const cond = this.list(new Set(['do']));
        this.expectReserved('do');
        const body = this.list(new Set(['done']));
        this.expectReserved('done');
        return { k: 'loop', until: word === 'until', cond, body, redirs: [] };
      }
      case 'for': {
        this.next();
        const nameTok = this.next();
        if (nameTok.t !== 'word') throw this.unexpected(nameTok);
        const name = wordText(nameTok.word);
        let items: Word[] | undefined;
        this.skipNewlines();
        if (this.isReserved(this.peek(), 'in')) {
          this.next();
          items = [];
          while (true) {
            const tok = this.peek();
            if (tok.t !== 'word') break;
            this.next();
            items.push(tok.word);
          }
          const sep = this.peek();
          if (sep.t === 'op' && (sep.v === ';' || sep.v === '\n')) this.next();
        } else {
          const sep = this.peek();
          if (sep.t === 'op' && sep.v === ';') this.next();
        }
        this.expectReserved('do');
        const body = this.list(new Set(['done']));
        this.expectReserved('done');
        return { k: 'for', name, items, body, redirs: [] };
      }
      case 'case': {
        this.next();
        const w = this.next();
        if (w.t !== 'word') throw this.unexpected(w);
        this.expectReserved('in');
        const items: { patterns: Word[]; body: List }[] = [];
        while (true) {
          this.skipNewlines();
          let tok = this.peek();
          if (this.isReserved(tok, 'esac')) {
            this.next();
            return { k: 'case', word: w.word, items, redirs: [] };
          }
          if (tok.t === 'op' && tok.v === '(') this.next();
          const patterns: Word[] = [];
          while (true) {
            tok = this.next();
            if (tok.t !== 'word') throw this.unexpected(tok);
            patterns.push(tok.word);
            const sep = this.next();
            if (sep.t === 'op' && sep.v === '|') continue;
            if (sep.t === 'op' && sep.v === ')') break;
            throw this.unexpected(sep);
          }
          const body = this.list(new Set(['esac']));
          items.push({ patterns, body });
          const end = this.peek();
          if (end.t === 'op' && end.v === ';;') this.next();
        }
      }
      default:
        throw this.unexpected(this.peek());
    }
  }

  private redirects(into: Redirect[]): void {
    while (true) {
      const tok = this.peek();
      if (tok.t !== 'op' || !/^\d*(>>|>&|<&|>|<|<<)$/.test(tok.v)) return;
      this.next();
      if (tok.v.endsWith('<<')) throw new ShellSyntaxError('here-documents are not supported here');
      const m = /^(\d*)(.*)$/.exec(tok.v)!;
      const op = m[2] as Redirect['op'];
      const fd = m[1] ? Number(m[1]) : op.startsWith('<') ? 0 : 1;
      const target = this.next();
      if (target.t !== 'word') throw this.unexpected(target);
      into.push({ fd, op, target: target.word });
    }
  }

  private simple(): Command {
    const cmd: Command & { k: 'simple' } = { k: 'simple', assigns: [], words: [], redirs: [] };
    while (true) {
      const tok = this.peek();
      if (tok.t === 'op') {
        if (/^\d*(>>|>&|<&|>|<|<<)$/.test(tok.v)) {
          this.redirects(cmd.redirs);
          continue;
        }
        break;
      }
      if (tok.t !== 'word') break;
      // Reserved words are plain words after the first word of a command.
      if (tok.reserved && cmd.words.length === 0 && cmd.assigns.length === 0) break;
      this.next();
      const first = tok.word[0];
      if (cmd.words.length === 0 && first?.k === 'lit' && !first.quoted) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
        if (m) {
          const value: Word = [
            { k: 'lit', text: first.text.slice(m[0].length), quoted: false },
            ...tok.word.slice(1),
          ];
          cmd.assigns.push({ name: m[1]!, value });
          continue;
        }
      }
      cmd.words.push(tok.word);
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) {
      throw this.unexpected(this.peek());
    }
    return cmd;
  }

  // --- lexer ---

  private lex(): Token {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && s[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else break;
    }
    if (this.pos >= s.length) return { t: 'eof' };
    const fdOp = /^\d+(>>|>&|<&|>|<)/.exec(s.slice(this.pos, this.pos + 6));
    if (fdOp) {
      this.pos += fdOp[0].length;
      return { t: 'op', v: fdOp[0] };
    }
    for (const op of OPS) {
      if (s.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { t: 'op', v: op };
      }
    }
    const word = this.word();
    const only = word.length === 1 ? word[0] : undefined;
    const reserved = only?.k === 'lit' && !only.quoted && RESERVED.has(only.text) ? only.text : undefined;
    return { t: 'word', word, reserved };
  }

  private word(): Word {
    const s = this.src;
    const parts: Word = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ k: 'lit', text: lit, quoted: false });
      lit = '';
    };
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (META.has(c)) break;
      if (c === '\\') {
        const n = s[this.pos + 1];
        this.pos += 2;
        if (n === undefined) break;
        if (n === '\n') continue;
        flush();
        parts.push({ k: 'lit', text: n, quoted: true });
        continue;
      }
      if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string', true);
        flush();
        parts.push({ k: 'lit', text: s.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        flush();
        this.pos++;
        parts.push(...this.doubleQuoted());
        continue;
      }
      if (c === '$' || c === '`') {
        const part = this.dollar(false);
        if (part) {
          flush();
          parts.push(part);
          continue;
        }
      }
      lit += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  private doubleQuoted(): WordPart[] {
    const s = this.src;
    const parts: WordPart[] = [];
    let lit = '';
    while (true) {
      if (this.pos >= s.length) throw new ShellSyntaxError('syntax error: unterminated quoted string', true);
      const c = s[this.pos]!;
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\' && '"\\$`\n'.includes(s[this.pos + 1] ?? '')) {
        if (s[this.pos + 1] !== '\n') lit += s[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '$' || c === '`') {
        const part = this.dollar(true);
        if (part) {
          if (lit) parts.push({ k: 'lit', text: lit, quoted: true });
          lit = '';
          parts.push(part);
          continue;
        }
      }
      lit += c;
      this.pos++;
    }
    // "" is an empty (but present) word.
    if (lit || parts.length === 0) parts.push({ k: 'lit', text: lit, quoted: true });
    return parts;
  }

  /** dollar parses `$…` or a backquote at pos; undefined when `$` is literal. */
  private dollar(quoted: boolean): WordPart | undefined {
    const s = this.src;
    if (s[this.pos] === '`') {
      let end = this.pos + 1;
      let body = '';
      while (end < s.length && s[end] !== '`') {
        if (s[end] === '\\' && '$`\\'.includes(s[end + 1] ?? '')) {
          body += s[end + 1];
          end += 2;
        } else body += s[end++];
      }
      if (end >= s.length) throw new ShellSyntaxError('syntax error: unterminated quoted string', true);
      this.pos = end + 1;
      return { k: 'cmd', body: parseScript(body), quoted };
    }
    const n = s[this.pos + 1];
    if (n === '(' && s[this.pos + 2] === '(') {
      let depth = 0;
      let i = this.pos + 3;
      for (; i < s.length; i++) {
        if (s[i] === '(') depth++;
        else if (s[i] === ')') {
          if (depth === 0 && s[i + 1] === ')') break;
          depth--;
        }
      }
      if (i >= s.length) throw new ShellSyntaxError('syntax error: missing ))', true);
      const inner = new Parser(s.slice(this.pos + 3, i)).arithWord();
      this.pos = i + 2;
      return { k: 'arith', expr: inner, quoted };
    }
    if (n === '(') {
      const sub = new Parser(s);
      sub.pos = this.pos + 2;
      const body = sub.list(new Set());
      const close = sub.next();
      if (!(close.t === 'op' && close.v === ')')) {
        if (close.t === 'eof') throw new ShellSyntaxError('syntax error: unterminated $(', true);
        throw sub.unexpected(close);
      }
      this.pos = sub.pos;
      return { k: 'cmd', body, quoted };
    }
    if (n === '{') {
      const end = s.indexOf('}', this.pos + 2);
      if (end < 0) throw new ShellSyntaxError('syntax error: missing }', true);
      const inner = s.slice(this.pos + 2, end);
      this.pos = end + 1;
      if (inner.startsWith('#') && inner.length > 1)
        return { k: 'param', name: inner.slice(1), op: '#len', quoted };
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!-])(:?[-=+?]|#|%)?(.*)$/s.exec(inner);
      if (!m) throw new ShellSyntaxError(`syntax error: bad substitution`);
      const arg = m[2] ? new Parser(m[3] ?? '').argWord() : undefined;
      return { k: 'param', name: m[1]!, op: m[2], arg, quoted };
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-])/.exec(s.slice(this.pos + 1));
    if (!m) return undefined;
    this.pos += 1 + m[0].length;
    return { k: 'param', name: m[0], quoted };
  }

  /** arithWord reads an arithmetic expression, expanding `$…` inside it. */
  arithWord(): Word {
    return this.restOfWord(false);
  }

  /** argWord reads the word of `${x:-word}` (quotes allowed, no splitting at blanks). */
  argWord(): Word {
    return this.restOfWord(true);
  }

  /** restOfWord reads to the end of the source: `$…` expands, quotes count when `quotes`. */
  private restOfWord(quotes: boolean): Word {
    const parts: Word = [];
    let lit = '';
    const s = this.src;
    // Arithmetic text is never split, so its literals count as quoted.
    const flush = () => {
      if (lit) parts.push({ k: 'lit', text: lit, quoted: !quotes });
      lit = '';
    };
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (quotes && c === '"') {
        flush();
        this.pos++;
        parts.push(...this.doubleQuoted());
        continue;
      }
      if (quotes && c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) break;
        flush();
        parts.push({ k: 'lit', text: s.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
        continue;
      }
      if (c === '$') {
        const part = this.dollar(!quotes);
        if (part) {
          flush();
          parts.push(part);
          continue;
        }
      }
      lit += c;
      this.pos++;
    }
    flush();
    return parts;
  }
}

/** wordText is the literal text of a word without expansions (names in `for`). */
export function wordText(word: Word): string {
  return word.map((p) => (p.k === 'lit' ? p.text : '')).join('');
}
