import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { MessageBundle } from '../../src/messages/fhir-types.ts';
import {
  applyNotification,
  buildHospitalNotification,
  NOTIFICATION_CODES,
  parseHospitalNotification,
  splitCode,
  StayRegistry,
  StayState,
  stayKeys,
  type HospitalNotification,
  type NotificationCode,
  type NotificationRequest,
} from '../../src/messages/hospital-notification/index.ts';
import { HN, officialExamples } from '../support/shared.ts';
import { context, newStay, validationErrors } from './support.ts';

const official = new Map(
  officialExamples(HN, 'Bundle-').map((e) => [e.file.slice('Bundle-'.length, 'Bundle-'.length + 8), e.resource]),
);
const read = (id: string) => parseHospitalNotification(official.get(id)!);

describe('StayState on the official examples (one patient, one episode id)', () => {
  it('accepts STIN → STOR → SLOR → SLHJ as legal and ends finished', () => {
    const stay = new StayState();
    for (const id of ['a5e5b880', 'd3128d9b', 'e94de8ee', 'f4aa42a4']) {
      assert.equal(stay.receive(read(id)).verdict, 'legal', id);
    }
    assert.equal(stay.snapshot?.status, 'finished');
    assert.equal(stay.snapshot?.encounterClass, 'IMP');
  });

  it('flags late arrivals, replays them in Provenance-time order, and keeps everything', () => {
    const stay = new StayState();
    for (const id of ['a5e5b880', 'd3128d9b', 'e94de8ee', 'f4aa42a4']) stay.receive(read(id));
    // RE_STIN was sent two hours after the STIN, i.e. before the STOR that arrived first.
    const re = stay.receive(read('bfab3e80'));
    assert.equal(re.verdict, 'out-of-order');
    assert.equal(stay.entries.find((e) => e.notification.code === 'RE_STIN')?.inOrder.verdict, 'legal');
    // AN_STIN cancels the STIN, but by then the latest notification is the RE_STIN.
    const an = stay.receive(read('c83671a4'));
    assert.equal(an.verdict, 'out-of-order');
    assert.equal(
      stay.entries.find((e) => e.notification.code === 'AN_STIN')?.inOrder.verdict,
      'correction-of-non-latest',
    );
    // The MORS example (9 Dec) falls between admission and leave: in time order the later STOR is now illegal.
    assert.equal(stay.receive(read('g099bbf3')).verdict, 'out-of-order');
    const stor = stay.entries.find((e) => e.notification.code === 'STOR')!;
    assert.equal(stor.arrival.verdict, 'legal', 'what was reported at arrival stays');
    assert.equal(stor.inOrder.verdict, 'not-allowed-in-state');
    assert.equal(stay.entries.length, 7, 'illegal notifications are kept');
    assert.deepEqual(
      stay.entries.map((e) => e.notification.code),
      ['STIN', 'RE_STIN', 'AN_STIN', 'MORS', 'STOR', 'SLOR', 'SLHJ'],
    );
    assert.equal(stay.snapshot?.deceased, true);
  });

  it('classifies a second copy of a message as duplicate and ignores it in the replay', () => {
    const stay = new StayState();
    stay.receive(read('a5e5b880'));
    assert.equal(stay.receive(read('a5e5b880')).verdict, 'duplicate');
    assert.equal(stay.receive(read('d3128d9b')).verdict, 'legal');
    assert.equal(stay.entries.length, 3);
  });

  it('finds the stay by any episode identifier, whatever its form (bare, urn:uuid:, LPR3 + local)', () => {
    const registry = new StayRegistry();
    registry.receive(read('a5e5b880'));
    const urn = registry.receive(read('m908i967'));
    const both = registry.receive(read('n73ccf30'));
    assert.equal(urn.stay, both.stay);
    assert.equal(registry.size, 1);
    assert.equal(urn.classification.verdict, 'not-allowed-in-state', 'a second STIN for an admitted patient');
    // An acute-ambulant stay of the same patient under the same id is the same stay too.
    assert.equal(registry.receive(read('h1c8e4a8')).stay, urn.stay);
  });

  it('never puts the CPR number into stay keys', () => {
    for (const key of stayKeys(read('n73ccf30'))) {
      assert.match(key, /^[0-9a-f]{64}$/);
      assert.ok(!key.includes('2509479989'));
    }
  });
});

