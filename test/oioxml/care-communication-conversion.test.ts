import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCareCommunication } from '../../src/messages/care-communication/parse.ts';
import { fixedClock } from '../../src/messages/clock.ts';
import type { MessageBundle } from '../../src/messages/fhir-types.ts';
import { isUuid, seededIds } from '../../src/messages/ids.ts';
import { Cpr } from '../../src/messages/parties.ts';
import { writeEmessage, type Emessage } from '../../src/oioxml/emessage.ts';
import { careCommunicationToClinicalEmail } from '../../src/oioxml/from-fhir/clinical-email.ts';
import { messageHeaderIdForReference } from '../../src/oioxml/id-map/preceding-reference.ts';
import { NS_2006 } from '../../src/oioxml/namespaces.ts';
import { renderBlocks } from '../../src/oioxml/text-format.ts';
import { clinicalEmailToCareCommunication } from '../../src/oioxml/to-fhir/care-communication.ts';
import { replyToLetter } from '../../src/oioxml/to-fhir/letter-reply.ts';
import type { ClinicalEmail } from '../../src/oioxml/xdis91/clinical-email.ts';
import { CC, officialExamples } from '../support/shared.ts';
import {
  assertValidFhir,
  conversionContext,
  converted,
  onlyLetter,
  readExample,
  refused,
} from './conversion-support.ts';
import { examples, testSchemas } from './support.ts';
import { readEmessage } from '../../src/oioxml/emessage.ts';

/** The korr_x9134 fixture's CPR number has month 22, which dk-core rejects; its round trip uses a valid one. */
const VALID_CPR = '1502824933';

function xdis91Examples(): { file: string; emessage: Emessage }[] {
  return examples('xdis91').map(({ file, bytes }) => ({
    file,
    emessage: readEmessage(bytes, { label: file }).emessage,
  }));
}

function withValidCpr(emessage: Emessage): Emessage {
  const letter = onlyLetter<ClinicalEmail>(emessage);
  if (Cpr.isValid(letter.patient.civilRegistrationNumber ?? '')) return emessage;
  return {
    ...emessage,
    items: [{ letter: { ...letter, patient: { ...letter.patient, civilRegistrationNumber: VALID_CPR } } }],
  };
}

/**
 * What survives XDIS91 → FHIR → XDIS91 by design (oioxml.md §7 and the loss reports): addresses, MedicalSpecialityCode,
 * priority (CC allows it only with category regarding-referral), the AcknowledgementCode (always pluspositivkvitt
 * towards OIOXML) and the formatting of the text (compared as rendered plain text).
 */
function comparable(emessage: Emessage) {
  const letter = onlyLetter<ClinicalEmail>(emessage);
  const party = (p: ClinicalEmail['sender']) => ({
    ean: p.ean,
    identifier: p.identifier,
    identifierCode: p.identifierCode,
    organisationName: p.organisationName,
    departmentName: p.departmentName,
    unitName: p.unitName,
  });
  return {
    envelope: { sent: emessage.envelope.sent, identifier: emessage.envelope.identifier },
    letter: letter.letter,
    sender: { ...party(letter.sender), phone: letter.sender.telephoneSubscriberIdentifier },
    receiver: party(letter.receiver),
    patient: {
      cpr: letter.patient.civilRegistrationNumber,
      alternative: letter.patient.alternativeIdentifier,
      surname: letter.patient.surname,
      given: letter.patient.givenName,
      status: letter.patient.episodeOfCareStatusCode,
    },
    subject: letter.additionalInformation?.subject,
    text: renderBlocks(letter.clinicalInformation),
    references: letter.references,
  };
}

