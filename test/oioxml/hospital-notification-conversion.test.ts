import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHospitalNotification } from '../../src/messages/hospital-notification/builder.ts';
import { parseHospitalNotification } from '../../src/messages/hospital-notification/parser.ts';
import { fixedClock } from '../../src/messages/clock.ts';
import type { MessageBundle } from '../../src/messages/fhir-types.ts';
import { fromUrnUuid, seededIds } from '../../src/messages/ids.ts';
import { el } from '../../src/xml/element.ts';
import { writeEmessage, type Emessage } from '../../src/oioxml/emessage.ts';
import { hospitalNotificationToNotification } from '../../src/oioxml/from-fhir/notification.ts';
import { NS_2005 } from '../../src/oioxml/namespaces.ts';
import { notificationToHospitalNotification } from '../../src/oioxml/to-fhir/hospital-notification.ts';
import type {
  HospitalNotificationLetter,
  NotificationOfAdmission,
  NotificationOfDischarge,
} from '../../src/oioxml/xdis20-17/notification.ts';
import { HN, officialExamples } from '../support/shared.ts';
import {
  assertValidFhir,
  conversionContext,
  converted,
  onlyLetter,
  readExample,
  refused,
} from './conversion-support.ts';
import { testSchemas } from './support.ts';
import type { ConversionContext } from '../../src/oioxml/convert/context.ts';

const dis20 = (): { envelope: Emessage['envelope']; letter: NotificationOfAdmission } => {
  const emessage = readExample('xdis20', 'edifact_converter__DIS20');
  return { envelope: emessage.envelope, letter: onlyLetter(emessage) };
};

/**
 * The shared XDIS17 reuses the XDIS20's Envelope and Letter identifiers (test data); as two letters of one sender
 * they must differ, or the id map would — rightly — treat the discharge as a resend of the admission.
 */
const dis17 = (status?: NotificationOfDischarge['patient']['episodeOfCareStatusCode']) => {
  const emessage = readExample('xdis17', 'edifact_converter__DIS17');
  const letter = onlyLetter<NotificationOfDischarge>(emessage);
  return {
    envelope: { ...emessage.envelope, identifier: '123456790' },
    letter: {
      ...letter,
      letter: { ...letter.letter, identifier: '24681013' },
      patient: { ...letter.patient, ...(status ? { episodeOfCareStatusCode: status } : {}) },
    } as NotificationOfDischarge,
  };
};

function xsdValid(emessage: Emessage, label: string): void {
  assert.deepEqual(testSchemas().validate(NS_2005, writeEmessage(emessage), { label }).issues, []);
}

function admit(context: ConversionContext): MessageBundle {
  return converted(notificationToHospitalNotification(dis20(), context), 'DIS20');
}

/** A letter without what the conversions lose by design: ack code, sender phone, XDIS17 AnswerTo. */
function comparable(emessage: Emessage) {
  const letter = onlyLetter<HospitalNotificationLetter>(emessage);
  const { telephoneSubscriberIdentifier: _phone, ...sender } = letter.sender;
  const { answerToEan: _answer, ...senderWithoutAnswer } = sender;
  return {
    envelope: { ...emessage.envelope, acknowledgementCode: undefined },
    letter: { ...letter, sender: letter.type === 'XDIS20' ? sender : senderWithoutAnswer },
  };
}

