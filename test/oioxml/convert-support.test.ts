import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SorDirectory } from '../../src/directory/sor-directory.ts';
import type { SorUnit } from '../../src/directory/sor-unit.ts';
import { toLatin1 } from '../../src/oioxml/convert/latin1.ts';
import { isNotRepresentable, LossRecorder } from '../../src/oioxml/convert/loss.ts';
import { joinNames, messagingPartyOf, oioxmlPartyOf } from '../../src/oioxml/convert/parties.ts';
import { fhirDateTimeOf, wallClockOf } from '../../src/oioxml/convert/wall-clock.ts';
import { toGln, toSorCode } from '../../src/messages/parties.ts';
import type { Party } from '../../src/oioxml/model.ts';
import { glnFrom } from './support.ts';

describe('wall clock ⇄ FHIR dateTime (Europe/Copenhagen)', () => {
  it('adds +01:00 in winter and +02:00 in summer', () => {
    assert.equal(fhirDateTimeOf({ date: '1998-12-13', time: '12:10' }), '1998-12-13T12:10:00+01:00');
    assert.equal(fhirDateTimeOf({ date: '2024-09-23', time: '09:45' }), '2024-09-23T09:45:00+02:00');
    assert.equal(fhirDateTimeOf({ date: '2000-01-24', time: '21:30:15' }), '2000-01-24T21:30:15+01:00');
  });

  it('takes the first (summer) reading of the repeated autumn hour', () => {
    assert.equal(fhirDateTimeOf({ date: '2024-10-27', time: '02:30' }), '2024-10-27T02:30:00+02:00');
    assert.equal(fhirDateTimeOf({ date: '2024-10-27', time: '03:30' }), '2024-10-27T03:30:00+01:00');
  });

  it('converts back to Copenhagen wall clock and reports what did not fit', () => {
    assert.deepEqual(wallClockOf('2024-09-23T07:45:31Z', false), {
      value: { date: '2024-09-23', time: '09:45' },
      lost: ['seconds'],
    });
    assert.deepEqual(wallClockOf('2000-01-24T21:30:15+01:00', true), {
      value: { date: '2000-01-24', time: '21:30:15' },
      lost: [],
    });
    assert.deepEqual(wallClockOf('2023-12-31T23:30:00Z', false)!.value, { date: '2024-01-01', time: '00:30' });
    assert.equal(wallClockOf('2024-09', false), undefined);
    assert.deepEqual(wallClockOf('2024-09-01', false)!.lost.length, 1);
  });

  it('round-trips every OIOXML minute of a DST-changing day', () => {
    for (let minutes = 0; minutes < 24 * 60; minutes += 7) {
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      const back = wallClockOf(fhirDateTimeOf({ date: '2024-10-27', time }), false)!;
      assert.deepEqual(back.value, { date: '2024-10-27', time });
    }
  });
});

describe('Latin-1 transliteration', () => {
  it('keeps Latin-1 (æøå, NBSP) and replaces the rest', () => {
    assert.deepEqual(toLatin1('Blå æble\u00a0ØÅ'), { text: 'Blå æble\u00a0ØÅ', replaced: [] });
    const { text, replaced } = toLatin1('\u201Cpris\u201D 5\u20AC \u2013 Gő\u0007 😀');
    assert.equal(text, '"pris" 5EUR - Go ?');
    assert.deepEqual(
      replaced.map((r) => r.char),
      ['U+201C', 'U+201D', 'U+20AC', 'U+2013', 'U+0151', 'U+0007', 'U+1F600'],
    );
  });
});

