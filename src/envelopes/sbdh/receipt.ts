// ehmiSBDH envelope receipts (hub.md §5.4): the receiving MSH answers every message envelope with an SBDH whose
// Sender/Receiver are swapped, ORIGINAL* scopes quote the request, the EHMI-ReceiptAcknowledgement Response scope
// copies the request's correlation values, and BinaryContent (application/xml) carries the ebBP signal.
import type { EnvelopeContext } from '../context.ts';
import { EnvelopeError, type EnvelopeWarning } from '../envelope-error.ts';
import { DEFAULT_SBDH_CONVENTIONS, type SbdhConventions } from './conventions.ts';
import { receiptScopeOf, scopeValue, type SbdhEnvelope, type SbdhScope } from './model.ts';
import { parseSignal, writeSignal, type EbbpSignal, type ReceiptExceptionType } from './signal.ts';
import { sbdhTime } from './wrap.ts';
import { writeSbdh } from './write.ts';

export type SbdhReceiptOutcome =
  | { readonly kind: 'ReceiptAcknowledgement' }
  | {
      readonly kind: 'ReceiptException';
      readonly exceptionType: ReceiptExceptionType;
      /** Short reason, e.g. "XML Parsing Error: not well-formed". */
      readonly reason: string;
      readonly message?: string;
    };

const RECEIPT_TYPES = ['ReceiptAcknowledgement', 'ReceiptException'];

export function isSbdhReceipt(envelope: SbdhEnvelope): boolean {
  return RECEIPT_TYPES.includes(envelope.documentIdentification.type);
}

export function sbdhReceiptFor(
  original: SbdhEnvelope,
  outcome: SbdhReceiptOutcome,
  context: EnvelopeContext,
  conventions: SbdhConventions = DEFAULT_SBDH_CONVENTIONS,
): { envelope: SbdhEnvelope; bytes: Uint8Array; signal: EbbpSignal } {
  if (isSbdhReceipt(original)) {
    throw new RangeError(
      `envelope ${original.documentIdentification.instanceIdentifier} is itself a receipt; receipts are not receipted`,
    );
  }
  const now = context.clock();
  const id = context.newId();
  const created = sbdhTime(now);
  const request = original.documentIdentification;
  const correlation = receiptScopeOf(original)?.correlation ?? {
    // A request without the scope still gets a receipt; correlate on what the envelope itself says.
    requestingDocumentCreationDateTime: request.creationDateAndTime,
    requestingDocumentInstanceIdentifier: request.instanceIdentifier,
    expectedResponseDateTime: sbdhTime(new Date(Date.parse(request.creationDateAndTime) + conventions.receiptWindowMs)),
  };
  const scope = (type: string, value: string): SbdhScope => ({
    type,
    instanceIdentifier: value,
    identifier: conventions.scopeIdentifier,
  });
  const quoted = (type: string, from: Parameters<typeof scopeValue>[1]) => {
    const value = scopeValue(original, from);
    return value ? [scope(type, value)] : [];
  };
  const documentId = scopeValue(original, 'DOCUMENTID');
  const messageId = scopeValue(original, 'MESSAGEIDENTIFIER');
  const statistics = scopeValue(original, 'StatisticalInformation');
  const scopes: SbdhScope[] = [
    scope('DOCUMENTID', conventions.receiptDocumentId),
    scope('PROCESSID', scopeValue(original, 'PROCESSID') ?? conventions.processId),
    ...quoted('SENDERID', 'RECEIVERID'),
    ...quoted('RECEIVERID', 'SENDERID'),
    // A receipt is not a business message: its message and envelope ids are its own new id (as in MedCom's example).
    scope('MESSAGEIDENTIFIER', id),
    ...quoted('ORIGINALMESSAGEIDENTIFIER', 'MESSAGEIDENTIFIER'),
    scope('MESSAGEENVELOPEIDENTIFIER', id),
    ...quoted('ORIGINALMESSAGEENVELOPEIDENTIFIER', 'MESSAGEENVELOPEIDENTIFIER'),
    scope('ORIGINALMESSAGESTANDARD', request.standard),
    scope('ORIGINALMESSAGEVERSION', request.typeVersion),
    scope('ORIGINALENVELOPEIDENTIFIER', request.instanceIdentifier),
    ...(statistics ? [scope('StatisticalInformation', statistics)] : []),
    {
      ...scope('EHMI-ReceiptAcknowledgement', 'Response'),
      correlation,
      businessService: {
        name: 'EHMI-ReceiptAcknowledgement-Response',
        typeOfServiceTransaction: 'RespondingServiceTransaction',
      },
    },
  ];
  const identification = {
    originalMessageIdentifier: request.instanceIdentifier,
    ...(documentId ? { originalDocumentIdentifier: documentId } : {}),
    originalMessageDateTime: request.creationDateAndTime,
    thisMessageDateTime: created,
    fromParty: original.receiver,
    toParty: original.sender,
    collaborationIdentifier: messageId ?? request.instanceIdentifier,
  };
  const signal: EbbpSignal =
    outcome.kind === 'ReceiptAcknowledgement'
      ? { kind: 'ReceiptAcknowledgement', ...identification }
      : {
          kind: 'ReceiptException',
          ...identification,
          exceptionType: outcome.exceptionType,
          reason: outcome.reason,
          ...(outcome.message ? { exceptionMessage: outcome.message } : {}),
        };
  const envelope: SbdhEnvelope = {
    sender: original.receiver,
    receiver: original.sender,
    documentIdentification: {
      standard: conventions.receiptStandard,
      typeVersion: conventions.receiptTypeVersion,
      instanceIdentifier: id,
      type: outcome.kind,
      multipleType: false,
      creationDateAndTime: created,
    },
    scopes,
    binaryContent: { mimeType: 'application/xml', encoding: 'UTF-8', data: writeSignal(signal) },
    warnings: [],
  };
  return { envelope, bytes: writeSbdh(envelope), signal };
}

