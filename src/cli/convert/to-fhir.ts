// OIOXML → FHIR for `convert --to fhir`: picks the conversion by letter type and supplies what the letter does not
// repeat from the conversion history (the stay's previous notification, the original of a receipted letter).
//   XDIS91 ClinicalEmail            → CareCommunication
//   XDIS20 / XDIS17 notifications   → HospitalNotification (XDIS17 and corrections need the stay's earlier message)
//   XCTL03 / XCTL02 receipts        → one Acknowledgement per receipted letter (XCTL01 is a network signal: refused)
import { isDeepStrictEqual } from 'node:util';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import type { ConversionContext } from '../../oioxml/convert/context.ts';
import { isNotRepresentable, type LossEntry, type NotRepresentable } from '../../oioxml/convert/loss.ts';
import { readEmessage, writeEmessage, type Emessage, type EmessageItem, type Letter } from '../../oioxml/emessage.ts';
import { episodeOfCareFhirId } from '../../oioxml/id-map/episode-of-care.ts';
import { deriveFhirId } from '../../oioxml/id-map/id-map.ts';
import { receiptToAcknowledgements } from '../../oioxml/to-fhir/acknowledgement.ts';
import { clinicalEmailToCareCommunication } from '../../oioxml/to-fhir/care-communication.ts';
import { notificationToHospitalNotification } from '../../oioxml/to-fhir/hospital-notification.ts';
import { RECEIPT_ELEMENT } from '../../oioxml/xctl/receipt.ts';
import {
  previousInStay,
  type ConversionHistory,
  type HistoryRecord,
  type RecordedLetter,
  type StayStep,
} from './history.ts';
import { stayOf } from './stay.ts';

export type ToFhirOutcome =
  | {
      readonly kind: 'converted';
      readonly conversion: string;
      readonly messages: readonly MessageBundle[];
      readonly loss: readonly LossEntry[];
      /** What to remember once the output is accepted. */
      readonly record: HistoryRecord;
    }
  | {
      readonly kind: 'not-representable';
      readonly conversion: string;
      readonly problem: NotRepresentable;
      readonly loss: readonly LossEntry[];
    };

const TARGET: Readonly<Record<Letter['type'], string>> = {
  XDIS91: 'CareCommunication',
  XDIS20: 'HospitalNotification',
  XDIS17: 'HospitalNotification',
  XCTL03: 'Acknowledgement',
  XCTL02: 'Acknowledgement',
  XCTL01: 'Acknowledgement',
};

const ELEMENT: Readonly<Record<Letter['type'], string>> = {
  XDIS91: 'ClinicalEmail',
  XDIS20: 'NotificationOfAdmission',
  XDIS17: 'NotificationOfDischarge',
  ...RECEIPT_ELEMENT,
};

/** Converts every letter of the Emessage (normally one); all or nothing. */
export function emessageToFhir(
  emessage: Emessage,
  context: ConversionContext,
  history: ConversionHistory,
): ToFhirOutcome {
  const types = [...new Set(emessage.items.map((item) => item.letter.type))];
  const conversion = `${types.join(', ')} → ${[...new Set(types.map((t) => TARGET[t]))].join(', ')}`;
  const loss: LossEntry[] = [];
  const messages: MessageBundle[] = [];
  const letters: RecordedLetter[] = [];
  const stays: StayStep[] = [];
  const seen = new Map<string, number>();
  for (const item of emessage.items) {
    const element = ELEMENT[item.letter.type];
    const position = (seen.get(element) ?? 0) + 1;
    seen.set(element, position);
    const many = emessage.items.filter((i) => ELEMENT[i.letter.type] === element).length > 1;
    // Locations in the report name the letter by position only when the Emessage has several of its kind.
    const path = many ? `/Emessage/${element}[${position}]` : undefined;
    const conflict = reusedLetterId(item, path ?? `/Emessage/${element}`, history);
    if (conflict) return { kind: 'not-representable', conversion, problem: conflict, loss };
    const converted = convertLetter(emessage, item, path, context, history);
    loss.push(...converted.loss);
    if (isNotRepresentable(converted.result)) {
      return { kind: 'not-representable', conversion, problem: converted.result, loss };
    }
    messages.push(...converted.result);
    const { ean, letterId } = letterKey(item.letter);
    letters.push({
      ean,
      letterId,
      bytes: writeEmessage({ namespace: emessage.namespace, envelope: emessage.envelope, items: [item] }),
    });
    for (const bundle of converted.result) {
      const stay = stayOf(bundle);
      if (stay) stays.push(stay);
    }
  }
  return { kind: 'converted', conversion, messages, loss, record: { fhirMessages: messages, letters, stays } };
}

function letterKey(letter: Letter): { ean: string; letterId: string } {
  return 'senderEan' in letter
    ? { ean: letter.senderEan, letterId: letter.letter.identifier }
    : { ean: letter.sender.ean, letterId: letter.letter.identifier };
}

/**
 * OIOXML letter ids are unique per sender; a known id on a different letter is not a resend but a clash, and
 * converting it would give the new letter the old letter's MessageHeader.id.
 */
function reusedLetterId(item: EmessageItem, path: string, history: ConversionHistory): NotRepresentable | undefined {
  const { ean, letterId } = letterKey(item.letter);
  const stored = history.letter(ean, letterId);
  if (!stored) return undefined;
  const before = readEmessage(stored, { label: 'history' }).emessage.items[0]?.letter;
  if (isDeepStrictEqual(before, item.letter)) return undefined;
  return {
    kind: 'not-representable',
    source: `${path}/Letter/Identifier`,
    reason: `letter id ${letterId} of sender ${ean} was already converted for a different letter (${before?.type ?? '?'}); OIOXML letter ids must be unique per sender`,
  };
}

function convertLetter(
  emessage: Emessage,
  item: EmessageItem,
  path: string | undefined,
  context: ConversionContext,
  history: ConversionHistory,
): { result: readonly MessageBundle[] | NotRepresentable; loss: readonly LossEntry[] } {
  const { envelope } = emessage;
  const letter = item.letter;
  const at = path ? { path } : {};
  switch (letter.type) {
    case 'XDIS91': {
      const { result, loss } = clinicalEmailToCareCommunication(
        { envelope, letter, hasLocalElements: item.localElements !== undefined, ...at },
        context,
      );
      return { result: isNotRepresentable(result) ? result : [result], loss: loss.entries };
    }
    case 'XDIS20':
    case 'XDIS17': {
      const episode = episodeOfCareFhirId(context.idMap, letter.sender.ean, letter.letter.notificationIdentifier);
      // The MessageHeader.id this letter will get (looked up without binding it: the conversion does that).
      const key = { kind: 'letter', gln: letter.sender.ean, id: letter.letter.identifier } as const;
      const current = context.idMap.findFhirId(key) ?? deriveFhirId(key);
      const previous = previousInStay(history, episode, current);
      const { result, loss } = notificationToHospitalNotification(
        { envelope, letter, item, ...(previous ? { previous } : {}), ...at },
        context,
      );
      return { result: isNotRepresentable(result) ? result : [result], loss: loss.entries };
    }
    default: {
      const { result, loss } = receiptToAcknowledgements(
        { envelope, receipt: letter, ...at },
        (id) => history.fhirMessage(id),
        context,
      );
      return { result: isNotRepresentable(result) ? result : result.map((r) => r.bundle), loss: loss.entries };
    }
  }
}
