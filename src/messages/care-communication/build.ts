/**
 * The CareCommunication builders (medcom-fhir.md §4.3–4.4):
 *
 * | | thread id | earlier segments | attachments | activity | entity:preceedingMessage |
 * |---|---|---|---|---|---|
 * | new | new | – | – | new-message | – |
 * | reply to an OIOXML letter | new | – | – | reply-message | `GLN#brevid` |
 * | reply | kept | all | without data/url | reply-message | previous MessageHeader |
 * | forward | new | all or a selection | with data | forward-message | previous MessageHeader |
 *
 * Every follow-up carries the earlier Provenances unchanged (a selective forward only those of the chosen segments)
 * and adds one whose `entity:payload` lists the segments added by this message.
 */
import { asMessageBundle, resolveReference } from '../bundle.ts';
import type { BuildContext } from '../build-context.ts';
import { MessageModelError } from '../errors.ts';
import type { MessageBundle, Patient, Provenance, Reference } from '../fhir-types.ts';
import { isGln, patientResource, sameParty, type MessagingParty } from '../parties.ts';
import { copyProvenances, provenanceLink } from '../provenance.ts';
import { carryReferencedResources, organizationIdFor } from './carry-over.ts';
import { composeCareCommunication, type ActorChoice } from './compose.ts';
import type { CareCommunicationEncounter } from './encounter.ts';
import type {
  CareCommunicationForward,
  CareCommunicationMessage,
  CareCommunicationReply,
  EpisodeOfCareInput,
  FollowUpCommon,
  NewCareCommunication,
  OioxmlLetterReply,
} from './model.ts';
import { focusedCommunication, parseCareCommunication, type CommunicationResource } from './parse.ts';
import { segmentIdOf, withoutAttachmentContent, type Payload } from './segments.ts';
import { DEFAULT_CC_SIZE_LIMIT, type MessageSizeLimit } from './size-limit.ts';
import type { Thread } from './thread.ts';
import { CC_EXTENSION, type CareCommunicationActivity } from './vocabulary.ts';

export interface BuildOptions {
  readonly context: BuildContext;
  /** Defaults to {@link DEFAULT_CC_SIZE_LIMIT} (50 MB). */
  readonly sizeLimit?: MessageSizeLimit;
}

export interface FollowUpOptions extends BuildOptions {
  /**
   * The thread of the previous message, when the caller keeps threads: a reply is refused unless the previous
   * message is the thread's latest, and a forward restores attachment files that earlier replies stripped.
   */
  readonly thread?: Thread;
}

/** A message that starts a new thread. */
export function buildNewCareCommunication(draft: NewCareCommunication, options: BuildOptions): MessageBundle {
  return composeNew(draft, options, 'new-message');
}

/**
 * A CareCommunication answering an OIOXML (XDIS91) letter: a new thread, activity `reply-message`, and a Provenance
 * entity `GLN#brevid` in the profile order (oioxml.md §10).
 */
export function buildOioxmlLetterReply(draft: OioxmlLetterReply, options: BuildOptions): MessageBundle {
  const { gln, letterId } = draft.letter;
  if (!isGln(gln)) {
    throw new MessageModelError(
      `letter sender ${JSON.stringify(gln)} is not a GLN`,
      'Provenance.entity:preceedingMessage.what.identifier.value',
      'lokationsnummer (13-digit GLN) # brevid',
    );
  }
  if (letterId === '' || letterId.includes('#')) {
    throw new MessageModelError(
      'letter id is empty or contains #',
      'Provenance.entity:preceedingMessage.what.identifier.value',
      'lokationsnummer # brevid, with a non-empty brevid',
    );
  }
  return composeNew(draft, options, 'reply-message', { kind: 'oioxml', gln, letterId });
}

function composeNew(
  draft: NewCareCommunication,
  options: BuildOptions,
  activity: CareCommunicationActivity,
  predecessor?: { kind: 'oioxml'; gln: string; letterId: string },
): MessageBundle {
  if (sameParty(draft.sender, draft.receiver)) {
    throw new MessageModelError(
      'sender and receiver are the same organisation',
      'MessageHeader.destination.receiver',
      'another organisation',
    );
  }
  return composeCareCommunication({
    context: options.context,
    sizeLimit: options.sizeLimit ?? DEFAULT_CC_SIZE_LIMIT,
    activity,
    ...(predecessor ? { predecessor } : {}),
    sender: { party: draft.sender },
    receiver: { party: draft.receiver },
    patient: patientResource(draft.patient, { id: options.context.ids() }),
    category: draft.category,
    ...(draft.priority !== undefined ? { priority: draft.priority } : {}),
    ...(draft.topic !== undefined ? { topic: draft.topic } : {}),
    earlierPayload: [],
    newSegments: draft.segments,
    earlierProvenances: [],
    carried: [],
    ...(draft.senderActor ? { senderActor: { kind: 'new', actor: draft.senderActor } } : {}),
    ...(draft.recipient ? { recipient: { kind: 'new', actor: draft.recipient } } : {}),
    ...(draft.episodeOfCare ? { episodeOfCare: draft.episodeOfCare } : {}),
  });
}

