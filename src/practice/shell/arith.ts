// Shell arithmetic `$((…))`: integers, variables by name, assignment (`i=i+1`, `+=`, `++`),
// and C's operators with C's precedence.

type Vars = Map<string, string>;

const BINARY: [string[], number][] = [
  [['||'], 1],
  [['&&'], 2],
  [['|'], 3],
  [['^'], 4],
  [['&'], 5],
  [['==', '!='], 6],
  [['<=', '>=', '<', '>'], 7],
  [['<<', '>>'], 8],
  [['+', '-'], 9],
  [['*', '/', '%'], 10],
];
const PRECEDENCE = new Map<string, number>(
  BINARY.flatMap(([ops, p]) => ops.map((o) => [o, p] as [string, number])),
);

/** arith evaluates an arithmetic expression; variables are read and written in `vars`. */
export function arith(src: string, vars: Vars): number {
  const tokens =
    src.match(
      /\d+|[A-Za-z_][A-Za-z0-9_]*|[-+*/%]=(?!=)|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>=!~&|^()]|\S/g,
    ) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const varValue = (name: string) => Number.parseInt(vars.get(name) ?? '0', 10) || 0;

  const primary = (): number => {
    const t = tokens[i++];
    if (t === undefined) throw new Error('expression expected');
    if (t === '(') {
      const v = assignment();
      if (tokens[i++] !== ')') throw new Error('missing )');
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() ? 0 : 1;
    if (t === '~') return ~primary();
    if (t === '++' || t === '--') {
      const name = tokens[i++] ?? '';
      const v = varValue(name) + (t === '++' ? 1 : -1);
      vars.set(name, String(v));
      return v;
    }
    if (/^\d+$/.test(t)) return Number.parseInt(t, 10);
    if (/^[A-Za-z_]/.test(t)) {
      const after = peek();
      if (after === '++' || after === '--') {
        i++;
        const v = varValue(t);
        vars.set(t, String(v + (after === '++' ? 1 : -1)));
        return v;
      }
      return varValue(t);
    }
    throw new Error(`syntax error: operand expected (error token is "${t}")`);
  };

  const binary = (minPrec: number): number => {
    let left = primary();
    while (true) {
      const op = peek();
      const prec = op ? PRECEDENCE.get(op) : undefined;
      if (prec === undefined || prec < minPrec) return left;
      i++;
      const right = binary(prec + 1);
      left = apply(op!, left, right);
    }
  };

  const assignment = (): number => {
    const name = tokens[i];
    const op = tokens[i + 1];
    if (name && /^[A-Za-z_]/.test(name) && op && /^([-+*/%]?=)$/.test(op) && op !== '==') {
      i += 2;
      const rhs = assignment();
      const v = op === '=' ? rhs : apply(op.slice(0, -1), varValue(name), rhs);
      vars.set(name, String(v));
      return v;
    }
    return binary(1);
  };

  const v = tokens.length ? assignment() : 0;
  if (i < tokens.length) throw new Error(`syntax error in expression (error token is "${tokens[i]}")`);
  return v;
}

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new Error('divide by zero');
      return Math.trunc(a / b);
    case '%':
      if (b === 0) throw new Error('divide by zero');
      return a % b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '<':
      return a < b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&&':
      return a && b ? 1 : 0;
    case '||':
      return a || b ? 1 : 0;
  }
  throw new Error(`unknown operator ${op}`);
}
