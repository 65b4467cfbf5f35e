/**
 * The CareCommunications of the conformance runs, built with the library's builders: the messages the hospital
 * (Touchstone's side) sends the system under test, and the drafts the system under test uses for new messages,
 * replies and forwards in the CC send scripts (conformance.md §3.2). Both the fixture set and the library driver
 * read them from here, so "the received message" means the same thing on both sides.
 */
import { asMessageBundle, resolveReference } from '../../messages/bundle.ts';
import type { BuildContext } from '../../messages/build-context.ts';
import { buildForward, buildNewCareCommunication } from '../../messages/care-communication/build.ts';
import { carryReferencedResources, organizationIdFor } from '../../messages/care-communication/carry-over.ts';
import { composeCareCommunication } from '../../messages/care-communication/compose.ts';
import { focusedCommunication, parseCareCommunication } from '../../messages/care-communication/parse.ts';
import { withoutAttachmentContent } from '../../messages/care-communication/segments.ts';
import { DEFAULT_CC_SIZE_LIMIT } from '../../messages/care-communication/size-limit.ts';
import { copyProvenances } from '../../messages/provenance.ts';
import type {
  AttachmentSegmentInput,
  CareCommunicationReply,
  NewCareCommunication,
  SegmentInput,
  TextSegmentInput,
} from '../../messages/care-communication/model.ts';
import type { AttachmentMimeType } from '../../messages/care-communication/vocabulary.ts';
import type { MessageBundle, Patient } from '../../messages/fhir-types.ts';
import { sorUrl, type PatientInfo } from '../../messages/parties.ts';
import { HOSPITAL, HOSPITAL_DOCTOR, MUNICIPALITY, NURSE, PATIENT, PHONE, SAMPLE_FILES, THIRD_UNIT } from '../cast.ts';

const TITLES: Readonly<Record<AttachmentMimeType, string>> = {
  'application/pdf': 'Udskrivningsbrev',
  'image/png': 'Foto af sår',
  'image/jpeg': 'Foto af hudforandring',
  'image/gif': 'Skitse af bandagering',
  'image/bmp': 'Scanning af medicinliste',
  'image/tiff': 'Scannet henvisning',
};

export function textSegment(text: string, author = NURSE): TextSegmentInput {
  return { kind: 'text', text, author, phone: PHONE };
}

export function fileSegment(
  contentType: AttachmentMimeType,
  extra: Partial<AttachmentSegmentInput> = {},
): AttachmentSegmentInput {
  return { kind: 'attachment', contentType, title: TITLES[contentType], data: SAMPLE_FILES[contentType], ...extra };
}

export function linkSegment(): AttachmentSegmentInput {
  return {
    kind: 'attachment',
    contentType: 'application/pdf',
    title: 'Patientvejledning',
    url: 'https://www.sundhed.dk/borger/patienthaandbogen/',
  };
}

/** The hospital's first message to the municipality: a question about the patient, one text segment, a topic. */
export function hospitalMessage(context: BuildContext, segments: readonly SegmentInput[] = []): MessageBundle {
  return buildNewCareCommunication(
    {
      sender: HOSPITAL,
      receiver: MUNICIPALITY,
      patient: PATIENT,
      category: 'examination-results',
      topic: 'Blodprøvesvar',
      segments: [
        textSegment(
          'Vi har modtaget blodprøvesvar. Hæmoglobin er normal.\nVenlig hilsen Hjerteafdelingen',
          HOSPITAL_DOCTOR,
        ),
        ...segments,
      ],
    },
    { context },
  );
}

/** The same first message with a PDF attached. */
export function hospitalMessageWithAttachment(context: BuildContext): MessageBundle {
  return hospitalMessage(context, [fileSegment('application/pdf')]);
}

/**
 * A message with "all content" (as the CC 5.0.2 example gfd00bc2): category regarding-referral with priority, text,
 * a PDF and a link, a sending care team and an addressed practitioner, and the stay's episode-of-care identifier.
 */
export function hospitalMessageWithAllContent(context: BuildContext, episodeId: string): MessageBundle {
  return buildNewCareCommunication(
    {
      sender: HOSPITAL,
      receiver: MUNICIPALITY,
      patient: PATIENT,
      category: 'regarding-referral',
      priority: 'asap',
      topic: 'Henvisning til genoptræning',
      segments: [
        textSegment('Patienten er henvist til genoptræning efter udskrivelse.', HOSPITAL_DOCTOR),
        fileSegment('application/pdf', {
          creation: '2025-03-11T09:00:00+01:00',
          author: HOSPITAL_DOCTOR,
          phone: PHONE,
        }),
        linkSegment(),
      ],
      senderActor: { kind: 'careTeam', name: 'Hjerteafdelingens udskrivningsteam' },
      recipient: { kind: 'practitioner', author: NURSE },
      episodeOfCare: {
        identifiers: [{ system: sorUrl(HOSPITAL.sor), value: episodeId }],
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      },
    },
    { context },
  );
}

