// A FHIR CareCommunication answering an OIOXML XDIS91 letter (oioxml.md §10, CC example k7bfbc0c): a new thread to
// the letter's sender, activity `reply-message`, Provenance entity `lokationsnummer#brevid` pointing at the letter,
// and — when the letter had one — an Encounter returning its EpisodeOfCareIdentifier (GOV 080 SHALL).
import type { BuildContext } from '../../messages/build-context.ts';
import { buildOioxmlLetterReply } from '../../messages/care-communication/build.ts';
import type { Actor, SegmentInput } from '../../messages/care-communication/model.ts';
import type {
  CareCommunicationCategory,
  CareCommunicationPriority,
} from '../../messages/care-communication/vocabulary.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import { isGln, sorUrl, type MessagingParty } from '../../messages/parties.ts';
import type { ConversionContext } from '../convert/context.ts';
import { isNotRepresentable, LossRecorder, type Conversion, type NotRepresentable } from '../convert/loss.ts';
import { buildFhirMessage } from '../convert/message-model.ts';
import { messagingPartyOf } from '../convert/parties.ts';
import { episodeOfCareFhirId } from '../id-map/episode-of-care.ts';
import type { ClinicalEmailInput } from './care-communication.ts';
import { patientOf } from './care-communication.ts';

export interface LetterReplyDraft {
  readonly segments: readonly SegmentInput[];
  readonly category: CareCommunicationCategory;
  readonly priority?: CareCommunicationPriority;
  readonly topic?: string;
  readonly senderActor?: Actor;
  readonly recipient?: Actor;
  /** Our organisation; defaults to the letter's receiver. */
  readonly sender?: MessagingParty;
}

export function replyToLetter(
  input: ClinicalEmailInput,
  draft: LetterReplyDraft,
  context: ConversionContext,
  build: BuildContext,
): Conversion<MessageBundle> {
  const loss = new LossRecorder();
  const done = (result: MessageBundle | NotRepresentable) => loss.conversion(result);
  const { letter } = input;
  const base = input.path ?? '/Emessage/ClinicalEmail';
  const receiver = messagingPartyOf(
    letter.sender,
    `${base}/Sender`,
    context.parties,
    loss,
    'MessageHeader.destination[primary].receiver.resolve()',
  );
  if (isNotRepresentable(receiver)) return done(receiver);
  const sender =
    draft.sender ??
    messagingPartyOf(letter.receiver, `${base}/Receiver`, context.parties, loss, 'MessageHeader.sender.resolve()');
  if (isNotRepresentable(sender)) return done(sender);
  const patient = patientOf(letter.patient, `${base}/Patient`, loss);
  if (isNotRepresentable(patient)) return done(patient);

  // The reference names the letter by its issuer's lokationsnummer; a legacy EAN that is no GLN is replaced by the
  // GLN configured for it (the builder refuses anything else).
  const gln = isGln(letter.sender.ean) ? letter.sender.ean : receiver.gln;
  if (gln !== letter.sender.ean) {
    loss.changed(
      `${base}/Sender/EANIdentifier`,
      'Provenance.entity:preceedingMessage.what.identifier',
      `EAN ${letter.sender.ean} is no GLN; configured ${gln} used`,
    );
  }
  const episodeId = letter.letter.episodeOfCareIdentifier;
  const episodeOfCare = episodeId
    ? {
        identifiers: [
          { system: sorUrl(receiver.sor), value: episodeOfCareFhirId(context.idMap, letter.sender.ean, episodeId) },
        ],
      }
    : undefined;
  return done(
    buildFhirMessage(base, () =>
      buildOioxmlLetterReply(
        {
          sender,
          receiver,
          patient,
          category: draft.category,
          ...(draft.priority !== undefined ? { priority: draft.priority } : {}),
          ...(draft.topic !== undefined ? { topic: draft.topic } : {}),
          segments: draft.segments,
          ...(draft.senderActor ? { senderActor: draft.senderActor } : {}),
          ...(draft.recipient ? { recipient: draft.recipient } : {}),
          ...(episodeOfCare ? { episodeOfCare } : {}),
          letter: { gln, letterId: letter.letter.identifier },
        },
        { context: build },
      ),
    ),
  );
}
