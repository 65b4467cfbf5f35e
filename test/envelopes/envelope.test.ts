import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { ENVELOPE_RECEIPT, unwrapAny } from '../../src/envelopes/envelope.ts';
import { EnvelopeError } from '../../src/envelopes/envelope-error.ts';
import { wrapSbdh } from '../../src/envelopes/sbdh/wrap.ts';
import { parseVans } from '../../src/envelopes/vans/parse.ts';
import { vansReceiptFor } from '../../src/envelopes/vans/receipt.ts';
import { wrapVans } from '../../src/envelopes/vans/wrap.ts';
import {
  addressesOf,
  context,
  eventCode,
  oioxmlExamples,
  officialMessages,
  testSchemas,
  VANS_EXAMPLE,
} from './support.ts';

after(() => testSchemas().dispose());

describe('unwrapAny: one model for both envelope kinds', () => {
  test('the real Region H VANSEnvelope', () => {
    const envelope = unwrapAny(new Uint8Array(readFileSync(VANS_EXAMPLE)), 'regionh.xml');
    assert.equal(envelope.kind, 'vans');
    assert.equal(envelope.id, 'EPIC394319568');
    assert.equal(envelope.messageId, 'EPIC394319568');
    assert.equal(envelope.senderGln, '5790002515200');
    assert.equal(envelope.receiverGln, '5790002508226');
    assert.equal(envelope.messageType, 'XDIS18');
    assert.equal(envelope.payload?.mime, 'application/xml');
    assert.equal(envelope.payload?.bytes.byteLength, 10906);
    assert.deepEqual(
      envelope.warnings.map((w) => w.code),
      ['id-not-uuid', 'time-without-zone', 'id-not-uuid'],
    );
  });

  for (const type of ['care-communication-message', 'hospital-notification-message', 'acknowledgement-message']) {
    test(`${type}: VANS and SBDH of the same message agree on everything the common model holds`, () => {
      const message = officialMessages().find((m) => eventCode(m.bundle) === type)!;
      const addresses = addressesOf(message.bundle);
      const shared = context();
      const vans = unwrapAny(wrapVans(message.bytes, { ...addresses, label: 'm' }, shared).bytes, 'vans');
      const sbdh = unwrapAny(wrapSbdh(message.bytes, { ...addresses, label: 'm' }, shared).bytes, 'sbdh');
      assert.equal(vans.kind, 'vans');
      assert.equal(sbdh.kind, 'sbdh');
      for (const envelope of [vans, sbdh]) {
        assert.equal(envelope.messageId, message.bundle.entry[0]!.resource.id);
        assert.equal(envelope.messageType, type);
        assert.equal(envelope.senderGln, addresses.sender);
        assert.equal(envelope.receiverGln, addresses.receiver);
        assert.equal(envelope.payload?.mime, 'application/fhir+json');
        assert.deepEqual(Buffer.from(envelope.payload!.bytes), Buffer.from(message.bytes));
        assert.equal(envelope.receipt, undefined);
      }
      assert.notEqual(vans.id, sbdh.id, 'each transmission has its own id');
    });
  }

  test('a VANS receipt is an envelope without payload, with the receipt filled in', () => {
    const message = officialMessages().find((m) => eventCode(m.bundle) === 'care-communication-message')!;
    const original = parseVans(
      wrapVans(message.bytes, { ...addressesOf(message.bundle), label: 'm' }, context()).bytes,
      'o',
    );
    const negative = vansReceiptFor(
      original,
      { kind: 'NegativeMessage', error: { description: 'MSG_BAD_SYNTAX' } },
      context('r'),
    );
    const envelope = unwrapAny(negative.bytes, 'receipt');
    assert.equal(envelope.messageType, ENVELOPE_RECEIPT);
    assert.equal(envelope.payload, undefined);
    assert.deepEqual(envelope.receipt, {
      positive: false,
      kind: 'NegativeMessage',
      originalEnvelopeId: original.envelopeIdentifier,
      originalMessageId: message.bundle.entry[0]!.resource.id,
      reason: 'MSG_BAD_SYNTAX',
    });
  });

  test('anything that is not an envelope is refused with what was found', () => {
    const message = officialMessages()[0]!;
    const letter = oioxmlExamples()[0]!;
    assert.throws(
      () => unwrapAny(message.bytes, 'bundle.json'),
      (e: unknown) => e instanceof EnvelopeError && /not XML/.test(e.problem),
    );
    assert.throws(
      () => unwrapAny(letter.bytes, letter.file),
      (e: unknown) => e instanceof EnvelopeError && e.location === '/Emessage' && /Emessage/.test(e.problem),
    );
    assert.throws(
      () => unwrapAny(new TextEncoder().encode('<!DOCTYPE x [<!ENTITY a "b">]><x/>'), 'dtd.xml'),
      (e: unknown) => e instanceof EnvelopeError && /DOCTYPE/.test(e.problem),
    );
    assert.throws(() => unwrapAny(new Uint8Array(), 'empty'), EnvelopeError);
  });
});