/** The municipality's forward of the hospital's message to a third unit. */
export function municipalityForward(received: MessageBundle, context: BuildContext): MessageBundle {
  return buildForward(
    received,
    { receiver: THIRD_UNIT, segments: [textSegment('Til orientering: svar fra Hjerteafdelingen.')] },
    { context },
  );
}

/** The municipality's new-message drafts for the CC new-message scripts, by variant. */
export type NewMessageVariant =
  | 'message'
  | 'topic'
  | 'category-other'
  | 'priority'
  | { readonly attachment: AttachmentMimeType }
  | 'link'
  | 'multiple'
  | 'structured'
  | 'sender-and-recipient'
  | 'cpr'
  | 'replacement-cpr'
  | 'episode-of-care';

export function municipalityNewMessage(
  variant: NewMessageVariant,
  episodeId: string,
  patient: PatientInfo = PATIENT,
): NewCareCommunication {
  const base = {
    sender: MUNICIPALITY,
    receiver: HOSPITAL,
    patient,
    category: 'nursing' as const,
    segments: [textSegment('Borgeren er kommet hjem og har det godt.')],
  };
  if (typeof variant === 'object') {
    return { ...base, segments: [...base.segments, fileSegment(variant.attachment)] };
  }
  switch (variant) {
    case 'message':
    case 'cpr':
    case 'replacement-cpr':
      return base;
    case 'topic':
      return { ...base, topic: 'Hjemkomst' };
    case 'category-other':
      return { ...base, category: 'other', topic: 'Spørgsmål om hjælpemidler' };
    case 'priority':
      return { ...base, category: 'regarding-referral', priority: 'asap', topic: 'Henvisning' };
    case 'link':
      return { ...base, segments: [...base.segments, linkSegment()] };
    case 'multiple':
      return { ...base, segments: [...base.segments, fileSegment('application/pdf'), fileSegment('image/png')] };
    case 'structured':
      return {
        ...base,
        segments: [
          ...base.segments,
          fileSegment('application/pdf', { creation: '2025-03-13T10:00:00+01:00', author: NURSE, phone: PHONE }),
        ],
      };
    case 'sender-and-recipient':
      return {
        ...base,
        senderActor: { kind: 'practitioner', author: NURSE },
        recipient: { kind: 'careTeam', name: 'Hjerteafdelingens sengeafsnit' },
      };
    case 'episode-of-care':
      return {
        ...base,
        episodeOfCare: { identifiers: [{ system: sorUrl(MUNICIPALITY.sor), value: episodeId }] },
      };
  }
}

/**
 * A further message in a thread this system sent itself, to the same receiver (CC reply-new, reply-forward): like a
 * reply — earlier segments repeated with attachments stripped, earlier Provenances kept, same thread id — but
 * addressed as the previous message was. ⚠ The builders have no such function (`buildReply` always answers the
 * previous sender); this composes it from the builders' parts and belongs in `messages/care-communication/`.
 */
export function followUpInOwnThread(
  own: MessageBundle,
  draft: CareCommunicationReply,
  context: BuildContext,
): MessageBundle {
  const bundle = asMessageBundle(own);
  const message = parseCareCommunication(bundle);
  const { resource: communication } = focusedCommunication(bundle);
  const patient = structuredClone(resolveReference<Patient>(bundle, communication.subject)!.resource);
  const earlierPayload = (communication.payload ?? []).map(withoutAttachmentContent);
  const earlierProvenances = copyProvenances(bundle);
  const senderId = organizationIdFor(bundle, message.sender.party);
  const receiverId = organizationIdFor(bundle, message.receiver.party);
  const provided = new Set([`Patient/${patient.id}`, `Organization/${senderId}`, `Organization/${receiverId}`]);
  const carried = carryReferencedResources(bundle, [patient, earlierPayload, earlierProvenances], provided);
  return composeCareCommunication({
    context,
    sizeLimit: DEFAULT_CC_SIZE_LIMIT,
    activity: 'reply-message',
    predecessor: { kind: 'message', messageHeaderId: message.messageHeaderId },
    threadId: message.threadId,
    sender: { party: message.sender.party, ...(senderId ? { organizationId: senderId } : {}) },
    receiver: { party: message.receiver.party, ...(receiverId ? { organizationId: receiverId } : {}) },
    patient,
    category: message.category,
    ...(message.priority !== undefined ? { priority: message.priority } : {}),
    ...(message.topic !== undefined ? { topic: message.topic } : {}),
    earlierPayload,
    newSegments: draft.segments,
    earlierProvenances,
    carried,
  });
}
