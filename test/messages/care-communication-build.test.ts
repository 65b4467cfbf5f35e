// CareCommunication builders: new message, reply, forward and reply to an OIOXML letter. Every built Bundle must pass
// the validator in the CC 5.0.2 closure with zero errors; the rules of medcom-fhir.md §4.3–4.4 are checked on the
// parsed result and against the official examples.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildForward,
  buildNewCareCommunication,
  buildOioxmlLetterReply,
  buildReply,
} from '../../src/messages/care-communication/build.ts';
import { MessageTooLargeError } from '../../src/messages/care-communication/errors.ts';
import {
  CARE_COMMUNICATION_CATEGORIES,
  CATEGORY_SYSTEM,
  type CareCommunicationCategory,
} from '../../src/messages/care-communication/vocabulary.ts';
import type { NewCareCommunication } from '../../src/messages/care-communication/model.ts';
import { parseCareCommunication } from '../../src/messages/care-communication/parse.ts';
import { DEFAULT_CC_SIZE_LIMIT, jsonByteLength, sizeLimit } from '../../src/messages/care-communication/size-limit.ts';
import { Threads } from '../../src/messages/care-communication/thread.ts';
import { MessageModelError } from '../../src/messages/errors.ts';
import type { MessageBundle } from '../../src/messages/fhir-types.ts';
import { uuidV5 } from '../../src/messages/ids.ts';
import { ReplacementCpr } from '../../src/messages/parties.ts';
import { Terminology } from '../../src/validation/terminology.ts';
import { CC, officialExamples, testStore } from '../support/shared.ts';
import {
  context,
  HOSPITAL,
  link,
  NURSE,
  NURSING_HOME,
  OTHER_NURSE,
  PATIENT,
  pdf,
  PDF_BASE64,
  text,
  THIRD_UNIT,
  VISITATOR,
} from './care-communication-fixtures.ts';
import { assertValidMessage } from './care-communication-validate.ts';

/** Follow-ups of the official examples are sent after the examples' own (2024-05/06) times. */
const AFTER_EXAMPLES = '2024-07-01T10:00:00Z';
const LPR3_SYSTEM = 'https://www.esundhed.dk/Registre/Landspatientregisteret';
const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');

const basic: NewCareCommunication = {
  sender: HOSPITAL,
  receiver: NURSING_HOME,
  patient: PATIENT,
  category: 'examination-results',
  topic: 'Forespørgsel på seneste resultater',
  segments: [text('Til rette vedkommende.\nVi ønsker information om de seneste undersøgelser.')],
};

function resources(bundle: MessageBundle, type: string): Record<string, unknown>[] {
  return bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource as Record<string, unknown>);
}

function communicationOf(bundle: MessageBundle) {
  return resources(bundle, 'Communication')[0] as {
    identifier: { value: string }[];
    payload: Record<string, unknown>[];
  };
}

function expectModelError(fn: () => unknown, location: RegExp, problem: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof MessageModelError, `expected a MessageModelError, got ${String(e)}`);
    assert.match(e.location, location);
    assert.match(e.problem, problem);
    return true;
  });
}

