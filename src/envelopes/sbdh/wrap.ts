// Wrapping a FHIR message or an OIOXML letter in an ehmiSBDH (hub.md §5.2–5.3, oioxml.md §6.5) with every scope the
// 2026 IG uses, reliable messaging switched on (the EHMI-ReceiptAcknowledgement Request scope SHALL be present).
import { formatInstant } from '../../messages/clock.ts';
import { isGln } from '../../messages/parties.ts';
import type { EnvelopeContext } from '../context.ts';
import { EnvelopeError, type EnvelopeWarning } from '../envelope-error.ts';
import { describePayload, type DescribeOptions, type FhirPayload, type OioxmlPayload } from '../payload.ts';
import { statisticalPostfix } from '../statistics.ts';
import { addressWarnings, type WrappedEnvelope } from '../wrapped.ts';
import {
  DEFAULT_SBDH_CONVENTIONS,
  EDELIVERY_LETTER_TYPES,
  fhirDocumentId,
  fhirTypeVersion,
  oioxmlDocumentId,
  oioxmlMessageId,
  oioxmlStandard,
  type SbdhConventions,
} from './conventions.ts';
import { participantOfGln, type SbdhDocumentIdentification, type SbdhEnvelope, type SbdhScope } from './model.ts';
import { writeSbdh } from './write.ts';

/** What the acknowledged message looked like, when the caller knows (an ack does not carry it all itself). */
export interface OriginalMessageInfo {
  /** Bundle.id of the acknowledged message. */
  readonly envelopeIdentifier?: string;
  readonly standard?: string;
  readonly version?: string;
}

export interface SbdhWrapOptions extends DescribeOptions {
  readonly sender: string;
  readonly receiver: string;
  readonly label: string;
  /** SENDERID/RECEIVERID when the payload has no SOR codes (OIOXML letters addressed by ydernummer etc.). */
  readonly senderSor?: string;
  readonly receiverSor?: string;
  /** TypeVersion when neither the message nor the defaults supply one (e.g. a HomeCareObservation without definition). */
  readonly typeVersion?: string;
  /** For acknowledgements: ORIGINALMESSAGE* scopes beyond the acknowledged MessageHeader.id. */
  readonly original?: OriginalMessageInfo;
  /**
   * Only on the secondary copy to document sharing (DDS): the FHIR DocumentReference with the XDS metadata, as text
   * (hub.md §5.3). The scope type is written `XDS-METADATA` as the XSD enumerates it (one sample writes `XDS_METADATA`).
   */
  readonly xdsMetadata?: string;
  readonly conventions?: SbdhConventions;
}

/** Scope/Identifier of the XDS metadata scope (hub.md §5.3). */
const XDS_SCOPE_IDENTIFIER = 'dk-medcom-DocumentReference';

/** xs:dateTime as the samples write it: seconds and zone, no fraction. */
export function sbdhTime(date: Date): string {
  return formatInstant(new Date(Math.floor(date.getTime() / 1000) * 1000));
}

export function wrapSbdh(
  payload: Uint8Array,
  options: SbdhWrapOptions,
  context: EnvelopeContext,
): WrappedEnvelope<SbdhEnvelope> {
  for (const [role, value] of [
    ['sender', options.sender],
    ['receiver', options.receiver],
  ] as const) {
    // The Danish eDelivery participant scheme accepts GLN-13 only (DK_EDEL code lists v7.2).
    if (!isGln(value))
      throw new RangeError(`${role} ${JSON.stringify(value)} is not a GLN (13 digits with a GS1 check digit)`);
  }
  const conventions = options.conventions ?? DEFAULT_SBDH_CONVENTIONS;
  const facts = describePayload(payload, options.label, options);
  const now = context.clock();
  const instanceIdentifier = context.newId();
  const created = sbdhTime(now);
  const warnings: EnvelopeWarning[] = addressWarnings(facts, options);
  const scope = (type: string, value: SbdhScope['instanceIdentifier']): SbdhScope => ({
    type,
    instanceIdentifier: value,
    identifier: conventions.scopeIdentifier,
  });

  if (facts.patientCprInvalid) {
    warnings.push({
      code: 'patient-id-invalid',
      location: 'PATIENTID',
      message: 'the patient CPR is not valid (value withheld); PATIENTID is omitted',
    });
  }
  const message = facts.kind === 'fhir' ? fhirHeader(facts, options) : oioxmlHeader(facts, options);
  const senderSor = options.senderSor ?? facts.sender.sor;
  const receiverSor = options.receiverSor ?? facts.receiver.sor;
  for (const [type, sor, role] of [
    ['SENDERID', senderSor, 'sender'],
    ['RECEIVERID', receiverSor, 'receiver'],
  ] as const) {
    if (sor) continue;
    if (facts.kind === 'fhir') {
      throw new EnvelopeError(
        options.label,
        `MessageHeader.${role === 'sender' ? 'sender' : 'destination.receiver'}`,
        `the ${role} Organization has no SOR identifier (urn:oid:1.2.208.176.1.1); ${type} needs it`,
      );
    }
    warnings.push({
      code: 'sor-missing',
      location: `${type}`,
      message: `the letter names no ${role} SOR code; ${type} is omitted`,
    });
  }

  const scopes: SbdhScope[] = [
    scope('DOCUMENTID', message.documentId),
    scope('PROCESSID', conventions.processId),
    ...(facts.patientCpr ? [scope('PATIENTID', facts.patientCpr)] : []),
    ...(senderSor ? [scope('SENDERID', senderSor)] : []),
    ...(receiverSor ? [scope('RECEIVERID', receiverSor)] : []),
    scope('MESSAGEIDENTIFIER', message.messageId),
    ...message.originalScopes.map(([type, value]) => scope(type, value)),
    scope('MESSAGEENVELOPEIDENTIFIER', message.envelopeId),
    ...(options.xdsMetadata !== undefined
      ? [{ type: 'XDS-METADATA', instanceIdentifier: options.xdsMetadata, identifier: XDS_SCOPE_IDENTIFIER }]
      : []),
    scope('StatisticalInformation', message.statistics),
    {
      ...scope('EHMI-ReceiptAcknowledgement', 'Request'),
      correlation: {
        requestingDocumentCreationDateTime: created,
        requestingDocumentInstanceIdentifier: instanceIdentifier,
        expectedResponseDateTime: sbdhTime(new Date(now.getTime() + conventions.receiptWindowMs)),
      },
      businessService: {
        name: 'EHMI-ReceiptAcknowledgement-Request',
        typeOfServiceTransaction: 'RequestingServiceTransaction',
      },
    },
  ];
  const documentIdentification: SbdhDocumentIdentification = {
    standard: message.standard,
    typeVersion: message.typeVersion,
    instanceIdentifier,
    type: message.type,
    multipleType: false,
    creationDateAndTime: created,
  };
  const encoding = facts.kind === 'fhir' ? 'UTF-8' : xsdEncoding(facts.encoding);
  const envelope: SbdhEnvelope = {
    sender: participantOfGln(options.sender),
    receiver: participantOfGln(options.receiver),
    documentIdentification,
    scopes,
    binaryContent: { mimeType: facts.mime, ...(encoding ? { encoding } : {}), data: payload },
    warnings,
  };
  return { envelope, bytes: writeSbdh(envelope), payload: facts };
}

