// What `convert` was given: an OIOXML Emessage or a FHIR message (JSON or XML), bare or inside a VANSEnvelope or an
// ehmiSBDH. Decided from the content, never from the file name: the root element (or '{' for JSON) says what it is.
import { unwrapAny, type Envelope } from '../../envelopes/envelope.ts';
import { EnvelopeError } from '../../envelopes/envelope-error.ts';
import { FHIR_NS } from '../../envelopes/fhir-view.ts';
import { firstSignificantByte, MAX_ENVELOPE_BYTES } from '../../envelopes/payload.ts';
import { SBDH_NS } from '../../envelopes/sbdh/model.ts';
import { VANS_NS } from '../../envelopes/vans/model.ts';
import { isOioxmlNamespace } from '../../oioxml/namespaces.ts';
import type { XmlElement } from '../../xml/element.ts';
import { readXml } from '../../xml/read.ts';
import { XmlError } from '../../xml/xml-error.ts';

export type MessageKind = 'oioxml' | 'fhir';

export interface ConvertInput {
  readonly kind: MessageKind;
  /** The message itself (the envelope's payload when it came in one). */
  readonly bytes: Uint8Array;
  /** Encoding the envelope states for its payload (SBDH `BinaryContent/@encoding`). */
  readonly encodingHint?: string;
  /** The envelope it came in, if any. */
  readonly envelope?: Envelope;
}

/** The input is not a message `convert` can read; exit 1, like any other invalid input. */
export class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

export function classifyInput(bytes: Uint8Array, label: string): ConvertInput {
  const kind = messageKind(bytes, label, true);
  if (kind !== 'envelope') return { kind, bytes };
  let envelope: Envelope;
  try {
    envelope = unwrapAny(bytes, label);
  } catch (error) {
    if (error instanceof EnvelopeError) throw new InputError(error.message, { cause: error });
    throw error;
  }
  if (!envelope.payload) {
    const receipt = envelope.receipt;
    throw new InputError(
      `${label}: a ${envelope.kind} envelope receipt (${receipt?.kind ?? 'receipt'}) carries no message to convert`,
    );
  }
  const payloadLabel = `${label} (payload)`;
  const payloadKind = messageKind(envelope.payload.bytes, payloadLabel, false, envelope.payload.encoding);
  if (payloadKind === 'envelope') throw new InputError(`${payloadLabel}: an envelope inside an envelope`);
  return {
    kind: payloadKind,
    bytes: envelope.payload.bytes,
    ...(envelope.payload.encoding ? { encodingHint: envelope.payload.encoding } : {}),
    envelope,
  };
}

function messageKind(
  bytes: Uint8Array,
  label: string,
  envelopeAllowed: boolean,
  encodingHint?: string,
): MessageKind | 'envelope' {
  const first = firstSignificantByte(bytes);
  if (first === 0x7b /* { */) return 'fhir';
  if (first !== 0x3c /* < */) {
    throw new InputError(`${label}: neither XML nor JSON; expected an OIOXML letter, a FHIR message or an envelope`);
  }
  let root: XmlElement;
  try {
    root = readXml(bytes, {
      label,
      maxBytes: MAX_ENVELOPE_BYTES,
      ...(encodingHint ? { encodingHint } : {}),
    }).root;
  } catch (error) {
    if (error instanceof XmlError) throw new InputError(error.message, { cause: error });
    throw error;
  }
  if (root.name === 'Emessage' && isOioxmlNamespace(root.ns)) return 'oioxml';
  if (root.ns === FHIR_NS) return 'fhir';
  if (envelopeAllowed && (root.ns === VANS_NS || root.ns === SBDH_NS)) return 'envelope';
  const other =
    root.name === 'Emessage'
      ? ' (OIOXML letters outside the MedCom namespaces 2005/08/07 and 2006/07/01, such as the municipal XDIS16/18/21, have no FHIR conversion here)'
      : '';
  throw new InputError(
    `${label}: root element {${root.ns}}${root.name} is neither an OIOXML Emessage nor a FHIR resource` +
      `${envelopeAllowed ? ', VANSEnvelope or ehmiSBDH' : ''}${other}`,
  );
}
