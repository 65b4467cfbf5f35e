// The HL7 Java validator answers `value` on a primitive node with the primitive itself (its element model returns
// the string for a primitive's `value` child — org.hl7.fhir.r5 elementmodel Element.getProperty). fhirpath.js follows
// the FHIRPath model, where a primitive has no `value` child, and returns empty. Invariants written for the Java
// engine rely on this: dk-core 2.0.0 (`cpr`, `gln-length`, `gln-modulus-10`, `CVR-*`), MedCom core 2.x (`uuidv5`,
// `medcom-uuidv4`) state `value.matches(…)` / `value.substring(…)` on an `Identifier.value` node. Evaluated as
// written in fhirpath.js they yield empty, which the validator's truthiness rule (empty = failed) turns into an error
// on every valid GLN and CPR. For primitive contexts we therefore read such a leading `value` as `%context`.

const OPERATOR_WORDS = new Set(['and', 'or', 'xor', 'implies', 'mod', 'div', 'in', 'contains', 'is', 'as']);
/** Functions whose argument is evaluated per input item: there `value` means the item's child, not the context. */
const ITERATING_FUNCTIONS = new Set(['where', 'select', 'all', 'exists', 'repeat', 'aggregate', 'sort', 'trace']);

/**
 * Rewrites every `value` that starts a path from the context node (not after `.`, not inside an iterating
 * function's argument) to `%context`. Returns the expression unchanged when there is nothing to rewrite.
 */
export function readPrimitiveValueAsContext(expression: string): string {
  let out = '';
  let i = 0;
  let previous = ''; // last significant character emitted
  let lastWord: string | undefined; // identifier that immediately precedes the current position
  const calls: boolean[] = []; // per open parenthesis: is it the argument list of an iterating function?
  while (i < expression.length) {
    const c = expression[i]!;
    if (c === "'" || c === '`') {
      const end = closingQuote(expression, i, c);
      out += expression.slice(i, end);
      i = end;
      previous = c;
      lastWord = undefined;
      continue;
    }
    if (c === '/' && (expression[i + 1] === '/' || expression[i + 1] === '*')) {
      const end = expression[i + 1] === '/' ? lineEnd(expression, i) : blockCommentEnd(expression, i);
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let end = i + 1;
      while (end < expression.length && /[A-Za-z0-9_]/.test(expression[end]!)) end++;
      const word = expression.slice(i, end);
      const startsPath = previous !== '.' && previous !== '%' && previous !== '$';
      const isCall = /^\s*\(/.test(expression.slice(end));
      out += word === 'value' && startsPath && !isCall && !calls.includes(true) ? '%context' : word;
      previous = 'a';
      lastWord = word;
      i = end;
      continue;
    }
    if (c === '(') {
      calls.push(lastWord !== undefined && !OPERATOR_WORDS.has(lastWord) && ITERATING_FUNCTIONS.has(lastWord));
    } else if (c === ')') {
      calls.pop();
    }
    out += c;
    if (!/\s/.test(c)) {
      previous = c;
      lastWord = undefined;
    }
    i++;
  }
  return out;
}

function closingQuote(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

function blockCommentEnd(text: string, start: number): number {
  const close = text.indexOf('*/', start + 2);
  return close < 0 ? text.length : close + 2;
}

function lineEnd(text: string, start: number): number {
  const newline = text.indexOf('\n', start);
  return newline < 0 ? text.length : newline;
}
