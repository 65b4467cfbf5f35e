// SbdhEnvelope value → XML bytes, in the element order of ehmiStandardBusinessDocumentHeader.xsd. BinaryContent is
// written in the SBDH namespace: the XSD declares it as a local element of StandardBusinessDocument (qualified),
// although most published samples put it in the PEPPOL envelope namespace, which the same XSD rejects.
import { el, type XmlElement } from '../../xml/element.ts';
import { writeXml } from '../../xml/write.ts';
import { encodeBase64 } from '../base64.ts';
import { PARTICIPANT_AUTHORITY, SBDH_NS, type SbdhEnvelope, type SbdhScope } from './model.ts';

const e = (
  name: string,
  children: readonly (XmlElement | string)[] = [],
  attributes?: Record<string, string | undefined>,
) => el(name, SBDH_NS, attributes, children);

/** The attribute values ehmiBusinessScope.xsd fixes; written out in full like the samples. */
const SERVICE_TRANSACTION_FIXED = {
  IsNonRepudiationRequired: 'false',
  IsAuthenticationRequired: 'false',
  IsNonRepudiationOfReceiptRequired: 'false',
  IsIntelligibleCheckRequired: 'false',
  IsApplicationErrorResponseRequested: 'false',
  TimeToAcknowledgeReceipt: '600000',
  TimeToAcknowledgeAcceptance: '0',
  TimeToPerform: '0',
  Recurrence: '0',
};

function scope(s: SbdhScope): XmlElement {
  const value = typeof s.instanceIdentifier === 'string' ? s.instanceIdentifier : s.instanceIdentifier.reveal();
  const children: XmlElement[] = [
    e('Type', [s.type]),
    e('InstanceIdentifier', [value]),
    e('Identifier', [s.identifier]),
  ];
  if (s.correlation) {
    children.push(
      e('CorrelationInformation', [
        e('RequestingDocumentCreationDateTime', [s.correlation.requestingDocumentCreationDateTime]),
        e('RequestingDocumentInstanceIdentifier', [s.correlation.requestingDocumentInstanceIdentifier]),
        e('ExpectedResponseDateTime', [s.correlation.expectedResponseDateTime]),
      ]),
    );
  }
  if (s.businessService) {
    children.push(
      e('BusinessService', [
        e('BusinessServiceName', [s.businessService.name]),
        e('ServiceTransaction', [], {
          TypeOfServiceTransaction: s.businessService.typeOfServiceTransaction,
          ...SERVICE_TRANSACTION_FIXED,
        }),
      ]),
    );
  }
  return e('Scope', children);
}

export function sbdhToXml(envelope: SbdhEnvelope): XmlElement {
  const d = envelope.documentIdentification;
  return e('StandardBusinessDocument', [
    e('StandardBusinessDocumentHeader', [
      e('HeaderVersion', ['1.0']),
      e('Sender', [e('Identifier', [envelope.sender], { Authority: PARTICIPANT_AUTHORITY })]),
      e('Receiver', [e('Identifier', [envelope.receiver], { Authority: PARTICIPANT_AUTHORITY })]),
      e('DocumentIdentification', [
        e('Standard', [d.standard]),
        e('TypeVersion', [d.typeVersion]),
        e('InstanceIdentifier', [d.instanceIdentifier]),
        e('Type', [d.type]),
        ...(d.multipleType !== undefined ? [e('MultipleType', [String(d.multipleType)])] : []),
        e('CreationDateAndTime', [d.creationDateAndTime]),
      ]),
      e('BusinessScope', envelope.scopes.map(scope)),
    ]),
    e('BinaryContent', [encodeBase64(envelope.binaryContent.data)], {
      mimeType: envelope.binaryContent.mimeType,
      encoding: envelope.binaryContent.encoding,
    }),
  ]);
}

export function writeSbdh(envelope: SbdhEnvelope): Uint8Array {
  return writeXml(sbdhToXml(envelope), { encoding: 'UTF-8', declaration: true, indent: '  ' });
}