describe('XDIS20 / XDIS17 → HospitalNotification', () => {
  it('XDIS20 → STIN: valid, with the documented defaults, and back to the same letter', () => {
    const context = conversionContext();
    const conversion = notificationToHospitalNotification(dis20(), context);
    const bundle = converted(conversion, 'DIS20');
    assertValidFhir(bundle, 'STIN from DIS20');
    const hn = parseHospitalNotification(bundle);
    assert.equal(hn.code, 'STIN');
    assert.equal(new Date(hn.encounter.period.start).toISOString(), '2000-01-24T20:15:00.000Z');
    assert.equal(hn.reportOfAdmission?.requested, true);
    assert.equal(hn.patient.identifier.reveal(), '2505544849');
    assert.equal(hn.patient.name.family, 'Ukendt');
    assert.equal(hn.serviceProvider.sor, hn.sender.party.sor);
    const details = conversion.loss.entries.map((e) => `${e.kind} ${e.target ?? e.source}`);
    assert.ok(details.includes('default Patient.name'));
    assert.ok(details.includes('default Encounter.class'));
    assert.ok(details.includes('dropped /Emessage/NotificationOfAdmission/Sender/TelephoneSubscriberIdentifier'));

    const back = converted(hospitalNotificationToNotification(bundle, context), 'STIN back');
    xsdValid(back, 'XDIS20 back');
    assert.deepEqual(comparable(back), comparable(readExample('xdis20', 'edifact_converter__DIS20')));
  });

  it('XDIS17 `uoplyst` after the XDIS20 → SLHJ (reported), and back as udskrevet_til_hjemmet', () => {
    const context = conversionContext();
    const previous = admit(context);
    const conversion = notificationToHospitalNotification({ ...dis17(), previous }, context);
    const bundle = converted(conversion, 'DIS17');
    assertValidFhir(bundle, 'SLHJ from DIS17');
    const hn = parseHospitalNotification(bundle);
    assert.equal(hn.code, 'SLHJ');
    assert.equal(hn.encounter.status, 'finished');
    assert.equal(hn.encounter.period.start, parseHospitalNotification(previous).encounter.period.start);
    assert.equal(new Date(hn.encounter.period.end!).toISOString(), '2000-01-24T20:15:00.000Z');
    assert.equal(
      hn.predecessor?.target.kind === 'message' && hn.predecessor.target.messageHeaderId,
      previous.entry[0]!.resource.id,
    );
    assert.equal(hn.provenance.length, 2);
    assert.ok(conversion.loss.entries.some((e) => /uoplyst read as a discharge home/.test(e.detail)));

    const back = converted(hospitalNotificationToNotification(bundle, context), 'SLHJ back');
    xsdValid(back, 'XDIS17 back');
    const expected = comparable({
      envelope: dis17().envelope,
      items: [{ letter: dis17('udskrevet_til_hjemmet').letter }],
    } as never);
    assert.deepEqual(comparable(back), expected);
  });

  it('a discharge without the earlier notification of the stay is not representable', () => {
    const reason = refused(notificationToHospitalNotification(dis17(), conversionContext()));
    assert.equal(reason.source, '/Emessage/NotificationOfDischarge/Letter/NotificationIdentifier');
    assert.match(reason.reason, /SLHJ follows an earlier notification/);
  });

  it('transfers and discharge to elsewhere have no FHIR notification', () => {
    const context = conversionContext();
    const previous = admit(context);
    for (const status of ['udskrevet_til_andet', 'flyttet_til_sygehus', 'flyttet_til_sygehusafd'] as const) {
      const reason = refused(notificationToHospitalNotification({ ...dis17(status), previous }, context));
      assert.equal(reason.source, '/Emessage/NotificationOfDischarge/Patient/EpisodeOfCareStatusCode');
    }
  });

  it('XDIS17 `doed` → MORS (deceased, finished), and back', () => {
    const context = conversionContext();
    const previous = admit(context);
    const bundle = converted(notificationToHospitalNotification({ ...dis17('doed'), previous }, context), 'MORS');
    assertValidFhir(bundle, 'MORS from DIS17');
    const hn = parseHospitalNotification(bundle, { previousDeceased: false });
    assert.equal(hn.code, 'MORS');
    assert.equal(hn.patient.deceased, true);
    assert.equal(hn.encounter.status, 'finished');
    const back = onlyLetter<NotificationOfDischarge>(
      converted(hospitalNotificationToNotification(bundle, context, { previousDeceased: false }), 'back'),
    );
    assert.equal(back.patient.episodeOfCareStatusCode, 'doed');
    assert.equal(back.letter.statusCode, 'nytbrev');
  });

  it('XDIS20 `doed` → MORS for a patient dead on arrival, and back to XDIS20', () => {
    const context = conversionContext();
    const { envelope, letter } = dis20();
    const dead = { ...letter, patient: { ...letter.patient, episodeOfCareStatusCode: 'doed' as const } };
    const bundle = converted(
      notificationToHospitalNotification({ envelope, letter: dead }, context),
      'dead on arrival',
    );
    assertValidFhir(bundle, 'MORS on arrival');
    const hn = parseHospitalNotification(bundle);
    assert.equal(hn.code, 'MORS');
    assert.equal(hn.encounter.period.start, hn.encounter.period.end);
    const back = converted(hospitalNotificationToNotification(bundle, context), 'back');
    xsdValid(back, 'XDIS20 doed');
    assert.equal(onlyLetter<NotificationOfAdmission>(back).patient.episodeOfCareStatusCode, 'doed');
  });

  it('rettetbrev / annulleretbrev → RE_STIN / AN_STIN linked to the earlier message, and back', () => {
    const context = conversionContext();
    const previous = admit(context);
    const { envelope, letter } = dis20();
    const corrected: NotificationOfAdmission = {
      ...letter,
      letter: { ...letter.letter, identifier: 'RET1', statusCode: 'rettetbrev' },
      admission: { date: '2000-01-24', time: '20:45' },
    };
    const re = converted(
      notificationToHospitalNotification(
        { envelope: { ...envelope, identifier: 'K2' }, letter: corrected, previous },
        context,
      ),
      'RE',
    );
    assertValidFhir(re, 'RE_STIN');
    const reHn = parseHospitalNotification(re);
    assert.equal(reHn.code, 'RE_STIN');
    assert.equal(new Date(reHn.encounter.period.start).toISOString(), '2000-01-24T19:45:00.000Z');
    const cancelled: NotificationOfAdmission = {
      ...letter,
      letter: { ...letter.letter, identifier: 'ANN1', statusCode: 'annulleretbrev' },
    };
    const an = converted(
      notificationToHospitalNotification(
        { envelope: { ...envelope, identifier: 'K3' }, letter: cancelled, previous: re },
        context,
      ),
      'AN',
    );
    assertValidFhir(an, 'AN_STIN');
    const anHn = parseHospitalNotification(an);
    assert.equal(anHn.code, 'AN_STIN');
    assert.equal(anHn.encounter.status, 'entered-in-error');
    assert.equal(anHn.provenance.length, 3);
    const back = onlyLetter<NotificationOfAdmission>(
      converted(hospitalNotificationToNotification(an, context), 'AN back'),
    );
    assert.equal(back.letter.statusCode, 'annulleretbrev');
    assert.equal(back.letter.identifier, 'ANN1');
    assert.equal(back.letter.notificationIdentifier, '24681012');
  });

  it('STAA when a partner signals it (here in Local_Elements), which then has no way back to XDIS20', () => {
    const context = conversionContext({
      lookups: {
        admissionClass: (item) =>
          item.localElements?.children.some((c) => 'name' in c && c.name === 'AkutAmbulant') ? 'EMER' : undefined,
      },
    });
    const { envelope, letter } = dis20();
    const item = { letter, localElements: el('Local_Elements', NS_2005, undefined, [el('AkutAmbulant', NS_2005)]) };
    const bundle = converted(notificationToHospitalNotification({ envelope, letter, item }, context), 'STAA');
    assertValidFhir(bundle, 'STAA');
    assert.equal(parseHospitalNotification(bundle).code, 'STAA');
    const reason = refused(hospitalNotificationToNotification(bundle, context));
    assert.match(reason.reason, /STAA: XDIS20 knows only admitted patients/);
  });

  it('takes the patient name from a CPR lookup when one is configured', () => {
    const context = conversionContext({ lookups: { patientName: () => ({ family: 'Jensen', given: ['Jens'] }) } });
    const conversion = notificationToHospitalNotification(dis20(), context);
    const hn = parseHospitalNotification(converted(conversion, 'named'));
    assert.deepEqual(hn.patient.name, { family: 'Jensen', given: ['Jens'] });
    assert.ok(conversion.loss.entries.some((e) => e.kind === 'derived' && e.target === 'Patient.name'));
  });
});

