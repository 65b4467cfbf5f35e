// VANSEnvelope bytes → value. Structural problems (not XML, wrong root, missing required parts, broken base64) are
// errors; deviations real envelopes show — non-UUID ids (Region H/Epic uses its OIOXML envelope number), a
// SentDateTime without zone, a SizeInBytes that does not match — are accepted and reported as warnings.
import { isGln } from '../../messages/parties.ts';
import { isUuid } from '../../messages/ids.ts';
import { attr, childElements, firstChild, textOf, type XmlElement } from '../../xml/element.ts';
import { decodeBase64 } from '../base64.ts';
import { EnvelopeError, type EnvelopeWarning } from '../envelope-error.ts';
import { firstSignificantByte, MAX_ENVELOPE_BYTES } from '../payload.ts';
import { readEnvelopeXml } from '../read-envelope-xml.ts';
import { MIME_SERVICE_TAG, type VansDocument, type VansFormat, type VansServiceTag } from './document.ts';
import {
  VANS_NS,
  type EndPointType,
  type VansEndPoint,
  type VansErrorInfo,
  type VansMetaInformation,
  type VansReceipt,
  type VansTransport,
  type VansEnvelope,
} from './model.ts';

const FORMATS: readonly VansFormat[] = ['XML', 'EDIFACT', 'HL7', 'Binary', 'Other'];
const END_POINT_TYPES: readonly EndPointType[] = ['EAN', 'CVR', 'VANS'];

export function parseVans(bytes: Uint8Array, label: string): VansEnvelope {
  const { root } = readEnvelopeXml(bytes, { label, maxBytes: MAX_ENVELOPE_BYTES });
  return vansFromXml(root, label);
}

/** For callers that already hold the parsed document (unwrapAny parses once and dispatches on the root). */
export function vansFromXml(root: XmlElement, label: string): VansEnvelope {
  return new VansReader(label).envelope(root);
}

class VansReader {
  readonly warnings: EnvelopeWarning[] = [];

  constructor(private readonly label: string) {}

  envelope(root: XmlElement): VansEnvelope {
    if (root.name !== 'VANSEnvelope' || root.ns !== VANS_NS) {
      throw new EnvelopeError(
        this.label,
        `/${root.name}`,
        `expected the root element VANSEnvelope in namespace ${VANS_NS}`,
      );
    }
    const at = '/VANSEnvelope';
    const sender = this.endPoint(root, 'SenderID', at);
    const receiver = this.endPoint(root, 'ReceiverID', at);
    const envelopeIdentifier = this.id(root, 'EnvelopeIdentifier', at);
    const sentDateTime = this.required(root, 'SentDateTime', at);
    if (!/(Z|[+-]\d{2}:\d{2})$/.test(sentDateTime)) {
      this.warn('time-without-zone', `${at}/SentDateTime`, `SentDateTime ${sentDateTime} has no time zone`);
    }
    const message = firstChild(root, 'Message', VANS_NS);
    const receipt = firstChild(root, 'Receipt', VANS_NS);
    let content: VansEnvelope['content'];
    if (message) {
      content = this.message(message, `${at}/Message`);
    } else if (receipt) {
      content = { kind: 'receipt', receipt: this.receipt(receipt, `${at}/Receipt`) };
    } else {
      throw new EnvelopeError(this.label, at, 'expected a Message or a Receipt after SentDateTime');
    }
    return { sender, receiver, envelopeIdentifier, sentDateTime, content, warnings: this.warnings };
  }

  private message(message: XmlElement, at: string): VansEnvelope['content'] {
    const meta = this.meta(this.child(message, 'MetaInformation', at), `${at}/MetaInformation`);
    const data = decodeBase64(this.required(message, 'Data', at, false), this.label, `${at}/Data`);
    if (meta.document.sizeInBytes !== data.byteLength) {
      this.warn(
        'size-mismatch',
        `${at}/MetaInformation/Document/SizeInBytes`,
        `SizeInBytes says ${meta.document.sizeInBytes}, the decoded Data has ${data.byteLength} bytes`,
      );
    }
    if (meta.document.format === 'HL7') this.checkFhir(meta, data, `${at}/MetaInformation`);
    return { kind: 'message', meta, data };
  }

