import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  asMessageBundle,
  assembleMessage,
  fullUrlBase,
  parseReference,
  resolveReference,
} from '../../src/messages/bundle.ts';
import { MessageModelError } from '../../src/messages/errors.ts';
import type { MessageBundle, MessageHeader } from '../../src/messages/fhir-types.ts';
import {
  copyProvenances,
  currentProvenance,
  formatOioxmlReference,
  parseOioxmlReference,
  provenanceChain,
  provenanceResource,
  provenancesOf,
} from '../../src/messages/provenance.ts';
import { ACK, CC, HN, officialExamples } from '../support/shared.ts';

const bundles = [
  ...officialExamples(HN, 'Bundle-'),
  ...officialExamples(CC, 'Bundle-'),
  ...officialExamples(ACK, 'Bundle-'),
].map((e) => ({ file: e.file, bundle: e.resource as MessageBundle }));

/** Every `reference` string in a resource, with its JSON path; Provenance target/entity may name unbundled messages. */
function references(value: unknown, path: string, out: { path: string; reference: string }[] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => references(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'reference' && typeof v === 'string') out.push({ path, reference: v });
      else if (key !== 'target' && key !== 'entity' && key !== 'text') references(v, `${path}.${key}`, out);
    }
  }
  return out;
}

describe('Bundle-local reference resolution', () => {
  it('resolves every bundled reference of every official HN, CC and ACK example to the named type', () => {
    let count = 0;
    for (const { file, bundle } of bundles) {
      for (const { path, reference } of references(bundle.entry, 'Bundle.entry')) {
        const found = resolveReference(bundle, reference);
        assert.ok(found, `${file} ${path}: ${reference}`);
        assert.equal(found.resource.resourceType, parseReference(reference)!.type, `${file} ${path}`);
        count++;
      }
    }
    assert.ok(count > 200, `${count} references checked`);
  });

  it('accepts the absolute fullUrl, a relative Type/id and a urn:uuid fullUrl', () => {
    const bundle = bundles.find((b) => b.file.startsWith('Bundle-a5e5b880'))!.bundle;
    const entry = bundle.entry[1]!;
    assert.equal(resolveReference(bundle, entry.fullUrl)?.index, 1);
    assert.equal(resolveReference(bundle, 'Patient/t33cef33-3626-422b-955d-d506aaa65fe1')?.index, 1);
    assert.equal(resolveReference(bundle, 'Patient/unknown'), undefined);
    const urn = structuredClone(bundle);
    urn.entry[1]!.fullUrl = 'urn:uuid:6b2c0e0c-7a0e-4a55-9a62-1d3f3a0f0f0f';
    assert.equal(resolveReference(urn, 'urn:uuid:6b2c0e0c-7a0e-4a55-9a62-1d3f3a0f0f0f')?.index, 1);
  });
});

