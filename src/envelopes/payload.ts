// What an envelope needs to know about the message it carries, read from the message itself: FHIR (JSON or XML)
// or an OIOXML Emessage. Routing ids, the message type and the statistics postfix all come from here, so the
// envelope can never claim something the payload does not say.
import { GLN_SYSTEM_HTTP, GLN_SYSTEM_HTTPS, GLN_SYSTEM_OID, SOR_SYSTEM } from '../messages/parties.ts';
import { Cpr, CPR_SYSTEM } from '../messages/patient.ts';
import { childElements, firstChild, textOf, type XmlElement } from '../xml/element.ts';
import { EnvelopeError } from './envelope-error.ts';
import { readEnvelopeXml } from './read-envelope-xml.ts';
import { FHIR_NS, first, jsonView, valueAt, xmlView, type FhirView } from './fhir-view.ts';

/** VANS allows FHIR payloads up to 100 MB (GOV 030); base64 and markup add a third. */
export const MAX_ENVELOPE_BYTES = 140 * 1024 * 1024;

export type FhirMime = 'application/fhir+json' | 'application/fhir+xml';
export type PayloadMime = FhirMime | 'application/xml';

/** The two ids MedCom puts on each party (SBDH SENDERID/RECEIVERID use the SOR code, transport uses the GLN). */
export interface PartyIds {
  readonly sor?: string;
  readonly gln?: string;
}

export interface FhirPayload {
  readonly kind: 'fhir';
  readonly mime: FhirMime;
  readonly bundleId: string;
  readonly messageHeaderId: string;
  /** MessageHeader.eventCoding.code, e.g. `care-communication-message`. */
  readonly eventCode: string;
  /** Version after `|` in MessageHeader.definition (CC 5: `5.0`). */
  readonly definitionVersion?: string;
  readonly timestamp?: string;
  readonly sender: PartyIds;
  /** The primary destination's receiver. */
  readonly receiver: PartyIds;
  /** CPR of the message's patient (SBDH PATIENTID); masked when printed. Absent if missing or not a valid CPR. */
  readonly patientCpr?: Cpr;
  /** True when the patient has a CPR identifier that is not a valid CPR (withheld, never echoed). */
  readonly patientCprInvalid?: true;
  /** CareCommunication: Communication.category code. */
  readonly category?: string;
  /** Activity code of the message's own Provenance (the one whose target is this MessageHeader). */
  readonly activity?: string;
  /** Acknowledgement: MessageHeader.response.code. */
  readonly responseCode?: string;
  /** Acknowledgement: MessageHeader.response.identifier, the acknowledged MessageHeader.id. */
  readonly respondsTo?: string;
}

export interface OioxmlPayload {
  readonly kind: 'oioxml';
  readonly mime: 'application/xml';
  /** Local name of the letter element: ClinicalEmail, NotificationOfAdmission, PositiveReceipt … */
  readonly letterType: string;
  readonly envelopeId: string;
  readonly letterId: string;
  readonly versionCode: string;
  readonly statisticalCode: string;
  readonly sender: PartyIds;
  readonly receiver: PartyIds;
  readonly patientCpr?: Cpr;
  readonly patientCprInvalid?: true;
  /** Charset the letter was decoded with (OIOXML is Latin-1 or windows-1252 in practice). */
  readonly encoding: string;
}

export type PayloadFacts = FhirPayload | OioxmlPayload;

const GLN_SYSTEMS = [GLN_SYSTEM_HTTPS, GLN_SYSTEM_HTTP, GLN_SYSTEM_OID];

export interface DescribeOptions {
  /** Encoding stated by the envelope (SBDH `BinaryContent/@encoding`) for XML payloads without a declaration. */
  readonly encodingHint?: string;
}

