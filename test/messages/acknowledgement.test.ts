import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACK_HEADER_PROFILE,
  ACK_MESSAGE_PROFILE,
  ACK_OPERATION_OUTCOME_PROFILE,
  acknowledge,
  HL7_ISSUE_SYSTEM,
  MEDCOM_ISSUE_DETAILS,
  MEDCOM_ISSUE_SYSTEM,
  parseAcknowledgement,
  reissueAcknowledgement,
  type AcknowledgementOutcome,
} from '../../src/messages/acknowledgement/index.ts';
import { MessageModelError } from '../../src/messages/errors.ts';
import type { MessageBundle, MessageHeader, OperationOutcome, Provenance } from '../../src/messages/fhir-types.ts';
import { headerParties } from '../../src/messages/message-header.ts';
import { sameParty } from '../../src/messages/parties.ts';
import { currentProvenance, MESSAGING_PROVENANCE_PROFILE } from '../../src/messages/provenance.ts';
import { ACK, CC, HN, officialExamples } from '../support/shared.ts';
import { context, resources, validationErrors } from './support.ts';

const received = [...officialExamples(HN, 'Bundle-'), ...officialExamples(CC, 'Bundle-')].map((e) => ({
  file: e.file,
  bundle: e.resource as MessageBundle,
}));

function ackOf(bundle: MessageBundle, outcome: AcknowledgementOutcome, seed = 'ack'): MessageBundle {
  const result = acknowledge(bundle, outcome, context(seed));
  assert.equal(result.kind, 'acknowledgement', result.kind === 'refused' ? result.problem : '');
  return (result as { bundle: MessageBundle }).bundle;
}

const fatal: AcknowledgementOutcome = {
  code: 'fatal-error',
  issues: [
    {
      severity: 'error',
      code: 'code-invalid',
      detail: 'MSG_VALUESET_VALUE_UNKNOWN',
      text: 'Encounter.class AMB is not in the value set',
      expression: ['Bundle.entry[2].resource.class'],
    },
  ],
};
const transient: AcknowledgementOutcome = {
  code: 'transient-error',
  issues: [{ severity: 'error', code: 'transient', detail: 'MSG_Mailbox_Out_Of_Operation' }],
};

describe('acknowledging every official HN and CC example', () => {
  it('has examples of both kinds', () => assert.equal(received.length, 12 + 8));

  for (const { file, bundle } of received) {
    it(`${file}: ok-ack cites the message, copies its latest Provenance, and validates`, () => {
      const ack = ackOf(bundle, { code: 'ok' });
      const parsed = parseAcknowledgement(ack);
      const ackedHeader = bundle.entry[0]!.resource as MessageHeader;
      const original = headerParties(bundle);
      assert.equal(parsed.code, 'ok');
      assert.equal(parsed.acknowledgedMessageHeaderId, ackedHeader.id);
      // destination = original sender at its source.endpoint; sender = original primary receiver.
      assert.ok(sameParty(parsed.receiver.party, original.sender.party));
      assert.equal(parsed.receiver.party.endpoint, ackedHeader.source.endpoint);
      assert.ok(sameParty(parsed.sender.party, original.receiver.party));
      // Exactly two Provenances: the acked message's current one, unchanged, and ours.
      const provenances = resources<Provenance>(ack, 'Provenance');
      assert.equal(provenances.length, 2);
      assert.deepEqual(provenances[0], currentProvenance(bundle)!.resource);
      const own = currentProvenance(ack)!.resource;
      assert.equal(own.activity.coding![0]!.code, 'acknowledgement');
      assert.deepEqual(own.entity, [{ role: 'revision', what: { reference: `MessageHeader/${ackedHeader.id}` } }]);
      assert.equal(own.agent[0]!.who.reference, `Organization/${parsed.sender.organizationId}`);
      assert.equal(resources(ack, 'Patient').length, 0);
      assert.equal(resources(ack, 'OperationOutcome').length, 0);
      assert.deepEqual(validationErrors(ack), []);
    });
  }

  it('the validator does reject a broken ack (the checks above can fail)', () => {
    const ack = ackOf(received[0]!.bundle, { code: 'ok' });
    (ack.entry[0]!.resource as MessageHeader).response!.code = 'fatal-error';
    assert.notDeepEqual(validationErrors(ack), [], 'ACK-1: fatal-error without OperationOutcome');
  });
});