describe('message assembly and shape checks', () => {
  const header = (id: string): MessageHeader => ({
    resourceType: 'MessageHeader',
    id,
    eventCoding: { code: 'empty-message' },
    destination: [],
    sender: {},
    source: { endpoint: 'x' },
  });

  it('puts the MessageHeader first and derives fullUrls from one base', () => {
    const provenance = provenanceResource({
      id: 'p1',
      messageHeaderId: 'h1',
      occurred: '2024-01-01T10:00:00+01:00',
      activity: 'new-message',
      agentOrganizationId: 'o1',
    });
    const bundle = assembleMessage({
      id: 'b1',
      profile: 'http://example.org/p',
      timestamp: '2024-01-01T10:00:00+01:00',
      fullUrlBase: fullUrlBase('acknowledgement'),
      header: header('h1'),
      resources: [provenance],
    });
    assert.equal(bundle.entry[0]!.resource.resourceType, 'MessageHeader');
    assert.deepEqual(
      bundle.entry.map((e) => e.fullUrl),
      [
        'https://medcomfhir.dk/ig/acknowledgement/MessageHeader/h1',
        'https://medcomfhir.dk/ig/acknowledgement/Provenance/p1',
      ],
    );
    assert.equal(currentProvenance(bundle)?.resource.id, 'p1');
  });

  it('refuses duplicate resource ids, naming the entry', () => {
    assert.throws(
      () =>
        assembleMessage({
          id: 'b1',
          profile: 'p',
          timestamp: 't',
          fullUrlBase: fullUrlBase('x'),
          header: header('h1'),
          resources: [header('h1')],
        }),
      (e: unknown) =>
        e instanceof MessageModelError && e.location === 'Bundle.entry[1].resource.id' && e.source === 'b1',
    );
  });

  it('names what is wrong with a Bundle that is not a message', () => {
    const cases: [unknown, string][] = [
      [{ resourceType: 'Patient' }, 'Bundle.resourceType'],
      [{ resourceType: 'Bundle', type: 'collection', entry: [] }, 'Bundle.type'],
      [{ resourceType: 'Bundle', type: 'message', entry: [] }, 'Bundle.entry'],
      [
        { resourceType: 'Bundle', type: 'message', entry: [{ resource: { resourceType: 'Patient' } }] },
        'Bundle.entry[0].resource',
      ],
    ];
    for (const [value, location] of cases) {
      assert.throws(
        () => asMessageBundle(value, 'in.json'),
        (e: unknown) => e instanceof MessageModelError && e.location === location && e.source === 'in.json',
      );
    }
  });
});

describe('Provenance chains', () => {
  it('finds the current Provenance of every official message and orders each chain by time', () => {
    for (const { file, bundle } of bundles.filter((b) => !b.file.startsWith('Bundle-eb26'))) {
      const current = currentProvenance(bundle);
      assert.ok(current, file);
      const chain = provenanceChain(bundle);
      assert.equal(chain.length, provenancesOf(bundle).length);
      for (let i = 1; i < chain.length; i++) assert.ok(chain[i - 1]!.time! <= chain[i]!.time!, file);
    }
  });

  it('copies a chain deeply and unchanged', () => {
    const bundle = bundles.find((b) => b.file.startsWith('Bundle-e94de8ee'))!.bundle;
    const copy = copyProvenances(bundle);
    assert.deepEqual(
      copy,
      provenancesOf(bundle).map((p) => p.resource),
    );
    copy[0]!.id = 'changed';
    assert.notEqual(provenancesOf(bundle)[0]!.resource.id, 'changed');
  });

  it('writes OIOXML predecessors as lokationsnummer#brevid and reads both orders', () => {
    assert.equal(formatOioxmlReference('5790000121526', 'B300720181623'), '5790000121526#B300720181623');
    assert.deepEqual(parseOioxmlReference('5790000121526#B300720181623'), {
      gln: '5790000121526',
      letterId: 'B300720181623',
    });
    assert.deepEqual(parseOioxmlReference('B300720181623#5790000121526'), {
      gln: '5790000121526',
      letterId: 'B300720181623',
    });
    assert.equal(parseOioxmlReference('no-hash'), undefined);
    // The CC example that replies to an OIOXML letter uses the reversed order.
    const cc = bundles.find((b) => b.file.startsWith('Bundle-k7bfbc0c'))!.bundle;
    const link = provenanceChain(cc)[0]!;
    assert.deepEqual(link.entities.find((e) => e.target.kind === 'oioxml')?.target, {
      kind: 'oioxml',
      gln: '5790000121526',
      letterId: 'B300720181623',
    });
    const written = provenanceResource({
      id: 'p',
      messageHeaderId: 'h',
      occurred: '2024-01-01T10:00:00+01:00',
      activity: 'reply-message',
      agentOrganizationId: 'o',
      entities: [{ role: 'revision', what: { kind: 'oioxml', gln: '5790000121526', letterId: 'B300720181623' } }],
    });
    assert.deepEqual(written.entity, [
      { role: 'revision', what: { identifier: { value: '5790000121526#B300720181623' } } },
    ]);
  });
});
