// The Emessage frame (oioxml.md §2.1): one Envelope, then 1..n letters, each optionally followed by Local_Elements.
// Reading accepts UTF-8, ISO-8859-1 and windows-1252, with or without an XML declaration (an external encoding hint
// wins over guessing); writing always produces ISO-8859-1 with a declaration. Characters outside Latin-1 that reach
// the writer become numeric character references (still valid XML); converters transliterate before that.
import { el, type XmlElement } from '../xml/element.ts';
import { readXml } from '../xml/read.ts';
import { writeXml } from '../xml/write.ts';
import { XmlError } from '../xml/xml-error.ts';
import { ElementReader } from './codec/element-reader.ts';
import { dateTimeElement, textElement } from './codec/elements.ts';
import { ACKNOWLEDGEMENT_CODES, type Envelope } from './model.ts';
import { isOioxmlNamespace, NS_2005, NS_2006, type OioxmlNamespace } from './namespaces.ts';
import type { ClinicalEmail } from './xdis91/clinical-email.ts';
import { readClinicalEmail, writeClinicalEmail } from './xdis91/codec.ts';
import { readNotificationOfAdmission, readNotificationOfDischarge, writeNotification } from './xdis20-17/codec.ts';
import type { NotificationOfAdmission, NotificationOfDischarge } from './xdis20-17/notification.ts';
import { readReceipt, writeReceipt } from './xctl/codec.ts';
import type { Receipt } from './xctl/receipt.ts';

export type Letter = ClinicalEmail | NotificationOfAdmission | NotificationOfDischarge | Receipt;
export type LetterType = Letter['type'];

export interface EmessageItem {
  readonly letter: Letter;
  /** Bilaterally agreed data after the letter (xs:anyType), kept verbatim for round trips. */
  readonly localElements?: XmlElement;
}

export interface Emessage {
  readonly namespace: OioxmlNamespace;
  readonly envelope: Envelope;
  /** Every real Emessage seen has one letter; the schema allows several. */
  readonly items: readonly EmessageItem[];
}

export interface ReadEmessageOptions {
  /** File or message name for errors. */
  readonly label: string;
  /** Encoding stated outside the document (VANS / SBDH), used when the letter has no declaration. */
  readonly encodingHint?: string;
  /** Default 10 MiB: a letter is a few kB; attachments travel separately (XBIN01). */
  readonly maxBytes?: number;
}

export interface ReadEmessage {
  readonly emessage: Emessage;
  /** The charset the bytes were decoded with. */
  readonly encoding: string;
  readonly hadDeclaration: boolean;
}

/** Which letter element belongs to which namespace and type; anything else is refused by name. */
const LETTER_ELEMENTS: Readonly<Record<OioxmlNamespace, Readonly<Record<string, LetterType>>>> = {
  [NS_2006]: { ClinicalEmail: 'XDIS91' },
  [NS_2005]: {
    NotificationOfAdmission: 'XDIS20',
    NotificationOfDischarge: 'XDIS17',
    PositiveReceipt: 'XCTL03',
    NegativeReceipt: 'XCTL02',
    NegativeVansReceipt: 'XCTL01',
  },
};

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function readEmessage(input: Uint8Array | string, options: ReadEmessageOptions): ReadEmessage {
  const { label } = options;
  const document = readXml(input, {
    label,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxDepth: 16,
    ...(options.encodingHint ? { encodingHint: options.encodingHint } : {}),
  });
  const root = document.root;
  if (root.name !== 'Emessage' || !isOioxmlNamespace(root.ns)) {
    throw new XmlError(
      label,
      `/${root.name}`,
      `root element is {${root.ns}}${root.name}; expected Emessage in ${NS_2006} or ${NS_2005}`,
      root.line || undefined,
    );
  }
  const namespace = root.ns;
  const reader = ElementReader.root(root, label, namespace);
  const envelope = readEnvelope(reader.required('Envelope'));

  const items: EmessageItem[] = [];
  let current: { letter: Letter; element: XmlElement } | undefined;
  // Letters and Local_Elements alternate; walk the children in order and let the reader check the rest.
  for (const child of root.children) {
    if (!('name' in child) || child.name === 'Envelope') continue;
    if (child.name === 'Local_Elements' && child.ns === namespace) {
      if (!current)
        throw new XmlError(label, `/Emessage/Local_Elements`, 'Local_Elements before any letter', child.line);
      items.push({ letter: current.letter, localElements: child });
      current = undefined;
      continue;
    }
    if (current) items.push({ letter: current.letter });
    current = { letter: readLetter(reader, child, namespace), element: child };
  }
  if (current) items.push({ letter: current.letter });
  reader.many('Local_Elements', Number.MAX_SAFE_INTEGER);
  reader.finish();
  if (items.length === 0) reader.fail('the Emessage contains no letter; expected at least one after Envelope');

  return {
    emessage: { namespace, envelope, items },
    encoding: document.encoding,
    hadDeclaration: document.hadDeclaration,
  };
}

