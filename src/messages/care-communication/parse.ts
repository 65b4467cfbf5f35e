/**
 * Reads a CareCommunication Bundle into a {@link CareCommunicationMessage}. The reader is lenient where the official
 * examples are imperfect (ids that are not UUIDs, Provenance payload entities that do not match the segments,
 * reversed OIOXML references) and strict where a receiver cannot go on: no Communication, no thread id, no category,
 * no payload, no own Provenance. Errors name the message, the FHIRPath and what was expected.
 */
import { asMessageBundle, entriesOfType, messageHeaderOf, messageName, resolveReference } from '../bundle.ts';
import { MessageModelError } from '../errors.ts';
import type { Encounter, Identifier, MessageBundle, Reference } from '../fhir-types.ts';
import { headerParties, requireEventCode } from '../message-header.ts';
import { patientFromResource } from '../parties.ts';
import { predecessorOf, provenanceChain, provenanceLink, requireCurrentProvenance } from '../provenance.ts';
import { readActor } from './authors.ts';
import type { CareCommunicationMessage, ReadActor } from './model.ts';
import { readSegment, type Payload } from './segments.ts';
import { CC_EVENT_CODE, CC_EXTENSION } from './vocabulary.ts';

/** The Communication resource as far as the reader relies on it. */
export interface CommunicationResource {
  resourceType: 'Communication';
  id: string;
  extension?: { url: string; valueReference?: Reference }[];
  identifier?: Identifier[];
  category?: { coding?: { system?: string; code?: string }[] }[];
  priority?: string;
  subject?: Reference;
  topic?: { text?: string };
  encounter?: Reference;
  recipient?: Reference[];
  payload?: Payload[];
  [key: string]: unknown;
}

/** Finds the Communication the MessageHeader focuses on (CC: focus 1..1). */
export function focusedCommunication(bundle: MessageBundle): { resource: CommunicationResource; location: string } {
  const header = messageHeaderOf(bundle);
  const focus = Array.isArray(header.focus) ? header.focus[0] : undefined;
  const found = resolveReference<CommunicationResource>(bundle, focus);
  if (found?.resource.resourceType === 'Communication') return found;
  throw new MessageModelError(
    focus ? 'MessageHeader.focus does not resolve to a bundled Communication' : 'MessageHeader has no focus',
    'Bundle.entry[0].resource.focus[0].reference',
    'a reference to the bundled Communication',
    messageName(bundle),
  );
}

function required<T>(value: T | undefined, problem: string, location: string, expected: string, name: string): T {
  if (value === undefined) throw new MessageModelError(problem, location, expected, name);
  return value;
}

function episodeOfCareIds(bundle: MessageBundle, communication: CommunicationResource): Identifier[] {
  const encounter = resolveReference<Encounter>(bundle, communication.encounter)?.resource;
  if (encounter?.resourceType !== 'Encounter' || !Array.isArray(encounter.episodeOfCare)) return [];
  return encounter.episodeOfCare
    .map((e) => e?.identifier)
    .filter((i): i is Identifier => typeof i?.value === 'string')
    .map((i) => ({ ...(typeof i.system === 'string' ? { system: i.system } : {}), value: i.value! }));
}

/** Parses a CareCommunication message. `source` names it in errors (file name or transport id). */
export function parseCareCommunication(value: unknown, source?: string): CareCommunicationMessage {
  const bundle = asMessageBundle(value, source);
  const name = source ?? messageName(bundle);
  requireEventCode(bundle, CC_EVENT_CODE, (event) => `not a CareCommunication (event ${event})`, name);
  const header = messageHeaderOf(bundle);
  const { resource: communication, location } = focusedCommunication(bundle);
  const threadId = required(
    communication.identifier?.[0]?.value,
    'Communication has no thread identifier',
    `${location}.identifier[0].value`,
    'urn:uuid: + lower-case UUIDv4',
    name,
  );
  const category = required(
    communication.category?.[0]?.coding?.[0]?.code,
    'Communication has no category',
    `${location}.category[0].coding[0].code`,
    'a code of medcom-careCommunication-categories',
    name,
  );
  const payload = Array.isArray(communication.payload) ? communication.payload : [];
  if (payload.length === 0) {
    throw new MessageModelError(
      'Communication has no payload',
      `${location}.payload`,
      'at least one text segment',
      name,
    );
  }
  const segments = payload.map((p, i) => readSegment(bundle, p, i, `${location}.payload[${i}]`));

  const patientRef = resolveReference(bundle, communication.subject);
  const patients = entriesOfType(bundle, 'Patient');
  const patientEntry = patientRef?.resource.resourceType === 'Patient' ? patientRef : patients[0];
  const patient = patientFromResource(patientEntry?.resource, patientEntry?.location ?? `${location}.subject`, name);

  const senderIndex = Array.isArray(communication.extension)
    ? communication.extension.findIndex((e) => e?.url === CC_EXTENSION.sender)
    : -1;
  let senderActor: ReadActor | undefined;
  if (senderIndex >= 0) {
    const at = `${location}.extension[${senderIndex}].valueReference`;
    senderActor = readActor(bundle, communication.extension![senderIndex]!.valueReference, at);
  }
  const recipientRef = Array.isArray(communication.recipient) ? communication.recipient[0] : undefined;
  const recipient = recipientRef ? readActor(bundle, recipientRef, `${location}.recipient[0]`) : undefined;

  const own = provenanceLink(requireCurrentProvenance(bundle).resource);
  const predecessor = predecessorOf(own);
  const addedSegmentIds = own.entities
    .filter((e) => e.role === 'source')
    .map((e) => (e.target.kind === 'identifier' ? e.target.value : undefined))
    .filter((v): v is string => v !== undefined);

  return {
    bundleId: bundle.id,
    timestamp: bundle.timestamp,
    messageHeaderId: header.id,
    communicationId: communication.id,
    threadId,
    category,
    ...(typeof communication.priority === 'string' ? { priority: communication.priority } : {}),
    ...(typeof communication.topic?.text === 'string' ? { topic: communication.topic.text } : {}),
    segments,
    ...headerParties(bundle),
    patient,
    activity: own.activity ?? '',
    ...(own.occurred ? { sentAt: own.occurred } : {}),
    ...(predecessor?.target.kind === 'message' ? { previousMessageHeaderId: predecessor.target.messageHeaderId } : {}),
    ...(predecessor?.target.kind === 'oioxml'
      ? { oioxmlReference: { gln: predecessor.target.gln, letterId: predecessor.target.letterId } }
      : {}),
    addedSegmentIds,
    episodeOfCareIds: episodeOfCareIds(bundle, communication),
    ...(senderActor ? { senderActor } : {}),
    ...(recipient ? { recipient } : {}),
    provenances: provenanceChain(bundle),
  };
}
