// Go's encoding/json syntax errors, so a malformed body gets the API server's text (`invalid
// character '}' looking for beginning of object key string`, `unexpected end of JSON input`)
// instead of JavaScript's. A small scanner that stops at the first error, as Go's does.

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class SyntaxErr extends Error {}

/** goJsonSyntaxError returns Go's message for the first syntax error in `text`, if any. */
export function goJsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const end = () => new SyntaxErr('unexpected end of JSON input');
  const bad = (context: string) => new SyntaxErr(`invalid character ${quoteChar(text[i]!)} ${context}`);
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) {
      if (i >= text.length) throw end();
      if (text[i] !== word[k]) throw bad(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) throw end();
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') throw bad('in string literal');
      if (c === '\\') {
        i++;
        if (i >= text.length) throw end();
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= text.length) throw end();
            if (!/[0-9a-fA-F]/.test(text[i]!)) throw bad('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(text[i]!)) throw bad('in string escape code');
      }
      i++;
    }
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (i >= text.length) throw end();
    if (text[i] === '0') i++;
    else if (/[1-9]/.test(text[i]!)) while (/[0-9]/.test(text[i] ?? '')) i++;
    else throw bad('in numeric literal');
    if (text[i] === '.') {
      i++;
      if (i >= text.length) throw end();
      if (!/[0-9]/.test(text[i]!)) throw bad('after decimal point in numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= text.length) throw end();
      if (!/[0-9]/.test(text[i]!)) throw bad('in exponent of numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
  };
  const value = (): void => {
    ws();
    if (i >= text.length) throw end();
    const c = text[i]!;
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (i >= text.length) throw end();
        if (text[i] !== '"') throw bad('looking for beginning of object key string');
        string();
        ws();
        if (i >= text.length) throw end();
        if (text[i] !== ':') throw bad('after object key');
        i++;
        value();
        ws();
        if (i >= text.length) throw end();
        if (text[i] === '}') {
          i++;
          return;
        }
        if (text[i] !== ',') throw bad('after object key:value pair');
        i++;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (i >= text.length) throw end();
        if (text[i] === ']') {
          i++;
          return;
        }
        if (text[i] !== ',') throw bad('after array element');
        i++;
      }
    }
    if (c === '"') string();
    else if (c === '-' || /[0-9]/.test(c)) number();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else throw bad('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < text.length) throw bad('after top-level value');
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxErr) return err.message;
    throw err;
  }
}