describe('error acknowledgements', () => {
  const stin = received.find((r) => r.file.startsWith('Bundle-a5e5b880'))!.bundle;

  for (const outcome of [fatal, transient]) {
    it(`${outcome.code}: carries an OperationOutcome with MedCom issue details and validates`, () => {
      const ack = ackOf(stin, outcome);
      const header = ack.entry[0]!.resource as MessageHeader;
      const [oo] = resources<OperationOutcome>(ack, 'OperationOutcome');
      assert.ok(oo);
      assert.equal(header.response!.details!.reference, `OperationOutcome/${oo.id}`);
      assert.deepEqual(oo.meta?.profile, [ACK_OPERATION_OUTCOME_PROFILE]);
      assert.equal(oo.issue[0]!.details!.coding![0]!.system, MEDCOM_ISSUE_SYSTEM);
      const parsed = parseAcknowledgement(ack);
      assert.equal(parsed.code, outcome.code);
      assert.deepEqual(
        parsed.issues.map((i) => i.detail),
        outcome.issues!.map((i) => i.detail),
      );
      assert.deepEqual(validationErrors(ack), []);
    });
  }

  it('writes every MedCom and an HL7 issue-detail code so that the required binding holds', () => {
    const ack = ackOf(stin, {
      code: 'fatal-error',
      issues: [
        { severity: 'error', code: 'structure', detail: 'MSG_BAD_SYNTAX', text: 'not JSON' },
        ...MEDCOM_ISSUE_DETAILS.map((detail) => ({ severity: 'error' as const, code: 'invalid' as const, detail })),
      ],
    });
    assert.deepEqual(validationErrors(ack), []);
    // The reader accepts the corrected HL7 system too.
    const fixed = structuredClone(ack);
    const oo = resources<OperationOutcome>(fixed, 'OperationOutcome')[0]!;
    oo.issue[0]!.details!.coding![0]!.system = HL7_ISSUE_SYSTEM;
    assert.equal(parseAcknowledgement(fixed).issues[0]!.detail, 'MSG_BAD_SYNTAX');
  });

  it('may add an information issue to an ok (a duplicate)', () => {
    const ack = ackOf(stin, {
      code: 'ok',
      issues: [{ severity: 'information', code: 'duplicate', detail: 'MSG_DUPLICATE_ID', text: 'already received' }],
    });
    assert.equal(parseAcknowledgement(ack).issues[0]!.code, 'duplicate');
    assert.deepEqual(validationErrors(ack), []);
  });

  it('does not compile an error ack without an issue', () => {
    // @ts-expect-error — ACK-1: transient-error and fatal-error must explain themselves.
    const bad: AcknowledgementOutcome = { code: 'fatal-error' };
    assert.equal(bad.code, 'fatal-error');
  });
});

