// Test support: one-rule breaks of official examples. Each helper returns a fresh deep copy, so a test can change
// exactly one thing and assert exactly one issue.
import assert from 'node:assert/strict';
import type { PackageRef } from '../../../src/fhir/packages/package-ref.ts';
import type { ValidationIssue } from '../../../src/validation/outcome.ts';
import type { ValidationResult } from '../../../src/validation/validator.ts';
import { officialExamples } from '../../support/shared.ts';

// JSON of an example, typed loosely on purpose: the tests reach into it to break one rule.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function example(ig: PackageRef, file: string): Json {
  const found = officialExamples(ig, file);
  assert.equal(found.length, 1, `one example named ${file}* in ${ig.id}#${ig.version}`);
  return structuredClone(found[0]!.resource);
}

/** Asserts that one issue has exactly these fields (message excepted, which is checked by pattern if given). */
export function assertIssue(
  result: ValidationResult,
  expected: Partial<Omit<ValidationIssue, 'message'>> & { message?: RegExp },
): ValidationIssue {
  const { message, ...fields } = expected;
  const found = result.issues.find(
    (issue) =>
      Object.entries(fields).every(([key, value]) => issue[key as keyof ValidationIssue] === value) &&
      (!message || message.test(issue.message)),
  );
  assert.ok(
    found,
    `expected an issue like ${JSON.stringify({ ...fields, message: message?.source })}; got:\n${describe(result.issues)}`,
  );
  return found;
}

export function assertNoIssue(result: ValidationResult, expected: Partial<ValidationIssue>): void {
  const found = result.issues.find((issue) =>
    Object.entries(expected).every(([key, value]) => issue[key as keyof ValidationIssue] === value),
  );
  assert.equal(found, undefined, `unexpected issue ${JSON.stringify(found)}`);
}

/** The error/fatal issues, for asserting that a break produced nothing else. */
export function failures(result: ValidationResult): ValidationIssue[] {
  return result.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
}

export function describe(issues: readonly ValidationIssue[]): string {
  return issues
    .map((i) => `  ${i.severity} ${i.code} ${i.expression} ${i.details ?? ''} ${i.rule ?? ''} — ${i.message}`)
    .join('\n');
}
