// R4 primitive rules: JSON kind, the package's lexical regexes, calendar validity, narrative shape, MIME grammar.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConstraintCompiler } from '../../src/validation/constraints.ts';
import { InvariantCompiler } from '../../src/validation/invariants.ts';
import { checkPrimitive, isMimeType } from '../../src/validation/primitives.ts';
import { ProfileRegistry } from '../../src/validation/registry.ts';
import { HN, testStore } from '../support/shared.ts';

const profiles = new ProfileRegistry(testStore().context(HN), new ConstraintCompiler(new InvariantCompiler()));
const check = (code: string, value: unknown) => checkPrimitive(code, value, profiles.primitiveRule(code));

describe('primitive values', () => {
  const valid: [string, unknown][] = [
    ['instant', '2022-12-07T12:00:00+02:00'],
    ['instant', '2022-12-07T10:00:00.123Z'],
    ['dateTime', '2022'],
    ['dateTime', '2022-12'],
    ['dateTime', '2022-12-07T12:00:00+02:00'],
    ['date', '2024-02-29'],
    ['time', '12:00:00'],
    ['id', 'g099bbf3-3fca-4722-a248-bfe1aa956410'],
    ['uri', 'urn:oid:1.2.208.176.1.2'],
    ['code', 'hospital-notification-message'],
    ['boolean', false],
    ['integer', -5],
    ['positiveInt', 1],
    ['unsignedInt', 0],
    ['decimal', 36.6],
    ['base64Binary', 'JVBERi0xLjQK'],
    ['uuid', 'urn:uuid:8b3c5f2e-1d4a-4e6b-9c7d-0a1b2c3d4e5f'],
    ['oid', 'urn:oid:1.2.208.176.1.1'],
    ['xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div>'],
  ];
  for (const [code, value] of valid) {
    test(`${code} ${JSON.stringify(value)} is valid`, () => assert.equal(check(code, value), undefined));
  }

  const invalid: [string, unknown, string][] = [
    ['instant', '2022-12-07T12:00+02:00', 'MSG_DATE_FORMAT'],
    ['instant', '2022-12-07T12:00:00', 'MSG_DATE_FORMAT'],
    ['instant', '2022-12-07', 'MSG_DATE_FORMAT'],
    ['dateTime', '2022-12-07T12:00:00', 'MSG_DATE_FORMAT'],
    ['date', '2023-02-29', 'MSG_DATE_FORMAT'],
    ['date', '2022-13-01', 'MSG_DATE_FORMAT'],
    ['id', 'has space', 'MSG_ID_INVALID'],
    ['id', 'x'.repeat(65), 'MSG_ID_INVALID'],
    ['code', ' leading', 'MSG_BAD_FORMAT'],
    ['code', '', 'MSG_BAD_FORMAT'],
    ['string', '', 'MSG_BAD_FORMAT'],
    ['uri', 'has space', 'MSG_BAD_FORMAT'],
    ['uuid', 'urn:uuid:8B3C5F2E-1D4A-4E6B-9C7D-0A1B2C3D4E5F', 'MSG_BAD_FORMAT'],
    ['boolean', 'true', 'MSG_Datatype_Wrong'],
    ['integer', 1.5, 'MSG_BAD_FORMAT'],
    ['integer', '1', 'MSG_Datatype_Wrong'],
    ['positiveInt', 0, 'MSG_BAD_FORMAT'],
    ['unsignedInt', -1, 'MSG_BAD_FORMAT'],
    ['decimal', '36.6', 'MSG_Datatype_Wrong'],
    ['string', 42, 'MSG_Datatype_Wrong'],
    ['base64Binary', 'not base64!', 'MSG_BAD_FORMAT'],
    ['xhtml', '<p>no div</p>', 'MSG_BAD_FORMAT'],
    ['xhtml', '<div><p>no namespace</p></div>', 'MSG_BAD_FORMAT'],
  ];
  for (const [code, value, details] of invalid) {
    test(`${code} ${JSON.stringify(value).slice(0, 40)} is rejected with ${details}`, () => {
      const problem = check(code, value);
      assert.ok(problem, 'rejected');
      assert.equal(problem.details, details);
      assert.equal(problem.wrongKind, details === 'MSG_Datatype_Wrong');
    });
  }

  test('messages never carry a CPR number', () => {
    assert.doesNotMatch(check('boolean', '2509479989')!.message + check('date', '2509479989')!.message, /2509479989/);
  });

  test('MIME types (urn:ietf:bcp:13) are checked by grammar', () => {
    for (const mime of ['application/pdf', 'image/png', 'text/plain; charset=UTF-8', 'application/fhir+json']) {
      assert.ok(isMimeType(mime), mime);
    }
    for (const mime of ['pdf', 'application/', '/pdf', 'application pdf']) assert.equal(isMimeType(mime), false, mime);
  });
});