describe('HospitalNotification → XDIS20/XDIS17 → HospitalNotification on the official HN 3.0.2 examples', () => {
  const bundles = new Map(officialExamples(HN, 'Bundle-').map(({ file, resource }) => [file.slice(7, 15), resource]));
  const byPrefix = (prefix: string) => bundles.get(prefix)!;

  it('leave and acute-ambulant start notifications are not representable', () => {
    for (const prefix of ['d3128d9b', 'e94de8ee', 'h1c8e4a8']) {
      const reason = refused(hospitalNotificationToNotification(byPrefix(prefix), conversionContext()));
      assert.match(reason.reason, /^(STOR|SLOR|STAA): /, prefix);
    }
  });

  for (const prefix of ['a5e5b880', 'm908i967', 'n73ccf30']) {
    it(`STIN ${prefix} → XDIS20 → STIN`, () => {
      const context = conversionContext();
      const original = parseHospitalNotification(byPrefix(prefix));
      const letter = converted(hospitalNotificationToNotification(byPrefix(prefix), context), prefix);
      xsdValid(letter, prefix);
      const again = converted(
        notificationToHospitalNotification({ envelope: letter.envelope, letter: onlyLetter(letter) }, context),
        `${prefix} again`,
      );
      assertValidFhir(again, `${prefix} again`);
      const back = parseHospitalNotification(again);
      assert.equal(back.code, 'STIN');
      assert.equal(back.messageHeaderId, original.messageHeaderId);
      assert.equal(back.bundleId, original.bundleId);
      assert.equal(
        new Date(back.encounter.period.start).getTime(),
        new Date(original.encounter.period.start).getTime(),
      );
      assert.equal(back.patient.identifier.reveal(), original.patient.identifier.reveal());
      assert.equal(back.sender.party.sor, original.sender.party.sor);
      assert.equal(back.sender.party.gln, original.sender.party.gln);
      assert.equal(back.receiver.party.sor, original.receiver.party.sor);
      const local = original.episodeOfCare.find((e) => e.kind === 'local') ?? original.episodeOfCare[0]!;
      assert.equal(back.episodeOfCare[0]!.value, fromUrnUuid(local.value).toLowerCase());
    });
  }

  const followUps: [string, string, string][] = [
    ['bfab3e80', 'RE_STIN', 'XDIS20'],
    ['c83671a4', 'AN_STIN', 'XDIS20'],
    ['f4aa42a4', 'SLHJ', 'XDIS17'],
    ['g099bbf3', 'MORS', 'XDIS17'],
    ['kcab461b', 'SLHJ', 'XDIS17'],
    ['ld31e08a', 'MORS', 'XDIS17'],
  ];
  for (const [prefix, code, type] of followUps) {
    it(`${code} ${prefix} → ${type} → ${code} after the converted STIN`, () => {
      const context = conversionContext();
      const stinLetter = converted(hospitalNotificationToNotification(byPrefix('a5e5b880'), context), 'STIN');
      const stin = converted(
        notificationToHospitalNotification({ envelope: stinLetter.envelope, letter: onlyLetter(stinLetter) }, context),
        'STIN again',
      );

      const conversion = hospitalNotificationToNotification(byPrefix(prefix), context, { previousDeceased: false });
      const letter = converted(conversion, prefix);
      xsdValid(letter, prefix);
      assert.equal(onlyLetter<HospitalNotificationLetter>(letter).type, type);
      const again = converted(
        notificationToHospitalNotification(
          { envelope: letter.envelope, letter: onlyLetter(letter), previous: stin },
          context,
        ),
        `${prefix} again`,
      );
      assertValidFhir(again, `${prefix} again`);
      const original = parseHospitalNotification(byPrefix(prefix), { previousDeceased: false });
      const back = parseHospitalNotification(again, { previousDeceased: false });
      assert.equal(back.code, code);
      assert.equal(back.messageHeaderId, original.messageHeaderId);
      if (original.encounter.period.end) {
        // OIOXML keeps minutes only.
        const minute = (value: string) => Math.floor(new Date(value).getTime() / 60_000);
        assert.equal(minute(back.encounter.period.end!), minute(original.encounter.period.end));
      }
      if (original.encounter.encounterClass === 'EMER') {
        assert.ok(conversion.loss.entries.some((e) => e.source === 'Encounter.class' && e.kind === 'dropped'));
      }
    });
  }
});

