/**
 * The CareCommunication model: what a caller hands the builders (drafts) and what the parser hands back (a read
 * message). Both speak in domain terms — segments, authors, parties — never in FHIR paths, so a UI or a converter can
 * use them without knowing how MedCom slices `Communication.payload`.
 */
import type { Identifier } from '../fhir-types.ts';
import type { BundledParty } from '../message-header.ts';
import type { MessagingParty, PatientInfo } from '../parties.ts';
import type { ProvenanceLink } from '../provenance.ts';
import type {
  AttachmentMimeType,
  CareCommunicationActivity,
  CareCommunicationCategory,
  CareCommunicationPriority,
} from './vocabulary.ts';

/** A role from MedCom's PractitionerRoles code systems, or free text — never both (CC-7). */
export type AuthorRole =
  { readonly code: string; readonly system?: string; readonly display?: string } | { readonly text: string };

/** A person who wrote a segment or sends the message: Practitioner (name, CC-4/CC-8) + PractitionerRole. */
export interface Author {
  readonly name: { readonly family: string; readonly given?: readonly string[] };
  readonly role: AuthorRole;
}

/**
 * Who inside an organisation sends or receives the message (`Communication.extension:sender` / `.recipient`):
 * a practitioner in a role, or a care team. Its organisation is always the MessageHeader sender resp. receiver
 * (CC-11/CC-12), so it is not given here.
 */
export type Actor =
  { readonly kind: 'practitioner'; readonly author: Author } | { readonly kind: 'careTeam'; readonly name: string };

/** A text segment: author, phone and time are mandatory for text (payload:string slice). */
export interface TextSegmentInput {
  readonly kind: 'text';
  /** Plain text; line breaks as `\n`. No length limit exists, only the message size limit. */
  readonly text: string;
  readonly author: Author;
  /** The author's phone number (contact extension, system phone). */
  readonly phone: string;
  /** When the user pressed send; defaults to the message time. */
  readonly time?: string;
}

/** An attachment segment: a file (`data`, base64) or a link (`url`), never both, and a title (no automatic ".pdf"). */
export interface AttachmentSegmentInput {
  readonly kind: 'attachment';
  readonly contentType: AttachmentMimeType;
  readonly title: string;
  /** Base64 of the file. */
  readonly data?: string;
  readonly url?: string;
  /** When the document was made (Attachment.creation). */
  readonly creation?: string;
  readonly author?: Author;
  readonly phone?: string;
  readonly time?: string;
}

export type SegmentInput = TextSegmentInput | AttachmentSegmentInput;

/**
 * Episode-of-care identifiers received earlier (HN, OIOXML, CC) that SHALL be returned (GOV 080), carried by an
 * Encounter that `Communication.encounter` points to (CC-9). Status and class describe the stay when known; a sender
 * that only returns the ids says `unknown` / MedCom `other`.
 */
export interface EpisodeOfCareInput {
  readonly identifiers: readonly Identifier[];
  /** Encounter.status (R4 encounter-status); default `unknown`. */
  readonly status?: string;
  /** Encounter.class; default MedCom `other`. */
  readonly class?: { readonly system: string; readonly code: string };
}

/** The parts of a CareCommunication a sender decides for every message. */
export interface DraftCommon {
  /** The segments this message adds; at least one (Provenance entity:payload is 1..*). */
  readonly segments: readonly SegmentInput[];
  /** The person or team sending (Communication.extension:sender). */
  readonly senderActor?: Actor;
  /** The person or team addressed (Communication.recipient). */
  readonly recipient?: Actor;
  readonly episodeOfCare?: EpisodeOfCareInput;
}

/** A message that starts a thread. */
export interface NewCareCommunication extends DraftCommon {
  readonly sender: MessagingParty;
  readonly receiver: MessagingParty;
  readonly patient: PatientInfo;
  readonly category: CareCommunicationCategory;
  /** Only with category `regarding-referral` (CC-5). */
  readonly priority?: CareCommunicationPriority;
  /** Mandatory with category `other` (CC-6). */
  readonly topic?: string;
}

/** A new thread that answers an OIOXML/EDIFACT letter (XDIS91): activity `reply-message`, entity `GLN#brevid`. */
export interface OioxmlLetterReply extends NewCareCommunication {
  readonly letter: { readonly gln: string; readonly letterId: string };
}

