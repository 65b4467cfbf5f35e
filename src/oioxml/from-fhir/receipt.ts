// FHIR Acknowledgement 2.0.x → XCTL receipt for the OIOXML letter the acknowledged message was converted from
// (oioxml.md §9 gateway rules): `ok` → XCTL03 PositiveReceipt, but only when the letter asked for one
// (pluspositivkvitt); `fatal-error` / `transient-error` → XCTL02 NegativeReceipt, always. The receipt is written by
// the letter's receiver to its sender; it names the letter and the envelope it came in, which the caller supplies
// (the Acknowledgement only knows the MessageHeader.id).
import { parseAcknowledgement } from '../../messages/acknowledgement/parser.ts';
import type { ConversionContext } from '../convert/context.ts';
import { toLatin1 } from '../convert/latin1.ts';
import {
  isNotRepresentable,
  LossRecorder,
  notRepresentable,
  type Conversion,
  type NotRepresentable,
} from '../convert/loss.ts';
import { readFhirMessage } from '../convert/message-model.ts';
import { wallClockOf } from '../convert/wall-clock.ts';
import { singleLetter, type Emessage, type Letter } from '../emessage.ts';
import type { BreakableNode } from '../formatted-text.ts';
import type { Envelope } from '../model.ts';
import { NS_2005 } from '../namespaces.ts';
import { fromPlainText } from '../text-format.ts';
import type { Receipt } from '../xctl/receipt.ts';
import { refuseCodeFor } from '../xctl/refusal-codes.ts';

/** The OIOXML letter the acknowledged FHIR message was converted from. */
export interface ReceiptOriginal {
  readonly envelope: Envelope;
  readonly letter: Exclude<Letter, Receipt>;
}

/** An `ok` for a letter whose sender did not ask for a positive receipt: nothing is to be sent. */
export interface NoReceiptRequested {
  readonly kind: 'no-receipt-requested';
}

const VERSION_CODE: Readonly<Record<string, string>> = { XDIS91: 'XD9134L', XDIS20: 'XD2030C', XDIS17: 'XD1730C' };

export function acknowledgementToReceipt(
  value: unknown,
  original: ReceiptOriginal,
  context: ConversionContext,
): Conversion<Emessage | NoReceiptRequested> {
  const loss = new LossRecorder();
  const done = (result: Emessage | NoReceiptRequested | NotRepresentable) => loss.conversion(result);
  const ack = readFhirMessage('Acknowledgement', () => parseAcknowledgement(value));
  if (isNotRepresentable(ack)) return done(ack);
  const { envelope, letter } = original;
  const expected = context.idMap.findFhirId({ kind: 'letter', gln: letter.sender.ean, id: letter.letter.identifier });
  if (expected !== ack.acknowledgedMessageHeaderId) {
    return done(
      notRepresentable(
        'MessageHeader.response.identifier',
        `the Acknowledgement answers MessageHeader ${ack.acknowledgedMessageHeaderId}, not the message letter ${letter.letter.identifier} became`,
      ),
    );
  }
  if (ack.code === 'ok' && envelope.acknowledgementCode !== 'pluspositivkvitt') {
    loss.dropped('MessageHeader.response.code', 'ok: the letter asked for no positive receipt (minuspositivkvitt)');
    return done({ kind: 'no-receipt-requested' });
  }

  const type = ack.code === 'ok' ? 'XCTL03' : 'XCTL02';
  const base = `/Emessage/${type === 'XCTL03' ? 'PositiveReceipt' : 'NegativeReceipt'}`;
  // The receipt goes from the letter's receiver back to its sender.
  const senderEan = letter.receiver.ean;
  const receiverEan = letter.sender.ean;
  const sent = wallClockOf(ack.timestamp, false);
  if (!sent) return done(notRepresentable('Bundle.timestamp', 'no readable send time'));
  if (sent.lost.length)
    loss.changed(
      'Bundle.timestamp',
      '/Emessage/Envelope/Sent',
      `Copenhagen wall-clock time; lost: ${sent.lost.join(', ')}`,
    );

  let refusal: Receipt['original']['letters'][number]['refusal'];
  if (type === 'XCTL02') {
    if (ack.code === 'transient-error') {
      loss.changed(
        'MessageHeader.response.code',
        `${base}/OriginalEmessage/OriginalLetter`,
        'transient-error: XCTL02 cannot say that the error is temporary',
      );
    }
    const first = ack.issues[0];
    const code = refuseCodeFor(first?.detail);
    if (first?.detail && code === 'ikke_specificeret') {
      loss.changed(
        'OperationOutcome.issue.details.coding',
        `${base}/OriginalEmessage/OriginalLetter/RefuseCode`,
        `${first.detail} has no RefuseCode: ikke_specificeret, the code is written into RefuseText`,
      );
    }
    if (ack.issues.length > 1)
      loss.changed(
        'OperationOutcome.issue',
        `${base}/OriginalEmessage/OriginalLetter/RefuseText`,
        `${ack.issues.length} issues written one per line`,
      );
    const lines = ack.issues
      .map((issue) => [issue.detail, issue.text].filter(Boolean).join(': '))
      .filter((line) => line !== '');
    const latin = toLatin1(lines.join('\n'));
    if (latin.replaced.length)
      loss.changed(
        'OperationOutcome.issue.details.text',
        `${base}/OriginalEmessage/OriginalLetter/RefuseText`,
        'characters outside ISO-8859-1 replaced',
      );
    const text = fromPlainText(latin.text) as BreakableNode[];
    refusal = { code, ...(text.length ? { text } : {}) };
  }

  const receipt: Receipt = {
    type,
    letter: {
      identifier: context.idMap.oioxmlIdFor('letter', senderEan, ack.messageHeaderId).id,
      statisticalCode: type,
    },
    senderEan,
    receiverEan,
    original: {
      envelopeIdentifier: envelope.identifier,
      senderEan: letter.sender.ean,
      receiverEan: letter.receiver.ean,
      letters: [
        {
          identifier: letter.letter.identifier,
          versionCode: VERSION_CODE[letter.type]!,
          ...(refusal ? { refusal } : {}),
        },
      ],
    },
  };
  loss.derived(
    `${base}/Letter/Identifier`,
    'from the id map (MessageHeader.id of the Acknowledgement)',
    'MessageHeader.id',
  );
  loss.derived('/Emessage/Envelope/Identifier', 'from the id map (Bundle.id of the Acknowledgement)', 'Bundle.id');
  loss.dropped('Provenance', "the Acknowledgement's Provenances have no place in a receipt");
  const emessage = singleLetter(
    NS_2005,
    {
      sent: sent.value,
      identifier: context.idMap.oioxmlIdFor('envelope', senderEan, ack.bundleId).id,
      // Receipts are never receipted.
      acknowledgementCode: 'minuspositivkvitt',
    },
    receipt,
  );
  return done(emessage);
}
