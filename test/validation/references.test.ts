// Bundle-local reference resolution, indexed once per message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EntryIndex, fullUrlMatches, mustBeBundled, referencedType } from '../../src/validation/references.ts';
import { HN, officialExamples } from '../support/shared.ts';

const bundle = officialExamples(HN, 'Bundle-a5e5b880')[0]!.resource as unknown as Record<string, unknown> & {
  entry: { fullUrl: string; resource: { resourceType: string; id: string } }[];
};
const index = new EntryIndex(bundle);
const header = bundle.entry[0]!;

test('relative Type/id resolves against the referring entry’s RESTful base', () => {
  assert.equal(index.resolve('Encounter/a790f964-88d3-4652-bbc8-81d2f3d035f8', header.fullUrl)?.index, 2);
  assert.equal(index.resolve('Encounter/a790f964-88d3-4652-bbc8-81d2f3d035f8/_history/1', header.fullUrl)?.index, 2);
});

test('absolute references must equal a fullUrl; a relative one falls back to Type/id from a urn: entry', () => {
  assert.equal(index.resolve(bundle.entry[3]!.fullUrl, undefined)?.index, 3);
  assert.equal(
    index.resolve('https://elsewhere.example/Encounter/a790f964-88d3-4652-bbc8-81d2f3d035f8', header.fullUrl),
    undefined,
  );
  assert.equal(
    index.resolve('Patient/t33cef33-3626-422b-955d-d506aaa65fe1', 'urn:uuid:0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6')
      ?.index,
    1,
  );
  assert.equal(index.resolve('Patient/unknown', header.fullUrl), undefined);
});

test('urn:uuid fullUrls resolve exactly', () => {
  const urn = new EntryIndex({
    resourceType: 'Bundle',
    entry: [
      { fullUrl: 'urn:uuid:6f1e0c4a-1c2b-4d3e-8f9a-0b1c2d3e4f5a', resource: { resourceType: 'Patient', id: 'p' } },
    ],
  });
  assert.equal(urn.resolve('urn:uuid:6f1e0c4a-1c2b-4d3e-8f9a-0b1c2d3e4f5a', undefined)?.index, 0);
  assert.equal(urn.resolve('urn:uuid:00000000-1c2b-4d3e-8f9a-0b1c2d3e4f5a', undefined), undefined);
});

test('duplicate fullUrls are reported once each; entries are found by identity', () => {
  const twice = new EntryIndex({ resourceType: 'Bundle', entry: [bundle.entry[1], bundle.entry[1]] });
  assert.deepEqual(
    twice.duplicateFullUrls.map((e) => e.index),
    [1],
  );
  assert.equal(index.entryOf(bundle.entry[4]!.resource)?.index, 4);
  assert.equal(index.entryOf({ ...bundle.entry[4]!.resource }), undefined);
});

test('fullUrl/resource consistency, reference types and aggregation', () => {
  assert.equal(fullUrlMatches(header.fullUrl, header.resource), true);
  assert.equal(fullUrlMatches(header.fullUrl, bundle.entry[1]!.resource), false);
  assert.equal(fullUrlMatches('urn:uuid:6f1e0c4a-1c2b-4d3e-8f9a-0b1c2d3e4f5a', header.resource), undefined);
  assert.equal(referencedType('Organization/o7056980-a8b2-42aa-8a0e-c1fc85d1f40d'), 'Organization');
  assert.equal(referencedType('https://medcomfhir.dk/ig/x/Patient/1'), 'Patient');
  assert.equal(referencedType('#org1'), undefined);
  assert.equal(mustBeBundled(['bundled']), true);
  assert.equal(mustBeBundled(['bundled', 'referenced']), false);
  assert.equal(mustBeBundled(undefined), false);
});