describe('StayState on built sequences', () => {
  const at = (iso: string) => new Date(iso);
  const stin = (seed: string) =>
    buildHospitalNotification(
      { code: 'STIN', stay: newStay(), start: at('2024-01-01T10:00:00Z'), reportOfAdmission: { requested: false } },
      context(`${seed}-start`),
    );

  it('accepts a discharge that arrives before its admission once the admission comes', () => {
    const ctx = context('late');
    const first = buildHospitalNotification(
      { code: 'STIN', stay: newStay(), start: at('2024-01-01T10:00:00Z'), reportOfAdmission: { requested: true } },
      ctx,
    );
    const slhj = buildHospitalNotification({ code: 'SLHJ', previous: first, end: at('2024-01-03T10:00:00Z') }, ctx);
    const stay = new StayState();
    const early = stay.receive(parseHospitalNotification(slhj));
    assert.equal(early.verdict, 'unknown-stay');
    assert.equal(stay.receive(parseHospitalNotification(first)).verdict, 'out-of-order');
    assert.deepEqual(
      stay.entries.map((e) => e.inOrder.verdict),
      ['legal', 'legal'],
    );
    assert.equal(stay.snapshot?.status, 'finished');
  });

  it('flags a correction after a cancellation (no AN before RE) and leave on an acute-ambulant stay', () => {
    const ctx = context('anre');
    const s = stin('anre');
    const stor = buildHospitalNotification({ code: 'STOR', previous: s, leaveStart: at('2024-01-02T10:00:00Z') }, ctx);
    const an = buildHospitalNotification({ code: 'AN_STOR', previous: stor }, ctx);
    const re = buildHospitalNotification(
      { code: 'RE_STOR', previous: an, leaveStart: at('2024-01-02T09:00:00Z') },
      ctx,
      { checkTransitions: false },
    );
    const stay = new StayState();
    assert.deepEqual(
      [s, stor, an, re].map((b) => stay.receive(parseHospitalNotification(b)).verdict),
      ['legal', 'legal', 'legal', 'correction-after-cancellation'],
    );
    assert.equal(stay.snapshot?.status, 'in-progress');

    const staa = buildHospitalNotification(
      { code: 'STAA', stay: newStay(), start: at('2024-01-01T10:00:00Z'), reportOfAdmission: { requested: false } },
      ctx,
    );
    const leave = buildHospitalNotification(
      { code: 'STOR', previous: staa, leaveStart: at('2024-01-01T12:00:00Z') },
      ctx,
      { checkTransitions: false },
    );
    const emer = new StayState();
    emer.receive(parseHospitalNotification(staa));
    assert.equal(emer.receive(parseHospitalNotification(leave)).verdict, 'leave-on-emergency-stay');
  });

  it('settles MORS, RE_MORS and AN_MORS from the deceased flag along the stay', () => {
    const ctx = context('death');
    const s = stin('death');
    const mors = buildHospitalNotification({ code: 'MORS', previous: s, timeOfDeath: at('2024-01-02T03:00:00Z') }, ctx);
    const reMors = buildHospitalNotification(
      { code: 'RE_MORS', previous: mors, timeOfDeath: at('2024-01-02T02:00:00Z') },
      ctx,
    );
    const anMors = buildHospitalNotification({ code: 'AN_MORS', previous: reMors }, ctx);
    const stay = new StayState();
    const codes = [s, mors, reMors, anMors].map((b) => stay.receive(parseHospitalNotification(b)));
    assert.deepEqual(
      codes.map((c) => c.code),
      ['STIN', 'MORS', 'RE_MORS', 'AN_MORS'],
    );
    assert.deepEqual(
      codes.map((c) => c.verdict),
      ['legal', 'legal', 'legal', 'legal'],
    );
    assert.equal(stay.snapshot?.deceased, false);
    assert.equal(stay.snapshot?.status, 'in-progress');
  });
});