  /** FHIR in VANS: MCM:MIME must say JSON or XML (and agree with the bytes), transport must be reliable. */
  private checkFhir(meta: VansMetaInformation, data: Uint8Array, at: string): void {
    const tag = meta.transport?.serviceTags.find((t) => t.name === MIME_SERVICE_TAG)?.value;
    const looksJson = firstSignificantByte(data) === 0x7b;
    if (!tag) {
      this.warn(
        'mime-missing',
        `${at}/Transport`,
        `no ServiceTag ${MIME_SERVICE_TAG}; the payload looks like ${looksJson ? 'JSON' : 'XML'}`,
      );
    } else if (!/^(application|text)\/fhir\+(json|xml)$/.test(tag)) {
      this.warn(
        'mime-unknown',
        `${at}/Transport/ServiceTag`,
        `${MIME_SERVICE_TAG} ${tag} is not application/fhir+json or application/fhir+xml`,
      );
    } else if (tag.endsWith('json') !== looksJson) {
      this.warn(
        'mime-mismatch',
        `${at}/Transport/ServiceTag`,
        `${MIME_SERVICE_TAG} says ${tag} but the payload looks like ${looksJson ? 'JSON' : 'XML'}`,
      );
    }
    if (meta.transport?.type === 'unreliable') {
      this.warn(
        'fhir-unreliable',
        `${at}/Transport/Type`,
        'FHIR messages SHALL be sent reliable (GOV FHIRMessages_NetworkEnvelopes)',
      );
    }
  }

  private meta(meta: XmlElement, at: string): VansMetaInformation {
    const identifier = this.id(meta, 'Identifier', at);
    const processingElement = firstChild(meta, 'Processing', VANS_NS);
    const documentElement = this.child(meta, 'Document', at);
    const transportElement = firstChild(meta, 'Transport', VANS_NS);
    const docAt = `${at}/Document`;
    const format = this.required(documentElement, 'Format', docAt);
    if (!FORMATS.includes(format as VansFormat)) {
      throw new EnvelopeError(this.label, `${docAt}/Format`, `Format ${format} is not one of ${FORMATS.join(', ')}`);
    }
    const sizeText = this.required(documentElement, 'SizeInBytes', docAt);
    const size = Number(sizeText);
    if (!Number.isInteger(size) || size < 0) {
      throw new EnvelopeError(
        this.label,
        `${docAt}/SizeInBytes`,
        `SizeInBytes ${sizeText} is not a non-negative integer`,
      );
    }
    const version = this.optional(documentElement, 'Version');
    const document: VansDocument = {
      format: format as VansFormat,
      name: this.required(documentElement, 'Name', docAt),
      ...(version !== undefined ? { version } : {}),
      sizeInBytes: size,
    };
    return {
      identifier,
      ...(processingElement
        ? {
            processing: {
              providerIdentifier: this.required(processingElement, 'ProviderIdentifier', `${at}/Processing`),
              serviceIdentifier: this.required(processingElement, 'ServiceIdentifier', `${at}/Processing`),
            },
          }
        : {}),
      document,
      ...(transportElement ? { transport: this.transport(transportElement, `${at}/Transport`) } : {}),
    };
  }

  private transport(e: XmlElement, at: string): VansTransport {
    const type = this.optional(e, 'Type');
    if (type !== undefined && type !== 'reliable' && type !== 'unreliable') {
      throw new EnvelopeError(this.label, `${at}/Type`, `Transport/Type ${type} is not reliable or unreliable`);
    }
    const transform = this.optional(e, 'TransformMessage');
    const serviceTags: VansServiceTag[] = childElements(e, 'ServiceTag', VANS_NS).map((tag, i) => ({
      name: attr(tag, 'name') ?? this.missing(`${at}/ServiceTag[${i + 1}]/@name`),
      value: textOf(tag).trim(),
    }));
    return {
      ...(type ? { type } : {}),
      transformMessage: transform === 'true' || transform === '1',
      serviceTags,
    };
  }

