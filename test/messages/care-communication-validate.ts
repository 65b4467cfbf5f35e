// Validates built CareCommunications with the project's validator in the CC 5.0.2 closure and fails with the issues.
import assert from 'node:assert/strict';
import { Validator } from '../../src/validation/validator.ts';
import { testStore } from '../support/shared.ts';

let validator: Validator | undefined;

/** One validator per test process: compiled profiles are reused across tests (the store is read-only). */
function sharedValidator(): Validator {
  validator ??= new Validator(testStore());
  return validator;
}

export function assertValidMessage(bundle: unknown, label: string): void {
  const result = sharedValidator().validateMessage(bundle);
  const errors = result.issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  assert.deepEqual(
    errors.map((issue) => `${issue.expression}: ${issue.message}`),
    [],
    `${label} must validate with zero errors`,
  );
}
