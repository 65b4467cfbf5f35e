import type { PackageRef } from '../fhir/packages/package-ref.ts';

/** The MedCom message types this project handles, named by their MessageHeader event code. */
export type MessageType = 'hospital-notification-message' | 'care-communication-message' | 'acknowledgement-message';

export interface MessageStandard {
  readonly type: MessageType;
  /** The IG whose dependency closure the message is validated in. */
  readonly ig: PackageRef;
  /** The Bundle profile the message must conform to. */
  readonly profile: string;
}

export const EVENT_CODE_SYSTEM = 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes';

/** Current releases (medcom-fhir.md §1). A deployment that must accept an older release swaps the `ig` here. */
export const MESSAGE_STANDARDS: Readonly<Record<MessageType, MessageStandard>> = {
  'hospital-notification-message': {
    type: 'hospital-notification-message',
    ig: { id: 'medcom.fhir.dk.hospitalnotification', version: '3.0.2' },
    profile: 'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalNotification-message',
  },
  'care-communication-message': {
    type: 'care-communication-message',
    ig: { id: 'medcom.fhir.dk.carecommunication', version: '5.0.2' },
    profile: 'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-message',
  },
  'acknowledgement-message': {
    type: 'acknowledgement-message',
    ig: { id: 'medcom.fhir.dk.acknowledgement', version: '2.0.3' },
    profile: 'http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgement',
  },
};

/** Reads the event code of the first entry's MessageHeader; anything else is `unknown`. */
export function messageTypeOf(bundle: unknown): MessageType | 'unknown' {
  const header = (bundle as { entry?: { resource?: Record<string, unknown> }[] })?.entry?.[0]?.resource;
  if (header?.resourceType !== 'MessageHeader') return 'unknown';
  const code = (header.eventCoding as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code in MESSAGE_STANDARDS ? (code as MessageType) : 'unknown';
}
