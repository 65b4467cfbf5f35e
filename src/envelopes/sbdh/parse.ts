// ehmiSBDH bytes → value. Reads every published sample: they drift from the XSD (BinaryContent in the PEPPOL
// namespace, whitespace around ids and dateTimes, `XDS_METADATA`, `Acknowledgement-message`), and those drifts are
// reported as warnings. Missing header parts, an unreadable document or a broken payload are errors.
import { Cpr } from '../../messages/patient.ts';
import { isGln } from '../../messages/parties.ts';
import { attr, childElements, firstChild, textOf, type XmlElement } from '../../xml/element.ts';
import { decodeBase64 } from '../base64.ts';
import { EnvelopeError, type EnvelopeWarning } from '../envelope-error.ts';
import { firstSignificantByte, MAX_ENVELOPE_BYTES } from '../payload.ts';
import { readEnvelopeXml } from '../read-envelope-xml.ts';
import { LOCAL_STANDARDS } from './conventions.ts';
import {
  GLN_ICD,
  PARTICIPANT_AUTHORITY,
  PEPPOL_ENVELOPE_NS,
  SBDH_NS,
  SCOPE_TYPES,
  type SbdhCorrelation,
  type SbdhDocumentIdentification,
  type SbdhEnvelope,
  type SbdhScope,
} from './model.ts';

const PILOT_STANDARDS = ['homecareobservation-message', 'acknowledgement-message', 'ehmisbdh-acknowledgement'];
const MIME_TYPES = ['application/xml', 'application/fhir+json', 'application/fhir+xml'];
/** Scopes an EHMI message always carries (hub.md §5.3). */
const EXPECTED_SCOPES = ['DOCUMENTID', 'SENDERID', 'RECEIVERID', 'MESSAGEIDENTIFIER', 'EHMI-ReceiptAcknowledgement'];

export function parseSbdh(bytes: Uint8Array, label: string): SbdhEnvelope {
  const { root } = readEnvelopeXml(bytes, { label, maxBytes: MAX_ENVELOPE_BYTES });
  return sbdhFromXml(root, label);
}

/** For callers that already hold the parsed document (unwrapAny parses once and dispatches on the root). */
export function sbdhFromXml(root: XmlElement, label: string): SbdhEnvelope {
  return new SbdhReader(label).envelope(root);
}

class SbdhReader {
  private readonly warnings: EnvelopeWarning[] = [];

  constructor(private readonly label: string) {}

  envelope(root: XmlElement): SbdhEnvelope {
    if (root.name !== 'StandardBusinessDocument' || root.ns !== SBDH_NS) {
      throw new EnvelopeError(
        this.label,
        `/${root.name}`,
        `expected the root element StandardBusinessDocument in namespace ${SBDH_NS}`,
      );
    }
    const at = '/StandardBusinessDocument';
    const header = this.child(root, 'StandardBusinessDocumentHeader', at);
    const hAt = `${at}/StandardBusinessDocumentHeader`;
    const version = this.text(header, 'HeaderVersion');
    if (version !== '1.0')
      this.warn(
        'header-version',
        `${hAt}/HeaderVersion`,
        `HeaderVersion is ${JSON.stringify(version ?? '')}, expected 1.0`,
      );
    const sender = this.participant(header, 'Sender', hAt);
    const receiver = this.participant(header, 'Receiver', hAt);
    const documentIdentification = this.documentIdentification(
      this.child(header, 'DocumentIdentification', hAt),
      `${hAt}/DocumentIdentification`,
    );
    const businessScope = this.child(header, 'BusinessScope', hAt);
    const scopes = childElements(businessScope, 'Scope', SBDH_NS).map((s, i) =>
      this.scope(s, `${hAt}/BusinessScope/Scope[${i + 1}]`),
    );
    for (const expected of EXPECTED_SCOPES) {
      if (!scopes.some((s) => s.type === expected)) {
        this.warn('scope-missing', `${hAt}/BusinessScope`, `no ${expected} scope (expected on every EHMI message)`);
      }
    }
    const binaryContent = this.binaryContent(root, at);
    return { sender, receiver, documentIdentification, scopes, binaryContent, warnings: this.warnings };
  }

