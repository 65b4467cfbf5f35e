// Reading the official CareCommunication 5.0.2 example Bundles (medcom-fhir.md §4.6) into the CC model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCareCommunication } from '../../src/messages/care-communication/parse.ts';
import { MessageModelError } from '../../src/messages/errors.ts';
import { Cpr, ReplacementCpr } from '../../src/messages/parties.ts';
import { CC, officialExamples } from '../support/shared.ts';

const bundles = officialExamples(CC, 'Bundle-');
const example = (id: string) => {
  const found = bundles.find((b) => b.file === `Bundle-${id}.json`);
  assert.ok(found, `example Bundle-${id}.json is in the package`);
  return parseCareCommunication(structuredClone(found.resource), found.file);
};

describe('CareCommunication parser on the official examples', () => {
  it('reads every official Bundle example', () => {
    assert.equal(bundles.length, 8);
    for (const { file, resource } of bundles) {
      const message = parseCareCommunication(resource, file);
      assert.match(message.threadId, /^urn:uuid:[0-9a-f-]{36}$/, file);
      assert.ok(message.segments.length > 0, file);
      assert.ok(message.provenances.length > 0, file);
      assert.ok(['new-message', 'reply-message', 'forward-message'].includes(message.activity), file);
      for (const segment of message.segments) {
        assert.match(segment.time ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/, file);
        if (segment.kind === 'text') {
          assert.ok(segment.text && segment.author && segment.phone, `${file} text segment ${segment.id} is complete`);
        } else {
          assert.ok(segment.attachment?.title, `${file} attachment ${segment.id} has a title`);
        }
      }
    }
  });

  it('reads the first message of the story: new-message, topic, one text segment', () => {
    const m = example('add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c');
    assert.equal(m.activity, 'new-message');
    assert.equal(m.category, 'examination-results');
    assert.equal(m.topic, 'Forspørgsel på seneste resultater');
    assert.equal(m.threadId, 'urn:uuid:b2eb3d0e-5de5-4de9-b2a3-0ff321ad1c3a');
    assert.equal(m.previousMessageHeaderId, undefined);
    assert.equal(m.segments.length, 1);
    const [segment] = m.segments;
    assert.equal(segment?.kind, 'text');
    assert.equal(segment?.id, 'urn:uuid:24d01288-ad36-4af2-96a8-fd1432dadee1');
    assert.deepEqual(segment?.author?.name, { family: 'Burns', given: ['Michael'] });
    assert.equal(segment?.author?.role.code, 'sygeplejerske');
    assert.equal(segment?.phone, '38683868');
    assert.equal(segment?.assigner?.sor, '265161000016000');
    assert.equal(m.sender.party.sor, '265161000016000');
    assert.equal(m.receiver.party.sor, '953741000016009');
    assert.equal(m.receiver.party.endpoint, 'https://sor2.sum.dsdn.dk/#id=953741000016009');
    assert.deepEqual(m.addedSegmentIds, ['urn:uuid:24d01288-ad36-4af2-96a8-fd1432dadee1']);
  });

  it('reads the second message: reply with a base64 PDF and two Provenances', () => {
    const m = example('b56549f7-ed10-422d-8088-f7222b686e46');
    assert.equal(m.activity, 'reply-message');
    assert.equal(m.previousMessageHeaderId, '42cb9200-f421-4d08-8391-7d51a2503cb4');
    assert.equal(m.provenances.length, 2);
    assert.deepEqual(
      m.provenances.map((p) => p.activity),
      ['new-message', 'reply-message'],
      'chain is oldest first',
    );
    const pdf = m.segments.find((s) => s.kind === 'attachment');
    assert.equal(pdf?.attachment?.contentType, 'application/pdf');
    assert.equal(pdf?.attachment?.title, 'Blodprøveresultater');
    assert.ok(
      Buffer.from(pdf?.attachment?.data ?? '', 'base64')
        .subarray(0, 5)
        .toString() === '%PDF-',
    );
    assert.deepEqual([...m.addedSegmentIds].sort(), [
      'urn:uuid:a9becf76-fc4c-49aa-8a68-6a0584871fcd',
      'urn:uuid:cd422e42-5bad-11ed-9b6a-0242ac120002',
    ]);
  });

  it('reads the third message: the repeated attachment has no data', () => {
    const m = example('3dcb5618-3055-406a-9034-1b8fc8de0fea');
    const pdf = m.segments.find((s) => s.id === 'urn:uuid:cd422e42-5bad-11ed-9b6a-0242ac120002');
    assert.equal(pdf?.kind, 'attachment');
    assert.equal(pdf?.attachment?.data, undefined);
    assert.equal(pdf?.attachment?.url, undefined);
    assert.equal(pdf?.attachment?.title, 'Blodprøveresultater');
    assert.equal(m.provenances.length, 3);
  });

  it('reads the forward: new thread id, data included, four Provenances', () => {
    const m = example('c0426e3e-978f-46e8-a366-a30f27854b0a');
    assert.equal(m.activity, 'forward-message');
    assert.equal(m.threadId, 'urn:uuid:546b19ba-3e50-4da8-b9ec-7caeefad6928');
    assert.equal(m.previousMessageHeaderId, '4dff3695-218d-4878-838a-5f23cbba6f82');
    assert.equal(m.provenances.length, 4);
    assert.ok(m.segments.find((s) => s.kind === 'attachment')?.attachment?.data);
    assert.equal(m.receiver.party.sor, '1042981000016003');
  });

  it('reads the fifth message with a link attachment and a role given as text', () => {
    const m = example('d11968f5-4bdf-4b50-b146-a8e1cc890fc3');
    assert.equal(m.provenances.length, 5);
    const link = m.segments.find((s) => s.attachment?.url !== undefined);
    assert.equal(link?.attachment?.url, 'https://medcom.dk/projekter/korrespondancemeddelelse/');
    assert.equal(link?.attachment?.data, undefined);
    const visitator = m.segments.find((s) => s.author?.role.text === 'Visitator');
    assert.equal(visitator?.author?.role.code, undefined, 'CC-7: text xor code');
  });

  it('reads "all content": priority, sender PractitionerRole, recipient CareTeam, episode of care', () => {
    const m = example('gfd00bc2-9c26-4174-934e-f6e4360845de');
    assert.equal(m.category, 'regarding-referral');
    assert.equal(m.priority, 'asap');
    assert.equal(m.senderActor?.kind, 'practitioner');
    assert.equal(
      m.senderActor?.kind === 'practitioner' ? m.senderActor.author.organization?.sor : '',
      m.sender.party.sor,
    );
    assert.deepEqual(m.recipient, {
      kind: 'careTeam',
      name: 'Plejecenter Herlev Team 1',
      organization: { sor: '953741000016009', gln: '5790001348120', name: 'Plejecenter Herlev' },
    });
    assert.deepEqual(m.episodeOfCareIds, [
      { system: 'https://sor2.sum.dsdn.dk/#id=265161000016000', value: 'gfd00bc2-9c26-4174-934e-f6e4360845de' },
    ]);
    const kinds = m.segments.map((s) => (s.kind === 'text' ? 'text' : s.attachment?.data ? 'file' : 'link'));
    assert.deepEqual(kinds, ['text', 'file', 'link']);
    assert.equal(m.segments[1]?.attachment?.creation, '2024-04-30T08:00:00+02:00');
  });

  it('reads the reply to an OIOXML letter whose reference is written brevid#GLN', () => {
    const m = example('k7bfbc0c-553d-11ed-bdc3-0242ac120002');
    assert.equal(m.activity, 'reply-message');
    assert.equal(m.previousMessageHeaderId, undefined);
    assert.deepEqual(m.oioxmlReference, { gln: '5790000121526', letterId: 'B300720181623' });
    assert.deepEqual(
      m.episodeOfCareIds.map((i) => i.value),
      ['fc60e762-b13b-5773-865e-67f3907bdcc7'],
    );
  });

  it('masks the patient identifier: CPR and replacement CPR', () => {
    const cpr = example('add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c').patient;
    assert.ok(cpr.identifier instanceof Cpr);
    assert.equal(JSON.stringify(cpr).includes('2509479989'), false);
    assert.equal(cpr.identifier.reveal(), '2509479989');
    const ecpr = example('0d5b3c18-fab6-4d93-9d88-c9c8abf1f18c').patient;
    assert.ok(ecpr.identifier instanceof ReplacementCpr);
    assert.equal(ecpr.identifier.system, 'urn:oid:1.2.208.176.1.6.1.1');
    assert.equal(JSON.stringify(ecpr).includes('0703921VJ4'), false);
  });

  it('refuses other message types and broken CareCommunications, naming the element', () => {
    const first = structuredClone(bundles[0]!.resource) as unknown as {
      entry: { resource: Record<string, unknown> }[];
    };
    (first.entry[0]!.resource.eventCoding as { code: string }).code = 'hospital-notification-message';
    assert.throws(
      () => parseCareCommunication(first, 'x.json'),
      (e: unknown) => {
        assert.ok(e instanceof MessageModelError);
        assert.equal(e.location, 'Bundle.entry[0].resource.eventCoding.code');
        assert.equal(e.source, 'x.json');
        return true;
      },
    );
    const noThread = structuredClone(bundles[0]!.resource) as unknown as {
      entry: { resource: Record<string, unknown> }[];
    };
    const communication = noThread.entry.find((e) => e.resource.resourceType === 'Communication')!.resource;
    delete communication.identifier;
    assert.throws(() => parseCareCommunication(noThread), /no thread identifier.*identifier\[0\]\.value/);
    const noPayload = structuredClone(bundles[0]!.resource) as unknown as {
      entry: { resource: Record<string, unknown> }[];
    };
    noPayload.entry.find((e) => e.resource.resourceType === 'Communication')!.resource.payload = [];
    assert.throws(() => parseCareCommunication(noPayload), /no payload/);
  });
});