describe('XDIS91 → CareCommunication', () => {
  for (const { file, emessage: original } of xdis91Examples()) {
    it(`${file}: converts to a valid CareCommunication and back to the same letter, modulo the documented losses`, () => {
      const emessage = withValidCpr(original);
      const context = conversionContext();
      const letter = onlyLetter<ClinicalEmail>(emessage);
      const conversion = clinicalEmailToCareCommunication({ envelope: emessage.envelope, letter }, context);
      const bundle = converted(conversion, file);
      assertValidFhir(bundle, file);

      const message = parseCareCommunication(bundle);
      assert.equal(message.activity, 'new-message');
      assert.equal(message.category, 'other');
      assert.equal(message.topic, letter.additionalInformation?.subject ?? context.defaults.careCommunication.topic);
      assert.equal(message.segments[0]!.text, renderBlocks(letter.clinicalInformation));
      assert.equal(
        message.segments[0]!.time?.slice(0, 16),
        `${letter.letter.authorisation.date}T${letter.letter.authorisation.time}`,
      );

      const kinds = new Set(conversion.loss.entries.map((e) => `${e.kind} ${e.target ?? e.source}`));
      assert.ok(kinds.has('default Communication.category'));
      assert.ok(kinds.has('default Communication.payload.extension(author)'));
      assert.ok(kinds.has('derived MessageHeader.id'));
      assert.ok(
        conversion.loss.entries.every((e) => !JSON.stringify(e).includes(letter.patient.civilRegistrationNumber!)),
      );

      const back = converted(careCommunicationToClinicalEmail(bundle, context), `${file} back`);
      const written = writeEmessage(back.emessage);
      assert.deepEqual(testSchemas().validate(NS_2006, written, { label: `${file} back` }).issues, []);
      assert.deepEqual(comparable(back.emessage), comparable(emessage));
      assert.equal(back.emessage.envelope.acknowledgementCode, 'pluspositivkvitt');
    });
  }

  it('keeps the episode of care: 32 hex digits ⇄ a hyphenated UUID in an Encounter (CC-9)', () => {
    const emessage = readExample('xdis91', 'edifact_converter__DIS91_2');
    const bundle = converted(
      clinicalEmailToCareCommunication(
        { envelope: emessage.envelope, letter: onlyLetter(emessage) },
        conversionContext(),
      ),
      'DIS91_2',
    );
    const message = parseCareCommunication(bundle);
    assert.deepEqual(
      message.episodeOfCareIds.map((i) => i.value),
      ['65528acd-a12c-4d85-b701-6f4b12eec2bc'],
    );
    assert.equal(message.episodeOfCareIds[0]!.system, 'https://sor2.sum.dsdn.dk/#id=1144351000016009');
  });

  it('the same letter gives the same UUIDs; a resend (new envelope) keeps the MessageHeader.id only', () => {
    const emessage = readExample('xdis91', 'edifact_converter__DIS91_2');
    const letter = onlyLetter<ClinicalEmail>(emessage);
    const first = converted(
      clinicalEmailToCareCommunication({ envelope: emessage.envelope, letter }, conversionContext()),
      'a',
    );
    const again = converted(
      clinicalEmailToCareCommunication({ envelope: emessage.envelope, letter }, conversionContext()),
      'b',
    );
    assert.deepEqual(again, first);
    const resend = converted(
      clinicalEmailToCareCommunication(
        { envelope: { ...emessage.envelope, identifier: 'KUVERT2' }, letter },
        conversionContext(),
      ),
      'resend',
    );
    assert.notEqual(resend.id, first.id);
    assert.equal(resend.entry[0]!.resource.id, first.entry[0]!.resource.id);
    assert.match(first.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads formatting that arrived escaped as formatting, and reports the dropped styles', () => {
    const emessage = readExample('xdis91', 'os2korrespondance__formattet_text');
    const letter = onlyLetter<ClinicalEmail>(emessage);
    const escaped: ClinicalEmail = {
      ...letter,
      clinicalInformation: [['Se <Bold>vigtigt</Bold><Break/>næste linje <Teste>']],
    };
    const conversion = clinicalEmailToCareCommunication(
      { envelope: emessage.envelope, letter: escaped },
      conversionContext(),
    );
    const message = parseCareCommunication(converted(conversion, 'escaped'));
    assert.equal(message.segments[0]!.text, 'Se vigtigt\nnæste linje <Teste>');
    const details = conversion.loss.entries.map((e) => e.detail).join('\n');
    assert.match(details, /escaped as text were read as formatting/);
    assert.match(details, /formatting Bold not carried/);
  });

  it('is not representable with an invalid CPR, naming the element but not the number', () => {
    const emessage = readExample('xdis91', 'edifact_converter__korr_x9134');
    const reason = refused(
      clinicalEmailToCareCommunication(
        { envelope: emessage.envelope, letter: onlyLetter(emessage) },
        conversionContext(),
      ),
    );
    assert.equal(reason.source, '/Emessage/ClinicalEmail/Patient/CivilRegistrationNumber');
    assert.equal(reason.reason.includes('1522824933'), false);
  });

  it('is not representable when a party has no SOR code', () => {
    const emessage = readExample('xdis91', 'edifact_converter__DIS91_2');
    const context = { ...conversionContext(), parties: { entries: [] } };
    const reason = refused(
      clinicalEmailToCareCommunication({ envelope: emessage.envelope, letter: onlyLetter(emessage) }, context),
    );
    assert.equal(reason.source, '/Emessage/ClinicalEmail/Sender');
    assert.match(reason.reason, /no SOR code known for EAN 5790000121526/);
  });

  it('a FHIR reply to the letter uses reply-message and lokationsnummer#brevid, and converts back as an answer to it', () => {
    const emessage = readExample('xdis91', 'edifact_converter__DIS91_2');
    const letter = onlyLetter<ClinicalEmail>(emessage);
    const context = conversionContext();
    const reply = converted(
      replyToLetter(
        { envelope: emessage.envelope, letter },
        {
          category: 'carecoordination',
          segments: [
            {
              kind: 'text',
              text: 'Tak – vi sørger for det.',
              author: { name: { family: 'Hansen', given: ['Hanne'] }, role: { text: 'Læge' } },
              phone: '66113333',
            },
          ],
        },
        context,
        { clock: fixedClock('2014-01-16T09:00:00+01:00'), ids: seededIds('reply-test') },
      ),
      'reply',
    );
    assertValidFhir(reply, 'reply to XDIS91');
    const message = parseCareCommunication(reply);
    assert.equal(message.activity, 'reply-message');
    assert.deepEqual(message.oioxmlReference, { gln: '5790000121526', letterId: '12152000000203' });
    assert.equal(message.receiver.party.gln, '5790000121526');
    assert.equal(message.episodeOfCareIds[0]!.value, '65528acd-a12c-4d85-b701-6f4b12eec2bc');
    // The reference finds the letter's FHIR twin through the id map …
    const twin = converted(clinicalEmailToCareCommunication({ envelope: emessage.envelope, letter }, context), 'twin');
    assert.equal(
      messageHeaderIdForReference(context.idMap, '5790000121526#12152000000203'),
      twin.entry[0]!.resource.id,
    );
    // … and the way back to OIOXML knows which letter it answers, with the signature visible in the text.
    const back = converted(careCommunicationToClinicalEmail(reply, context), 'reply back');
    assert.deepEqual(back.inReplyTo, { ean: '5790000121526', letterId: '12152000000203' });
    const text = renderBlocks(onlyLetter<ClinicalEmail>(back.emessage).clinicalInformation);
    assert.match(text, /^Tak - vi sørger for det\.\n-- Hanne Hansen, Læge, tlf\. 66113333, 16\.01\.2014 kl\. 09:00$/);
    assert.equal(
      onlyLetter<ClinicalEmail>(back.emessage).letter.episodeOfCareIdentifier,
      '65528acda12c4d85b7016f4b12eec2bc',
    );
  });
});

describe('CareCommunication → XDIS91 → CareCommunication on the official CC 5.0.2 examples', () => {
  const bundles = officialExamples(CC, 'Bundle-');
  for (const { file, resource } of bundles) {
    it(`${file}`, () => {
      const context = conversionContext();
      const conversion = careCommunicationToClinicalEmail(resource, context);
      const { emessage } = converted(conversion, file);
      assert.deepEqual(testSchemas().validate(NS_2006, writeEmessage(emessage), { label: file }).issues, []);

      const original = parseCareCommunication(resource);
      const letter = onlyLetter<ClinicalEmail>(emessage);
      const text = renderBlocks(letter.clinicalInformation);
      for (const segment of original.segments.filter((s) => s.kind === 'text')) {
        for (const line of segment.text!.split('\n').filter((l) => l.trim() !== '')) {
          assert.ok(
            text.includes(line.trim().replace(/[\u2013\u2014]/g, '-')),
            `${file}: text line ${JSON.stringify(line)} kept`,
          );
        }
      }
      const again = converted(
        clinicalEmailToCareCommunication({ envelope: emessage.envelope, letter }, context),
        `${file} again`,
      );
      assertValidFhir(again, `${file} again`);
      const back = parseCareCommunication(again);
      assert.equal(back.messageHeaderId, original.messageHeaderId, 'the id map returns the original MessageHeader.id');
      assert.equal(back.bundleId, original.bundleId, 'and the original Bundle.id');
      assert.equal(back.sender.party.sor, original.sender.party.sor);
      assert.equal(back.sender.party.gln, original.sender.party.gln);
      assert.equal(back.receiver.party.sor, original.receiver.party.sor);
      assert.equal(back.patient.identifier.reveal(), original.patient.identifier.reveal());
      assert.equal(back.patient.name.family, original.patient.name.family);
      // Episode ids travel as UUIDs; an example id that is no UUID (gfd00bc2 uses 'g…') is dropped and reported.
      const uuidIds = original.episodeOfCareIds.filter((i) => isUuid(i.value!.replace('urn:uuid:', '')));
      assert.deepEqual(
        back.episodeOfCareIds.map((i) => i.value!.replace('urn:uuid:', '').toLowerCase()),
        uuidIds.slice(0, 1).map((i) => i.value!.replace('urn:uuid:', '').toLowerCase()),
      );
      if (uuidIds.length < original.episodeOfCareIds.length) {
        assert.ok(
          conversion.loss.entries.some(
            (e) => e.kind === 'dropped' && e.source === 'Encounter.episodeOfCare.identifier',
          ),
        );
      }
      if (original.topic) assert.equal(back.topic, original.topic.slice(0, 70));
    });
  }
});

describe('CareCommunication → XDIS91 limits', () => {
  const base = (): MessageBundle => officialExamples(CC, 'Bundle-add5e7e2')[0]!.resource as unknown as MessageBundle;

  function withText(text: string): MessageBundle {
    const bundle = structuredClone(base());
    const communication = bundle.entry.find((e) => e.resource.resourceType === 'Communication')!
      .resource as unknown as {
      payload: { contentString?: string }[];
    };
    communication.payload[0]!.contentString = text;
    return bundle;
  }

  it('transliterates characters outside ISO-8859-1 and reports them', () => {
    const conversion = careCommunicationToClinicalEmail(withText('“Svar” – pris 5 € … ok'), conversionContext());
    const letter = onlyLetter<ClinicalEmail>(converted(conversion, 'latin1').emessage);
    assert.match(renderBlocks(letter.clinicalInformation), /^"Svar" - pris 5 EUR \.\.\. ok\n-- /);
    assert.ok(conversion.loss.entries.some((e) => /U\+20AC×1/.test(e.detail)));
  });

  it('splits long text into ClinicalInformation blocks of ≤3150 characters, XSD-valid', () => {
    const long = Array.from({ length: 120 }, (_, i) => `Linje ${i}: ${'tekst '.repeat(8)}`).join('\n');
    const { emessage } = converted(careCommunicationToClinicalEmail(withText(long), conversionContext()), 'long');
    const letter = onlyLetter<ClinicalEmail>(emessage);
    assert.ok(letter.clinicalInformation.length > 1);
    assert.ok(renderBlocks(letter.clinicalInformation).startsWith(long));
    assert.deepEqual(testSchemas().validate(NS_2006, writeEmessage(emessage), { label: 'long' }).issues, []);
  });

  it('refuses text beyond 10 blocks instead of cutting it', () => {
    const reason = refused(careCommunicationToClinicalEmail(withText('ord '.repeat(9000)), conversionContext()));
    assert.match(reason.reason, /more than 10 ClinicalInformation blocks/);
  });
});