  private participant(header: XmlElement, role: 'Sender' | 'Receiver', at: string): string {
    const identifier = this.child(this.child(header, role, at), 'Identifier', `${at}/${role}`);
    const where = `${at}/${role}/Identifier`;
    const value = textOf(identifier).trim();
    const authority = attr(identifier, 'Authority');
    if (authority !== undefined && authority !== PARTICIPANT_AUTHORITY) {
      this.warn(
        'participant-authority',
        `${where}/@Authority`,
        `Authority ${authority} is not ${PARTICIPANT_AUTHORITY}`,
      );
    }
    const [icd, gln] = value.split(':');
    if (icd !== GLN_ICD || gln === undefined || !isGln(gln)) {
      this.warn('participant-not-gln', where, `${role} ${value} is not ${GLN_ICD}:<GLN> with a valid GS1 GLN`);
    }
    if (value === '') throw new EnvelopeError(this.label, where, `${role} identifier is empty`);
    return value;
  }

  private documentIdentification(d: XmlElement, at: string): SbdhDocumentIdentification {
    const standard = this.required(d, 'Standard', at);
    if (!PILOT_STANDARDS.includes(standard) && !LOCAL_STANDARDS.includes(standard)) {
      const differsInCase = [...PILOT_STANDARDS, ...LOCAL_STANDARDS].find(
        (s) => s.toLowerCase() === standard.toLowerCase(),
      );
      this.warn(
        'standard-unknown',
        `${at}/Standard`,
        differsInCase
          ? `Standard ${standard} differs in case from ${differsInCase}`
          : `Standard ${standard} is neither in ehmiDocumentIdentification.xsd nor among the local extensions`,
      );
    }
    const multipleType = this.text(d, 'MultipleType');
    return {
      standard,
      typeVersion: this.required(d, 'TypeVersion', at),
      instanceIdentifier: this.required(d, 'InstanceIdentifier', at),
      type: this.required(d, 'Type', at),
      ...(multipleType !== undefined ? { multipleType: multipleType === 'true' || multipleType === '1' } : {}),
      creationDateAndTime: this.dateTime(d, 'CreationDateAndTime', at),
    };
  }

  private scope(s: XmlElement, at: string): SbdhScope {
    const type = this.required(s, 'Type', at);
    const raw = this.text(s, 'InstanceIdentifier') ?? '';
    const identifier = this.text(s, 'Identifier') ?? '';
    if (!SCOPE_TYPES.includes(type as (typeof SCOPE_TYPES)[number])) {
      this.warn('scope-type-unknown', `${at}/Type`, `scope type ${type} is not in ehmiBusinessScope.xsd`);
    }
    let instanceIdentifier: SbdhScope['instanceIdentifier'] = raw;
    if (type === 'PATIENTID') {
      // Plain CPR since the 2026 IG (a pseudonym in the v0.92 draft). Never echo the value in a warning.
      if (Cpr.isValid(raw)) instanceIdentifier = Cpr.parse(raw);
      else {
        instanceIdentifier = '';
        this.warn(
          'patient-id-invalid',
          `${at}/InstanceIdentifier`,
          'PATIENTID is not a valid CPR number (value withheld); ignored',
        );
      }
    }
    const correlationElement = firstChild(s, 'CorrelationInformation', SBDH_NS);
    const service = firstChild(s, 'BusinessService', SBDH_NS);
    const transaction = service ? firstChild(service, 'ServiceTransaction', SBDH_NS) : undefined;
    const typeOfServiceTransaction = transaction ? attr(transaction, 'TypeOfServiceTransaction') : undefined;
    return {
      type,
      instanceIdentifier,
      identifier,
      ...(correlationElement
        ? { correlation: this.correlation(correlationElement, `${at}/CorrelationInformation`) }
        : {}),
      ...(service
        ? {
            businessService: {
              name: this.required(service, 'BusinessServiceName', `${at}/BusinessService`),
              ...(typeOfServiceTransaction ? { typeOfServiceTransaction } : {}),
            },
          }
        : {}),
    };
  }

  private correlation(c: XmlElement, at: string): SbdhCorrelation {
    return {
      requestingDocumentCreationDateTime: this.dateTime(c, 'RequestingDocumentCreationDateTime', at),
      requestingDocumentInstanceIdentifier: this.required(c, 'RequestingDocumentInstanceIdentifier', at),
      expectedResponseDateTime: this.dateTime(c, 'ExpectedResponseDateTime', at),
    };
  }

