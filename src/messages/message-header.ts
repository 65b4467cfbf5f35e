/**
 * The MessageHeader parts all MedCom messages share (MedComMessagingMessageHeader): event coding, exactly one
 * `primary` destination (HN, CC and ACK all forbid `cc`), sender, source endpoint, and a narrative (GOV 050).
 * Reading returns the sender and primary receiver as parties, with their endpoints, because replies and
 * acknowledgements are addressed from them.
 */
import { EVENT_CODE_SYSTEM } from '../validation/message-types.ts';
import { messageName, requireReference } from './bundle.ts';
import { MessageModelError } from './errors.ts';
import type { Extension, MessageBundle, MessageHeader, Organization, Reference } from './fhir-types.ts';
import { tableNarrative } from './narrative.ts';
import { endpointOf, partyFromOrganization, type MessagingParty } from './parties.ts';

export { EVENT_CODE_SYSTEM };

export const DESTINATION_USE_EXTENSION =
  'http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-destinationUseExtension';
export const DESTINATION_USE_SYSTEM = 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse';

/** Event codes of `medcom-messaging-eventCodes` used by the message types we build. */
export type EventCode =
  'hospital-notification-message' | 'care-communication-message' | 'acknowledgement-message' | 'empty-message';

/** A party as it appears in one message: the party and the id of its Organization entry. */
export interface BundledParty {
  readonly party: MessagingParty;
  readonly organizationId: string;
}

export interface MessageHeaderInput {
  readonly id: string;
  readonly profile: string;
  readonly event: EventCode;
  readonly sender: BundledParty;
  readonly receiver: BundledParty;
  readonly focus?: readonly Reference[];
  /** Extensions before eventCoding (HN reportOfAdmission…). */
  readonly extension?: readonly Extension[];
  readonly response?: MessageHeader['response'];
  readonly definition?: string;
  /** Extra narrative rows, e.g. the acknowledged message id. */
  readonly narrativeRows?: readonly (readonly [string, string | undefined])[];
}

export function messageHeader(input: MessageHeaderInput): MessageHeader {
  const senderEndpoint = endpointOf(input.sender.party);
  const receiverEndpoint = endpointOf(input.receiver.party);
  return {
    resourceType: 'MessageHeader',
    id: input.id,
    meta: { profile: [input.profile] },
    // The narrative carries what messaging 4.x marks SHALL:in-narrative: id, event, receiver, endpoints and sender.
    text: tableNarrative(`MessageHeader ${input.id}`, [
      ['Event', input.event],
      ['Receiver', `${input.receiver.party.name} (SOR ${input.receiver.party.sor})`],
      ['Destination endpoint', receiverEndpoint],
      ['Sender', `${input.sender.party.name} (SOR ${input.sender.party.sor})`],
      ['Source endpoint', senderEndpoint],
      ...(input.narrativeRows ?? []),
    ]),
    ...(input.extension?.length ? { extension: [...input.extension] } : {}),
    eventCoding: { system: EVENT_CODE_SYSTEM, code: input.event },
    destination: [
      {
        extension: [
          { url: DESTINATION_USE_EXTENSION, valueCoding: { system: DESTINATION_USE_SYSTEM, code: 'primary' } },
        ],
        endpoint: receiverEndpoint,
        receiver: { reference: `Organization/${input.receiver.organizationId}` },
      },
    ],
    sender: { reference: `Organization/${input.sender.organizationId}` },
    source: { endpoint: senderEndpoint },
    ...(input.focus?.length ? { focus: [...input.focus] } : {}),
    ...(input.definition ? { definition: input.definition } : {}),
    ...(input.response ? { response: input.response } : {}),
  };
}

export interface HeaderParties {
  readonly sender: BundledParty;
  /** The `primary` destination. */
  readonly receiver: BundledParty;
}

/** The event code of the MessageHeader, or a model error naming the element. */
/**
 * Checks that a parser got the message type it reads: the event code must be `expected`, else a MessageModelError
 * with `problem(event)` names the message by `source`.
 */
export function requireEventCode(
  bundle: MessageBundle,
  expected: string,
  problem: (event: string) => string,
  source: string,
): void {
  const event = eventCodeOf(bundle);
  if (event !== expected) {
    throw new MessageModelError(problem(event), 'Bundle.entry[0].resource.eventCoding.code', `'${expected}'`, source);
  }
}

export function eventCodeOf(bundle: MessageBundle): string {
  const code = (bundle.entry[0]!.resource as Partial<MessageHeader>).eventCoding?.code;
  if (typeof code !== 'string') {
    throw new MessageModelError(
      'MessageHeader has no event code',
      'Bundle.entry[0].resource.eventCoding.code',
      'a code from medcom-messaging-eventCodes',
      messageName(bundle),
    );
  }
  return code;
}

/** Reads sender (with source.endpoint) and the primary receiver (with its destination endpoint). */
export function headerParties(bundle: MessageBundle): HeaderParties {
  const header = bundle.entry[0]!.resource as Partial<MessageHeader>;
  const base = 'Bundle.entry[0].resource';
  const name = messageName(bundle);
  const destinations = Array.isArray(header.destination) ? header.destination : [];
  const primaryIndex = destinations.findIndex((d) =>
    d?.extension?.some((e) => e?.url === DESTINATION_USE_EXTENSION && e.valueCoding?.code === 'primary'),
  );
  // A destination without the use extension is still the receiver when it is the only one.
  const index = primaryIndex >= 0 ? primaryIndex : destinations.length === 1 ? 0 : -1;
  const destination = destinations[index];
  if (!destination) {
    throw new MessageModelError(
      'no primary destination',
      `${base}.destination`,
      "one destination with use 'primary'",
      name,
    );
  }
  const senderOrg = requireReference<Organization>(bundle, header.sender, `${base}.sender`, 'Organization');
  const receiverOrg = requireReference<Organization>(
    bundle,
    destination.receiver,
    `${base}.destination[${index}].receiver`,
    'Organization',
  );
  const senderEndpoint = typeof header.source?.endpoint === 'string' ? header.source.endpoint : undefined;
  const receiverEndpoint = typeof destination.endpoint === 'string' ? destination.endpoint : undefined;
  return {
    sender: {
      party: partyFromOrganization(senderOrg.resource, senderOrg.location, senderEndpoint, name),
      organizationId: senderOrg.resource.id,
    },
    receiver: {
      party: partyFromOrganization(receiverOrg.resource, receiverOrg.location, receiverEndpoint, name),
      organizationId: receiverOrg.resource.id,
    },
  };
}