describe('duplicates and refusals', () => {
  const stin = received.find((r) => r.file.startsWith('Bundle-a5e5b880'))!.bundle;

  it('re-issues an ack with the same content under new Bundle and MessageHeader ids and a new time', () => {
    const first = ackOf(stin, fatal, 'dup');
    const ctx = context('dup-2', '2024-03-30T12:00:00Z');
    const second = reissueAcknowledgement(first, ctx);
    assert.notEqual(second.id, first.id);
    assert.notEqual(second.timestamp, first.timestamp);
    const a = parseAcknowledgement(first);
    const b = parseAcknowledgement(second);
    assert.notEqual(b.messageHeaderId, a.messageHeaderId);
    assert.equal(b.code, a.code);
    assert.deepEqual(b.issues, a.issues);
    assert.equal(b.acknowledgedMessageHeaderId, a.acknowledgedMessageHeaderId);
    assert.deepEqual(b.sender, a.sender);
    assert.deepEqual(b.receiver, a.receiver);
    assert.deepEqual(resources(second, 'OperationOutcome'), resources(first, 'OperationOutcome'));
    assert.deepEqual(resources<Provenance>(second, 'Provenance')[0], resources<Provenance>(first, 'Provenance')[0]);
    assert.equal(currentProvenance(second)!.resource.target[0]!.reference, `MessageHeader/${b.messageHeaderId}`);
    assert.deepEqual(validationErrors(second), []);
  });

  it('never acknowledges an acknowledgement (typed refusal)', () => {
    for (const { file, resource } of officialExamples(ACK, 'Bundle-a8c0').concat(
      officialExamples(ACK, 'Bundle-bc95'),
    )) {
      const result = acknowledge(resource, { code: 'ok' }, context());
      assert.equal(result.kind, 'refused', file);
      assert.equal(result.kind === 'refused' && result.reason, 'acknowledgement-of-acknowledgement');
    }
    const ours = ackOf(stin, { code: 'ok' });
    const result = acknowledge(ours, { code: 'ok' }, context());
    assert.equal(result.kind, 'refused');
  });

  it('refuses a message it cannot address an ack to, saying where', () => {
    const noEndpoint = structuredClone(stin);
    delete (noEndpoint.entry[0]!.resource as Partial<MessageHeader>).source;
    const result = acknowledge(noEndpoint, { code: 'ok' }, context());
    assert.equal(result.kind, 'refused');
    assert.match(result.kind === 'refused' ? result.problem : '', /source\.endpoint/);
  });
});

describe('parsing the official Acknowledgement examples', () => {
  const examples = officialExamples(ACK, 'Bundle-');
  const expected: Record<string, [string, string | undefined]> = {
    'Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json': ['ok', undefined],
    'Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json': ['fatal-error', 'MSG_VALUESET_VALUE_UNKNOWN'],
    'Bundle-c9c2b2f6-0807-11ed-861d-0242ac120002.json': ['transient-error', 'MSG_Mailbox_Out_Of_Operation'],
  };

  for (const { file, resource } of examples) {
    it(`${file}`, () => {
      if (!(file in expected)) {
        // The fourth example is an empty-message copy, not an ack.
        assert.throws(() => parseAcknowledgement(resource), MessageModelError);
        return;
      }
      const [code, detail] = expected[file]!;
      const ack = parseAcknowledgement(resource);
      assert.equal(ack.code, code);
      assert.equal(ack.issues[0]?.detail, detail);
      assert.equal(ack.provenance.length, 2);
    });
  }

  it('builds acks with the same profiles and codes as the official ok example', () => {
    const official = examples.find((e) => e.file.startsWith('Bundle-a8c0'))!.resource as MessageBundle;
    const ours = ackOf(received[0]!.bundle, { code: 'ok' });
    const shape = (b: MessageBundle) => {
      const h = b.entry[0]!.resource as MessageHeader;
      return {
        bundle: b.meta?.profile,
        header: h.meta?.profile,
        event: h.eventCoding,
        destinationUse: h.destination.map((d) => d.extension),
        responseKeys: Object.keys(h.response!).sort(),
        provenanceProfiles: resources<Provenance>(b, 'Provenance').map((p) => p.meta?.profile),
        activities: resources<Provenance>(b, 'Provenance').map((p) => p.activity.coding![0]!.system),
        types: b.entry.map((e) => e.resource.resourceType).sort(),
      };
    };
    assert.deepEqual(shape(ours), shape(official));
    assert.deepEqual(ours.meta?.profile, [ACK_MESSAGE_PROFILE]);
    assert.deepEqual((ours.entry[0]!.resource as MessageHeader).meta?.profile, [ACK_HEADER_PROFILE]);
    assert.deepEqual(resources<Provenance>(ours, 'Provenance')[1]!.meta?.profile, [MESSAGING_PROVENANCE_PROFILE]);
  });
});