  private binaryContent(root: XmlElement, at: string) {
    const element = firstChild(root, 'BinaryContent', SBDH_NS) ?? firstChild(root, 'BinaryContent', PEPPOL_ENVELOPE_NS);
    if (!element) throw new EnvelopeError(this.label, `${at}/BinaryContent`, 'required element is missing');
    const where = `${at}/BinaryContent`;
    if (element.ns !== SBDH_NS) {
      this.warn(
        'binary-content-namespace',
        where,
        `BinaryContent is in namespace ${element.ns}; ehmiStandardBusinessDocumentHeader.xsd declares it in ${SBDH_NS}`,
      );
    }
    const mimeType = attr(element, 'mimeType');
    if (!mimeType) throw new EnvelopeError(this.label, `${where}/@mimeType`, 'mimeType is required');
    if (!MIME_TYPES.includes(mimeType))
      this.warn('mime-unknown', `${where}/@mimeType`, `mimeType ${mimeType} is not one of ${MIME_TYPES.join(', ')}`);
    const encoding = attr(element, 'encoding');
    if (encoding !== undefined && encoding !== 'UTF-8' && encoding !== 'ISO-8859-1') {
      this.warn('encoding-unknown', `${where}/@encoding`, `encoding ${encoding} is not UTF-8 or ISO-8859-1`);
    }
    const data = decodeBase64(textOf(element), this.label, where);
    if (data.byteLength === 0) throw new EnvelopeError(this.label, where, 'BinaryContent is empty');
    const looksJson = firstSignificantByte(data) === 0x7b;
    if (mimeType === 'application/fhir+json' && !looksJson) {
      this.warn('mime-mismatch', `${where}/@mimeType`, 'mimeType says FHIR JSON but the payload is not JSON');
    } else if (mimeType !== 'application/fhir+json' && looksJson) {
      this.warn('mime-mismatch', `${where}/@mimeType`, `mimeType says ${mimeType} but the payload is JSON`);
    } else if (mimeType === 'application/fhir+xml' && !containsFhirNamespace(data)) {
      // The 20250429 samples label an OIOXML Emessage as FHIR XML (hub.md §5.5).
      this.warn(
        'mime-mismatch',
        `${where}/@mimeType`,
        'mimeType says FHIR XML but the payload is not in the FHIR namespace',
      );
    }
    return { mimeType, ...(encoding !== undefined ? { encoding } : {}), data };
  }

  /** xs:dateTime values; samples pad them with line breaks, which the schema rejects — trimmed and reported. */
  private dateTime(parent: XmlElement, name: string, at: string): string {
    const element = this.child(parent, name, at);
    const raw = textOf(element);
    const value = raw.trim();
    if (value !== raw)
      this.warn('whitespace', `${at}/${name}`, `${name} has surrounding whitespace, which xs:dateTime does not allow`);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value)) {
      throw new EnvelopeError(this.label, `${at}/${name}`, `${JSON.stringify(value)} is not an xs:dateTime`);
    }
    return value;
  }

  private child(parent: XmlElement, name: string, at: string): XmlElement {
    const found = firstChild(parent, name, SBDH_NS);
    if (!found) throw new EnvelopeError(this.label, `${at}/${name}`, 'required element is missing');
    return found;
  }

  private text(parent: XmlElement, name: string): string | undefined {
    const e = firstChild(parent, name, SBDH_NS);
    return e ? textOf(e).trim() : undefined;
  }

  private required(parent: XmlElement, name: string, at: string): string {
    const value = textOf(this.child(parent, name, at)).trim();
    if (value === '') throw new EnvelopeError(this.label, `${at}/${name}`, `${name} is empty`);
    return value;
  }

  private warn(code: string, location: string, message: string): void {
    this.warnings.push({ code, location, message });
  }
}

function containsFhirNamespace(data: Uint8Array): boolean {
  // The namespace declaration sits in the first few hundred bytes of any FHIR XML document.
  return new TextDecoder('latin1').decode(data.subarray(0, 2048)).includes('http://hl7.org/fhir');
}
