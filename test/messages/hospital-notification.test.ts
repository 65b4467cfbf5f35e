import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { MessageModelError } from '../../src/messages/errors.ts';
import type { Encounter, MessageBundle, MessageHeader, Patient, Provenance } from '../../src/messages/fhir-types.ts';
import {
  buildHospitalNotification,
  HN_ENCOUNTER_PROFILE,
  HN_HEADER_PROFILE,
  HN_MESSAGE_PROFILE,
  LEAVE_PERIOD_EXTENSION,
  LPR3_EPISODE_SYSTEM,
  parseHospitalNotification,
  REPORT_OF_ADMISSION_FLAG_EXTENSION,
  REPORT_OF_ADMISSION_RECIPIENT_EXTENSION,
  splitCode,
  statisticalPostfix,
  type NotificationCode,
  type NotificationRequest,
} from '../../src/messages/hospital-notification/index.ts';
import { uuidV5 } from '../../src/messages/ids.ts';
import { currentProvenance, MESSAGING_PROVENANCE_PROFILE } from '../../src/messages/provenance.ts';
import { HN, officialExamples } from '../support/shared.ts';
import { context, HOSPITAL, MUNICIPALITY, newStay, resources, validationErrors } from './support.ts';

const examples = new Map(officialExamples(HN, 'Bundle-').map((e) => [e.file, e.resource as MessageBundle]));
const example = (id: string) => {
  const file = [...examples.keys()].find((f) => f.startsWith(`Bundle-${id}`));
  assert.ok(file, `official example ${id}`);
  return examples.get(file)!;
};

