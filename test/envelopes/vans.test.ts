import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { EnvelopeError } from '../../src/envelopes/envelope-error.ts';
import { messageTypeOfDocument } from '../../src/envelopes/vans/document.ts';
import { parseVans } from '../../src/envelopes/vans/parse.ts';
import { vansReceiptFor } from '../../src/envelopes/vans/receipt.ts';
import { wrapVans } from '../../src/envelopes/vans/wrap.ts';
import { isUuid } from '../../src/messages/ids.ts';
import { SOR_SYSTEM } from '../../src/messages/parties.ts';
import { readXml } from '../../src/xml/read.ts';
import { firstChild, textOf } from '../../src/xml/element.ts';
import {
  addressesOf,
  context,
  eventCode,
  headerOf,
  oioxmlExamples,
  officialMessages,
  readShared,
  resolveIn,
  testSchemas,
  VANS_EXAMPLE,
  type CommunicationJson,
  type ProvenanceJson,
} from './support.ts';

after(() => testSchemas().dispose());

const SENDER = '5790001348120';
const RECEIVER = '5790000209354';

/** HN postfix per activity: medcom-fhir.md §3.2 (18 codes) and §6 (five statistical codes, event-based reading). */
const HN_POSTFIX: Record<string, string> = {
  'admit-emergency': 'AcuteAmbulant',
  'revise-admit-emergency': 'AcuteAmbulant',
  'cancel-admit-emergency': 'AcuteAmbulant',
  'admit-inpatient': 'AdmissionInpatient',
  'revise-admit-inpatient': 'AdmissionInpatient',
  'cancel-admit-inpatient': 'AdmissionInpatient',
  'start-leave-inpatient': 'OnLeave',
  'revise-start-leave-inpatient': 'OnLeave',
  'cancel-start-leave-inpatient': 'OnLeave',
  'end-leave-inpatient': 'EndOfLeave',
  'revise-end-leave-inpatient': 'EndOfLeave',
  'cancel-end-leave-inpatient': 'EndOfLeave',
  'discharge-emergency-home': 'EndHospitalStay',
  'discharge-inpatient-home': 'EndHospitalStay',
  'revise-discharge-emergency-home': 'EndHospitalStay',
  'revise-discharge-inpatient-home': 'EndHospitalStay',
  'cancel-discharge-emergency-home': 'EndHospitalStay',
  'cancel-discharge-inpatient-home': 'EndHospitalStay',
};

/** The expected Document/Name, read from the example the way a reviewer would. */
function expectedName(bundle: ReturnType<typeof officialMessages>[number]['bundle']): string {
  const header = headerOf(bundle);
  switch (eventCode(bundle)) {
    case 'care-communication-message': {
      const communication = resolveIn(bundle, header.focus[0]!.reference) as unknown as CommunicationJson;
      return `MCM:FDIS91#${communication.category[0]!.coding[0]!.code}`;
    }
    case 'hospital-notification-message': {
      const own = bundle.entry
        .map((e) => e.resource as unknown as ProvenanceJson)
        .find((r) => r.resourceType === 'Provenance' && r.target[0]!.reference.endsWith(`MessageHeader/${header.id}`))!;
      return `MCM:FDIS20#${HN_POSTFIX[own.activity.coding[0]!.code]}`;
    }
    default:
      return `MCM:FCTL#${header.response!.code}`;
  }
}

const VERSIONS: Record<string, string> = {
  'care-communication-message': '5.0',
  'hospital-notification-message': '3.0.0',
  'acknowledgement-message': '2.0.0',
};

