// FHIR → OIOXML for `convert --to oioxml`: picks the conversion by the message's event code and supplies what the
// message does not carry from the conversion history.
//   CareCommunication     → XDIS91 ClinicalEmail
//   HospitalNotification  → XDIS20 / XDIS17 (STAA and leave notifications are not representable)
//   Acknowledgement       → XCTL03 / XCTL02 for the OIOXML letter the acknowledged message was converted from
import { parseAcknowledgement } from '../../messages/acknowledgement/parser.ts';
import { MessageModelError } from '../../messages/errors.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import { parseHospitalNotification } from '../../messages/hospital-notification/parser.ts';
import type { ConversionContext } from '../../oioxml/convert/context.ts';
import {
  isNotRepresentable,
  notRepresentable,
  type LossEntry,
  type NotRepresentable,
} from '../../oioxml/convert/loss.ts';
import { readEmessage, writeEmessage, type Emessage, type Letter } from '../../oioxml/emessage.ts';
import { careCommunicationToClinicalEmail } from '../../oioxml/from-fhir/clinical-email.ts';
import { hospitalNotificationToNotification } from '../../oioxml/from-fhir/notification.ts';
import { acknowledgementToReceipt, type ReceiptOriginal } from '../../oioxml/from-fhir/receipt.ts';
import type { Receipt } from '../../oioxml/xctl/receipt.ts';
import { messageTypeOf } from '../../validation/message-types.ts';
import type { ConversionHistory, HistoryRecord, RecordedLetter } from './history.ts';
import { stayOf } from './stay.ts';

export type ToOioxmlOutcome =
  | {
      readonly kind: 'converted';
      readonly conversion: string;
      readonly emessage: Emessage;
      readonly loss: readonly LossEntry[];
      /** Notes for the user that are not losses (e.g. which letter a reply answers). */
      readonly notes: readonly string[];
      readonly record: HistoryRecord;
    }
  | {
      readonly kind: 'not-representable';
      readonly conversion: string;
      readonly problem: NotRepresentable;
      readonly loss: readonly LossEntry[];
    }
  | {
      /** An `ok` for a letter whose sender asked for no positive receipt: correct, and nothing to send. */
      readonly kind: 'nothing-to-send';
      readonly conversion: string;
      readonly reason: string;
      readonly loss: readonly LossEntry[];
    };

export function fhirToOioxml(
  bundle: MessageBundle,
  context: ConversionContext,
  history: ConversionHistory,
): ToOioxmlOutcome {
  const type = messageTypeOf(bundle);
  switch (type) {
    case 'care-communication-message': {
      const conversion = 'CareCommunication → XDIS91';
      const { result, loss } = careCommunicationToClinicalEmail(bundle, context);
      if (isNotRepresentable(result))
        return { kind: 'not-representable', conversion, problem: result, loss: loss.entries };
      const notes = result.inReplyTo
        ? [`the message answers OIOXML letter ${result.inReplyTo.letterId} of ${result.inReplyTo.ean}`]
        : [];
      return converted(conversion, bundle, result.emessage, loss.entries, notes);
    }
    case 'hospital-notification-message': {
      // The notification this one follows (its Provenance names it): for a cancellation's discharge time and to
      // tell MORS from RE_MORS.
      let previous: MessageBundle | undefined;
      try {
        const predecessor = parseHospitalNotification(bundle).predecessor?.target;
        if (predecessor?.kind === 'message') previous = history.fhirMessage(predecessor.messageHeaderId);
      } catch (error) {
        if (!(error instanceof MessageModelError)) throw error;
        // Unreadable: the conversion below reports why.
      }
      const previousDeceased = previous ? deceasedIn(previous) : undefined;
      const { result, loss } = hospitalNotificationToNotification(bundle, context, {
        ...(previous ? { previous } : {}),
        ...(previousDeceased !== undefined ? { previousDeceased } : {}),
      });
      const conversion = `HospitalNotification → ${isNotRepresentable(result) ? 'XDIS20/XDIS17' : result.items[0]!.letter.type}`;
      if (isNotRepresentable(result))
        return { kind: 'not-representable', conversion, problem: result, loss: loss.entries };
      return converted(conversion, bundle, result, loss.entries, []);
    }
    case 'acknowledgement-message': {
      const original = originalLetter(bundle, context, history);
      const conversion = 'Acknowledgement → XCTL';
      if (isNotRepresentable(original)) return { kind: 'not-representable', conversion, problem: original, loss: [] };
      const { result, loss } = acknowledgementToReceipt(bundle, original, context);
      if (isNotRepresentable(result))
        return { kind: 'not-representable', conversion, problem: result, loss: loss.entries };
      if ('kind' in result) {
        return {
          kind: 'nothing-to-send',
          conversion,
          reason: `the acknowledgement is ok and letter ${original.letter.letter.identifier} asked for no positive receipt (minuspositivkvitt): no XCTL03 is sent`,
          loss: loss.entries,
        };
      }
      const type = (result.items[0]!.letter as Receipt).type;
      return converted(`Acknowledgement → ${type}`, bundle, result, loss.entries, []);
    }
    default:
      return {
        kind: 'not-representable',
        conversion: 'FHIR → OIOXML',
        problem: notRepresentable(
          'Bundle.entry[0].resource.eventCoding.code',
          'not a CareCommunication, HospitalNotification or Acknowledgement message, the types that have an OIOXML counterpart',
        ),
        loss: [],
      };
  }
}

