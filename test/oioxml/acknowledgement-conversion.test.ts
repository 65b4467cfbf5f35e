import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acknowledge } from '../../src/messages/acknowledgement/builder.ts';
import { parseAcknowledgement } from '../../src/messages/acknowledgement/parser.ts';
import { fixedClock } from '../../src/messages/clock.ts';
import type { MessageBundle } from '../../src/messages/fhir-types.ts';
import { seededIds } from '../../src/messages/ids.ts';
import type { ConversionContext } from '../../src/oioxml/convert/context.ts';
import { writeEmessage, type Emessage } from '../../src/oioxml/emessage.ts';
import { acknowledgementToReceipt, type ReceiptOriginal } from '../../src/oioxml/from-fhir/receipt.ts';
import { NS_2005 } from '../../src/oioxml/namespaces.ts';
import { renderPlainText } from '../../src/oioxml/text-format.ts';
import { clinicalEmailToCareCommunication } from '../../src/oioxml/to-fhir/care-communication.ts';
import { receiptToAcknowledgements } from '../../src/oioxml/to-fhir/acknowledgement.ts';
import type { ClinicalEmail } from '../../src/oioxml/xdis91/clinical-email.ts';
import { classifyReceipt } from '../../src/oioxml/xctl/classify.ts';
import type { Receipt } from '../../src/oioxml/xctl/receipt.ts';
import { ACK, officialExamples } from '../support/shared.ts';
import {
  assertValidFhir,
  conversionContext,
  converted,
  onlyLetter,
  readExample,
  refused,
} from './conversion-support.ts';
import { testSchemas } from './support.ts';

/** DIS91_1 (Hillerød → GP; mapped to the GLNs of the official ACK examples' parties), asking for a positive receipt. */
function letter(
  identifier = 'BrevNr00129',
  acknowledgementCode: 'pluspositivkvitt' | 'minuspositivkvitt' = 'pluspositivkvitt',
): ReceiptOriginal {
  const emessage = readExample('xdis91', 'edifact_converter__DIS91_1');
  const original = onlyLetter<ClinicalEmail>(emessage);
  return {
    envelope: { ...emessage.envelope, acknowledgementCode },
    letter: { ...original, letter: { ...original.letter, identifier } },
  };
}

/** The letter's FHIR twin: what the FHIR receiver got and acknowledges. */
function twin(original: ReceiptOriginal, context: ConversionContext): MessageBundle {
  return converted(
    clinicalEmailToCareCommunication(
      { envelope: original.envelope, letter: original.letter as ClinicalEmail },
      context,
    ),
    'twin',
  );
}

function xsdValid(emessage: Emessage, label: string): void {
  assert.deepEqual(testSchemas().validate(NS_2005, writeEmessage(emessage), { label }).issues, []);
}

const at = { clock: fixedClock('1998-12-14T10:00:00+01:00'), ids: seededIds('ack-test') };

describe('FHIR Acknowledgement → XCTL receipt', () => {
  it('ok → XCTL03 for a letter that asked for it (pluspositivkvitt), from the letter receiver to its sender', () => {
    const context = conversionContext();
    const original = letter();
    const cc = twin(original, context);
    const ack = acknowledge(cc, { code: 'ok' }, at);
    assert.equal(ack.kind, 'acknowledgement');
    const emessage = converted(
      acknowledgementToReceipt(ack.kind === 'acknowledgement' ? ack.bundle : undefined, original, context),
      'XCTL03',
    ) as Emessage;
    xsdValid(emessage, 'XCTL03');
    const receipt = onlyLetter<Receipt>(emessage);
    assert.equal(receipt.type, 'XCTL03');
    assert.equal(receipt.senderEan, '5790000128700');
    assert.equal(receipt.receiverEan, '5790000120400');
    assert.deepEqual(receipt.original.letters, [{ identifier: 'BrevNr00129', versionCode: 'XD9134L' }]);
    assert.equal(receipt.original.envelopeIdentifier, 'KuvertNr012234');
    assert.equal(emessage.envelope.acknowledgementCode, 'minuspositivkvitt');
  });

  it('ok for a letter with minuspositivkvitt: no receipt', () => {
    const context = conversionContext();
    const original = letter('BrevNr00129', 'minuspositivkvitt');
    const ack = acknowledge(twin(original, context), { code: 'ok' }, at);
    const result = acknowledgementToReceipt(ack.kind === 'acknowledgement' ? ack.bundle : undefined, original, context);
    assert.deepEqual(result.result, { kind: 'no-receipt-requested' });
  });

  it('fatal-error → XCTL02 with the RefuseCode of the issue detail and its text', () => {
    const context = conversionContext();
    const original = letter();
    const ack = acknowledge(
      twin(original, context),
      {
        code: 'fatal-error',
        issues: [
          {
            severity: 'error',
            code: 'value',
            detail: 'MSG_Receiver_Identifier_UNKNOWN',
            text: 'Modtager ukendt – tjek SOR',
          },
        ],
      },
      at,
    );
    const emessage = converted(
      acknowledgementToReceipt(ack.kind === 'acknowledgement' ? ack.bundle : undefined, original, context),
      'XCTL02',
    ) as Emessage;
    xsdValid(emessage, 'XCTL02');
    const refusal = onlyLetter<Receipt>(emessage).original.letters[0]!.refusal!;
    assert.equal(refusal.code, 'ukendt_lokationsnummer');
    assert.equal(renderPlainText(refusal.text!), 'MSG_Receiver_Identifier_UNKNOWN: Modtager ukendt - tjek SOR');
  });

  it('refuses an Acknowledgement of another message', () => {
    const context = conversionContext();
    const ack = acknowledge(twin(letter('BrevNr00129'), context), { code: 'ok' }, at);
    twin(letter('BrevNr00777'), context);
    const reason = refused(
      acknowledgementToReceipt(ack.kind === 'acknowledgement' ? ack.bundle : undefined, letter('BrevNr00777'), context),
    );
    assert.equal(reason.source, 'MessageHeader.response.identifier');
  });
});