/** Reads the payload kind and its envelope-relevant facts; throws EnvelopeError when it is neither FHIR nor OIOXML. */
export function describePayload(bytes: Uint8Array, label: string, options: DescribeOptions = {}): PayloadFacts {
  const start = firstSignificantByte(bytes);
  if (start === 0x7b /* { */) return describeFhirJson(bytes, label);
  if (start !== 0x3c /* < */) {
    throw new EnvelopeError(
      label,
      '/',
      'payload is neither JSON nor XML; expected a FHIR Bundle or an OIOXML Emessage',
    );
  }
  const { root, encoding } = readEnvelopeXml(bytes, {
    label,
    ...(options.encodingHint ? { encodingHint: options.encodingHint } : {}),
  });
  if (root.ns === FHIR_NS) return describeFhir(xmlView(root), 'application/fhir+xml', label);
  if (root.name === 'Emessage') return describeOioxml(root, encoding, label);
  throw new EnvelopeError(
    label,
    `/${root.name}`,
    `root element {${root.ns}}${root.name} is neither a FHIR Bundle (${FHIR_NS}) nor an OIOXML Emessage`,
  );
}

/** The first byte that is not whitespace or a UTF-8 byte-order mark; enough to tell JSON from XML. */
export function firstSignificantByte(bytes: Uint8Array): number | undefined {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i];
}