/**
 * Settings a reply or forward may change; anything left out is taken over from the previous message
 * (category, topic and priority — CC TestScripts change category/topic on replies and forwards).
 */
export interface FollowUpCommon extends DraftCommon {
  /** Our organisation; defaults to the previous message's receiver. */
  readonly sender?: MessagingParty;
  readonly category?: CareCommunicationCategory;
  readonly priority?: CareCommunicationPriority;
  readonly topic?: string;
  /**
   * Whether to repeat the previous message's episode-of-care identifiers when `episodeOfCare` is not given
   * (default true: GOV 080 says received identifiers SHALL be returned).
   */
  readonly keepEpisodeOfCare?: boolean;
}

/**
 * A reply: same thread, addressed to the previous message's sender (its `source.endpoint`). A received
 * `extension:sender` becomes the reply's `recipient` unless `recipient` is given (CC rule 7).
 */
export type CareCommunicationReply = FollowUpCommon;

/** A forward: a new thread to a third organisation, with the segments' data kept. */
export interface CareCommunicationForward extends FollowUpCommon {
  readonly receiver: MessagingParty;
  /**
   * Segment identifiers (`urn:uuid:…`) to forward; all segments when absent. Only the Provenances that added the
   * chosen segments travel along.
   */
  readonly selectedSegmentIds?: readonly string[];
}

/** The author of a segment as read from a message. */
export interface ReadAuthor {
  readonly name: { readonly family?: string; readonly given?: readonly string[] };
  /** Role coding and/or text as received (CC-7 demands exactly one, received data may differ). */
  readonly role: { readonly code?: string; readonly system?: string; readonly text?: string };
  /** The PractitionerRole's organisation, when stated. */
  readonly organization?: MessagingParty;
}

export interface ReadAttachment {
  readonly contentType?: string;
  readonly title?: string;
  readonly creation?: string;
  readonly url?: string;
  /** Base64 content; absent on attachments repeated in replies. */
  readonly data?: string;
}

/** One payload segment as read. */
export interface Segment {
  /** Segment identifier value (`urn:uuid:…`); empty when the sender left it out. */
  readonly id: string;
  readonly kind: 'text' | 'attachment';
  readonly text?: string;
  readonly attachment?: ReadAttachment;
  readonly author?: ReadAuthor;
  readonly phone?: string;
  /** The datetime extension, as written. */
  readonly time?: string;
  /** The organisation that first added the segment (identifier assigner). */
  readonly assigner?: MessagingParty;
  /** Index in Communication.payload. */
  readonly index: number;
}

/** `extension:sender` or `recipient` as read. */
export type ReadActor =
  | { readonly kind: 'practitioner'; readonly author: ReadAuthor }
  | { readonly kind: 'careTeam'; readonly name?: string; readonly organization?: MessagingParty };

/** A received or built CareCommunication, read into domain terms. The patient's CPR is masked by `PatientInfo`. */
export interface CareCommunicationMessage {
  readonly bundleId: string;
  readonly timestamp: string;
  readonly messageHeaderId: string;
  readonly communicationId: string;
  /** Communication.identifier value: the thread id. */
  readonly threadId: string;
  readonly category: string;
  readonly priority?: string;
  readonly topic?: string;
  readonly segments: readonly Segment[];
  readonly sender: BundledParty;
  readonly receiver: BundledParty;
  readonly patient: PatientInfo;
  /** Activity of this message's own Provenance. */
  readonly activity: CareCommunicationActivity | string;
  /** occurredDateTime of this message's own Provenance (the send time). */
  readonly sentAt?: string;
  /** The FHIR message this one revises (reply/forward), from the own Provenance's `preceedingMessage`. */
  readonly previousMessageHeaderId?: string;
  /** The OIOXML letter this one answers, from a `GLN#brevid` entity (either order accepted). */
  readonly oioxmlReference?: { readonly gln: string; readonly letterId: string };
  /** Segment identifiers the own Provenance declares as added by this message (entity:payload). */
  readonly addedSegmentIds: readonly string[];
  readonly episodeOfCareIds: readonly Identifier[];
  readonly senderActor?: ReadActor;
  readonly recipient?: ReadActor;
  /** Every Provenance, oldest first. */
  readonly provenances: readonly ProvenanceLink[];
}