describe('XCTL receipt → FHIR Acknowledgement', () => {
  it('XCTL01 is classified as a network receipt and never becomes an Acknowledgement', () => {
    const emessage = readExample('xctl', 'edifact_converter__CTL01');
    const receipt = onlyLetter<Receipt>(emessage);
    assert.deepEqual(classifyReceipt(receipt), { type: 'XCTL01', level: 'network', positive: false });
    const reason = refused(
      receiptToAcknowledgements({ envelope: emessage.envelope, receipt }, () => undefined, conversionContext()),
    );
    assert.match(reason.reason, /VANS network receipt/);
  });

  it('receipts for letters this gateway did not write from FHIR have no Acknowledgement (the shared EDIFACT receipts)', () => {
    for (const prefix of ['edifact_converter__CTL02', 'edifact_converter__CTL03']) {
      const emessage = readExample('xctl', prefix);
      const receipt = onlyLetter<Receipt>(emessage);
      assert.equal(classifyReceipt(receipt).level, 'application');
      const conversion = receiptToAcknowledgements(
        { envelope: emessage.envelope, receipt },
        () => undefined,
        conversionContext(),
      );
      refused(conversion);
      assert.ok(conversion.loss.entries.some((e) => /is not in the id map/.test(e.detail)));
    }
  });

  it("the shared XCTL02 (Horsens: problem_med_version), aimed at our letter, → fatal-error with MedCom's detail code", () => {
    const context = conversionContext();
    const original = letter();
    const cc = twin(original, context);
    const emessage = readExample('xctl', 'edifact_converter__CTL02');
    const shared = onlyLetter<Receipt>(emessage);
    const receipt: Receipt = {
      ...shared,
      original: {
        ...shared.original,
        envelopeIdentifier: original.envelope.identifier,
        senderEan: original.letter.sender.ean,
        receiverEan: original.letter.receiver.ean,
        letters: [{ ...shared.original.letters[0]!, identifier: original.letter.letter.identifier }],
      },
    };
    const conversion = receiptToAcknowledgements(
      { envelope: emessage.envelope, receipt },
      (id) => (id === cc.entry[0]!.resource.id ? cc : undefined),
      context,
    );
    const [ack] = converted(conversion, 'CTL02');
    assertValidFhir(ack!.bundle, 'ack from XCTL02');
    const read = parseAcknowledgement(ack!.bundle);
    assert.equal(read.code, 'fatal-error');
    assert.equal(read.acknowledgedMessageHeaderId, cc.entry[0]!.resource.id);
    assert.equal(read.issues[0]!.detail, 'MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE');
    assert.match(read.issues[0]!.text!, /^EDI-brev med nummeret 1111MAN01095.*\nMed venlig hilsen\nIT-Hotline/s);
    assert.equal(read.provenance.length, 2);
  });

  it('a refusal text naming a technical problem gives transient-error', () => {
    const context = conversionContext();
    const original = letter();
    const cc = twin(original, context);
    const receipt: Receipt = {
      type: 'XCTL02',
      letter: { identifier: 'R1', statisticalCode: 'XCTL02' },
      senderEan: original.letter.receiver.ean,
      receiverEan: original.letter.sender.ean,
      original: {
        envelopeIdentifier: original.envelope.identifier,
        senderEan: original.letter.sender.ean,
        receiverEan: original.letter.receiver.ean,
        letters: [
          {
            identifier: 'BrevNr00129',
            versionCode: 'XD9134L',
            refusal: { code: 'ikke_specificeret', text: ['Systemet er midlertidigt ude af drift'] },
          },
        ],
      },
    };
    const [ack] = converted(
      receiptToAcknowledgements({ envelope: original.envelope, receipt }, () => cc, context),
      'transient',
    );
    assertValidFhir(ack!.bundle, 'transient ack');
    assert.equal(parseAcknowledgement(ack!.bundle).code, 'transient-error');
  });
});

