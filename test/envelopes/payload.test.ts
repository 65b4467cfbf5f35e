import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EnvelopeError } from '../../src/envelopes/envelope-error.ts';
import { describePayload } from '../../src/envelopes/payload.ts';
import { oioxmlExamples, officialMessages, readShared } from './support.ts';

describe('describePayload', () => {
  test('FHIR JSON and FHIR XML of the same Acknowledgement give the same facts', () => {
    const json = officialMessages().find((m) => m.file.endsWith('Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json'))!;
    const fromJson = describePayload(json.bytes, 'ack.json');
    const fromXml = describePayload(readShared('ehmi-sbdh', 'ehmiSBDH', 'ehmiMessage_Ack.xml'), 'ack.xml');
    assert.equal(fromJson.mime, 'application/fhir+json');
    assert.equal(fromXml.mime, 'application/fhir+xml');
    assert.deepEqual({ ...fromXml, mime: undefined }, { ...fromJson, mime: undefined });
    assert.equal(fromJson.kind === 'fhir' && fromJson.responseCode, 'ok');
    assert.equal(fromJson.kind === 'fhir' && fromJson.respondsTo, '42cb9200-f421-4d08-8391-7d51a2503cb4');
  });

  test('every official example yields its Bundle.id, MessageHeader.id and event code', () => {
    for (const m of officialMessages()) {
      const facts = describePayload(m.bytes, m.file);
      assert.equal(facts.kind, 'fhir');
      if (facts.kind !== 'fhir') continue;
      assert.equal(facts.bundleId, m.bundle.id);
      assert.equal(facts.messageHeaderId, m.bundle.entry[0]!.resource.id);
      assert.ok(facts.sender.sor && facts.sender.gln, `${m.file}: sender SOR and GLN`);
      assert.ok(facts.receiver.sor && facts.receiver.gln, `${m.file}: receiver SOR and GLN`);
    }
  });

  test('OIOXML letters: ids, codes and the charset they were read in', () => {
    for (const example of oioxmlExamples()) {
      const facts = describePayload(example.bytes, example.file);
      assert.equal(facts.kind, 'oioxml', example.file);
      if (facts.kind !== 'oioxml') continue;
      assert.ok(facts.letterId.length <= 14);
      assert.match(facts.versionCode, /^X[A-Z]\d{4}[A-Z]$/);
      assert.ok(['ISO-8859-1', 'windows-1252', 'UTF-8'].includes(facts.encoding), facts.encoding);
    }
  });

  test('neither FHIR nor OIOXML is refused, naming the input', () => {
    const cases: [string, string][] = [
      ['plain text', 'hello'],
      ['JSON that is not a message Bundle', '{"resourceType":"Patient"}'],
      ['XML of another kind', '<note xmlns="urn:x"/>'],
      [
        'Bundle without MessageHeader first',
        '{"resourceType":"Bundle","type":"message","entry":[{"resource":{"resourceType":"Patient"}}]}',
      ],
    ];
    for (const [name, text] of cases) {
      assert.throws(
        () => describePayload(new TextEncoder().encode(text), 'in.txt'),
        (e: unknown) => e instanceof EnvelopeError && e.label === 'in.txt',
        name,
      );
    }
  });
});
