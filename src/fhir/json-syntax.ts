// Locates the first syntax error in text that JSON.parse rejected. V8's messages sometimes lack a position and
// sometimes quote the input — which may hold a CPR number — so errors are described here, by offset, without content.
// Runs only after JSON.parse has failed: the success path pays nothing.

export interface JsonSyntaxProblem {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly problem: string;
}

class Problem {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** The first syntax error in `text`, or undefined when it is valid JSON. Iterative, so nesting depth is no risk. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    return { ...position(text, error.offset), offset: error.offset, problem: error.problem };
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describe(text: string, at: number): string {
  if (at >= text.length) return 'end of input';
  const ch = text[at]!;
  // One character of context is enough to fix a typo and too little to leak an identifier.
  return /[\x20-\x7e]/.test(ch) ? `'${ch}'` : `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function scan(text: string): void {
  const closers: string[] = [];
  let expect: 'value' | 'key' | 'after' = 'value';
  let i = skip(text, 0);
  for (;;) {
    i = skip(text, i);
    if (expect === 'value') {
      const ch = text[i];
      if (ch === '{' || ch === '[') {
        closers.push(ch === '{' ? '}' : ']');
        i = skip(text, i + 1);
        if (text[i] === closers[closers.length - 1]) {
          closers.pop();
          i++;
          expect = 'after';
        } else expect = ch === '{' ? 'key' : 'value';
      } else if (ch === '"') {
        i = string(text, i);
        expect = 'after';
      } else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) throw new Problem(i, 'invalid number');
        i = NUMBER.lastIndex;
        expect = 'after';
      } else {
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
        if (!literal) throw new Problem(i, `unexpected ${describe(text, i)}; expected a value`);
        i += literal.length;
        expect = 'after';
      }
    } else if (expect === 'key') {
      if (text[i] !== '"')
        throw new Problem(i, `unexpected ${describe(text, i)}; expected a property name in double quotes`);
      i = skip(text, string(text, i));
      if (text[i] !== ':')
        throw new Problem(i, `unexpected ${describe(text, i)}; expected ':' after the property name`);
      i++;
      expect = 'value';
    } else {
      const closer = closers[closers.length - 1];
      if (closer === undefined) {
        if (i < text.length) throw new Problem(i, `unexpected ${describe(text, i)} after the end of the JSON value`);
        return;
      }
      if (text[i] === ',') {
        i++;
        expect = closer === '}' ? 'key' : 'value';
      } else if (text[i] === closer) {
        closers.pop();
        i++;
      } else throw new Problem(i, `unexpected ${describe(text, i)}; expected ',' or '${closer}'`);
    }
  }
}

function skip(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** Index just after the string starting at the quote at `start`. */
function string(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) throw new Problem(i, 'unescaped control character (e.g. a line break) inside a string');
    if (c === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Problem(i, 'invalid \\u escape in a string');
        i += 5;
      } else if (next !== undefined && ESCAPES.has(next)) i++;
      else throw new Problem(i, `invalid escape in a string`);
    }
  }
  throw new Problem(start, 'string is not terminated');
}