describe('Acknowledgement → XCTL → Acknowledgement on the official ACK 2.0.3 examples', () => {
  // The examples acknowledge CareCommunications that are not published; their letters are DIS91_1 copies whose ids
  // the id map binds to the acknowledged MessageHeader ids, so the letter's FHIR twin is the acknowledged message.
  const cases: [string, string, string][] = [
    ['a8c041b8', 'ok', 'BrevNr00129'],
    ['bc9535ef', 'fatal-error', 'BrevNr00130'],
    ['c9c2b2f6', 'transient-error', 'BrevNr00130'],
  ];
  for (const [prefix, code, letterId] of cases) {
    it(`${prefix} (${code})`, () => {
      const ackBundle = officialExamples(ACK, `Bundle-${prefix}`)[0]!.resource;
      const official = parseAcknowledgement(ackBundle);
      const context = conversionContext();
      const original = letter(letterId);
      context.idMap.bind(
        { kind: 'letter', gln: original.letter.sender.ean, id: letterId },
        official.acknowledgedMessageHeaderId,
      );
      const cc = twin(original, context);
      assert.equal(cc.entry[0]!.resource.id, official.acknowledgedMessageHeaderId);

      const emessage = converted(acknowledgementToReceipt(ackBundle, original, context), prefix) as Emessage;
      xsdValid(emessage, prefix);
      const receipt = onlyLetter<Receipt>(emessage);
      assert.equal(receipt.type, code === 'ok' ? 'XCTL03' : 'XCTL02');

      const [ack] = converted(
        receiptToAcknowledgements({ envelope: emessage.envelope, receipt }, () => cc, context),
        `${prefix} back`,
      );
      assertValidFhir(ack!.bundle, `${prefix} back`);
      const back = parseAcknowledgement(ack!.bundle);
      assert.equal(back.code, official.code);
      assert.equal(back.acknowledgedMessageHeaderId, official.acknowledgedMessageHeaderId);
      assert.equal(back.messageHeaderId, official.messageHeaderId, 'the id map returns the original ack ids');
      assert.equal(back.bundleId, official.bundleId);
      assert.equal(back.sender.party.sor, official.sender.party.sor);
      assert.equal(back.receiver.party.gln, official.receiver.party.gln);
      assert.deepEqual(
        back.issues.map((i) => i.detail),
        official.issues.map((i) => i.detail),
      );
    });
  }
});

describe('the official empty-message example', () => {
  it('is no Acknowledgement and gives no receipt', () => {
    const bundle = officialExamples(ACK, 'Bundle-eb26be85')[0]!.resource;
    const reason = refused(acknowledgementToReceipt(bundle, letter(), conversionContext()));
    assert.match(reason.reason, /not a readable Acknowledgement/);
  });
});

describe('XCTL → Acknowledgement → XCTL on the shared receipts', () => {
  // The shared XCTL02/03 receipt EDIFACT letters (H0130R) this gateway never wrote; aimed at a letter it did write
  // from a FHIR message, they round-trip. XCTL01 is a network receipt and has no FHIR side (tested above).
  for (const prefix of ['edifact_converter__CTL02', 'edifact_converter__CTL03']) {
    it(`${prefix}: the same receipt comes back, RefuseText prefixed with the issue detail`, () => {
      const context = conversionContext();
      const original = letter();
      const cc = twin(original, context);
      const emessage = readExample('xctl', prefix);
      const shared = onlyLetter<Receipt>(emessage);
      const aimed: Receipt = {
        ...shared,
        senderEan: original.letter.receiver.ean,
        receiverEan: original.letter.sender.ean,
        original: {
          ...shared.original,
          envelopeIdentifier: original.envelope.identifier,
          senderEan: original.letter.sender.ean,
          receiverEan: original.letter.receiver.ean,
          letters: [
            { ...shared.original.letters[0]!, identifier: original.letter.letter.identifier, versionCode: 'XD9134L' },
          ],
        },
      };
      const [ack] = converted(
        receiptToAcknowledgements({ envelope: emessage.envelope, receipt: aimed }, () => cc, context),
        prefix,
      );
      assertValidFhir(ack!.bundle, `${prefix} ack`);
      const back = converted(acknowledgementToReceipt(ack!.bundle, original, context), `${prefix} back`) as Emessage;
      xsdValid(back, `${prefix} back`);
      assert.equal(back.envelope.identifier, emessage.envelope.identifier);
      assert.deepEqual(back.envelope.sent, emessage.envelope.sent);
      const receipt = onlyLetter<Receipt>(back);
      const { refusal: sharedRefusal, ...sharedLetter } = aimed.original.letters[0]!;
      const { refusal: backRefusal, ...backLetter } = receipt.original.letters[0]!;
      assert.deepEqual(
        { ...receipt, original: { ...receipt.original, letters: [backLetter] } },
        {
          ...aimed,
          original: { ...aimed.original, letters: [sharedLetter] },
        },
      );
      assert.equal(backRefusal?.code, sharedRefusal?.code);
      if (sharedRefusal?.text) {
        const lines = (text: string) =>
          text
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l !== '');
        const backLines = lines(renderPlainText(backRefusal!.text!));
        assert.match(backLines[0]!, /^MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE: /);
        backLines[0] = backLines[0]!.replace(/^MSG_[A-Za-z_]+: /, '');
        assert.deepEqual(backLines, lines(renderPlainText(sharedRefusal.text)));
      }
    });
  }
});