  private receipt(e: XmlElement, at: string): VansReceipt {
    const kind = childElements(e)[0];
    if (!kind || kind.ns !== VANS_NS) {
      throw new EnvelopeError(this.label, at, 'expected NegativeVans, NegativeMessage or PositiveMessage');
    }
    const kindAt = `${at}/${kind.name}`;
    const originalEnvelopeIdentifier = this.id(kind, 'OriginalEnvelopeIdentifier', kindAt);
    const originalElement = firstChild(kind, 'OriginalMessage', VANS_NS);
    const originalMessage = originalElement ? this.meta(originalElement, `${kindAt}/OriginalMessage`) : undefined;
    switch (kind.name) {
      case 'NegativeVans':
        return {
          kind: 'NegativeVans',
          error: this.error(kind, kindAt),
          originalEnvelopeIdentifier,
          ...(originalMessage ? { originalMessage } : {}),
        };
      case 'NegativeMessage':
      case 'PositiveMessage': {
        if (!originalMessage) this.missing(`${kindAt}/OriginalMessage`);
        return kind.name === 'NegativeMessage'
          ? {
              kind: 'NegativeMessage',
              error: this.error(kind, kindAt),
              originalEnvelopeIdentifier,
              originalMessage: originalMessage!,
            }
          : { kind: 'PositiveMessage', originalEnvelopeIdentifier, originalMessage: originalMessage! };
      }
      default:
        throw new EnvelopeError(
          this.label,
          kindAt,
          `${kind.name} is not NegativeVans, NegativeMessage or PositiveMessage`,
        );
    }
  }

  private error(e: XmlElement, at: string): VansErrorInfo {
    const errorElement = this.child(e, 'Error', at);
    const code = this.optional(errorElement, 'Code');
    return {
      ...(code !== undefined && /^\d+$/.test(code) ? { code: Number(code) } : {}),
      description: this.required(errorElement, 'Description', `${at}/Error`),
    };
  }

  private endPoint(parent: XmlElement, name: string, at: string): VansEndPoint {
    const e = this.child(parent, name, at);
    const value = textOf(e).trim();
    const type = attr(e, 'EndPointType');
    if (!type || !END_POINT_TYPES.includes(type as EndPointType)) {
      throw new EnvelopeError(
        this.label,
        `${at}/${name}/@EndPointType`,
        `EndPointType must be EAN, CVR or VANS, got ${JSON.stringify(type ?? '')}`,
      );
    }
    if (type === 'EAN' && !isGln(value)) {
      this.warn(
        'endpoint-not-gln',
        `${at}/${name}`,
        `${name} ${value} is marked EAN but is not a GLN (13 digits, GS1 check digit)`,
      );
    }
    return { value, type: type as EndPointType };
  }

  /** UUID-typed ids: the schema demands a UUID, real envelopes do not always comply; accept and report. */
  private id(parent: XmlElement, name: string, at: string): string {
    const value = this.required(parent, name, at);
    if (!isUuid(value)) {
      this.warn(
        'id-not-uuid',
        `${at}/${name}`,
        `${name} ${value} is not a UUID (the schema's UUIDType); accepted as is`,
      );
    }
    return value;
  }

  private child(parent: XmlElement, name: string, at: string): XmlElement {
    return firstChild(parent, name, VANS_NS) ?? this.missing(`${at}/${name}`);
  }

  private required(parent: XmlElement, name: string, at: string, trim = true): string {
    const value = textOf(this.child(parent, name, at));
    const result = trim ? value.trim() : value;
    if (result.trim() === '') throw new EnvelopeError(this.label, `${at}/${name}`, `${name} is empty`);
    return result;
  }

  private optional(parent: XmlElement, name: string): string | undefined {
    const e = firstChild(parent, name, VANS_NS);
    return e ? textOf(e).trim() : undefined;
  }

  private missing(location: string): never {
    throw new EnvelopeError(this.label, location, 'required element is missing');
  }

  private warn(code: string, location: string, message: string): void {
    this.warnings.push({ code, location, message });
  }
}