describe('VANSEnvelope wrap: every official HN, CC and ACK example', () => {
  const messages = officialMessages();

  test('there are examples of all three types (and one empty-message)', () => {
    const types = new Set(messages.map((m) => eventCode(m.bundle)));
    assert.deepEqual([...types].sort(), [
      'acknowledgement-message',
      'care-communication-message',
      'empty-message',
      'hospital-notification-message',
    ]);
  });

  test('empty-message has no VANS document name and is refused with the reason', () => {
    const empty = messages.find((m) => eventCode(m.bundle) === 'empty-message')!;
    assert.throws(
      () => wrapVans(empty.bytes, { sender: SENDER, receiver: RECEIVER, label: empty.file }, context()),
      (e: unknown) =>
        e instanceof EnvelopeError &&
        e.location === 'MessageHeader.eventCoding.code' &&
        /empty-message/.test(e.problem),
    );
  });

  for (const message of messages.filter((m) => eventCode(m.bundle) !== 'empty-message')) {
    test(`${message.file}: XSD-valid envelope, metadata from the message, payload round-trips`, () => {
      const addresses = addressesOf(message.bundle);
      const wrapped = wrapVans(message.bytes, { ...addresses, label: message.file }, context());
      const check = testSchemas().checkVans(wrapped.bytes, message.file);
      assert.deepEqual(check.errors, [], 'valid against VANSEnvelope.xsd');
      // Several official HN examples have MessageHeader ids that are not UUIDs (medcom-fhir.md §8): quoted, reported.
      const headerIsUuid = isUuid(message.bundle.entry[0]!.resource.id);
      assert.deepEqual(
        check.tolerated.map((i) => i.element),
        headerIsUuid ? [] : ['Identifier'],
      );
      assert.deepEqual(
        wrapped.envelope.warnings.map((w) => w.code),
        headerIsUuid ? [] : ['id-not-uuid'],
      );

      const parsed = parseVans(wrapped.bytes, 'wrapped');
      assert.deepEqual(
        parsed.warnings.map((w) => w.location),
        headerIsUuid ? [] : ['/VANSEnvelope/Message/MetaInformation/Identifier'],
      );
      assert.equal(parsed.content.kind, 'message');
      if (parsed.content.kind !== 'message') return;
      assert.deepEqual(Buffer.from(parsed.content.data), Buffer.from(message.bytes), 'payload bytes unchanged');
      const { meta } = parsed.content;
      assert.equal(meta.identifier, message.bundle.entry[0]!.resource.id, 'message id = MessageHeader.id');
      assert.ok(isUuid(parsed.envelopeIdentifier));
      assert.notEqual(parsed.envelopeIdentifier, message.bundle.id, 'the envelope id is the transmission’s own');
      assert.equal(meta.document.format, 'HL7');
      assert.equal(meta.document.name, expectedName(message.bundle));
      assert.equal(meta.document.version, VERSIONS[eventCode(message.bundle)]);
      assert.equal(meta.document.sizeInBytes, message.bytes.byteLength);
      assert.equal(meta.transport?.type, 'reliable');
      assert.deepEqual(meta.transport?.serviceTags, [{ name: 'MCM:MIME', value: 'application/fhir+json' }]);
      assert.equal(messageTypeOfDocument(meta.document), eventCode(message.bundle));
      assert.deepEqual(parsed.sender, { value: addresses.sender, type: 'EAN' });
      assert.deepEqual(parsed.receiver, { value: addresses.receiver, type: 'EAN' });
      assert.match(parsed.sentDateTime, /^2025-04-01T16:19:0\d\+02:00$/, 'Danish time with offset (CEST)');
    });
  }

  test('the GLNs in the message are compared with the envelope addresses', () => {
    const ack = messages.find((m) => m.file.endsWith('Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json'))!;
    const header = headerOf(ack.bundle);
    const sender = resolveIn(ack.bundle, header.sender.reference)!;
    const glns = (sender.identifier as { system: string; value: string }[]).filter((i) => i.system !== SOR_SYSTEM);
    const senderGln = glns[0]!.value;
    const right = wrapVans(ack.bytes, { sender: senderGln, receiver: RECEIVER, label: 'ack' }, context());
    assert.ok(!right.envelope.warnings.some((w) => w.location.endsWith('sender')));
    const wrong = wrapVans(ack.bytes, { sender: '5790000141227', receiver: RECEIVER, label: 'ack' }, context());
    assert.ok(wrong.envelope.warnings.some((w) => w.code === 'address-mismatch' && w.message.includes(senderGln)));
  });

  test('FHIR XML (the ACK example as XML from the SBDH folder) is tagged application/fhir+xml', () => {
    const xml = readShared('ehmi-sbdh', 'ehmiSBDH', 'ehmiMessage_Ack.xml');
    const wrapped = wrapVans(xml, { sender: SENDER, receiver: RECEIVER, label: 'ehmiMessage_Ack.xml' }, context());
    assert.deepEqual(testSchemas().checkVans(wrapped.bytes, 'x').errors, []);
    const meta = wrapped.envelope.content.kind === 'message' ? wrapped.envelope.content.meta : undefined;
    assert.deepEqual(meta?.transport?.serviceTags, [{ name: 'MCM:MIME', value: 'application/fhir+xml' }]);
    assert.equal(meta?.document.name, 'MCM:FCTL#ok');
    assert.equal(meta?.identifier, 'aba2d9bf-2c6c-47e8-bce4-7928bcd51019');
  });

  test('invalid addresses and unsupported message types are refused', () => {
    const cc = messages.find((m) => eventCode(m.bundle) === 'care-communication-message')!;
    assert.throws(
      () => wrapVans(cc.bytes, { sender: '5790001348121', receiver: RECEIVER, label: 'x' }, context()),
      /check digit/,
    );
    const homecare = readShared('ehmi-sbdh', 'ehmiSBDH', 'ehmiMessage.xml');
    assert.throws(
      () => wrapVans(homecare, { sender: SENDER, receiver: RECEIVER, label: 'ehmiMessage.xml' }, context()),
      (e: unknown) =>
        e instanceof EnvelopeError && e.label === 'ehmiMessage.xml' && /homecareobservation-message/.test(e.problem),
    );
  });
});