/** The previous message, read once, with the raw resources a follow-up copies. */
interface Previous {
  readonly bundle: MessageBundle;
  readonly message: CareCommunicationMessage;
  readonly communication: CommunicationResource;
  readonly patient: Patient;
}

function readPrevious(previous: unknown): Previous {
  const bundle = asMessageBundle(previous);
  const message = parseCareCommunication(bundle);
  const { resource: communication, location } = focusedCommunication(bundle);
  const subject = resolveReference<Patient>(bundle, communication.subject);
  if (subject?.resource.resourceType !== 'Patient') {
    throw new MessageModelError(
      'Communication.subject does not resolve to a bundled Patient',
      `${location}.subject.reference`,
      'the bundled Patient',
      `Bundle/${bundle.id}`,
    );
  }
  return { bundle, message, communication, patient: structuredClone(subject.resource) };
}

/** Episode ids to return: the caller's, else (unless declined) the previous message's, with its stay status/class. */
function episodeOfCareFor(draft: FollowUpCommon, previous: Previous): EpisodeOfCareInput | undefined {
  if (draft.episodeOfCare) return draft.episodeOfCare;
  if (draft.keepEpisodeOfCare === false || previous.message.episodeOfCareIds.length === 0) return undefined;
  const encounter = resolveReference<CareCommunicationEncounter>(
    previous.bundle,
    previous.communication.encounter,
  )?.resource;
  const cls = encounter?.class;
  return {
    identifiers: previous.message.episodeOfCareIds,
    ...(typeof encounter?.status === 'string' ? { status: encounter.status } : {}),
    ...(typeof cls?.system === 'string' && typeof cls.code === 'string'
      ? { class: { system: cls.system, code: cls.code } }
      : {}),
  };
}

/** Category, priority and topic: the caller's choice, else the previous message's (priority only where CC-5 allows). */
function settingsFor(draft: FollowUpCommon, previous: Previous) {
  const category = draft.category ?? previous.message.category;
  const priority = draft.priority ?? (category === 'regarding-referral' ? previous.message.priority : undefined);
  const topic = draft.topic ?? previous.message.topic;
  return {
    category,
    ...(priority !== undefined ? { priority } : {}),
    ...(topic !== undefined ? { topic } : {}),
  };
}

/**
 * A reply in the same thread to the previous message's sender. Earlier segments are repeated; earlier attachments
 * lose their file and link.
 */
export function buildReply(previous: unknown, draft: CareCommunicationReply, options: FollowUpOptions): MessageBundle {
  const prev = readPrevious(previous);
  options.thread?.assertCanReplyTo(prev.message.messageHeaderId);
  const receiver = prev.message.sender;
  const senderParty = draft.sender ?? prev.message.receiver.party;
  return composeFollowUp(prev, draft, options, {
    activity: 'reply-message',
    threadId: prev.message.threadId,
    senderParty,
    receiverParty: receiver.party,
    receiverOrganizationId: receiver.organizationId,
    earlierPayload: (prev.communication.payload ?? []).map(withoutAttachmentContent),
    earlierProvenances: copyProvenances(prev.bundle),
    carriedRecipient: draft.recipient ? undefined : senderExtensionOf(prev, receiver.party),
  });
}

/**
 * The received `extension:sender`, to become the reply's `recipient` (CC rule 7) — only when its organisation is
 * the organisation the reply goes to, otherwise CC-12 would fail.
 */
function senderExtensionOf(prev: Previous, replyReceiver: MessagingParty): Reference | undefined {
  const extension = prev.communication.extension?.find((e) => e?.url === CC_EXTENSION.sender);
  const actor = prev.message.senderActor;
  if (!extension?.valueReference || !actor) return undefined;
  const organization = actor.kind === 'careTeam' ? actor.organization : actor.author.organization;
  return organization && sameParty(organization, replyReceiver) ? structuredClone(extension.valueReference) : undefined;
}

/**
 * A forward to a third organisation in a new thread. All segments travel with their data, or only
 * `selectedSegmentIds` with the Provenances that added them.
 */
