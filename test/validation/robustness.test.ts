// Whatever JSON arrives, validation returns issues and never throws: random values planted at random places of an
// official message (fast-check), and shapes that are not FHIR at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Validator } from '../../src/validation/validator.ts';
import { CC, HN, testStore } from '../support/shared.ts';
import { example, type Json } from './support/breaks.ts';

const validator = new Validator(testStore());

test('not FHIR at all: an issue, never an exception', () => {
  for (const input of [
    null,
    42,
    'Bundle',
    [],
    {},
    { resourceType: 'Bundle' },
    { resourceType: 'Bundle', entry: 'x' },
  ]) {
    const result = validator.validateMessage(input);
    assert.equal(result.valid, false, JSON.stringify(input));
    assert.ok(result.issues.length > 0);
  }
  const odd = example(HN, 'Bundle-a5e5b880');
  odd.entry.push(null, { resource: 5 }, { resource: { resourceType: 'NoSuchResource', id: 'x' } }, { fullUrl: 7 });
  const result = validator.validateMessage(odd);
  assert.equal(result.valid, false);
});

/** Every path (list of keys/indexes) into a JSON value. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

for (const [name, message] of [
  ['HospitalNotification', example(HN, 'Bundle-a5e5b880')],
  ['CareCommunication', example(CC, 'Bundle-gfd00bc2')],
] as const) {
  const all = paths(message).filter((p) => p.length > 0);
  test(`${name}: a random value at a random place gives a result, not an exception`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.jsonValue({ maxDepth: 3 }), (at, planted) => {
        const copy = structuredClone(message);
        const path = all[at]!;
        let parent = copy;
        for (const key of path.slice(0, -1)) parent = parent[key];
        parent[path[path.length - 1]!] = planted;
        const result = validator.validateMessage(copy);
        assert.equal(typeof result.valid, 'boolean');
        for (const issue of result.issues) assert.equal(typeof issue.expression, 'string');
      }),
      { numRuns: 150, seed: 20260213 },
    );
  });
}