describe('party resolution', () => {
  const hospital: Party = {
    ean: '5790000121526',
    identifier: '200106',
    identifierCode: 'ydernummer',
    organisationName: 'FYS-KLINIKKEN',
    departmentName: 'STORE TORV',
    medicalSpecialityCode: 'fysioterapi',
  };
  const units: SorUnit[] = [
    {
      sorCode: toSorCode('1144351000016009'),
      name: 'Fys-klinikken',
      ownGln: toGln('5790000121526'),
      inheritsGln: false,
    },
    {
      sorCode: toSorCode('1144361000016001'),
      name: 'Fys-klinikken Store Torv',
      parent: toSorCode('1144351000016009'),
      inheritsGln: true,
      providerId: '200106',
    },
  ];
  const directory = SorDirectory.from(units);

  it('finds the SOR code through the directory, preferring the unit with the ydernummer', () => {
    const loss = new LossRecorder();
    const party = messagingPartyOf(
      hospital,
      '/Emessage/ClinicalEmail/Sender',
      { entries: [], directory },
      loss,
      'Organization',
    );
    assert.deepEqual(party, { sor: '1144361000016001', gln: '5790000121526', name: 'FYS-KLINIKKEN, STORE TORV' });
    const kinds = loss.report().entries.map((e) => `${e.kind}:${e.source}`);
    assert.ok(kinds.includes('derived:/Emessage/ClinicalEmail/Sender'));
    assert.ok(kinds.includes('dropped:/Emessage/ClinicalEmail/Sender/MedicalSpecialityCode'));
    assert.ok(kinds.includes('dropped:/Emessage/ClinicalEmail/Sender/Identifier'));
  });

  it('names the candidates, and does not pick one, when several units own the GLN', () => {
    const shared = SorDirectory.from([
      { sorCode: toSorCode('325251000016005'), name: 'Klinik A', ownGln: toGln('5790000121526'), inheritsGln: false },
      { sorCode: toSorCode('8851000016006'), name: 'Klinik B', ownGln: toGln('5790000121526'), inheritsGln: false },
    ]);
    const party = messagingPartyOf(
      hospital,
      '/Emessage/ClinicalEmail/Sender',
      { entries: [], directory: shared },
      new LossRecorder(),
      'Organization',
    );
    assert.ok(isNotRepresentable(party));
    assert.equal(party.source, '/Emessage/ClinicalEmail/Sender');
    assert.match(party.reason, /ambiguous in the SOR directory: 2 units .*325251000016005 \(Klinik A\), 8851000016006/);
  });

  it('is not representable without SOR code, or with an EAN that is no GLN', () => {
    const unknown = messagingPartyOf(hospital, '/x', { entries: [] }, new LossRecorder(), 'Organization');
    assert.ok(isNotRepresentable(unknown));
    assert.match(unknown.reason, /no SOR code known for EAN 5790000121526/);
    const legacy = messagingPartyOf(
      { ...hospital, ean: '5790000120400' },
      '/x',
      { entries: [], directory },
      new LossRecorder(),
      'O',
    );
    assert.ok(isNotRepresentable(legacy));
    assert.equal(legacy.source, '/x/EANIdentifier');
  });

  it('a configured entry maps a legacy EAN both ways, with its OIOXML identifier', () => {
    const entries = [
      {
        ean: '5790000120400',
        gln: glnFrom('579000012040'),
        sor: '1144351000016009',
        identifier: '2001060',
        identifierCode: 'sygehusafdelingsnummer' as const,
      },
    ];
    const letterParty: Party = {
      ean: '5790000120400',
      identifier: '2001060',
      identifierCode: 'sygehusafdelingsnummer',
      organisationName: 'HILLERØD SYGEHUS',
    };
    const fhir = messagingPartyOf(letterParty, '/s', { entries }, new LossRecorder(), 'O');
    assert.deepEqual(fhir, { sor: '1144351000016009', gln: glnFrom('579000012040'), name: 'HILLERØD SYGEHUS' });
    const back = oioxmlPartyOf(
      fhir as never,
      'Organization',
      { entries },
      new LossRecorder(),
      '/Sender',
      'organisation-department-unit',
    );
    assert.deepEqual(back, letterParty);
  });

  it('writes sorkode + SOR by default and cuts long names to 34 + *', () => {
    const loss = new LossRecorder();
    const party = oioxmlPartyOf(
      {
        sor: toSorCode('1144351000016009'),
        gln: toGln('5790000121526'),
        name: 'Organkirurgi og Transplantation, sengeafsnit nord',
      },
      'Organization',
      { entries: [] },
      loss,
      '/Receiver',
      'organisation',
    );
    assert.equal(party.identifierCode, 'sorkode');
    assert.equal(party.identifier, '1144351000016009');
    assert.equal(party.organisationName, 'Organkirurgi og Transplantation, s*');
    assert.equal(party.organisationName!.length, 35);
    assert.ok(loss.report().entries.some((e) => e.kind === 'changed' && /34/.test(e.detail)));
  });

  it('joins and splits the three name elements', () => {
    assert.equal(joinNames(hospital), 'FYS-KLINIKKEN, STORE TORV');
    const back = oioxmlPartyOf(
      { sor: toSorCode('1144351000016009'), gln: toGln('5790000121526'), name: 'A, B, C, D' },
      'O',
      { entries: [] },
      new LossRecorder(),
      '/Sender',
      'organisation-department-unit',
    );
    assert.deepEqual([back.organisationName, back.departmentName, back.unitName], ['A', 'B', 'C, D']);
  });

  it('writes the lokationsnummer when the SOR code does not fit Identifier (String_1_17)', () => {
    const loss = new LossRecorder();
    const party = oioxmlPartyOf(
      { sor: toSorCode('123456789012345678'), gln: toGln('5790000121526'), name: 'Enhed' },
      'Organization',
      { entries: [] },
      loss,
      '/Receiver',
      'organisation',
    );
    assert.deepEqual([party.identifier, party.identifierCode], ['5790000121526', 'lokationsnummer']);
    assert.ok(loss.report().entries.some((e) => e.kind === 'changed' && e.target === '/Receiver/Identifier'));
  });
});