export function buildForward(
  previous: unknown,
  draft: CareCommunicationForward,
  options: FollowUpOptions,
): MessageBundle {
  const prev = readPrevious(previous);
  const payload = prev.communication.payload ?? [];
  let chosen: Payload[] = payload.map((p) => structuredClone(p));
  let provenances: Provenance[] = copyProvenances(prev.bundle);
  if (draft.selectedSegmentIds) {
    const selected = new Set(draft.selectedSegmentIds);
    const known = new Set(payload.map(segmentIdOf));
    for (const id of selected) {
      if (!known.has(id)) {
        throw new MessageModelError(
          `segment ${id} is not in the forwarded message`,
          'Communication.payload.extension:identifier.valueIdentifier.value',
          'identifiers of segments of the previous message',
          `Bundle/${prev.bundle.id}`,
        );
      }
    }
    chosen = chosen.filter((p) => selected.has(segmentIdOf(p) ?? ''));
    provenances = provenances.filter((p) =>
      provenanceLink(p).entities.some(
        (e) => e.role === 'source' && e.target.kind === 'identifier' && selected.has(e.target.value),
      ),
    );
  }
  if (options.thread) chosen = chosen.map((p) => restoreAttachment(p, options.thread!));
  const senderParty = draft.sender ?? prev.message.receiver.party;
  if (sameParty(senderParty, draft.receiver)) {
    throw new MessageModelError(
      'forward to the sending organisation itself',
      'MessageHeader.destination.receiver',
      'another organisation',
    );
  }
  return composeFollowUp(prev, draft, options, {
    activity: 'forward-message',
    senderParty,
    receiverParty: draft.receiver,
    receiverOrganizationId: organizationIdFor(prev.bundle, draft.receiver),
    earlierPayload: chosen,
    earlierProvenances: provenances,
  });
}

/** Puts back the file or link of an attachment an earlier reply stripped, from the thread's merged segments. */
function restoreAttachment(payload: Payload, thread: Thread): Payload {
  const a = payload.contentAttachment;
  if (!a || a.data !== undefined || a.url !== undefined) return payload;
  const id = segmentIdOf(payload);
  const known = id ? thread.segment(id)?.attachment : undefined;
  if (known?.data === undefined && known?.url === undefined) return payload;
  return {
    ...payload,
    contentAttachment: {
      ...a,
      ...(known.data !== undefined ? { data: known.data } : { url: known.url }),
    },
  };
}

interface FollowUpPlan {
  readonly activity: CareCommunicationActivity;
  readonly threadId?: string;
  readonly senderParty: MessagingParty;
  readonly receiverParty: MessagingParty;
  readonly receiverOrganizationId: string | undefined;
  readonly earlierPayload: Payload[];
  readonly earlierProvenances: Provenance[];
  readonly carriedRecipient?: Reference | undefined;
}

function composeFollowUp(
  prev: Previous,
  draft: FollowUpCommon,
  options: BuildOptions,
  plan: FollowUpPlan,
): MessageBundle {
  const senderOrgId = organizationIdFor(prev.bundle, plan.senderParty);
  const provided = new Set([`Patient/${prev.patient.id}`]);
  if (senderOrgId) provided.add(`Organization/${senderOrgId}`);
  if (plan.receiverOrganizationId) provided.add(`Organization/${plan.receiverOrganizationId}`);
  const recipientHolder = plan.carriedRecipient ? { ...plan.carriedRecipient } : undefined;
  const carried = carryReferencedResources(
    prev.bundle,
    [prev.patient, plan.earlierPayload, plan.earlierProvenances, ...(recipientHolder ? [recipientHolder] : [])],
    provided,
  );
  let recipient: ActorChoice | undefined;
  if (draft.recipient) recipient = { kind: 'new', actor: draft.recipient };
  else if (recipientHolder) recipient = { kind: 'carried', reference: recipientHolder };
  const episodeOfCare = episodeOfCareFor(draft, prev);
  return composeCareCommunication({
    context: options.context,
    sizeLimit: options.sizeLimit ?? DEFAULT_CC_SIZE_LIMIT,
    activity: plan.activity,
    predecessor: { kind: 'message', messageHeaderId: prev.message.messageHeaderId },
    ...(plan.threadId ? { threadId: plan.threadId } : {}),
    sender: { party: plan.senderParty, ...(senderOrgId ? { organizationId: senderOrgId } : {}) },
    receiver: {
      party: plan.receiverParty,
      ...(plan.receiverOrganizationId ? { organizationId: plan.receiverOrganizationId } : {}),
    },
    patient: prev.patient,
    ...settingsFor(draft, prev),
    earlierPayload: plan.earlierPayload,
    newSegments: draft.segments,
    earlierProvenances: plan.earlierProvenances,
    carried,
    ...(draft.senderActor ? { senderActor: { kind: 'new', actor: draft.senderActor } } : {}),
    ...(recipient ? { recipient } : {}),
    ...(episodeOfCare ? { episodeOfCare } : {}),
  });
}