describe('parsing the official HospitalNotification examples (medcom-fhir.md §9)', () => {
  // Expected values transcribed from the §9 inventory and §3.2 table.
  const table: [string, NotificationCode, 'IMP' | 'EMER', string, boolean | undefined, number][] = [
    ['a5e5b880', 'STIN', 'IMP', 'in-progress', undefined, 1],
    ['bfab3e80', 'RE_STIN', 'IMP', 'in-progress', undefined, 2],
    ['c83671a4', 'AN_STIN', 'IMP', 'entered-in-error', undefined, 2],
    ['d3128d9b', 'STOR', 'IMP', 'onleave', undefined, 2],
    ['e94de8ee', 'SLOR', 'IMP', 'in-progress', undefined, 3],
    ['f4aa42a4', 'SLHJ', 'IMP', 'finished', undefined, 2],
    ['g099bbf3', 'MORS', 'IMP', 'finished', true, 2],
    ['h1c8e4a8', 'STAA', 'EMER', 'in-progress', undefined, 1],
    ['kcab461b', 'SLHJ', 'EMER', 'finished', undefined, 2],
    ['ld31e08a', 'MORS', 'EMER', 'finished', true, 2],
    ['m908i967', 'STIN', 'IMP', 'in-progress', undefined, 1],
    ['n73ccf30', 'STIN', 'IMP', 'in-progress', undefined, 1],
  ];

  it('covers all 12 example Bundles', () => assert.equal(examples.size, table.length));

  for (const [id, code, cls, status, deceased, provenances] of table) {
    it(`${id} reads as ${code}`, () => {
      const n = parseHospitalNotification(example(id));
      assert.equal(n.code, code);
      assert.equal(n.encounter.encounterClass, cls);
      assert.equal(n.encounter.status, status);
      assert.equal(n.patient.deceased, deceased);
      assert.equal(n.provenance.length, provenances);
      assert.equal(n.messageHeaderId, (example(id).entry[0]!.resource as MessageHeader).id);
      assert.equal(n.episodeOfCare.length >= 1, true);
    });
  }

  it('reads leave periods, period.end and the report-of-admission request', () => {
    const stor = parseHospitalNotification(example('d3128d9b'));
    assert.deepEqual(stor.encounter.leavePeriod, { start: '2022-12-13T14:00:10+02:00' });
    const slor = parseHospitalNotification(example('e94de8ee'));
    assert.deepEqual(slor.encounter.leavePeriod, {
      start: '2022-12-13T14:00:10+02:00',
      end: '2022-12-14T15:30:00+02:00',
    });
    assert.equal(parseHospitalNotification(example('f4aa42a4')).encounter.period.end, '2022-12-18T09:45:30+02:00');
    const stin = parseHospitalNotification(example('a5e5b880'));
    assert.equal(stin.reportOfAdmission?.requested, true);
    assert.equal(stin.reportOfAdmission?.recipient?.organizationId, stin.sender.organizationId);
    assert.equal(parseHospitalNotification(example('f4aa42a4')).reportOfAdmission, undefined);
  });

  it('reads a service provider that differs from the sender, and both episode identifiers', () => {
    const m = parseHospitalNotification(example('m908i967'));
    assert.notEqual(m.serviceProvider.sor, m.sender.party.sor);
    assert.equal(m.serviceProvider.sor, '399841000016000');
    const n = parseHospitalNotification(example('n73ccf30'));
    assert.deepEqual(
      n.episodeOfCare.map((e) => e.kind),
      ['lpr3', 'local'],
    );
  });

  it('names the predecessor of follow-ups with the role the code needs', () => {
    assert.equal(parseHospitalNotification(example('c83671a4')).predecessor?.role, 'removal');
    const slor = parseHospitalNotification(example('e94de8ee'));
    assert.equal(slor.predecessor?.role, 'revision');
    assert.deepEqual(slor.predecessor?.target, {
      kind: 'message',
      messageHeaderId: parseHospitalNotification(example('d3128d9b')).messageHeaderId,
    });
  });

  it('settles MORS vs RE_MORS vs AN_MORS from Patient.deceased of the previous message', () => {
    const mors = example('g099bbf3');
    assert.equal(parseHospitalNotification(mors).codeCertain, false);
    assert.equal(parseHospitalNotification(mors, { previousDeceased: false }).code, 'MORS');
    assert.equal(parseHospitalNotification(mors, { previousDeceased: true }).code, 'RE_MORS');
    const alive = structuredClone(mors);
    (alive.entry.find((e) => e.resource.resourceType === 'Patient')!.resource as Patient).deceasedBoolean = false;
    assert.equal(parseHospitalNotification(alive, { previousDeceased: true }).code, 'AN_MORS');
  });

  it('never prints the CPR number of a parsed notification', () => {
    const n = parseHospitalNotification(example('a5e5b880'));
    for (const text of [inspect(n, { depth: 10 }), JSON.stringify(n), String(n.patient.identifier)]) {
      assert.ok(!text.includes('2509479989'));
    }
  });

  it('rejects a message whose focus is not an Encounter, naming the element', () => {
    const broken = structuredClone(example('a5e5b880'));
    (broken.entry[0]!.resource as MessageHeader).focus = [
      { reference: 'Patient/t33cef33-3626-422b-955d-d506aaa65fe1' },
    ];
    assert.throws(
      () => parseHospitalNotification(broken),
      (e: unknown) =>
        e instanceof MessageModelError &&
        e.location === 'Bundle.entry[0].resource.focus[0].reference' &&
        e.expected === 'a bundled Encounter' &&
        e.source === 'Bundle/a5e5b880-c087-4055-b9ec-99108695f81d',
    );
  });
});

/** Build helpers: each flow step builds from the previous message. */
function build(request: NotificationRequest, seed = 'hn'): MessageBundle {
  return buildHospitalNotification(request, sharedContext(seed));
}
const contexts = new Map<string, ReturnType<typeof context>>();
function sharedContext(seed: string) {
  if (!contexts.has(seed)) contexts.set(seed, context(seed));
  return contexts.get(seed)!;
}
const at = (iso: string) => new Date(iso);

