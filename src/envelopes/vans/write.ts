// VansEnvelope value → XML bytes (UTF-8, as VANS envelopes are; the payload keeps its own bytes inside base64).
import { el, type XmlElement } from '../../xml/element.ts';
import { writeXml } from '../../xml/write.ts';
import { encodeBase64 } from '../base64.ts';
import { VANS_NS, type VansEnvelope, type VansErrorInfo, type VansMetaInformation, type VansReceipt } from './model.ts';

const e = (name: string, children: readonly (XmlElement | string)[] = [], attributes?: Record<string, string>) =>
  el(name, VANS_NS, attributes, children);

function optional(value: XmlElement | undefined): XmlElement[] {
  return value ? [value] : [];
}

function metaInformation(name: string, meta: VansMetaInformation): XmlElement {
  const { document, transport, processing } = meta;
  return e(name, [
    e('Identifier', [meta.identifier]),
    ...optional(
      processing &&
        e('Processing', [
          e('ProviderIdentifier', [processing.providerIdentifier]),
          e('ServiceIdentifier', [processing.serviceIdentifier]),
        ]),
    ),
    e('Document', [
      e('Format', [document.format]),
      e('Name', [document.name]),
      ...optional(document.version !== undefined ? e('Version', [document.version]) : undefined),
      e('SizeInBytes', [String(document.sizeInBytes)]),
    ]),
    ...optional(
      transport &&
        e('Transport', [
          ...optional(transport.type ? e('Type', [transport.type]) : undefined),
          e('TransformMessage', [String(transport.transformMessage)]),
          ...transport.serviceTags.map((tag) => e('ServiceTag', [tag.value], { name: tag.name })),
        ]),
    ),
  ]);
}

function error(info: VansErrorInfo): XmlElement {
  return e('Error', [
    ...optional(info.code !== undefined ? e('Code', [String(info.code)]) : undefined),
    e('Description', [info.description]),
  ]);
}

function receipt(r: VansReceipt): XmlElement {
  const original = [e('OriginalEnvelopeIdentifier', [r.originalEnvelopeIdentifier])];
  switch (r.kind) {
    case 'NegativeVans':
      return e('NegativeVans', [
        error(r.error),
        ...original,
        ...optional(r.originalMessage && metaInformation('OriginalMessage', r.originalMessage)),
      ]);
    case 'NegativeMessage':
      return e('NegativeMessage', [error(r.error), ...original, metaInformation('OriginalMessage', r.originalMessage)]);
    case 'PositiveMessage':
      return e('PositiveMessage', [...original, metaInformation('OriginalMessage', r.originalMessage)]);
  }
}

export function vansToXml(envelope: VansEnvelope): XmlElement {
  const { content } = envelope;
  return e('VANSEnvelope', [
    e('SenderID', [envelope.sender.value], { EndPointType: envelope.sender.type }),
    e('ReceiverID', [envelope.receiver.value], { EndPointType: envelope.receiver.type }),
    e('EnvelopeIdentifier', [envelope.envelopeIdentifier]),
    e('SentDateTime', [envelope.sentDateTime]),
    content.kind === 'message'
      ? e('Message', [metaInformation('MetaInformation', content.meta), e('Data', [encodeBase64(content.data)])])
      : e('Receipt', [receipt(content.receipt)]),
  ]);
}

export function writeVans(envelope: VansEnvelope): Uint8Array {
  return writeXml(vansToXml(envelope), { encoding: 'UTF-8', declaration: true, indent: '  ' });
}