describe('VANSEnvelope wrap: OIOXML letters and receipts', () => {
  for (const example of oioxmlExamples()) {
    test(`${example.file}: Format XML, Name MCM:<StatisticalCode>, Version = VersionCode, XSD-valid`, () => {
      const { root } = readXml(example.bytes, { label: example.file });
      const letter = [...root.children].find((c) => 'name' in c && c.name !== 'Envelope') as Parameters<
        typeof firstChild
      >[0];
      const head = firstChild(letter, 'Letter')!;
      const wrapped = wrapVans(example.bytes, { sender: SENDER, receiver: RECEIVER, label: example.file }, context());
      assert.deepEqual(testSchemas().checkVans(wrapped.bytes, example.file).errors, []);
      const parsed = parseVans(wrapped.bytes, 'wrapped');
      assert.equal(parsed.content.kind, 'message');
      if (parsed.content.kind !== 'message') return;
      assert.equal(parsed.content.meta.document.format, 'XML');
      assert.equal(parsed.content.meta.document.name, `MCM:${textOf(firstChild(head, 'StatisticalCode')!)}`);
      assert.equal(parsed.content.meta.document.version, textOf(firstChild(head, 'VersionCode')!));
      assert.deepEqual(Buffer.from(parsed.content.data), Buffer.from(example.bytes), 'Latin-1 bytes kept as they are');
      assert.equal(messageTypeOfDocument(parsed.content.meta.document), textOf(firstChild(head, 'StatisticalCode')!));
      // A resend of the same letter: a new envelope, the same message identity (dedup on MetaInformation/Identifier).
      const again = wrapVans(
        example.bytes,
        { sender: SENDER, receiver: RECEIVER, label: example.file },
        context('other'),
      );
      assert.notEqual(again.envelope.envelopeIdentifier, parsed.envelopeIdentifier);
      assert.equal(
        again.envelope.content.kind === 'message' && again.envelope.content.meta.identifier,
        parsed.content.meta.identifier,
      );
    });
  }
});

describe('VANSEnvelope parse: the real Region H envelope', () => {
  const bytes = new Uint8Array(readFileSync(VANS_EXAMPLE));

  test('is accepted; its non-UUID ids and zone-less time are reported', () => {
    const envelope = parseVans(bytes, 'regionh.xml');
    assert.equal(envelope.envelopeIdentifier, 'EPIC394319568');
    assert.deepEqual(
      envelope.warnings.map((w) => `${w.code} ${w.location}`),
      [
        'id-not-uuid /VANSEnvelope/EnvelopeIdentifier',
        'time-without-zone /VANSEnvelope/SentDateTime',
        'id-not-uuid /VANSEnvelope/Message/MetaInformation/Identifier',
      ],
    );
    assert.equal(envelope.content.kind, 'message');
    if (envelope.content.kind !== 'message') return;
    assert.equal(
      envelope.content.data.byteLength,
      envelope.content.meta.document.sizeInBytes,
      'SizeInBytes = decoded length',
    );
    assert.equal(
      messageTypeOfDocument(envelope.content.meta.document),
      'XDIS18',
      'Name without the MCM: prefix is read too',
    );
    // The payload is Latin-1 OIOXML without a declaration; the XML layer reads it.
    const letter = readXml(envelope.content.data, { label: 'payload' });
    assert.equal(letter.root.name, 'Emessage');
    assert.equal(letter.hadDeclaration, false);
  });

  test('the XSD rejects it only for the tolerated UUID pattern', () => {
    const check = testSchemas().checkVans(bytes, 'regionh.xml');
    assert.equal(check.valid, true);
    assert.deepEqual(
      check.tolerated.map((i) => i.element),
      ['EnvelopeIdentifier', 'Identifier'],
    );
  });

  test('a receipt for it quotes the original ids unchanged and warns that they are not UUIDs', () => {
    const original = parseVans(bytes, 'regionh.xml');
    const receipt = vansReceiptFor(original, { kind: 'PositiveMessage' }, context());
    assert.deepEqual(
      receipt.envelope.warnings.map((w) => w.code),
      ['id-not-uuid'],
    );
    const check = testSchemas().checkVans(receipt.bytes, 'receipt');
    assert.equal(check.valid, true);
    assert.deepEqual(check.tolerated.map((i) => i.element).sort(), ['Identifier', 'OriginalEnvelopeIdentifier']);
  });
});

