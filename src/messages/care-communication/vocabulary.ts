/**
 * The fixed words of CareCommunication 5.0.x (medcom-fhir.md §4): profile canonicals, extension URLs, code systems and
 * the small value sets the builders check against. The code lists are copied from terminology 2.0.1 (the CC 5.0.2
 * closure) because a builder must refuse a wrong code before the message exists; the validator still checks the
 * bindings against the packages, so a drift between this list and the package shows up in the tests.
 */

export const CC_PROFILE = {
  message: 'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-message',
  messageHeader: 'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-messageHeader',
  communication: 'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-communication',
  provenance: 'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-provenance',
  practitionerRole: 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-practitionerrole',
  practitioner: 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-practitioner',
  careTeam: 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-careteam',
  encounter: 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-encounter',
  coreOrganization: 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-organization',
} as const;

/** MessageHeader.definition; CC 5 makes it 1..1 and the envelope version is derived from it (§4.5). */
export const CC_MESSAGE_DEFINITION =
  'http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition|5.0';

export const CC_EVENT_CODE = 'care-communication-message';

const CORE_SD = 'http://medcomfhir.dk/ig/core/StructureDefinition/';

/** Per-segment and Communication-level extensions, byte-for-byte as MedCom core 3.0.1 defines them. */
export const CC_EXTENSION = {
  datetime: `${CORE_SD}medcom-core-datetime-extension`,
  identifier: `${CORE_SD}medcom-core-identifier-extension`,
  practitioner: `${CORE_SD}medcom-core-practitioner-extension`,
  contact: `${CORE_SD}medcom-core-contact-extension`,
  sender: `${CORE_SD}medcom-core-sender-extension`,
} as const;

export const CATEGORY_SYSTEM = 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes';

/** VS medcom-careCommunication-categories (terminology 2.0.x, 18 codes; the last two are new in 2025). */
export const CARE_COMMUNICATION_CATEGORIES = [
  'alcohol-and-drug-treatment',
  'assistive-devices',
  'carecoordination',
  'decease',
  'discharge',
  'examination-results',
  'healthcare',
  'home-care-assessment',
  'medicine',
  'nursing',
  'outpatient',
  'psychiatry-social-disability',
  'regarding-referral',
  'telemedicine',
  'training',
  'acute-ambulant',
  'extended-care-responsibility',
  'other',
] as const;

export type CareCommunicationCategory = (typeof CARE_COMMUNICATION_CATEGORIES)[number];

export function isCareCommunicationCategory(code: string): code is CareCommunicationCategory {
  return (CARE_COMMUNICATION_CATEGORIES as readonly string[]).includes(code);
}

/** VS medcom-careCommunication-requestPriority; only allowed with category `regarding-referral` (CC-5). */
export const CARE_COMMUNICATION_PRIORITIES = ['routine', 'asap'] as const;
export type CareCommunicationPriority = (typeof CARE_COMMUNICATION_PRIORITIES)[number];

/** VS medcom-core-attachmentMimeTypes. Video and other types are not allowed (§4.3). */
export const ATTACHMENT_MIME_TYPES = [
  'application/pdf',
  'image/gif',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'image/bmp',
] as const;
export type AttachmentMimeType = (typeof ATTACHMENT_MIME_TYPES)[number];

export function isAttachmentMimeType(code: string): code is AttachmentMimeType {
  return (ATTACHMENT_MIME_TYPES as readonly string[]).includes(code);
}

/** VS medcom-careCommunication-messagingActivities: modify/retract/carbon-copy were removed in CC 4.0. */
export const CARE_COMMUNICATION_ACTIVITIES = ['new-message', 'reply-message', 'forward-message'] as const;
export type CareCommunicationActivity = (typeof CARE_COMMUNICATION_ACTIVITIES)[number];

export function isCareCommunicationActivity(code: string): code is CareCommunicationActivity {
  return (CARE_COMMUNICATION_ACTIVITIES as readonly string[]).includes(code);
}

/** Code systems a PractitionerRole.code coding may come from (VS medcom-core-PractitionerRoles, example binding). */
export const PRACTITIONER_ROLE_SYSTEM = {
  sks: 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-core-PractitionerRolesSKSadministrativ',
  autorisation: 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-core-PractitionerRolesAutorisationsregistret',
} as const;

export const ENCOUNTER_CLASS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

/** MedCom core lpr3-Identifier: episode-of-care ids from the national patient register, `urn:uuid:` + UUIDv5. */
export const LPR3_EPISODE_SYSTEM = 'https://www.esundhed.dk/Registre/Landspatientregisteret';

/** MedCom's own Encounter.class code for "other" (VS medcom-core-encounter-class), used when the class is unknown. */
export const MEDCOM_ENCOUNTER_CLASS_OTHER = {
  system: 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-core-encounter-act-codes',
  code: 'other',
} as const;