/** Every code, reached along realistic flows; keyed by code. */
function allCodes(): Map<NotificationCode, { bundle: MessageBundle; previous?: MessageBundle }> {
  const out = new Map<NotificationCode, { bundle: MessageBundle; previous?: MessageBundle }>();
  const put = (bundle: MessageBundle, previous?: MessageBundle) => {
    // Read with the previous message's deceased, as a receiver following the stay would.
    const previousDeceased = previous ? parseHospitalNotification(previous).patient.deceased === true : undefined;
    const code = parseHospitalNotification(bundle, previousDeceased === undefined ? {} : { previousDeceased }).code;
    assert.ok(!out.has(code), `${code} built twice`);
    out.set(code, { bundle, ...(previous ? { previous } : {}) });
    return bundle;
  };
  const stin = put(
    build({ code: 'STIN', stay: newStay(), start: at('2024-03-30T09:00:00Z'), reportOfAdmission: { requested: true } }),
  );
  const reStin = put(build({ code: 'RE_STIN', previous: stin, start: at('2024-03-30T08:30:00Z') }), stin);
  put(build({ code: 'AN_STIN', previous: reStin }), reStin);
  const stor = put(build({ code: 'STOR', previous: reStin, leaveStart: at('2024-03-31T09:00:00Z') }), reStin);
  const reStor = put(build({ code: 'RE_STOR', previous: stor, leaveStart: at('2024-03-31T08:45:00Z') }), stor);
  put(build({ code: 'AN_STOR', previous: reStor }), reStor);
  const slor = put(build({ code: 'SLOR', previous: reStor, leaveEnd: at('2024-04-01T12:00:00Z') }), reStor);
  const reSlor = put(build({ code: 'RE_SLOR', previous: slor, leaveEnd: at('2024-04-01T12:30:00Z') }), slor);
  put(build({ code: 'AN_SLOR', previous: reSlor }), reSlor);
  const slhj = put(build({ code: 'SLHJ', previous: reSlor, end: at('2024-04-03T10:00:00Z') }), reSlor);
  const reSlhj = put(build({ code: 'RE_SLHJ', previous: slhj, end: at('2024-04-03T11:00:00Z') }), slhj);
  const anSlhj = put(build({ code: 'AN_SLHJ', previous: reSlhj }), reSlhj);
  const mors = put(build({ code: 'MORS', previous: anSlhj, timeOfDeath: at('2024-04-04T03:00:00Z') }), anSlhj);
  const reMors = put(build({ code: 'RE_MORS', previous: mors, timeOfDeath: at('2024-04-04T02:40:00Z') }), mors);
  put(build({ code: 'AN_MORS', previous: reMors }), reMors);
  const emer = newStay({ episodeOfCare: { lpr3: uuidV5('episode-2', '6ba7b810-9dad-11d1-80b4-00c04fd430c8') } });
  const staa = put(
    build({ code: 'STAA', stay: emer, start: at('2024-05-01T20:00:00Z'), reportOfAdmission: { requested: false } }),
  );
  const reStaa = put(build({ code: 'RE_STAA', previous: staa, start: at('2024-05-01T19:55:00Z') }), staa);
  put(build({ code: 'AN_STAA', previous: reStaa }), reStaa);
  return out;
}

const built = allCodes();