describe('new CareCommunication', () => {
  it('builds a minimal valid message', () => {
    const bundle = buildNewCareCommunication(basic, { context: context('minimal') });
    assertValidMessage(bundle, 'minimal new message');
    const m = parseCareCommunication(bundle);
    assert.equal(m.activity, 'new-message');
    assert.match(m.threadId, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(m.provenances.length, 1);
    assert.equal(m.segments.length, 1);
    assert.deepEqual(m.addedSegmentIds, [m.segments[0]!.id]);
    assert.equal(m.segments[0]!.assigner?.sor, HOSPITAL.sor);
    assert.equal(m.segments[0]!.text, basic.segments[0]!.kind === 'text' ? basic.segments[0]!.text : '');
    const header = bundle.entry[0]!.resource as Record<string, unknown>;
    assert.equal(
      header.definition,
      'http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition|5.0',
    );
    for (const provenance of resources(bundle, 'Provenance')) {
      assert.deepEqual((provenance.meta as { profile: string[] }).profile, [
        'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-provenance',
      ]);
    }
  });

  it('builds a message with every element: priority, sender, recipient, attachments, episode of care', () => {
    const lpr3 = `urn:uuid:${uuidV5('episode-42', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')}`;
    const bundle = buildNewCareCommunication(
      {
        ...basic,
        category: 'regarding-referral',
        priority: 'asap',
        topic: 'Journalnotat',
        senderActor: { kind: 'practitioner', author: NURSE },
        recipient: { kind: 'careTeam', name: 'Plejecenter Herlev Team 1' },
        episodeOfCare: {
          identifiers: [
            { system: LPR3_SYSTEM, value: lpr3 },
            { system: 'https://sor2.sum.dsdn.dk/#id=265161000016000', value: 'bd481c38-a1a1-4b5a-9a56-7e1c1f0ab0b1' },
          ],
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
        },
        segments: [
          text('Journalnotat vedhæftet.'),
          { ...pdf('Journalnotat'), creation: '2024-04-30T08:00:00+02:00', author: NURSE, phone: '+4538683868' },
          { kind: 'attachment', contentType: 'image/png', title: 'Sår, foto', data: PNG_BASE64 },
          link('medcom.dk', 'https://medcom.dk/'),
          text('Venlig hilsen\nEmma', OTHER_NURSE, '44527000'),
        ],
      },
      { context: context('everything') },
    );
    assertValidMessage(bundle, 'message with every element');
    const m = parseCareCommunication(bundle);
    assert.equal(m.priority, 'asap');
    assert.equal(m.topic, 'Journalnotat');
    assert.equal(m.senderActor?.kind, 'practitioner');
    assert.deepEqual(m.recipient, { kind: 'careTeam', name: 'Plejecenter Herlev Team 1', organization: NURSING_HOME });
    assert.deepEqual(
      m.episodeOfCareIds.map((i) => i.value),
      [lpr3, 'bd481c38-a1a1-4b5a-9a56-7e1c1f0ab0b1'],
    );
    assert.deepEqual(
      m.segments.map((s) => [s.kind, s.attachment?.contentType, s.author?.name.family]),
      [
        ['text', undefined, 'Burns'],
        ['attachment', 'application/pdf', 'Burns'],
        ['attachment', 'image/png', undefined],
        ['attachment', 'application/pdf', undefined],
        ['text', undefined, 'Waters'],
      ],
    );
    assert.equal(m.segments[1]!.attachment?.data, PDF_BASE64);
    assert.equal(m.segments[3]!.attachment?.url, 'https://medcom.dk/');
    assert.equal(m.segments[4]!.text, 'Venlig hilsen\nEmma');
    assert.equal(
      resources(bundle, 'PractitionerRole').length,
      2,
      'one role per distinct author, shared with the sender',
    );
    assert.equal(resources(bundle, 'Encounter').length, 1);
  });

  it('builds a message for a patient with a replacement CPR', () => {
    const patient = {
      identifier: ReplacementCpr.parse('urn:oid:1.2.208.176.1.6.1.1', '0703921VJ4'),
      name: { family: 'Berggren' },
    };
    const bundle = buildNewCareCommunication({ ...basic, patient }, { context: context('ecpr') });
    assertValidMessage(bundle, 'replacement CPR');
    const identifier = (resources(bundle, 'Patient')[0]!.identifier as { use: string; system: string }[])[0];
    assert.deepEqual(identifier, { use: 'temp', system: 'urn:oid:1.2.208.176.1.6.1.1', value: '0703921VJ4' });
  });

  it('accepts each of the 18 categories of the package value set, with a topic where `other` demands one', () => {
    // The codes come from the installed terminology package, not from vocabulary.ts: a drift between the builder's
    // list and the package fails here.
    const expansion = new Terminology(testStore().context(CC)).expansion(
      'http://medcomfhir.dk/ig/terminology/ValueSet/medcom-careCommunication-categories',
    );
    const categories = [...(expansion?.members.get(CATEGORY_SYSTEM) ?? [])].sort();
    assert.equal(categories.length, 18);
    assert.deepEqual(categories, [...CARE_COMMUNICATION_CATEGORIES].sort());
    for (const category of categories as CareCommunicationCategory[]) {
      const bundle = buildNewCareCommunication({ ...basic, category, topic: 'Emne' }, { context: context(category) });
      assertValidMessage(bundle, `category ${category}`);
    }
  });

  it('refuses what the profiles forbid, naming the element and the rule', () => {
    const ctx = { context: context('refusals') };
    expectModelError(
      () => buildNewCareCommunication({ ...basic, priority: 'asap' }, ctx),
      /Communication\.priority/,
      /priority given/,
    );
    expectModelError(
      () => buildNewCareCommunication({ ...basic, category: 'other', topic: undefined }, ctx),
      /topic/,
      /'other' without a topic/,
    );
    expectModelError(
      () => buildNewCareCommunication({ ...basic, category: 'gossip' as never }, ctx),
      /category/,
      /unknown category/,
    );
    const bothRole = { name: { family: 'X' }, role: { code: 'sygeplejerske', text: 'Sygeplejerske' } } as never;
    expectModelError(
      () => buildNewCareCommunication({ ...basic, segments: [text('a', bothRole)] }, ctx),
      /code/,
      /both a code and a text/,
    );
    const noRole = { name: { family: 'X' }, role: {} } as never;
    expectModelError(
      () => buildNewCareCommunication({ ...basic, segments: [text('a', noRole)] }, ctx),
      /code/,
      /neither/,
    );
    expectModelError(
      () => buildNewCareCommunication({ ...basic, segments: [text('a', NURSE, 'ring mig')] }, ctx),
      /authorContact/,
      /phone/,
    );
    expectModelError(
      () =>
        buildNewCareCommunication(
          {
            ...basic,
            segments: [
              ...basic.segments,
              { kind: 'attachment', contentType: 'video/mp4' as never, title: 'Film', data: 'AAAA' },
            ],
          },
          ctx,
        ),
      /payload\[1\]\.contentAttachment\.contentType/,
      /not allowed/,
    );
    expectModelError(
      () =>
        buildNewCareCommunication(
          { ...basic, segments: [...basic.segments, { ...pdf('x'), url: 'https://medcom.dk/' }] },
          ctx,
        ),
      /contentAttachment/,
      /both data and url/,
    );
    expectModelError(
      () => buildNewCareCommunication({ ...basic, segments: [...basic.segments, pdf('x', 'not base64!')] }, ctx),
      /contentAttachment\.data/,
      /not base64/,
    );
    expectModelError(
      () => buildNewCareCommunication({ ...basic, segments: [pdf('Kun en fil')] }, ctx),
      /payload/,
      /no text segment/,
    );
    expectModelError(() => buildNewCareCommunication({ ...basic, segments: [] }, ctx), /payload/, /adds no segment/);
    expectModelError(
      () => buildNewCareCommunication({ ...basic, receiver: HOSPITAL }, ctx),
      /receiver/,
      /same organisation/,
    );
  });

  it('writes pasted Unicode spaces as plain spaces and refuses control characters', () => {
    const pasted = 'Blodtryk\u00a0130/95\u2003mmHg\nPuls 80';
    const bundle = buildNewCareCommunication(
      { ...basic, topic: 'Svar\u00a0på prøver', segments: [text(pasted), pdf('Prøve\u00a0svar')] },
      { context: context('spaces') },
    );
    assertValidMessage(bundle, 'text with non-breaking spaces');
    const m = parseCareCommunication(bundle);
    assert.equal(m.segments[0]!.text, 'Blodtryk 130/95 mmHg\nPuls 80');
    assert.equal(m.segments[1]!.attachment?.title, 'Prøve svar');
    assert.equal(m.topic, 'Svar på prøver');
    expectModelError(
      () => buildNewCareCommunication({ ...basic, segments: [text('bip\u0007')] }, { context: context('bell') }),
      /payload\[0\]\.contentString/,
      /control characters/,
    );
  });

  it('enforces the message size limit with a typed, configurable error', () => {
    const small = sizeLimit(4_000);
    assert.throws(
      () =>
        buildNewCareCommunication(
          { ...basic, segments: [...basic.segments, pdf('Stor fil')] },
          { context: context('s'), sizeLimit: small },
        ),
      (e: unknown) =>
        e instanceof MessageTooLargeError && e.limitBytes === 4_000 && e.actualBytes > 4_000 && e.location === 'Bundle',
    );
    const fits = buildNewCareCommunication(basic, {
      context: context('s'),
      sizeLimit: sizeLimit(jsonByteLength(buildNewCareCommunication(basic, { context: context('s') }))),
    });
    assert.ok(fits, 'a message exactly at the limit is accepted');
    assert.equal(DEFAULT_CC_SIZE_LIMIT.maxBytes, 50_000_000);
    // Default limit: a 50 MB file (as base64) cannot go, whatever else is in the message.
    const huge = 'QUJD'.repeat(12_500_000);
    assert.throws(
      () =>
        buildNewCareCommunication(
          { ...basic, segments: [...basic.segments, pdf('Scanning', huge)] },
          { context: context('h') },
        ),
      MessageTooLargeError,
    );
    assert.throws(() => sizeLimit(0), RangeError);
  });
});

describe('reply to an OIOXML letter', () => {
  it('starts a thread with reply-message and a GLN#brevid reference in profile order', () => {
    const bundle = buildOioxmlLetterReply(
      {
        ...basic,
        category: 'carecoordination',
        letter: { gln: '5790000121526', letterId: 'B300720181623' },
        episodeOfCare: {
          identifiers: [
            { system: 'https://sor2.sum.dsdn.dk/#id=265161000016000', value: 'fc60e762-b13b-5773-865e-67f3907bdcc7' },
          ],
        },
      },
      { context: context('oioxml') },
    );
    assertValidMessage(bundle, 'reply to OIOXML letter');
    const provenance = resources(bundle, 'Provenance');
    assert.equal(provenance.length, 1);
    const entities = provenance[0]!.entity as { role: string; what: { identifier?: { value: string } } }[];
    assert.equal(entities.find((e) => e.role === 'revision')?.what.identifier?.value, '5790000121526#B300720181623');
    const m = parseCareCommunication(bundle);
    assert.equal(m.activity, 'reply-message');
    assert.deepEqual(m.oioxmlReference, { gln: '5790000121526', letterId: 'B300720181623' });
    assert.equal(m.previousMessageHeaderId, undefined);
    assert.deepEqual(
      m.episodeOfCareIds.map((i) => i.value),
      ['fc60e762-b13b-5773-865e-67f3907bdcc7'],
    );
    expectModelError(
      () =>
        buildOioxmlLetterReply(
          { ...basic, letter: { gln: 'B300720181623', letterId: '5790000121526' } },
          { context: context('o') },
        ),
      /preceedingMessage/,
      /not a GLN/,
    );
  });
});

describe('replies and forwards of the official examples', () => {
  const examples = officialExamples(CC, 'Bundle-');

  for (const { file, resource } of examples) {
    it(`replies to ${file}`, () => {
      const previous = parseCareCommunication(resource, file);
      const bundle = buildReply(
        resource,
        { segments: [text('Tak for beskeden.', VISITATOR)] },
        { context: context(`reply-${file}`, AFTER_EXAMPLES) },
      );
      assertValidMessage(bundle, `reply to ${file}`);
      const reply = parseCareCommunication(bundle);
      assert.equal(reply.activity, 'reply-message');
      assert.equal(reply.threadId, previous.threadId, 'thread id kept');
      assert.equal(reply.previousMessageHeaderId, previous.messageHeaderId);
      assert.equal(reply.provenances.length, previous.provenances.length + 1, 'one Provenance added');
      assert.deepEqual(reply.receiver.party, previous.sender.party, 'replies go to the original sender address');
      assert.equal(reply.sender.party.sor, previous.receiver.party.sor);
      assert.deepEqual(
        reply.segments.slice(0, -1).map((s) => s.id),
        previous.segments.map((s) => s.id),
        'every earlier segment repeated, in order',
      );
      for (const segment of reply.segments.filter((s) => s.kind === 'attachment')) {
        assert.equal(segment.attachment?.data, undefined, 'attachment file stripped');
        assert.equal(segment.attachment?.url, undefined, 'attachment link stripped');
        assert.ok(segment.attachment?.title);
      }
      assert.deepEqual(reply.episodeOfCareIds, previous.episodeOfCareIds, 'episode-of-care ids returned');
      assert.deepEqual(reply.addedSegmentIds, [reply.segments.at(-1)!.id]);
      assert.equal(reply.category, previous.category);
      assert.equal(reply.topic, previous.topic);
    });

    it(`forwards ${file}`, () => {
      const previous = parseCareCommunication(resource, file);
      // Forwarded by the previous receiver, to any other organisation.
      const receiver = [THIRD_UNIT, HOSPITAL, NURSING_HOME].find((p) => p.sor !== previous.receiver.party.sor)!;
      const bundle = buildForward(
        resource,
        { receiver, segments: [text('Til orientering.', OTHER_NURSE)] },
        { context: context(`forward-${file}`, AFTER_EXAMPLES) },
      );
      assertValidMessage(bundle, `forward of ${file}`);
      const forward = parseCareCommunication(bundle);
      assert.equal(forward.activity, 'forward-message');
      assert.notEqual(forward.threadId, previous.threadId, 'new thread id');
      assert.equal(forward.provenances.length, previous.provenances.length + 1);
      const before = previous.segments.map((s) => [s.id, s.attachment?.data, s.attachment?.url]);
      const after = forward.segments.slice(0, -1).map((s) => [s.id, s.attachment?.data, s.attachment?.url]);
      assert.deepEqual(after, before, 'segments forwarded with their data');
    });
  }

  it('repeats earlier segments and Provenances exactly as the official reply does', () => {
    const first = examples.find((e) => e.file === 'Bundle-add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c.json')!.resource;
    const officialReply = examples.find((e) => e.file === 'Bundle-b56549f7-ed10-422d-8088-f7222b686e46.json')!.resource;
    const ours = buildReply(
      first,
      { segments: [text('Hej Michael, resultaterne kommer her.', OTHER_NURSE)] },
      {
        context: context('as-official', AFTER_EXAMPLES),
      },
    );
    assertValidMessage(ours, 'reply to the first story message');
    const theirs = officialReply as unknown as MessageBundle;
    // The official reply keeps the Organization ids of the first message, so the repeated segment is byte-identical.
    assert.deepEqual(communicationOf(ours).payload[0], communicationOf(theirs).payload[0]);
    const originalProvenance = resources(first as unknown as MessageBundle, 'Provenance')[0];
    assert.deepEqual(
      resources(ours, 'Provenance').find((p) => p.id === originalProvenance!.id),
      originalProvenance,
      'the earlier Provenance is copied unchanged',
    );
    assert.equal(communicationOf(ours).identifier[0]!.value, communicationOf(theirs).identifier[0]!.value);
    const orgIds = (b: MessageBundle) =>
      resources(b, 'Organization')
        .map((o) => o.id)
        .sort();
    assert.deepEqual(orgIds(ours), orgIds(theirs), 'both parties keep their Organization entry ids');
  });

  it('turns a received extension:sender into the reply recipient', () => {
    const allContent = examples.find((e) => e.file === 'Bundle-gfd00bc2-9c26-4174-934e-f6e4360845de.json')!;
    const previous = parseCareCommunication(allContent.resource);
    const reply = parseCareCommunication(
      buildReply(
        allContent.resource,
        { segments: [text('Svar til Michael', OTHER_NURSE)] },
        { context: context('rule7', AFTER_EXAMPLES) },
      ),
    );
    assert.deepEqual(reply.recipient, previous.senderActor);
    assert.equal(reply.category, 'regarding-referral');
    assert.equal(reply.priority, 'asap', 'priority kept while the category allows it');
    const recategorised = buildReply(
      allContent.resource,
      { category: 'nursing', topic: 'Nyt emne', segments: [text('Svar', OTHER_NURSE)] },
      { context: context('rule7b', AFTER_EXAMPLES) },
    );
    assertValidMessage(recategorised, 'reply with another category');
    const m = parseCareCommunication(recategorised);
    assert.equal(m.priority, undefined, 'CC-5: priority dropped with the category');
    assert.equal(m.topic, 'Nyt emne');
  });

  it('drops the episode of care only when asked', () => {
    const oioxmlReply = examples.find((e) => e.file === 'Bundle-k7bfbc0c-553d-11ed-bdc3-0242ac120002.json')!;
    const without = buildReply(
      oioxmlReply.resource,
      { keepEpisodeOfCare: false, segments: [text('Svar')] },
      { context: context('e', AFTER_EXAMPLES) },
    );
    assertValidMessage(without, 'reply without episode');
    assert.deepEqual(parseCareCommunication(without).episodeOfCareIds, []);
    assert.equal(
      resources(without, 'Encounter').length,
      0,
      'no Encounter without Communication.encounter (CC-15 intent)',
    );
  });

  it('forwards a selection of segments with only their Provenances', () => {
    const third = examples.find((e) => e.file === 'Bundle-3dcb5618-3055-406a-9034-1b8fc8de0fea.json')!;
    const selected = ['urn:uuid:24d01288-ad36-4af2-96a8-fd1432dadee1', 'urn:uuid:07685582-3a8f-4bf3-bfa0-2f040133e922'];
    const bundle = buildForward(
      third.resource,
      { receiver: THIRD_UNIT, selectedSegmentIds: selected, segments: [text('Uddrag til orientering', OTHER_NURSE)] },
      { context: context('partial', AFTER_EXAMPLES) },
    );
    assertValidMessage(bundle, 'selective forward');
    const forward = parseCareCommunication(bundle);
    assert.deepEqual(
      forward.segments.slice(0, -1).map((s) => s.id),
      selected,
    );
    assert.deepEqual(
      forward.provenances.map((p) => p.activity),
      ['new-message', 'reply-message', 'forward-message'],
      'the Provenances that added the two chosen segments, plus the forward',
    );
    expectModelError(
      () =>
        buildForward(
          third.resource,
          { receiver: THIRD_UNIT, selectedSegmentIds: ['urn:uuid:nope'], segments: [text('x')] },
          { context: context('p') },
        ),
      /payload/,
      /not in the forwarded message/,
    );
  });
});

describe('the §4.6 story rebuilt by the builders', () => {
  it('new → reply → reply → forward → reply follows the example rules', () => {
    const threads = new Threads();
    const file = (b: MessageBundle) => threads.add(parseCareCommunication(b)).thread;
    const m1 = buildNewCareCommunication(basic, { context: context('story-1', '2024-05-01T10:00:00Z') });
    const thread1 = file(m1);
    const m2 = buildReply(
      m1,
      { segments: [text('Resultaterne kommer her.', OTHER_NURSE, '44527000'), pdf('Blodprøveresultater')] },
      { context: context('story-2', '2024-05-02T09:30:00Z'), thread: thread1 },
    );
    file(m2);
    const m3 = buildReply(
      m2,
      { segments: [text('Mange tak.')] },
      { context: context('story-3', '2024-05-03T07:25:00Z'), thread: thread1 },
    );
    file(m3);
    const m4 = buildForward(
      m3,
      { receiver: THIRD_UNIT, sender: NURSING_HOME, segments: [text('Jeg videresender.', OTHER_NURSE)] },
      { context: context('story-4', '2024-05-04T08:00:00Z'), thread: thread1 },
    );
    const thread2 = file(m4);
    const m5 = buildReply(
      m4,
      {
        segments: [link('Link', 'https://medcom.dk/projekter/korrespondancemeddelelse/'), text('Hej Emma', VISITATOR)],
      },
      { context: context('story-5', '2024-05-05T09:35:00Z'), thread: thread2 },
    );
    file(m5);
    const story = [m1, m2, m3, m4, m5];
    story.forEach((b, i) => assertValidMessage(b, `story message ${i + 1}`));
    const parsed = story.map((b) => parseCareCommunication(b));
    assert.deepEqual(
      parsed.map((m) => m.provenances.length),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(
      parsed.map((m) => m.activity),
      ['new-message', 'reply-message', 'reply-message', 'forward-message', 'reply-message'],
    );
    const ids = parsed.map((m) => m.threadId);
    assert.ok(ids[0] === ids[1] && ids[1] === ids[2] && ids[2] !== ids[3] && ids[3] === ids[4]);
    const pdfIn = (m: (typeof parsed)[number]) =>
      m.segments.find(
        (s) => s.attachment?.contentType === 'application/pdf' && s.attachment.title === 'Blodprøveresultater',
      );
    assert.ok(pdfIn(parsed[1]!)?.attachment?.data, '2nd: PDF as base64');
    assert.equal(pdfIn(parsed[2]!)?.attachment?.data, undefined, '3rd: PDF repeated without data');
    assert.equal(
      pdfIn(parsed[3]!)?.attachment?.data,
      PDF_BASE64,
      '4th: forward carries the data again (from the thread)',
    );
    assert.equal(pdfIn(parsed[4]!)?.attachment?.data, undefined, '5th: reply strips it');
    assert.equal(communicationOf(m5).payload.length, 7);
    assert.equal(thread1.messages.length, 3);
    assert.equal(thread2.latest.messageHeaderId, parsed[4]!.messageHeaderId);
    assert.deepEqual(parsed[4]!.receiver.party, {
      ...NURSING_HOME,
      endpoint: 'https://sor2.sum.dsdn.dk/#id=953741000016009',
    });
  });
});
