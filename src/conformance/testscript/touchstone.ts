/**
 * How Touchstone judges an expression result — our model of behaviour its documentation does not state
 * (conformance.md §4.3, §8). Touchstone is a Java tool; HAPI's FHIRPath engine compares two primitives of different
 * types by their string forms, so `payload.count() = '2'` and `'265161000016000' != 265161000016000` behave "as the
 * author meant" there, while the FHIRPath specification (and fhirpath.js) says false/true. With `semantics:
 * 'touchstone'` the runner reproduces that by rewriting exactly those two published patterns and records every
 * rewrite in the assert result; `semantics: 'fhirpath'` evaluates the text as the specification says.
 *
 * Verdict rules (conservative where Touchstone's rule is unknown):
 * - no operator: passes when the result is non-empty and contains no `false` (non-boolean results count as true);
 * - `equals`: every item's string form equals the value (a multi-item result must agree throughout);
 * - `notEquals`: the negation of `equals`; `in`/`notIn`: every/no item in the comma-separated list;
 * - `greaterThan`/`lessThan`: every item, numerically when both sides are numbers, else as text;
 * - `contains`/`notContains`: some/no item contains the value as text; `empty`/`notEmpty`: result size.
 */
import type { AssertOperator } from './model.ts';
import type { Substitution } from './substitution.ts';

export type Semantics = 'touchstone' | 'fhirpath';

/** The text a substitution is written as. Touchstone: bare numbers are quoted so they compare as strings. */
export function renderSubstitution(s: Substitution, semantics: Semantics): string {
  if (semantics === 'touchstone' && !s.quoted && /^[+-]?\d+(\.\d+)?$/.test(s.value)) return `'${s.value}'`;
  return s.value;
}

export interface Rewrite {
  readonly text: string;
  /** Human-readable notes for each rule applied (empty when the text is unchanged). */
  readonly notes: readonly string[];
}

/** Rewrites `count() = '<n>'` (and `!=`) to an integer comparison under Touchstone semantics. */
export function rewriteForSemantics(expression: string, semantics: Semantics): Rewrite {
  if (semantics !== 'touchstone') return { text: expression, notes: [] };
  const notes: string[] = [];
  const text = expression.replace(/count\(\)\s*(=|!=)\s*'(\d+)'/g, (_whole, op: string, n: string) => {
    notes.push(`count() ${op} '${n}' compared as count() ${op} ${n} (Touchstone compares string forms)`);
    return `count() ${op} ${n}`;
  });
  return { text, notes };
}

/** The text form Touchstone compares: booleans and numbers as FHIR writes them, objects as JSON. */
export function stringForm(item: unknown): string {
  if (typeof item === 'string') return item;
  if (typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint') return String(item);
  if (item === null || item === undefined) return '';
  return JSON.stringify(item);
}

export function isTruthy(result: readonly unknown[]): boolean {
  return result.length > 0 && !result.some((item) => item === false);
}

export interface Verdict {
  readonly pass: boolean;
  /** Why it failed, phrased as "expected … but was …". */
  readonly reason?: string;
}

export function compare(result: readonly unknown[], operator: AssertOperator, value: string | undefined): Verdict {
  const items = result.map(stringForm);
  const shown = items.length === 0 ? 'empty' : items.map((i) => JSON.stringify(i)).join(', ');
  const expectValue = value ?? '';
  const verdict = (pass: boolean, expected: string): Verdict =>
    pass ? { pass } : { pass, reason: `expected ${expected} but was ${shown}` };
  switch (operator) {
    case 'equals':
      return verdict(items.length > 0 && items.every((i) => i === expectValue), `${JSON.stringify(expectValue)}`);
    case 'notEquals':
      return verdict(
        !(items.length > 0 && items.every((i) => i === expectValue)),
        `not ${JSON.stringify(expectValue)}`,
      );
    case 'in': {
      const list = splitList(expectValue);
      return verdict(items.length > 0 && items.every((i) => list.includes(i)), `one of ${list.join(', ')}`);
    }
    case 'notIn': {
      const list = splitList(expectValue);
      return verdict(!items.some((i) => list.includes(i)), `none of ${list.join(', ')}`);
    }
    case 'greaterThan':
      return verdict(items.length > 0 && items.every((i) => order(i, expectValue) > 0), `greater than ${expectValue}`);
    case 'lessThan':
      return verdict(items.length > 0 && items.every((i) => order(i, expectValue) < 0), `less than ${expectValue}`);
    case 'empty':
      return verdict(items.length === 0, 'empty');
    case 'notEmpty':
      return verdict(items.length > 0, 'not empty');
    case 'contains':
      return verdict(
        items.some((i) => i.includes(expectValue)),
        `something containing ${JSON.stringify(expectValue)}`,
      );
    case 'notContains':
      return verdict(!items.some((i) => i.includes(expectValue)), `nothing containing ${JSON.stringify(expectValue)}`);
    case 'eval':
      return verdict(isTruthy(result), 'true');
  }
}

/** `compareToSource…`: the two results as lists of string forms, equal item by item. */
export function compareResults(
  actual: readonly unknown[],
  source: readonly unknown[],
  operator: AssertOperator,
): Verdict {
  const a = actual.map(stringForm);
  const b = source.map(stringForm);
  const same = a.length === b.length && a.every((item, i) => item === b[i]);
  const show = (list: string[]) => (list.length === 0 ? 'empty' : list.map((i) => JSON.stringify(i)).join(', '));
  switch (operator) {
    case 'equals':
      return same
        ? { pass: true }
        : { pass: false, reason: `expected ${show(b)} (from the source) but was ${show(a)}` };
    case 'notEquals':
      return same
        ? { pass: false, reason: `expected a value other than ${show(b)} (from the source) but was the same` }
        : { pass: true };
    default:
      return compare(actual, operator, b[0]);
  }
}

function splitList(value: string): string[] {
  return value.split(',').map((v) => v.trim());
}

function order(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