describe('cancellations towards OIOXML', () => {
  it('AN_SLHJ takes the Discharge time from the cancelled notification, or reports the fallback', () => {
    const context = conversionContext();
    const stin = admit(context);
    const slhj = converted(
      notificationToHospitalNotification({ ...dis17('udskrevet_til_hjemmet'), previous: stin }, context),
      'SLHJ',
    );
    const an = buildHospitalNotification(
      { code: 'AN_SLHJ', previous: slhj },
      { clock: fixedClock('2000-01-25T08:00:00+01:00'), ids: seededIds('an-slhj') },
    );
    assertValidFhir(an, 'AN_SLHJ');
    const withPrevious = onlyLetter<NotificationOfDischarge>(
      converted(hospitalNotificationToNotification(an, context, { previous: slhj }), 'AN'),
    );
    assert.equal(withPrevious.letter.statusCode, 'annulleretbrev');
    assert.deepEqual(withPrevious.discharge, { date: '2000-01-24', time: '21:15' });
    const without = hospitalNotificationToNotification(an, context);
    assert.deepEqual(onlyLetter<NotificationOfDischarge>(converted(without, 'AN alone')).discharge, {
      date: '2000-01-25',
      time: '08:00',
    });
    assert.ok(without.loss.entries.some((e) => e.kind === 'default' && /send time is used/.test(e.detail)));
  });
});
