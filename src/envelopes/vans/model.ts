// VANSEnvelope 1.0.4 as values (schema `oioxml/xsd/vans-envelope-1.0.4/VANSEnvelope.xsd`, tree in oioxml.md §6.1).
import type { EnvelopeWarning } from '../envelope-error.ts';
import type { VansDocument, VansServiceTag } from './document.ts';

export const VANS_NS = 'urn:oio:medcom:vans-envelope:1.0.4';

export type EndPointType = 'EAN' | 'CVR' | 'VANS';

export interface VansEndPoint {
  readonly value: string;
  readonly type: EndPointType;
}

export interface VansTransport {
  /** `reliable` requests an envelope receipt; absent means the default, reliable. FHIR SHALL be reliable. */
  readonly type?: 'reliable' | 'unreliable';
  readonly transformMessage: boolean;
  readonly serviceTags: readonly VansServiceTag[];
}

export interface VansMetaInformation {
  /** Message identity, stable across resends (FHIR: MessageHeader.id). */
  readonly identifier: string;
  readonly processing?: { readonly providerIdentifier: string; readonly serviceIdentifier: string };
  readonly document: VansDocument;
  readonly transport?: VansTransport;
}

export interface VansErrorInfo {
  readonly code?: number;
  readonly description: string;
}

export type VansReceipt =
  /** The VANS network could not deliver the envelope (the XCTL01 of the VANS world). */
  | {
      readonly kind: 'NegativeVans';
      readonly error: VansErrorInfo;
      readonly originalEnvelopeIdentifier: string;
      readonly originalMessage?: VansMetaInformation;
    }
  | {
      readonly kind: 'NegativeMessage';
      readonly error: VansErrorInfo;
      readonly originalEnvelopeIdentifier: string;
      readonly originalMessage: VansMetaInformation;
    }
  | {
      readonly kind: 'PositiveMessage';
      readonly originalEnvelopeIdentifier: string;
      readonly originalMessage: VansMetaInformation;
    };

export type VansContent =
  | { readonly kind: 'message'; readonly meta: VansMetaInformation; readonly data: Uint8Array }
  | { readonly kind: 'receipt'; readonly receipt: VansReceipt };

export interface VansEnvelope {
  readonly sender: VansEndPoint;
  readonly receiver: VansEndPoint;
  /** Transmission identity, new on every send. */
  readonly envelopeIdentifier: string;
  readonly sentDateTime: string;
  readonly content: VansContent;
  /** Deviations found when parsing (or building); empty for a clean envelope. */
  readonly warnings: readonly EnvelopeWarning[];
}