interface HeaderValues {
  standard: string;
  typeVersion: string;
  type: string;
  documentId: string;
  messageId: string;
  envelopeId: string;
  statistics: string;
  originalScopes: [string, string][];
}

function fhirHeader(message: FhirPayload, options: SbdhWrapOptions): HeaderValues {
  const typeVersion = options.typeVersion ?? fhirTypeVersion(message);
  if (!typeVersion) {
    throw new EnvelopeError(
      options.label,
      'MessageHeader.definition',
      `no TypeVersion for ${message.eventCode}: the message has no versioned definition; pass one explicitly`,
    );
  }
  const postfix = statisticalPostfix(message, options.label);
  const originalScopes: [string, string][] = [];
  if (message.eventCode === 'acknowledgement-message') {
    if (message.respondsTo) originalScopes.push(['ORIGINALMESSAGEIDENTIFIER', message.respondsTo]);
    const original = options.original ?? {};
    if (original.envelopeIdentifier)
      originalScopes.push(['ORIGINALMESSAGEENVELOPEIDENTIFIER', original.envelopeIdentifier]);
    if (original.standard) originalScopes.push(['ORIGINALMESSAGESTANDARD', original.standard]);
    if (original.version) originalScopes.push(['ORIGINALMESSAGEVERSION', original.version]);
  }
  return {
    standard: message.eventCode,
    typeVersion,
    type: 'Bundle',
    documentId: fhirDocumentId(message.eventCode, typeVersion),
    messageId: message.messageHeaderId,
    envelopeId: message.bundleId,
    statistics: `MCM:${message.eventCode}${postfix ? `#${postfix}` : ''}`,
    originalScopes,
  };
}

function oioxmlHeader(letter: OioxmlPayload, options: SbdhWrapOptions): HeaderValues {
  if (!EDELIVERY_LETTER_TYPES.includes(letter.letterType)) {
    throw new EnvelopeError(
      options.label,
      `/Emessage/${letter.letterType}`,
      `${letter.letterType} (${letter.statisticalCode}) has no Danish eDelivery document type; expected one of ${EDELIVERY_LETTER_TYPES.join(', ')}`,
    );
  }
  const issuer = letter.sender.gln ?? options.sender;
  return {
    standard: oioxmlStandard(letter),
    typeVersion: letter.versionCode,
    type: letter.statisticalCode,
    documentId: oioxmlDocumentId(letter),
    messageId: oioxmlMessageId(issuer, letter.letterId),
    envelopeId: oioxmlMessageId(issuer, letter.envelopeId),
    statistics: `MCM:${letter.statisticalCode}`,
    originalScopes: [],
  };
}

/** BinaryContent/@encoding allows UTF-8 and ISO-8859-1 only; a windows-1252 letter keeps its own declaration. */
function xsdEncoding(encoding: string): 'UTF-8' | 'ISO-8859-1' | undefined {
  const upper = encoding.toUpperCase();
  return upper === 'UTF-8' || upper === 'ISO-8859-1' ? upper : undefined;
}
