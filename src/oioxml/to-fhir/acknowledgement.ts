// XCTL receipts → FHIR Acknowledgement 2.0.x (oioxml.md §9, a proposal): XCTL03 → `ok`; XCTL02 → `fatal-error`, or
// `transient-error` when the refusal text says the problem is technical and temporary, with an OperationOutcome;
// XCTL01 is a network-level signal and never becomes an Acknowledgement.
//
// The receipt answers letters this gateway wrote from FHIR messages. An Acknowledgement must carry the latest
// Provenance of the acknowledged message and its parties, which OIOXML does not repeat, so the caller supplies the
// original FHIR message for each receipted letter (looked up by the MessageHeader.id the id map gives). One
// Acknowledgement per OriginalLetter: a receipt may cover several letters, a FHIR ack covers one message.
import { acknowledge } from '../../messages/acknowledgement/builder.ts';
import type { AcknowledgementIssue, AcknowledgementOutcome } from '../../messages/acknowledgement/codes.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import { seededIds } from '../../messages/ids.ts';
import { fixedClock } from '../../messages/clock.ts';
import type { ConversionContext } from '../convert/context.ts';
import { LossRecorder, notRepresentable, type Conversion } from '../convert/loss.ts';
import { withMessageIds } from '../convert/message-ids.ts';
import { fhirDateTimeOf } from '../convert/wall-clock.ts';
import type { Envelope } from '../model.ts';
import { renderPlainText } from '../text-format.ts';
import { classifyReceipt } from '../xctl/classify.ts';
import { RECEIPT_ELEMENT, type Receipt, type Refusal } from '../xctl/receipt.ts';
import { detailInText, ISSUE_FOR_REFUSE_CODE, isTransientDetail, soundsTransient } from '../xctl/refusal-codes.ts';

export interface ReceiptInput {
  readonly envelope: Envelope;
  readonly receipt: Receipt;
  /** XPath of the receipt element; default `/Emessage/<PositiveReceipt|NegativeReceipt|…>`. */
  readonly path?: string;
}

export interface ReceiptAcknowledgement {
  /** The OriginalLetterIdentifier this Acknowledgement answers for. */
  readonly originalLetterIdentifier: string;
  readonly acknowledgedMessageHeaderId: string;
  readonly bundle: MessageBundle;
}

/** Finds the original FHIR message by its MessageHeader.id (the caller's message store). */
export type OriginalMessages = (messageHeaderId: string) => MessageBundle | undefined;