describe('building all 18 HospitalNotification codes', () => {
  it('reaches every code', () => assert.equal(built.size, 18));

  for (const [code, { bundle, previous }] of built) {
    it(`${code}: reads back as built, per the §3.2 table`, () => {
      const n = parseHospitalNotification(bundle, {
        ...(previous ? { previousDeceased: parseHospitalNotification(previous).patient.deceased === true } : {}),
      });
      assert.equal(n.code, code);
      const { base, variant } = splitCode(code);
      const prev = previous ? parseHospitalNotification(previous) : undefined;
      // Class and status.
      const expectedClass =
        base === 'STAA' || (prev?.encounter.encounterClass === 'EMER' && base !== 'STIN') ? 'EMER' : 'IMP';
      assert.equal(n.encounter.encounterClass, expectedClass);
      const statusByCode: Partial<Record<NotificationCode, string>> = {
        STIN: 'in-progress',
        RE_STIN: 'in-progress',
        AN_STIN: 'entered-in-error',
        STAA: 'in-progress',
        RE_STAA: 'in-progress',
        AN_STAA: 'entered-in-error',
        STOR: 'onleave',
        RE_STOR: 'onleave',
        AN_STOR: 'in-progress',
        SLOR: 'in-progress',
        RE_SLOR: 'in-progress',
        AN_SLOR: 'onleave',
        SLHJ: 'finished',
        RE_SLHJ: 'finished',
        AN_SLHJ: 'in-progress',
        MORS: 'finished',
        RE_MORS: 'finished',
        AN_MORS: 'in-progress',
      };
      assert.equal(n.encounter.status, statusByCode[code]);
      // Deceased only for death codes.
      assert.equal(n.patient.deceased, base === 'MORS' ? variant !== 'cancellation' : prev?.patient.deceased);
      // Activity: MORS repeats the current activity of the stay.
      if (base === 'MORS') assert.equal(n.activity, prev!.activity);
      else
        assert.match(
          n.activity,
          variant === 'new' ? /^(admit|start|end|discharge)-/ : variant === 'correction' ? /^revise-/ : /^cancel-/,
        );
      // Chain: all earlier Provenances unchanged, plus one; entity → previous header with revision/removal.
      if (prev) {
        assert.equal(n.provenance.length, prev.provenance.length + 1);
        assert.deepEqual(n.predecessor, {
          role: variant === 'cancellation' ? 'removal' : 'revision',
          target: { kind: 'message', messageHeaderId: prev.messageHeaderId },
        });
        const copied = resources<Provenance>(previous!, 'Provenance');
        const now = resources<Provenance>(bundle, 'Provenance');
        for (const p of copied)
          assert.deepEqual(
            now.find((q) => q.id === p.id),
            p,
          );
        assert.equal(n.encounter.id, prev.encounter.id);
        assert.deepEqual(
          resources<Encounter>(bundle, 'Encounter')[0]!.episodeOfCare,
          resources<Encounter>(previous!, 'Encounter')[0]!.episodeOfCare,
        );
        if (code !== 'RE_STIN' && code !== 'RE_STAA')
          assert.equal(n.encounter.period.start, prev.encounter.period.start);
      } else {
        assert.equal(n.provenance.length, 1);
        assert.equal(n.predecessor, undefined);
      }
    });

    it(`${code}: passes the validator with zero errors`, () => {
      assert.deepEqual(validationErrors(bundle), []);
    });
  }

  it('the validator does reject a corrupted build (the check above can fail)', () => {
    const bundle = structuredClone(built.get('STIN')!.bundle);
    resources<Encounter>(bundle, 'Encounter')[0]!.class.code = 'AMB';
    assert.notDeepEqual(validationErrors(bundle), []);
  });

  it('follows the transition times and DST offsets exactly', () => {
    const { bundle } = built.get('RE_STIN')!;
    // 08:30Z on 30 March 2024 is before the DST switch (+01:00); the leave on 31 March is after it (+02:00).
    assert.equal(parseHospitalNotification(bundle).encounter.period.start, '2024-03-30T09:30:00+01:00');
    assert.equal(
      parseHospitalNotification(built.get('STOR')!.bundle).encounter.leavePeriod?.start,
      '2024-03-31T11:00:00+02:00',
    );
    assert.deepEqual(parseHospitalNotification(built.get('SLOR')!.bundle).encounter.leavePeriod, {
      start: '2024-03-31T10:45:00+02:00',
      end: '2024-04-01T14:00:00+02:00',
    });
  });
});

