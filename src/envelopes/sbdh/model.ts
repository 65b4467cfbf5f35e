// ehmiSBDH as values (hub.md §5.2–5.4; XSDs in `ehmi-sbdh/ehmiSBDH/`).
import type { Cpr } from '../../messages/patient.ts';
import type { EnvelopeWarning } from '../envelope-error.ts';

export const SBDH_NS = 'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader';
/** Where the samples put BinaryContent; the ehmiSBDH XSD declares it in SBDH_NS (a local element, qualified). */
export const PEPPOL_ENVELOPE_NS = 'http://peppol.eu/xsd/ticc/envelope/1.0';
export const PARTICIPANT_AUTHORITY = 'iso6523-actorid-upis';
/** ISO 6523 ICD for GLN; the Danish eDelivery participant scheme allows only GLN-13. */
export const GLN_ICD = '0088';

export type ScopeType =
  | 'DOCUMENTID'
  | 'PROCESSID'
  | 'PATIENTID'
  | 'SENDERID'
  | 'RECEIVERID'
  | 'MESSAGEIDENTIFIER'
  | 'MESSAGEENVELOPEIDENTIFIER'
  | 'StatisticalInformation'
  | 'XDS-METADATA'
  | 'ORIGINALMESSAGEIDENTIFIER'
  | 'ORIGINALMESSAGEENVELOPEIDENTIFIER'
  | 'ORIGINALMESSAGESTANDARD'
  | 'ORIGINALMESSAGEVERSION'
  | 'ORIGINALENVELOPEIDENTIFIER'
  | 'EHMI-ReceiptAcknowledgement';

export const SCOPE_TYPES: readonly ScopeType[] = [
  'DOCUMENTID',
  'PROCESSID',
  'PATIENTID',
  'SENDERID',
  'RECEIVERID',
  'MESSAGEIDENTIFIER',
  'MESSAGEENVELOPEIDENTIFIER',
  'StatisticalInformation',
  'XDS-METADATA',
  'ORIGINALMESSAGEIDENTIFIER',
  'ORIGINALMESSAGEENVELOPEIDENTIFIER',
  'ORIGINALMESSAGESTANDARD',
  'ORIGINALMESSAGEVERSION',
  'ORIGINALENVELOPEIDENTIFIER',
  'EHMI-ReceiptAcknowledgement',
];

export interface SbdhCorrelation {
  readonly requestingDocumentCreationDateTime: string;
  readonly requestingDocumentInstanceIdentifier: string;
  readonly expectedResponseDateTime: string;
}

export type BusinessServiceName = 'EHMI-ReceiptAcknowledgement-Request' | 'EHMI-ReceiptAcknowledgement-Response';

export interface SbdhBusinessService {
  readonly name: BusinessServiceName | string;
  readonly typeOfServiceTransaction?: 'RequestingServiceTransaction' | 'RespondingServiceTransaction' | string;
}

export interface SbdhScope {
  /** A {@link ScopeType}; other strings come from drifting samples (`XDS_METADATA`) and are kept. */
  readonly type: ScopeType | string;
  /** The value; for PATIENTID a {@link Cpr}, which masks itself when printed. */
  readonly instanceIdentifier: string | Cpr;
  readonly identifier: string;
  readonly correlation?: SbdhCorrelation;
  readonly businessService?: SbdhBusinessService;
}

export interface SbdhDocumentIdentification {
  /** FHIR: the event code; receipts: `ehmisbdh-acknowledgement`; OIOXML: a `urn:dk:healthcare:medcom:oioxml:…` URN. */
  readonly standard: string;
  readonly typeVersion: string;
  /** New UUID per envelope: the transmission identity used for de-duplication. */
  readonly instanceIdentifier: string;
  /** `Bundle`, `ReceiptAcknowledgement`, `ReceiptException`, or the OIOXML type (XDIS20 …). */
  readonly type: string;
  readonly multipleType?: boolean;
  readonly creationDateAndTime: string;
}

export interface SbdhBinaryContent {
  readonly mimeType: string;
  readonly encoding?: string;
  readonly data: Uint8Array;
}

export interface SbdhEnvelope {
  /** Participant identifiers as written, `0088:<GLN>`. */
  readonly sender: string;
  readonly receiver: string;
  readonly documentIdentification: SbdhDocumentIdentification;
  readonly scopes: readonly SbdhScope[];
  readonly binaryContent: SbdhBinaryContent;
  readonly warnings: readonly EnvelopeWarning[];
}

/** The GLN of a participant identifier `0088:<GLN>`, or undefined for any other scheme. */
export function glnOfParticipant(participant: string): string | undefined {
  const [icd, value] = participant.split(':');
  return icd === GLN_ICD && value !== undefined ? value : undefined;
}

export function participantOfGln(gln: string): string {
  return `${GLN_ICD}:${gln}`;
}

/** The value of the first scope of `type` (PATIENTID excluded: use {@link patientOf}). */
export function scopeValue(envelope: Pick<SbdhEnvelope, 'scopes'>, type: ScopeType): string | undefined {
  const value = envelope.scopes.find((s) => s.type === type)?.instanceIdentifier;
  return typeof value === 'string' ? value : undefined;
}

export function patientOf(envelope: Pick<SbdhEnvelope, 'scopes'>): Cpr | undefined {
  const value = envelope.scopes.find((s) => s.type === 'PATIENTID')?.instanceIdentifier;
  return value !== undefined && typeof value !== 'string' ? value : undefined;
}

export function receiptScopeOf(envelope: Pick<SbdhEnvelope, 'scopes'>): SbdhScope | undefined {
  return envelope.scopes.find((s) => s.type === 'EHMI-ReceiptAcknowledgement');
}