function converted(
  conversion: string,
  input: MessageBundle,
  emessage: Emessage,
  loss: readonly LossEntry[],
  notes: readonly string[],
): ToOioxmlOutcome {
  const letters: RecordedLetter[] = emessage.items.map((item) => ({
    ...senderAndId(item.letter),
    bytes: writeEmessage({ ...emessage, items: [item] }),
  }));
  const stay = stayOf(input);
  return {
    kind: 'converted',
    conversion,
    emessage,
    loss,
    notes,
    record: { fhirMessages: [input], letters, stays: stay ? [stay] : [] },
  };
}

function senderAndId(letter: Letter): { ean: string; letterId: string } {
  return { ean: 'senderEan' in letter ? letter.senderEan : letter.sender.ean, letterId: letter.letter.identifier };
}

function deceasedIn(bundle: MessageBundle): boolean | undefined {
  try {
    return parseHospitalNotification(bundle).patient.deceased;
  } catch (error) {
    if (error instanceof MessageModelError) return undefined;
    throw error;
  }
}

/** The OIOXML letter whose FHIR twin the Acknowledgement answers: id map (MessageHeader.id → letter id) + history. */
function originalLetter(
  bundle: MessageBundle,
  context: ConversionContext,
  history: ConversionHistory,
): ReceiptOriginal | NotRepresentable {
  let acknowledged: string;
  try {
    acknowledged = parseAcknowledgement(bundle).acknowledgedMessageHeaderId;
  } catch (error) {
    if (error instanceof MessageModelError) {
      return notRepresentable(
        error.location,
        `not a readable Acknowledgement: ${error.problem} (expected ${error.expected})`,
      );
    }
    throw error;
  }
  const letterId = context.idMap.findOioxmlId('letter', acknowledged);
  const bytes = letterId ? history.letter(letterId.gln, letterId.id) : undefined;
  if (!letterId || !bytes) {
    return notRepresentable(
      'MessageHeader.response.identifier',
      `the acknowledged message ${acknowledged} was not converted from an OIOXML letter known to this converter; ` +
        'an XCTL receipt must name the letter and its envelope (keep state between runs with the idMapDatabase setting)',
    );
  }
  const { emessage } = readEmessage(bytes, { label: `history ${letterId.gln}#${letterId.id}` });
  const item = emessage.items.find((i) => senderAndId(i.letter).letterId === letterId.id);
  if (!item || 'senderEan' in item.letter) {
    return notRepresentable(
      'MessageHeader.response.identifier',
      `the acknowledged message ${acknowledged} corresponds to ${letterId.id}, which is not a letter that takes a receipt`,
    );
  }
  return { envelope: emessage.envelope, letter: item.letter };
}