describe('structure compared with the official examples', () => {
  const pairs: [NotificationCode, string][] = [
    ['STIN', 'a5e5b880'],
    ['RE_STIN', 'bfab3e80'],
    ['AN_STIN', 'c83671a4'],
    ['STOR', 'd3128d9b'],
    ['SLOR', 'e94de8ee'],
    ['SLHJ', 'f4aa42a4'],
    ['MORS', 'g099bbf3'],
  ];
  const shape = (bundle: MessageBundle) => {
    const header = bundle.entry[0]!.resource as MessageHeader;
    const encounter = resources<Encounter>(bundle, 'Encounter')[0]!;
    const current = currentProvenance(bundle)!.resource;
    return {
      bundleProfile: bundle.meta?.profile,
      headerProfile: header.meta?.profile,
      event: header.eventCoding,
      destinationExtension: header.destination.map((d) => d.extension),
      headerExtensions: (header.extension ?? []).map((e) => e.url),
      encounterProfile: encounter.meta?.profile,
      encounterExtensions: (encounter.extension ?? []).map((e) => e.url),
      class: encounter.class,
      status: encounter.status,
      periodKeys: Object.keys(encounter.period).sort(),
      provenanceProfiles: [...new Set(resources<Provenance>(bundle, 'Provenance').map((p) => p.meta?.profile?.[0]))],
      activity: current.activity,
      entityRoles: (current.entity ?? []).map((e) => e.role),
      patientProfile: resources<Patient>(bundle, 'Patient')[0]!.meta?.profile,
      deceased: resources<Patient>(bundle, 'Patient')[0]!.deceasedBoolean,
      fullUrlBase: bundle.entry
        .map((e) => e.fullUrl.replace(/[^/]+\/[^/]+$/, ''))
        .every((b) => b === 'https://medcomfhir.dk/ig/hospitalnotification/'),
      relativeRefs: header.sender.reference!.startsWith('Organization/'),
    };
  };
  // The examples discharge and die straight after the admission; build those two the same way.
  const stin = built.get('STIN')!.bundle;
  const sameFlow: Partial<Record<NotificationCode, MessageBundle>> = {
    SLHJ: build({ code: 'SLHJ', previous: stin, end: at('2024-04-03T10:00:00Z') }, 'shape'),
    MORS: build({ code: 'MORS', previous: stin, timeOfDeath: at('2024-04-03T10:00:00Z') }, 'shape'),
  };
  for (const [code, id] of pairs) {
    it(`${code} has the same profiles, extension URLs and codes as example ${id}`, () => {
      assert.deepEqual(shape(sameFlow[code] ?? built.get(code)!.bundle), shape(example(id)));
    });
  }

  it('uses the exact (misspelled) extension URLs and profiles', () => {
    assert.ok(LEAVE_PERIOD_EXTENSION.endsWith('medcom-hospitalnotifiation-leave-period-extension'));
    const stin = built.get('STIN')!.bundle;
    const header = stin.entry[0]!.resource as MessageHeader;
    assert.deepEqual(
      header.extension!.map((e) => e.url),
      [REPORT_OF_ADMISSION_FLAG_EXTENSION, REPORT_OF_ADMISSION_RECIPIENT_EXTENSION],
    );
    assert.deepEqual(stin.meta?.profile, [HN_MESSAGE_PROFILE]);
    assert.deepEqual(header.meta?.profile, [HN_HEADER_PROFILE]);
    assert.deepEqual(resources<Encounter>(stin, 'Encounter')[0]!.meta?.profile, [HN_ENCOUNTER_PROFILE]);
    assert.deepEqual(resources<Provenance>(stin, 'Provenance')[0]!.meta?.profile, [MESSAGING_PROVENANCE_PROFILE]);
    assert.ok(header.text!.div.includes('hospital-notification-message'));
  });
});

describe('envelope statistics postfix (medcom-fhir.md §6)', () => {
  it('maps each code to the FDIS20 postfix of its underlying event', () => {
    const postfix = (code: NotificationCode, cls: 'IMP' | 'EMER') => statisticalPostfix(splitCode(code).base, cls);
    assert.equal(postfix('RE_STIN', 'IMP'), 'AdmissionInpatient');
    assert.equal(postfix('AN_STAA', 'EMER'), 'AcuteAmbulant');
    assert.equal(postfix('STOR', 'IMP'), 'OnLeave');
    assert.equal(postfix('RE_SLOR', 'IMP'), 'EndOfLeave');
    assert.equal(postfix('SLHJ', 'EMER'), 'EndHospitalStay');
    assert.equal(postfix('MORS', 'EMER'), 'AcuteAmbulant');
    assert.equal(postfix('MORS', 'IMP'), 'AdmissionInpatient');
  });
});