function describeFhirJson(bytes: Uint8Array, label: string): FhirPayload {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new EnvelopeError(label, '/', `payload is not valid UTF-8 JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return describeFhir(jsonView(json), 'application/fhir+json', label);
}

function describeFhir(bundle: FhirView, mime: FhirMime, label: string): FhirPayload {
  if (bundle.resourceType() !== 'Bundle' || valueAt(bundle, 'type') !== 'message') {
    throw new EnvelopeError(label, 'Bundle', 'expected a FHIR Bundle of type "message"');
  }
  const entries = bundle.children('entry');
  const header = first(entries[0], 'resource');
  if (header?.resourceType() !== 'MessageHeader') {
    throw new EnvelopeError(
      label,
      'Bundle.entry[0].resource',
      'expected the MessageHeader as the first entry (GOV 050)',
    );
  }
  const bundleId = valueAt(bundle, 'id');
  const headerId = valueAt(header, 'id');
  const eventCode = valueAt(header, 'eventCoding', 'code');
  if (!bundleId) throw new EnvelopeError(label, 'Bundle.id', 'Bundle.id is missing; it identifies the transmission');
  if (!headerId) throw new EnvelopeError(label, 'Bundle.entry[0].resource.id', 'MessageHeader.id is missing');
  if (!eventCode) throw new EnvelopeError(label, 'MessageHeader.eventCoding.code', 'the message event code is missing');

  const resolve = (reference: string | undefined): FhirView | undefined => resolveReference(entries, reference);
  const primary =
    header
      .children('destination')
      .find((d) => d.children('extension').some((e) => valueAt(e, 'valueCoding', 'code') === 'primary')) ??
    header.children('destination')[0];
  const patient = entries.map((e) => first(e, 'resource')).find((r) => r?.resourceType() === 'Patient');
  const focus = resolve(valueAt(header, 'focus', 'reference'));
  const ownProvenance = entries
    .map((e) => first(e, 'resource'))
    .find(
      (r) =>
        r?.resourceType() === 'Provenance' &&
        r.children('target').some((t) => referencesId(valueAt(t, 'reference'), 'MessageHeader', headerId)),
    );
  const definition = valueAt(header, 'definition');
  const cpr = patient
    ?.children('identifier')
    .find((i) => valueAt(i, 'system') === CPR_SYSTEM)
    ?.children('value')[0]
    ?.value();
  const category = focus?.resourceType() === 'Communication' ? valueAt(focus, 'category', 'coding', 'code') : undefined;
  const activity = valueAt(ownProvenance, 'activity', 'coding', 'code');
  const timestamp = valueAt(bundle, 'timestamp');
  const responseCode = valueAt(header, 'response', 'code');
  const respondsTo = valueAt(header, 'response', 'identifier');
  return {
    kind: 'fhir',
    mime,
    bundleId,
    messageHeaderId: headerId,
    eventCode,
    ...(definition?.includes('|') ? { definitionVersion: definition.slice(definition.lastIndexOf('|') + 1) } : {}),
    ...(timestamp ? { timestamp } : {}),
    sender: partyIds(resolve(valueAt(header, 'sender', 'reference'))),
    receiver: partyIds(resolve(valueAt(primary, 'receiver', 'reference'))),
    ...patientFields(cpr),
    ...(category ? { category } : {}),
    ...(activity ? { activity } : {}),
    ...(responseCode ? { responseCode } : {}),
    ...(respondsTo ? { respondsTo } : {}),
  };
}

function patientFields(cpr: string | undefined): { patientCpr?: Cpr; patientCprInvalid?: true } {
  if (cpr === undefined) return {};
  return Cpr.isValid(cpr) ? { patientCpr: Cpr.parse(cpr) } : { patientCprInvalid: true };
}

/** Bundle-local resolution: absolute fullUrl, a fullUrl ending in `/Type/id`, or the resource's own type and id. */
function resolveReference(entries: readonly FhirView[], reference: string | undefined): FhirView | undefined {
  if (!reference) return undefined;
  const [type, id] = reference.split('/').slice(-2);
  for (const entry of entries) {
    const fullUrl = valueAt(entry, 'fullUrl');
    const resource = first(entry, 'resource');
    if (fullUrl === reference || (fullUrl && fullUrl.endsWith(`/${reference}`))) return resource;
    if (resource?.resourceType() === type && valueAt(resource, 'id') === id) return resource;
  }
  return undefined;
}

function referencesId(reference: string | undefined, type: string, id: string): boolean {
  return reference !== undefined && (reference === `${type}/${id}` || reference.endsWith(`/${type}/${id}`));
}

function partyIds(organization: FhirView | undefined): PartyIds {
  if (!organization) return {};
  const identifiers = organization.children('identifier');
  const bySystem = (systems: readonly string[]) =>
    identifiers
      .find((i) => systems.includes(valueAt(i, 'system') ?? ''))
      ?.children('value')[0]
      ?.value();
  const sor = bySystem([SOR_SYSTEM]);
  const gln = bySystem(GLN_SYSTEMS);
  return { ...(sor ? { sor } : {}), ...(gln ? { gln } : {}) };
}

function describeOioxml(root: XmlElement, encoding: string, label: string): OioxmlPayload {
  // Namespaces vary (2005/08/07, 2006/07/01, municipality 1.0.x with a second namespace on the letter), the
  // structure does not: match by local name.
  const text = (e: XmlElement | undefined, ...path: string[]): string | undefined => {
    let current = e;
    for (const name of path) current = current ? firstChild(current, name) : undefined;
    const value = current ? textOf(current).trim() : '';
    return value === '' ? undefined : value;
  };
  const envelope = firstChild(root, 'Envelope');
  const letterElement = childElements(root).find((e) => e.name !== 'Envelope' && e.name !== 'Local_Elements');
  const envelopeId = text(envelope, 'Identifier');
  const letterId = text(letterElement, 'Letter', 'Identifier');
  const versionCode = text(letterElement, 'Letter', 'VersionCode');
  const statisticalCode = text(letterElement, 'Letter', 'StatisticalCode');
  const where = `/Emessage/${letterElement?.name ?? '?'}/Letter`;
  if (!envelopeId)
    throw new EnvelopeError(label, '/Emessage/Envelope/Identifier', 'the OIOXML envelope identifier is missing');
  if (!letterElement || !letterId)
    throw new EnvelopeError(label, `${where}/Identifier`, 'the OIOXML letter identifier is missing');
  if (!versionCode) throw new EnvelopeError(label, `${where}/VersionCode`, 'the OIOXML VersionCode is missing');
  if (!statisticalCode)
    throw new EnvelopeError(label, `${where}/StatisticalCode`, 'the OIOXML StatisticalCode is missing');
  const party = (name: string): PartyIds => {
    const e = letterElement ? firstChild(letterElement, name) : undefined;
    const gln = text(e, 'EANIdentifier');
    const sor = text(e, 'IdentifierCode') === 'sorkode' ? text(e, 'Identifier') : undefined;
    return { ...(sor ? { sor } : {}), ...(gln ? { gln } : {}) };
  };
  const cpr = text(letterElement ? firstChild(letterElement, 'Patient') : undefined, 'CivilRegistrationNumber');
  return {
    kind: 'oioxml',
    mime: 'application/xml',
    letterType: letterElement.name,
    envelopeId,
    letterId,
    versionCode,
    statisticalCode,
    sender: party('Sender'),
    receiver: party('Receiver'),
    ...patientFields(cpr),
    encoding,
  };
}
