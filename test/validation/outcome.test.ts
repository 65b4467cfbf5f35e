// Issues as an OperationOutcome, with MedCom ack detail codes in their published systems, and CPR masking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HL7_ISSUE_DETAILS_SYSTEM,
  MEDCOM_ISSUE_DETAILS_SYSTEM,
  quote,
  toOperationOutcome,
} from '../../src/validation/outcome.ts';
import { Validator } from '../../src/validation/validator.ts';
import { HN, officialExamples, testStore } from '../support/shared.ts';

test('an OperationOutcome built from a real validation result', () => {
  const message = structuredClone(officialExamples(HN, 'Bundle-a5e5b880')[0]!.resource) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  message.entry[2].resource.class.code = 'AMB';
  message.entry[2].resource.foo = true;
  const result = new Validator(testStore()).validateMessage(message);
  const outcome = toOperationOutcome(result.issues);
  assert.equal(outcome.resourceType, 'OperationOutcome');
  const binding = outcome.issue.find((i) => i.code === 'code-invalid')!;
  assert.deepEqual(binding.details!.coding, [
    { system: MEDCOM_ISSUE_DETAILS_SYSTEM, code: 'MSG_VALUESET_VALUE_UNKNOWN' },
  ]);
  assert.deepEqual(binding.expression, ['Bundle.entry[2].resource.class']);
  const unknown = outcome.issue.find((i) => i.expression[0] === 'Bundle.entry[2].resource.foo')!;
  assert.deepEqual(unknown.details!.coding, [{ system: HL7_ISSUE_DETAILS_SYSTEM, code: 'MSG_BAD_SYNTAX' }]);
  assert.match(unknown.details!.text, /unknown property 'foo'/);
});

test('an empty issue list is the customary All OK', () => {
  assert.deepEqual(toOperationOutcome([]).issue, [
    { severity: 'information', code: 'informational', details: { text: 'All OK' }, expression: [] },
  ]);
});

test('quoted values mask anything shaped like a CPR number and stay short', () => {
  assert.equal(quote('2509479989'), "'**********'");
  assert.equal(quote('250947-9989'), "'**********'");
  assert.equal(quote({ value: '2509479989' }), `'{"value":"**********"}'`);
  assert.equal(quote('x'.repeat(500)).length, 122);
});

test('no issue message of a validation quotes the CPR number of the message', () => {
  const message = structuredClone(officialExamples(HN, 'Bundle-a5e5b880')[0]!.resource) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  message.entry[1].resource.identifier[0].use = 'secondary';
  message.entry[1].resource.identifier[0].value = '2509479989X';
  const result = new Validator(testStore()).validateMessage(message);
  assert.ok(result.issues.length > 0);
  for (const issue of result.issues) assert.doesNotMatch(issue.message, /2509479989/);
});
