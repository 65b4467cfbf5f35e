// A parser for the part of FHIRPath that published profile constraints use. It is deliberately partial: any token
// or operator outside that subset raises `Unsupported`, and the caller keeps the expression on fhirpath.js.

export type Node =
  | { readonly kind: 'literal'; readonly value: string | boolean | number }
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'this' }
  | { readonly kind: 'member'; readonly target: Node; readonly name: string }
  | { readonly kind: 'call'; readonly target: Node | undefined; readonly name: string; readonly args: readonly Node[] }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Node; readonly right: Node }
  | { readonly kind: 'is'; readonly target: Node; readonly type: string }
  | { readonly kind: 'index'; readonly target: Node; readonly index: number };

/** Thrown for any construct outside the compiled subset; not an error in the expression itself. */
export class Unsupported extends Error {}

type Token = { readonly kind: 'id' | 'string' | 'number' | 'op' | 'var'; readonly text: string };

const OPERATORS = ['!=', '<=', '>=', '(', ')', '[', ']', '.', ',', '=', '<', '>'];
const KEYWORDS = new Set(['and', 'or', 'xor', 'implies', 'is']);
/** Precedence of the binary operators accepted (FHIRPath §6: equality binds tighter than and, and than or/xor). */
const PRECEDENCE: Readonly<Record<string, number>> = {
  implies: 1,
  or: 2,
  xor: 2,
  and: 3,
  '=': 5,
  '!=': 5,
  '<': 6,
  '>': 6,
  '<=': 6,
  '>=': 6,
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== "'"; j++) {
        // Escapes are rare in constraints; leave them to fhirpath.js rather than re-implementing its unescaping.
        if (text[j] === '\\') throw new Unsupported('string escape');
        value += text[j];
      }
      if (j >= text.length) throw new Unsupported('unterminated string');
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c) || ((c === '%' || c === '$') && /[A-Za-z_]/.test(text[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      tokens.push({ kind: c === '%' || c === '$' ? 'var' : 'id', text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[0-9]/.test(text[j]!)) j++;
      if (text[j] === '.' && /[0-9]/.test(text[j + 1] ?? '')) throw new Unsupported('decimal literal');
      tokens.push({ kind: 'number', text: text.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new Unsupported(`token '${c}'`);
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

export function parse(text: string): Node {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isOp = (t: Token | undefined, text: string) => t !== undefined && t.kind === 'op' && t.text === text;
  const expect = (text: string): void => {
    if (!isOp(peek(), text)) throw new Unsupported(`expected '${text}'`);
    at++;
  };

  function binaryOp(): string | undefined {
    const t = peek();
    if (!t) return undefined;
    if (t.kind === 'op' && PRECEDENCE[t.text] !== undefined) return t.text;
    if (t.kind === 'id' && (PRECEDENCE[t.text] !== undefined || t.text === 'is')) return t.text;
    return undefined;
  }

  function expression(minimum: number): Node {
    let left = term();
    for (;;) {
      const op = binaryOp();
      if (op === 'is') {
        at++;
        const type = peek();
        if (type?.kind !== 'id') throw new Unsupported('is without a type name');
        at++;
        left = { kind: 'is', target: left, type: type.text };
        continue;
      }
      const precedence = op === undefined ? undefined : PRECEDENCE[op];
      if (op === undefined || precedence === undefined || precedence < minimum) return left;
      at++;
      const right = expression(precedence + 1);
      left = { kind: 'binary', op, left, right };
    }
  }

  function term(): Node {
    let node = primary();
    while (isOp(peek(), '.') || isOp(peek(), '[')) {
      if (isOp(peek(), '[')) {
        // Only a literal index (`entry[0]`) is compiled; a computed one stays on fhirpath.js.
        at++;
        const index = peek();
        if (index?.kind !== 'number') throw new Unsupported('indexer without an integer literal');
        at++;
        expect(']');
        node = { kind: 'index', target: node, index: Number(index.text) };
        continue;
      }
      at++;
      const t = peek();
      if (t?.kind !== 'id') throw new Unsupported('member name expected');
      at++;
      if (isOp(peek(), '(')) node = { kind: 'call', target: node, name: t.text, args: argumentList() };
      else node = { kind: 'member', target: node, name: t.text };
    }
    return node;
  }

  function argumentList(): Node[] {
    expect('(');
    const args: Node[] = [];
    if (isOp(peek(), ')')) {
      at++;
      return args;
    }
    for (;;) {
      args.push(expression(0));
      if (isOp(peek(), ',')) {
        at++;
        continue;
      }
      expect(')');
      return args;
    }
  }

  function primary(): Node {
    const t = peek();
    if (!t) throw new Unsupported('unexpected end');
    at++;
    if (t.kind === 'string') return { kind: 'literal', value: t.text };
    if (t.kind === 'number') return { kind: 'literal', value: Number(t.text) };
    if (t.kind === 'var') return t.text === '$this' ? { kind: 'this' } : { kind: 'variable', name: t.text.slice(1) };
    if (t.kind === 'op') {
      if (t.text !== '(') throw new Unsupported(`operator '${t.text}' in term position`);
      const inner = expression(0);
      expect(')');
      return inner;
    }
    if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
    if (KEYWORDS.has(t.text)) throw new Unsupported(`keyword ${t.text} in term position`);
    if (isOp(peek(), '(')) return { kind: 'call', target: undefined, name: t.text, args: argumentList() };
    return { kind: 'identifier', name: t.text };
  }

  const root = expression(0);
  if (at !== tokens.length) throw new Unsupported(`unparsed rest at token ${at}`);
  return root;
}