describe('builder rules', () => {
  it('writes reportOfAdmission false without recipient, or true with a separate recipient organisation', () => {
    const no = build(
      { code: 'STIN', stay: newStay(), start: at('2024-01-01T10:00:00Z'), reportOfAdmission: { requested: false } },
      'roa',
    );
    const header = no.entry[0]!.resource as MessageHeader;
    assert.deepEqual(header.extension, [{ url: REPORT_OF_ADMISSION_FLAG_EXTENSION, valueBoolean: false }]);
    const other = { ...MUNICIPALITY, sor: HOSPITAL.sor.replace(/0$/, '1') as typeof HOSPITAL.sor, name: 'Visitation' };
    const yes = build(
      {
        code: 'STIN',
        stay: newStay(),
        start: at('2024-01-01T10:00:00Z'),
        reportOfAdmission: { requested: true, recipient: other },
      },
      'roa',
    );
    const n = parseHospitalNotification(yes);
    assert.equal(n.reportOfAdmission?.recipient?.party.sor, other.sor);
    assert.equal(resources(yes, 'Organization').length, 3);
    assert.deepEqual(validationErrors(yes), []);
  });

  it('writes a separate serviceProvider organisation and carries it to follow-ups', () => {
    const ward = { sor: '399841000016000' as typeof HOSPITAL.sor, name: 'Hjertemedicinsk sengeafs. S103' };
    const stin = build(
      {
        code: 'STIN',
        stay: newStay({ serviceProvider: ward }),
        start: at('2024-01-01T10:00:00Z'),
        reportOfAdmission: { requested: false },
      },
      'sp',
    );
    const stor = build({ code: 'STOR', previous: stin, leaveStart: at('2024-01-02T10:00:00Z') }, 'sp');
    for (const b of [stin, stor]) {
      const n = parseHospitalNotification(b);
      assert.equal(n.serviceProvider.sor, ward.sor);
      assert.notEqual(n.serviceProvider.organizationId, n.sender.organizationId);
      assert.deepEqual(validationErrors(b), []);
    }
    assert.equal(
      parseHospitalNotification(stor).serviceProvider.organizationId,
      parseHospitalNotification(stin).serviceProvider.organizationId,
    );
  });

  it('writes LPR3 and local episode identifiers, LPR3 first, and rejects a v4 LPR3 id', () => {
    const lpr3 = uuidV5('lpr-episode', '6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    const b = build(
      {
        code: 'STIN',
        stay: newStay({ episodeOfCare: { lpr3, local: { value: 'bd481c38-a921-11ed-afa1-0242ac120002' } } }),
        start: at('2024-01-01T10:00:00Z'),
        reportOfAdmission: { requested: false },
      },
      'eoc',
    );
    assert.deepEqual(resources<Encounter>(b, 'Encounter')[0]!.episodeOfCare, [
      { identifier: { system: LPR3_EPISODE_SYSTEM, value: `urn:uuid:${lpr3}` } },
      {
        identifier: {
          system: 'https://sor2.sum.dsdn.dk/#id=265161000016000',
          value: 'bd481c38-a921-11ed-afa1-0242ac120002',
        },
      },
    ]);
    assert.deepEqual(validationErrors(b), []);
    assert.throws(
      () =>
        build({
          code: 'STIN',
          stay: newStay({ episodeOfCare: { lpr3: 'bd481c38-a921-41ed-afa1-0242ac120002' } }),
          start: at('2024-01-01T10:00:00Z'),
          reportOfAdmission: { requested: false },
        }),
      /UUIDv5/,
    );
  });

  it('refuses illegal follow-ups (§3.6) unless asked not to check', () => {
    const staa = built.get('STAA')!.bundle;
    assert.throws(
      () => build({ code: 'STOR', previous: staa, leaveStart: at('2024-05-02T10:00:00Z') }),
      (e: unknown) => e instanceof MessageModelError && /leave-on-emergency-stay/.test(e.message),
    );
    const stin = built.get('STIN')!.bundle;
    assert.throws(
      () => build({ code: 'SLOR', previous: stin, leaveEnd: at('2024-04-01T10:00:00Z') }),
      /not-allowed-in-state/,
    );
    const stor = built.get('STOR')!.bundle;
    assert.throws(() => build({ code: 'RE_STIN', previous: stor }), /correction-of-non-latest/);
    const anStin = built.get('AN_STIN')!.bundle;
    assert.throws(
      () => build({ code: 'SLHJ', previous: anStin, end: at('2024-04-01T10:00:00Z') }),
      /after-cancelled-stay/,
    );
    const unchecked = buildHospitalNotification({ code: 'RE_STIN', previous: stor }, context('unchecked'), {
      checkTransitions: false,
    });
    assert.equal(parseHospitalNotification(unchecked).code, 'RE_STIN');
  });

  it('builds MORS for a patient dead on arrival: finished with start = end by default, in-progress on request', () => {
    const request = {
      code: 'MORS',
      stay: newStay(),
      encounterClass: 'IMP',
      timeOfDeath: at('2024-02-29T23:10:00Z'),
    } as const;
    const ig = buildHospitalNotification(request, context('doa'));
    const n = parseHospitalNotification(ig);
    assert.equal(n.code, 'MORS');
    assert.equal(n.codeCertain, true);
    assert.equal(n.activity, 'admit-inpatient');
    assert.deepEqual(n.encounter.period, { start: '2024-03-01T00:10:00+01:00', end: '2024-03-01T00:10:00+01:00' });
    assert.equal(n.reportOfAdmission?.requested, false);
    assert.deepEqual(validationErrors(ig), []);
    const ts = buildHospitalNotification(request, context('doa'), { deadOnArrivalStatus: 'in-progress' });
    assert.equal(parseHospitalNotification(ts).encounter.status, 'in-progress');
    const an = buildHospitalNotification({ code: 'AN_MORS', previous: ig }, context('doa2'));
    assert.equal(parseHospitalNotification(an).code, 'AN_MORS');
    assert.equal(parseHospitalNotification(an).encounter.status, 'in-progress');
  });

  it('converts an acute-ambulant stay to an admission with a new Encounter', () => {
    const staa = built.get('STAA')!.bundle;
    const stin = build(
      { code: 'STIN', previous: staa, start: at('2024-05-02T01:00:00Z'), reportOfAdmission: { requested: true } },
      'conv',
    );
    const before = parseHospitalNotification(staa);
    const after = parseHospitalNotification(stin);
    assert.equal(after.code, 'STIN');
    assert.equal(after.encounter.encounterClass, 'IMP');
    assert.notEqual(after.encounter.id, before.encounter.id);
    assert.deepEqual(after.episodeOfCare, before.episodeOfCare);
    assert.equal(after.provenance.length, 2);
    assert.deepEqual(validationErrors(stin), []);
    const slhj = build({ code: 'SLHJ', previous: staa, end: at('2024-05-02T01:00:00Z') }, 'conv');
    assert.equal(parseHospitalNotification(slhj).activity, 'discharge-emergency-home');
  });

  it('moves a correction to another sender and keeps the old sender bundled for the copied Provenance', () => {
    const stin = built.get('STIN')!.bundle;
    const newSender = {
      sor: '399841000016000' as typeof HOSPITAL.sor,
      gln: HOSPITAL.gln,
      name: 'Hjertemedicinsk sengeafs. S103',
    };
    const re = build({ code: 'RE_STIN', previous: stin, sender: newSender, serviceProvider: newSender }, 'move');
    const n = parseHospitalNotification(re);
    assert.equal(n.sender.party.sor, newSender.sor);
    const oldAgent = resources<Provenance>(stin, 'Provenance')[0]!.agent[0]!.who.reference!;
    assert.ok(re.entry.some((e) => `${e.resource.resourceType}/${String(e.resource.id)}` === oldAgent));
    assert.deepEqual(validationErrors(re), []);
  });
});