function readLetter(parent: ElementReader, element: XmlElement, namespace: OioxmlNamespace): Letter {
  const type = element.ns === namespace ? LETTER_ELEMENTS[namespace][element.name] : undefined;
  if (!type) {
    const known = Object.keys(LETTER_ELEMENTS[namespace]).join(', ');
    parent.fail(
      `letter type {${element.ns}}${element.name} is not supported here; expected one of ${known} in ${namespace}`,
      element,
      `${parent.path}/${element.name}`,
    );
  }
  // Several letters of one type are addressed by position, as XPath does.
  const siblings = parent.many(element.name, Number.MAX_SAFE_INTEGER);
  const reader = siblings.find((s) => s.element === element)!;
  switch (type) {
    case 'XDIS91':
      return readClinicalEmail(reader);
    case 'XDIS20':
      return readNotificationOfAdmission(reader);
    case 'XDIS17':
      return readNotificationOfDischarge(reader);
    default:
      return readReceipt(reader, type);
  }
}

function readEnvelope(reader: ElementReader): Envelope {
  const sent = reader.required('Sent');
  const envelope: Envelope = {
    sent: { date: sent.date('Date'), time: sent.time('Time', false) },
    identifier: reader.text('Identifier', { maxLength: 14 }),
    acknowledgementCode: reader.code('AcknowledgementCode', ACKNOWLEDGEMENT_CODES),
  };
  sent.finish();
  reader.finish();
  return envelope;
}

/** The namespace a letter type is written in. */
export function namespaceOf(type: LetterType): OioxmlNamespace {
  return type === 'XDIS91' ? NS_2006 : NS_2005;
}

/** The Emessage as an element tree (for callers that embed or inspect it). */
export function emessageElement(emessage: Emessage): XmlElement {
  const ns = emessage.namespace;
  const children: XmlElement[] = [
    el('Envelope', ns, undefined, [
      dateTimeElement(ns, 'Sent', emessage.envelope.sent, 'Time'),
      textElement(ns, 'Identifier', emessage.envelope.identifier),
      textElement(ns, 'AcknowledgementCode', emessage.envelope.acknowledgementCode),
    ]),
  ];
  for (const item of emessage.items) {
    if (namespaceOf(item.letter.type) !== ns) {
      throw new RangeError(`${item.letter.type} cannot be written into an Emessage in ${ns}`);
    }
    children.push(letterElement(item.letter, ns));
    if (item.localElements) {
      children.push(el('Local_Elements', ns, item.localElements.attributes, item.localElements.children));
    }
  }
  return el('Emessage', ns, undefined, children);
}

function letterElement(letter: Letter, ns: string): XmlElement {
  switch (letter.type) {
    case 'XDIS91':
      return writeClinicalEmail(letter, ns);
    case 'XDIS20':
    case 'XDIS17':
      return writeNotification(letter, ns);
    default:
      return writeReceipt(letter, ns);
  }
}

/** Serialises as ISO-8859-1 with an XML declaration, the form every MedCom receiver accepts. */
export function writeEmessage(emessage: Emessage): Uint8Array {
  return writeXml(emessageElement(emessage), { encoding: 'ISO-8859-1', declaration: true });
}

/** A single-letter Emessage (the normal case). */
export function singleLetter(namespace: OioxmlNamespace, envelope: Envelope, letter: Letter): Emessage {
  return { namespace, envelope, items: [{ letter }] };
}
