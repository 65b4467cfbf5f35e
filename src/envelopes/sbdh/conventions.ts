// The ehmiSBDH strings that MedCom's sources do not agree on (hub.md §5.5: "treat DOCUMENTID strings as
// configuration"). Defaults follow the 2026 IG samples; a deployment overrides them, code never hard-wires them.
import type { FhirPayload, OioxmlPayload } from '../payload.ts';

export interface SbdhConventions {
  /** PROCESSID (2026 IG `urn:ehmi:sdn-emergence`; eDelivery code list v7.2 `urn:www.digst.dk:profile:sdn-emergence`). */
  readonly processId: string;
  /** Scope/Identifier on every scope. */
  readonly scopeIdentifier: string;
  /** DOCUMENTID of envelope receipts. */
  readonly receiptDocumentId: string;
  readonly receiptStandard: string;
  readonly receiptTypeVersion: string;
  /** TimeToAcknowledgeReceipt (fixed to 600000 ms by ehmiBusinessScope.xsd) → ExpectedResponseDateTime. */
  readonly receiptWindowMs: number;
}

export const DEFAULT_SBDH_CONVENTIONS: SbdhConventions = {
  processId: 'urn:ehmi:sdn-emergence',
  scopeIdentifier: 'dk-medcom-messaging',
  receiptDocumentId:
    'urn:dk:healthcare:messaging:oasis:ebxml:schema:xsd::ehmisbdh-acknowledgement##urn:dk:ehmi:sbdh:ehmisbdh-acknowledgement::1.0',
  receiptStandard: 'ehmisbdh-acknowledgement',
  receiptTypeVersion: 'ebbp-signals-2.0',
  receiptWindowMs: 600_000,
};

/**
 * TypeVersion per FHIR standard when MessageHeader.definition does not state one (HN and ACK have no definition):
 * the major.minor of the current IG (HN 3.0.x, ACK 2.0.x, CC 5.0.x — the 2.0 of the ack samples).
 */
const FHIR_TYPE_VERSIONS: Readonly<Record<string, string>> = {
  'care-communication-message': '5.0',
  'hospital-notification-message': '3.0',
  'acknowledgement-message': '2.0',
};

export function fhirTypeVersion(message: FhirPayload): string | undefined {
  return message.definitionVersion ?? FHIR_TYPE_VERSIONS[message.eventCode];
}

export function fhirDocumentId(standard: string, typeVersion: string): string {
  return `urn:dk:healthcare:medcom:messaging:fhir:structuredefinition::${standard}##urn:dk:medcom:fhir:${standard}::${typeVersion}`;
}

const OIOXML_STANDARD_PREFIX = 'urn:dk:healthcare:medcom:oioxml:schema:xsd:';

/** OIOXML in ehmiSBDH (oioxml.md §6.5; DK eDelivery document types v7.2): Standard is a URN named by the letter. */
export function oioxmlStandard(letter: OioxmlPayload): string {
  return `${OIOXML_STANDARD_PREFIX}${letter.letterType}`;
}

export function oioxmlDocumentId(letter: OioxmlPayload): string {
  const standard = oioxmlStandard(letter);
  return `${standard}##${standard}:${letter.statisticalCode}::${letter.versionCode}`;
}

/** OIOXML ids are unique per sender only; the EHMI convention prefixes the sender EAN (`<EAN>:<id>`). */
export function oioxmlMessageId(senderGln: string, id: string): string {
  return `${senderGln}:${id}`;
}

/**
 * OIOXML letters that have a Danish eDelivery document type (DK_EDEL code lists v7.2, `sor/related/`). Others — the
 * VANS network's own NegativeVansReceipt (XCTL01) above all — are not sent over eDelivery.
 */
export const EDELIVERY_LETTER_TYPES: readonly string[] = [
  'DischargeLetter',
  'BookingConfirmation',
  'HospitalReferral',
  'NotificationOfAdmission',
  'NotificationOfDischarge',
  'ReportOfAdmission',
  'ReportOfDischarge',
  'ProgressOfCarePlan',
  'NegativeReceipt',
  'PositiveReceipt',
  'RehabilitationPlan',
  'ClinicalEmail',
];

/** Standard values the hub emits beyond the pilot enumeration of ehmiDocumentIdentification.xsd ("extend locally"). */
export const LOCAL_STANDARDS: readonly string[] = [
  'care-communication-message',
  'hospital-notification-message',
  ...EDELIVERY_LETTER_TYPES.map((name) => `${OIOXML_STANDARD_PREFIX}${name}`),
];
