// VANSEnvelope Message/MetaInformation/Document for the payload (medcom-fhir.md §6, oioxml.md §6.2):
//   FHIR     Format HL7, Name MCM:<SOR-EDI type>#<postfix>, Version per message type, ServiceTag MCM:MIME
//   OIOXML   Format XML, Name MCM:<StatisticalCode>, Version = VersionCode (the MCM: prefix is our choice on output —
//            one real envelope has it, the Region H one does not; both are read)
import { EnvelopeError } from '../envelope-error.ts';
import type { PayloadFacts } from '../payload.ts';
import { statisticalPostfix } from '../statistics.ts';

export type VansFormat = 'XML' | 'EDIFACT' | 'HL7' | 'Binary' | 'Other';

export interface VansDocument {
  readonly format: VansFormat;
  readonly name: string;
  readonly version?: string;
  readonly sizeInBytes: number;
}

export interface VansServiceTag {
  readonly name: string;
  readonly value: string;
}

export const MIME_SERVICE_TAG = 'MCM:MIME';

/** FHIR event → SOR-EDI type (ConceptMap medcom-messaging-mapFhirToSorEdi) and the VANS Version (GOV network page). */
const FHIR_TYPES: Readonly<Record<string, { sorEdi: string; version: string }>> = {
  'care-communication-message': { sorEdi: 'FDIS91', version: '5.0' },
  'hospital-notification-message': { sorEdi: 'FDIS20', version: '3.0.0' },
  'acknowledgement-message': { sorEdi: 'FCTL', version: '2.0.0' },
};

export interface VansDescription {
  readonly document: VansDocument;
  readonly serviceTags: readonly VansServiceTag[];
}

export function vansDocumentFor(payload: PayloadFacts, sizeInBytes: number, label: string): VansDescription {
  if (payload.kind === 'oioxml') {
    return {
      document: { format: 'XML', name: `MCM:${payload.statisticalCode}`, version: payload.versionCode, sizeInBytes },
      serviceTags: [],
    };
  }
  const type = FHIR_TYPES[payload.eventCode];
  if (!type) {
    throw new EnvelopeError(
      label,
      'MessageHeader.eventCoding.code',
      `no VANS document name is defined for ${payload.eventCode}; expected one of ${Object.keys(FHIR_TYPES).join(', ')}`,
    );
  }
  const postfix = statisticalPostfix(payload, label);
  return {
    document: {
      format: 'HL7',
      name: `MCM:${type.sorEdi}#${postfix}`,
      // CC 5 states its own version in MessageHeader.definition, "intended as the source of the VANSEnvelope version".
      version: payload.definitionVersion ?? type.version,
      sizeInBytes,
    },
    serviceTags: [{ name: MIME_SERVICE_TAG, value: payload.mime }],
  };
}

/** The message type a received Document names: the FHIR event code for HL7, the OIOXML statistical code for XML. */
export function messageTypeOfDocument(document: Pick<VansDocument, 'format' | 'name'>): string {
  const name = document.name.replace(/^MCM:/, '');
  if (document.format === 'HL7') {
    const type = name.split('#')[0];
    const event = Object.entries(FHIR_TYPES).find(([, t]) => t.sorEdi === type)?.[0];
    if (event) return event;
  }
  return name;
}