/**
 * Property: walking a stay along random legal transitions, every built message validates, reads back as the code
 * that was asked for, is legal for the stay state machine, and leaves the stay in the state its Encounter shows.
 */
describe('property: random legal stays', () => {
  function requestFor(
    code: NotificationCode,
    previous: MessageBundle | undefined,
    t: Date,
  ): NotificationRequest | undefined {
    const { base, variant } = splitCode(code);
    if (!previous) {
      if (code === 'STIN' || code === 'STAA')
        return { code, stay: newStay(), start: t, reportOfAdmission: { requested: true } };
      if (code === 'MORS') return { code, stay: newStay(), encounterClass: 'IMP', timeOfDeath: t };
      return undefined;
    }
    if (variant === 'cancellation') return { code, previous } as NotificationRequest;
    switch (base) {
      case 'STIN':
      case 'STAA':
        return variant === 'new'
          ? { code: code as 'STIN' | 'STAA', previous, start: t, reportOfAdmission: { requested: false } }
          : { code: code as 'RE_STIN' | 'RE_STAA', previous, start: t };
      case 'STOR':
        return { code: code as 'STOR' | 'RE_STOR', previous, leaveStart: t };
      case 'SLOR':
        return { code: code as 'SLOR' | 'RE_SLOR', previous, leaveEnd: t };
      case 'SLHJ':
        return { code: code as 'SLHJ' | 'RE_SLHJ', previous, end: t };
      case 'MORS':
        return variant === 'new'
          ? { code: 'MORS', previous, timeOfDeath: t }
          : { code: 'RE_MORS', previous, timeOfDeath: t };
    }
  }

  it('builds valid bundles that the parser and the state machine read back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 9 }),
        fc.array(fc.integer({ min: 1, max: 72 }), { minLength: 9, maxLength: 9 }),
        fc.string({ minLength: 1, maxLength: 8 }),
        (choices, gapsInHours, seed) => {
          const ctx = context(seed, '2024-03-29T22:00:00Z', 17 * 60_000);
          const stay = new StayState();
          let previous: MessageBundle | undefined;
          let previousRead: HospitalNotification | undefined;
          let t = new Date('2024-03-29T20:00:00Z');
          choices.forEach((choice, step) => {
            t = new Date(t.getTime() + gapsInHours[step]! * 3_600_000);
            const legal = NOTIFICATION_CODES.filter(
              (code) =>
                requestFor(code, previous, t) !== undefined &&
                applyNotification(
                  stay.snapshot,
                  code,
                  splitCode(code).base === 'STAA' ? 'EMER' : (stay.snapshot?.encounterClass ?? 'IMP'),
                ).legal,
            );
            if (legal.length === 0) return;
            const code = legal[choice % legal.length]!;
            const bundle = buildHospitalNotification(requestFor(code, previous, t)!, ctx);
            assert.deepEqual(validationErrors(bundle), [], `${code} after ${previousRead?.code ?? 'nothing'}`);
            const n = parseHospitalNotification(
              bundle,
              previousRead ? { previousDeceased: previousRead.patient.deceased === true } : {},
            );
            assert.equal(n.code, code);
            const verdict = stay.receive(parseHospitalNotification(bundle));
            assert.equal(verdict.verdict, 'legal', `${code}: ${verdict.reason}`);
            assert.equal(verdict.code, code);
            assert.equal(stay.snapshot?.status, n.encounter.status, `${code}: stay status vs Encounter.status`);
            assert.equal(stay.snapshot?.encounterClass, n.encounter.encounterClass);
            assert.equal(stay.snapshot?.deceased, n.patient.deceased === true);
            if (previousRead) {
              assert.equal(n.provenance.length, previousRead.provenance.length + 1);
              assert.deepEqual(n.episodeOfCare, previousRead.episodeOfCare);
            }
            previous = bundle;
            previousRead = n;
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
