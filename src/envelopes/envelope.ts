// The one envelope model the hub works with, whatever arrived: VANSEnvelope (today's network) or ehmiSBDH (EHMI).
// `unwrapAny` tells them apart by the root element, so an intake adapter never has to guess.
import { firstSignificantByte, MAX_ENVELOPE_BYTES } from './payload.ts';
import { EnvelopeError, type EnvelopeWarning } from './envelope-error.ts';
import { readEnvelopeXml } from './read-envelope-xml.ts';
import type { XmlElement } from '../xml/element.ts';
import { glnOfParticipant, SBDH_NS, scopeValue, type SbdhEnvelope } from './sbdh/model.ts';
import { sbdhFromXml } from './sbdh/parse.ts';
import { isSbdhReceipt, readSbdhReceipt } from './sbdh/receipt.ts';
import { MIME_SERVICE_TAG, messageTypeOfDocument } from './vans/document.ts';
import { VANS_NS, type VansEnvelope } from './vans/model.ts';
import { vansFromXml } from './vans/parse.ts';

export type EnvelopeKind = 'vans' | 'sbdh';

/** The receipt an envelope carries when it is an envelope-level receipt rather than a message. */
export interface EnvelopeReceipt {
  readonly positive: boolean;
  /** VANS: PositiveMessage | NegativeMessage | NegativeVans; SBDH: ReceiptAcknowledgement | ReceiptException. */
  readonly kind: string;
  /** Transmission id of the envelope being receipted. */
  readonly originalEnvelopeId?: string;
  /** Message id of the envelope being receipted. */
  readonly originalMessageId?: string;
  /** Error text of a negative receipt. */
  readonly reason?: string;
}

export interface Envelope {
  readonly kind: EnvelopeKind;
  /** Transmission id: VANS EnvelopeIdentifier / SBDH InstanceIdentifier. New on every send. */
  readonly id: string;
  /** Message id: VANS MetaInformation/Identifier / SBDH MESSAGEIDENTIFIER. Stable across resends. */
  readonly messageId?: string;
  /** Transport addresses (VANS SenderID/ReceiverID; SBDH participant after `0088:`). */
  readonly senderGln: string;
  readonly receiverGln: string;
  readonly sentAt: string;
  /**
   * FHIR event code (`care-communication-message` …), OIOXML statistical code (`XDIS18` …), the SBDH Standard for
   * other payloads, or `envelope-receipt`.
   */
  readonly messageType: string;
  /** The carried message; absent for a VANS receipt (which has no payload). */
  readonly payload?: { readonly bytes: Uint8Array; readonly mime: string; readonly encoding?: string };
  readonly receipt?: EnvelopeReceipt;
  readonly warnings: readonly EnvelopeWarning[];
  /** The full kind-specific value, for what the common model leaves out (scopes, document metadata …). */
  readonly detail:
    | { readonly kind: 'vans'; readonly envelope: VansEnvelope }
    | { readonly kind: 'sbdh'; readonly envelope: SbdhEnvelope };
}

export const ENVELOPE_RECEIPT = 'envelope-receipt';

/** Parses a VANSEnvelope or an ehmiSBDH, decided by the root element; throws EnvelopeError for anything else. */
export function unwrapAny(bytes: Uint8Array, label: string): Envelope {
  if (firstSignificantByte(bytes) !== 0x3c) {
    throw new EnvelopeError(label, '/', 'not XML; expected a VANSEnvelope or an ehmiSBDH StandardBusinessDocument');
  }
  const root = rootOf(bytes, label);
  if (root.ns === VANS_NS && root.name === 'VANSEnvelope') return fromVans(vansFromXml(root, label));
  if (root.ns === SBDH_NS && root.name === 'StandardBusinessDocument') return fromSbdh(sbdhFromXml(root, label), label);
  throw new EnvelopeError(
    label,
    `/${root.name}`,
    `root element {${root.ns}}${root.name} is neither {${VANS_NS}}VANSEnvelope nor {${SBDH_NS}}StandardBusinessDocument`,
  );
}

function rootOf(bytes: Uint8Array, label: string): XmlElement {
  return readEnvelopeXml(bytes, { label, maxBytes: MAX_ENVELOPE_BYTES }).root;
}

export function fromVans(envelope: VansEnvelope): Envelope {
  const base = {
    kind: 'vans' as const,
    id: envelope.envelopeIdentifier,
    senderGln: envelope.sender.value,
    receiverGln: envelope.receiver.value,
    sentAt: envelope.sentDateTime,
    warnings: envelope.warnings,
    detail: { kind: 'vans' as const, envelope },
  };
  const { content } = envelope;
  if (content.kind === 'receipt') {
    const r = content.receipt;
    return {
      ...base,
      messageType: ENVELOPE_RECEIPT,
      receipt: {
        positive: r.kind === 'PositiveMessage',
        kind: r.kind,
        originalEnvelopeId: r.originalEnvelopeIdentifier,
        ...(r.originalMessage ? { originalMessageId: r.originalMessage.identifier } : {}),
        ...(r.kind !== 'PositiveMessage' ? { reason: r.error.description } : {}),
      },
    };
  }
  const { meta } = content;
  const tag = meta.transport?.serviceTags.find((t) => t.name === MIME_SERVICE_TAG)?.value;
  const mime =
    meta.document.format === 'HL7'
      ? (tag?.replace(/^text\//, 'application/') ??
        (firstSignificantByte(content.data) === 0x7b ? 'application/fhir+json' : 'application/fhir+xml'))
      : meta.document.format === 'XML'
        ? 'application/xml'
        : 'application/octet-stream';
  return {
    ...base,
    messageId: meta.identifier,
    messageType: messageTypeOfDocument(meta.document),
    payload: { bytes: content.data, mime },
  };
}

export function fromSbdh(envelope: SbdhEnvelope, label: string): Envelope {
  const d = envelope.documentIdentification;
  const messageId = scopeValue(envelope, 'MESSAGEIDENTIFIER');
  const base = {
    kind: 'sbdh' as const,
    id: d.instanceIdentifier,
    ...(messageId ? { messageId } : {}),
    senderGln: glnOfParticipant(envelope.sender) ?? envelope.sender,
    receiverGln: glnOfParticipant(envelope.receiver) ?? envelope.receiver,
    sentAt: d.creationDateAndTime,
    payload: {
      bytes: envelope.binaryContent.data,
      mime: envelope.binaryContent.mimeType,
      ...(envelope.binaryContent.encoding ? { encoding: envelope.binaryContent.encoding } : {}),
    },
    detail: { kind: 'sbdh' as const, envelope },
  };
  if (!isSbdhReceipt(envelope)) {
    return { ...base, messageType: d.standard, warnings: envelope.warnings };
  }
  const info = readSbdhReceipt(envelope, label);
  const reason = info.signal?.kind === 'ReceiptException' ? info.signal.reason : undefined;
  return {
    ...base,
    messageType: ENVELOPE_RECEIPT,
    receipt: {
      positive: info.positive,
      kind: d.type,
      ...(info.originalEnvelopeId ? { originalEnvelopeId: info.originalEnvelopeId } : {}),
      ...(info.originalMessageId ? { originalMessageId: info.originalMessageId } : {}),
      ...(reason ? { reason } : {}),
    },
    warnings: [...envelope.warnings, ...info.warnings],
  };
}