describe('VANSEnvelope receipts', () => {
  const cc = officialMessages().find((m) => eventCode(m.bundle) === 'care-communication-message')!;
  const wrapped = wrapVans(cc.bytes, { sender: SENDER, receiver: RECEIVER, label: cc.file }, context('message'));
  const original = parseVans(wrapped.bytes, 'original');

  for (const outcome of [
    { kind: 'PositiveMessage' as const },
    {
      kind: 'NegativeMessage' as const,
      error: { code: 2, description: 'Ukendt modtager (MSG_Receiver_Identifier_UNKNOWN)' },
    },
    { kind: 'NegativeVans' as const, error: { description: 'Mailbox not found' } },
  ]) {
    test(`${outcome.kind}: XSD-valid, addresses swapped, original quoted, parses back`, () => {
      const receipt = vansReceiptFor(original, outcome, context('receipt'));
      assert.deepEqual(testSchemas().checkVans(receipt.bytes, outcome.kind).errors, []);
      const parsed = parseVans(receipt.bytes, 'receipt');
      assert.deepEqual(parsed.warnings, []);
      assert.deepEqual(parsed.sender, original.receiver);
      assert.deepEqual(parsed.receiver, original.sender);
      assert.notEqual(parsed.envelopeIdentifier, original.envelopeIdentifier);
      assert.equal(parsed.content.kind, 'receipt');
      if (parsed.content.kind !== 'receipt' || original.content.kind !== 'message') return;
      const r = parsed.content.receipt;
      assert.equal(r.kind, outcome.kind);
      assert.equal(r.originalEnvelopeIdentifier, original.envelopeIdentifier);
      assert.deepEqual(r.originalMessage, original.content.meta);
      if (r.kind !== 'PositiveMessage' && 'error' in outcome) assert.deepEqual(r.error, outcome.error);
    });
  }

  test('a receipt is never receipted', () => {
    const receipt = vansReceiptFor(original, { kind: 'PositiveMessage' }, context());
    assert.throws(() => vansReceiptFor(receipt.envelope, { kind: 'PositiveMessage' }, context()), /not receipted/);
  });
});

describe('VANSEnvelope parse errors name the input, the place and what was expected', () => {
  const cc = officialMessages().find((m) => eventCode(m.bundle) === 'care-communication-message')!;
  const good = new TextDecoder().decode(
    wrapVans(cc.bytes, { sender: SENDER, receiver: RECEIVER, label: 'cc' }, context()).bytes,
  );
  const cases: [string, string, RegExp, string][] = [
    ['not well-formed', good.replace('</VANSEnvelope>', ''), /./, '/VANSEnvelope'],
    ['damaged base64', good.replace(/<Data>(.{20})/, '<Data>$1*'), /base64/, '/VANSEnvelope/Message/Data'],
    ['missing Data', good.replace(/<Data>[^<]*<\/Data>/, ''), /missing/, '/VANSEnvelope/Message/Data'],
    [
      'wrong namespace',
      good.replace('urn:oio:medcom:vans-envelope:1.0.4', 'urn:example'),
      /VANSEnvelope in namespace/,
      '/VANSEnvelope',
    ],
    [
      'bad EndPointType',
      good.replace('EndPointType="EAN"', 'EndPointType="GLN"'),
      /EAN, CVR or VANS/,
      '/VANSEnvelope/SenderID/@EndPointType',
    ],
  ];
  for (const [name, text, problem, location] of cases) {
    test(name, () => {
      assert.throws(
        () => parseVans(new TextEncoder().encode(text), 'broken.xml'),
        (e: unknown) =>
          e instanceof EnvelopeError &&
          e.label === 'broken.xml' &&
          problem.test(e.problem) &&
          e.location.startsWith(location),
      );
    });
  }
});