export function receiptToAcknowledgements(
  input: ReceiptInput,
  originals: OriginalMessages,
  context: ConversionContext,
): Conversion<readonly ReceiptAcknowledgement[]> {
  const loss = new LossRecorder();
  const { envelope, receipt } = input;
  const base = input.path ?? `/Emessage/${RECEIPT_ELEMENT[receipt.type]}`;
  const kind = classifyReceipt(receipt);
  if (kind.level === 'network') {
    return {
      result: notRepresentable(
        base,
        'XCTL01 is a VANS network receipt (the envelope was not delivered); it corresponds to a VANSEnvelope NegativeVans receipt, not to a FHIR Acknowledgement',
      ),
      loss: loss.report(),
    };
  }
  if (receipt.original.letters.length === 0) {
    return {
      result: notRepresentable(
        `${base}/OriginalEmessage`,
        'the receipt names no OriginalLetter; an Acknowledgement needs the message it answers',
      ),
      loss: loss.report(),
    };
  }
  if (envelope.acknowledgementCode === 'pluspositivkvitt') {
    loss.dropped(
      '/Emessage/Envelope/AcknowledgementCode',
      'a receipt asking for a receipt: acknowledgements are never acknowledged (KR2)',
    );
  }
  loss.dropped(
    `${base}/OriginalEmessage/OriginalEnvelopeIdentifier`,
    'an Acknowledgement cites the message, not the transmission',
  );

  const acks: ReceiptAcknowledgement[] = [];
  receipt.original.letters.forEach((letter, i) => {
    const at = `${base}/OriginalEmessage/OriginalLetter${receipt.original.letters.length > 1 ? `[${i + 1}]` : ''}`;
    const headerId = context.idMap.findFhirId({
      kind: 'letter',
      gln: receipt.original.senderEan,
      id: letter.identifier,
    });
    if (!headerId) {
      loss.dropped(
        at,
        `letter ${letter.identifier} from ${receipt.original.senderEan} is not in the id map: it was not written from a FHIR message`,
      );
      return;
    }
    const original = originals(headerId);
    if (!original) {
      loss.dropped(
        at,
        `the FHIR message ${headerId} (letter ${letter.identifier}) is not available; its Provenance is needed`,
      );
      return;
    }
    const outcome = outcomeOf(receipt, letter.refusal ?? receipt.original.refusal, at, loss);
    const seed = `oioxml-receipt:${receipt.senderEan}#${receipt.letter.identifier}#${letter.identifier}`;
    const sentAt = fhirDateTimeOf(envelope.sent);
    const built = acknowledge(original, outcome, { clock: fixedClock(sentAt), ids: seededIds(seed) });
    if (built.kind === 'refused') {
      loss.dropped(at, `no Acknowledgement possible: ${built.problem}`);
      return;
    }
    let bundle = built.bundle;
    // The receipt's own ids name the acknowledgement only when it covers one letter; otherwise each ack keeps its
    // seeded ids (a receipt id cannot stand for several FHIR messages).
    if (receipt.original.letters.length === 1) {
      bundle = withMessageIds(
        bundle,
        context.idMap.fhirIdFor({ kind: 'envelope', gln: receipt.senderEan, id: envelope.identifier }),
        context.idMap.fhirIdFor({ kind: 'letter', gln: receipt.senderEan, id: receipt.letter.identifier }),
      );
      loss.derived('Bundle.id', 'from the id map (receipt Envelope.Identifier)', '/Emessage/Envelope/Identifier');
      loss.derived('MessageHeader.id', 'from the id map (receipt Letter.Identifier)', `${base}/Letter/Identifier`);
    } else {
      loss.changed(
        `${base}/Letter/Identifier`,
        'MessageHeader.id',
        `the receipt covers ${receipt.original.letters.length} letters: one Acknowledgement each, with ids of their own`,
      );
    }
    acks.push({ originalLetterIdentifier: letter.identifier, acknowledgedMessageHeaderId: headerId, bundle });
  });
  if (acks.length === 0) {
    return {
      result: notRepresentable(
        `${base}/OriginalEmessage`,
        'none of the receipted letters has a known original FHIR message',
      ),
      loss: loss.report(),
    };
  }
  return { result: acks, loss: loss.report() };
}

function outcomeOf(
  receipt: Receipt,
  refusal: Refusal | undefined,
  at: string,
  loss: LossRecorder,
): AcknowledgementOutcome {
  if (receipt.type === 'XCTL03') return { code: 'ok' };
  const code = refusal?.code ?? 'ikke_specificeret';
  if (!refusal?.code)
    loss.defaulted('OperationOutcome.issue', 'the receipt gives no RefuseCode: ikke_specificeret assumed', at);
  const shape = ISSUE_FOR_REFUSE_CODE[code];
  const lines = (refusal?.text ? renderPlainText(refusal.text) : '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // A detail this gateway wrote into the text (`MSG_…: …`) is more precise than the RefuseCode.
  const written = lines.length ? detailInText(lines[0]!) : undefined;
  const detail = written?.detail ?? shape.detail;
  const text = (written ? [written.text, ...lines.slice(1)] : lines).filter((line) => line !== '').join('\n');
  if (written)
    loss.derived(
      'OperationOutcome.issue.details.coding',
      `${written.detail} read from the RefuseText`,
      `${at}/RefuseText`,
    );
  const issue: AcknowledgementIssue = {
    severity: 'error',
    code: shape.code,
    ...(detail ? { detail } : {}),
    text: text || `Afvist af modtageren (${code})`,
  };
  const transient = isTransientDetail(detail) || soundsTransient(text);
  loss.changed(
    `${at}/RefuseCode`,
    'MessageHeader.response.code',
    transient
      ? 'XCTL02 does not say whether an error is temporary; the refusal names a temporary problem: transient-error'
      : 'XCTL02 does not say whether an error is temporary: fatal-error (do not resend unchanged)',
  );
  return { code: transient ? 'transient-error' : 'fatal-error', issues: [issue] };
}
