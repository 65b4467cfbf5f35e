// fixed[x] is exact; pattern[x] is partial (objects by the properties the pattern names, lists by containment).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsPattern, deepEqual, firstDifference } from '../../src/validation/fixed-pattern.ts';

const EVENT = {
  system: 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes',
  code: 'hospital-notification-message',
};

test('fixed: exact, including the absence of other properties; key order does not matter', () => {
  assert.ok(deepEqual({ ...EVENT }, { code: EVENT.code, system: EVENT.system }));
  assert.equal(deepEqual({ ...EVENT, display: 'Advis' }, EVENT), false);
  assert.equal(deepEqual([1, 2], [2, 1]), false);
  assert.equal(firstDifference({ ...EVENT, display: 'Advis' }, EVENT, true), 'display');
});

test('pattern: extra properties allowed, named ones must match', () => {
  assert.ok(containsPattern({ ...EVENT, display: 'Advis' }, EVENT));
  assert.equal(containsPattern({ ...EVENT, code: 'care-communication-message' }, EVENT), false);
  assert.equal(firstDifference({ ...EVENT, code: 'x' }, EVENT, false), 'code');
});

test('pattern lists: every pattern item must be matched by some instance item, in any order', () => {
  const pattern = { coding: [{ system: 'http://loinc.org', code: '8480-6' }] };
  const instance = {
    coding: [
      { system: 'http://snomed.info/sct', code: '271649006' },
      { system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' },
    ],
  };
  assert.ok(containsPattern(instance, pattern));
  assert.equal(containsPattern({ coding: [instance.coding[0]] }, pattern), false);
  assert.equal(containsPattern({ coding: instance.coding[1] }, pattern), false, 'a list pattern needs a list');
});

test('primitives compare by value', () => {
  assert.ok(containsPattern('message', 'message'));
  assert.equal(containsPattern('collection', 'message'), false);
  assert.equal(firstDifference('collection', 'message', false), '');
});