/** What an envelope receipt says, from its header and (when readable) its ebBP signal. */
export interface SbdhReceiptInfo {
  readonly positive: boolean;
  /** The receipted envelope's InstanceIdentifier (ORIGINALENVELOPEIDENTIFIER, else the correlation id). */
  readonly originalEnvelopeId?: string;
  readonly originalMessageId?: string;
  readonly signal?: EbbpSignal;
  readonly warnings: readonly EnvelopeWarning[];
}

export function readSbdhReceipt(envelope: SbdhEnvelope, label: string): SbdhReceiptInfo {
  const type = envelope.documentIdentification.type;
  if (!isSbdhReceipt(envelope))
    throw new EnvelopeError(label, 'DocumentIdentification/Type', `${type} is not an envelope receipt`);
  const warnings: EnvelopeWarning[] = [];
  let signal: EbbpSignal | undefined;
  try {
    signal = parseSignal(envelope.binaryContent.data, `${label} (ebBP signal)`);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    // MedCom's own receipt sample has typographic quotes around an attribute value: report, keep the header's word.
    warnings.push({
      code: 'signal-unreadable',
      location: '/StandardBusinessDocument/BinaryContent',
      message: `the ebBP signal is unreadable at ${error.location}: ${error.problem}`,
    });
  }
  const positive = type === 'ReceiptAcknowledgement';
  if (signal && (signal.kind === 'ReceiptAcknowledgement') !== positive) {
    warnings.push({
      code: 'signal-mismatch',
      location: '/StandardBusinessDocument/BinaryContent',
      message: `DocumentIdentification/Type is ${type} but the signal is ${signal.kind}`,
    });
  }
  const originalEnvelopeId =
    scopeValue(envelope, 'ORIGINALENVELOPEIDENTIFIER') ??
    receiptScopeOf(envelope)?.correlation?.requestingDocumentInstanceIdentifier;
  const originalMessageId = scopeValue(envelope, 'ORIGINALMESSAGEIDENTIFIER');
  return {
    positive,
    ...(originalEnvelopeId ? { originalEnvelopeId } : {}),
    ...(originalMessageId ? { originalMessageId } : {}),
    ...(signal ? { signal } : {}),
    warnings,
  };
}
