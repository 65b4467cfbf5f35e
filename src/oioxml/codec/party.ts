// Sender/Receiver codec. Each letter type allows a different subset of the party elements, always in this schema
// order (Sender.xsd, Receiver.xsd, NotificationOf*.xsd); the caller passes its subset.
import { el, type XmlElement } from '../../xml/element.ts';
import { IDENTIFIER_CODES, type Party } from '../model.ts';
import type { ElementReader } from './element-reader.ts';

type OptionalField = Exclude<keyof Party, 'ean' | 'identifier' | 'identifierCode' | 'answerToEan'>;

const ELEMENT: Readonly<Record<OptionalField, { name: string; maxLength: number }>> = {
  organisationName: { name: 'OrganisationName', maxLength: 35 },
  departmentName: { name: 'DepartmentName', maxLength: 35 },
  unitName: { name: 'UnitName', maxLength: 35 },
  streetName: { name: 'StreetName', maxLength: 35 },
  suburbName: { name: 'SuburbName', maxLength: 35 },
  districtName: { name: 'DistrictName', maxLength: 35 },
  postCodeIdentifier: { name: 'PostCodeIdentifier', maxLength: 9 },
  telephoneSubscriberIdentifier: { name: 'TelephoneSubscriberIdentifier', maxLength: 25 },
  medicalSpecialityCode: { name: 'MedicalSpecialityCode', maxLength: 64 },
};

export interface PartyShape {
  /** Optional elements the letter type allows, in schema order. */
  readonly fields: readonly OptionalField[];
  /** Fields that are mandatory in this shape (e.g. Sender.OrganisationName). */
  readonly required?: readonly OptionalField[];
  /** AnswerTo/EANIdentifier after the other fields (XDIS20: required, XDIS17: optional). */
  readonly answerTo?: 'required' | 'optional';
}

export function readParty(reader: ElementReader, shape: PartyShape): Party {
  const party: Record<string, string> = {
    ean: reader.text('EANIdentifier', { maxLength: 35 }),
    identifier: reader.text('Identifier', { maxLength: 17 }),
    identifierCode: reader.code('IdentifierCode', IDENTIFIER_CODES),
  };
  for (const field of shape.fields) {
    const { name, maxLength } = ELEMENT[field];
    const child = reader.optional(name);
    if (child) {
      // PostCodeIdentifier is the one party element the schema allows to be empty.
      const value = field === 'postCodeIdentifier' ? child.value() : child.nonEmpty({ maxLength });
      if (value.length > maxLength) child.fail(`${name} has ${value.length} characters; expected at most ${maxLength}`);
      party[field] = value;
    } else if (shape.required?.includes(field)) {
      reader.fail(`required element ${name} is missing`);
    }
  }
  if (shape.answerTo) {
    const answerTo = shape.answerTo === 'required' ? reader.required('AnswerTo') : reader.optional('AnswerTo');
    if (answerTo) {
      party.answerToEan = answerTo.text('EANIdentifier', { maxLength: 35 });
      answerTo.finish();
    }
  }
  reader.finish();
  return party as unknown as Party;
}

export function writeParty(name: string, party: Party, shape: PartyShape, ns: string): XmlElement {
  const children: XmlElement[] = [
    el('EANIdentifier', ns, undefined, [party.ean]),
    el('Identifier', ns, undefined, [party.identifier]),
    el('IdentifierCode', ns, undefined, [party.identifierCode]),
  ];
  for (const field of shape.fields) {
    const value = party[field];
    if (value !== undefined) children.push(el(ELEMENT[field].name, ns, undefined, value ? [value] : []));
    else if (shape.required?.includes(field)) throw new RangeError(`${name}.${ELEMENT[field].name} is required`);
  }
  for (const field of Object.keys(ELEMENT) as OptionalField[]) {
    if (party[field] !== undefined && !shape.fields.includes(field)) {
      throw new RangeError(`${name}.${ELEMENT[field].name} is not allowed in this letter type`);
    }
  }
  if (party.answerToEan !== undefined) {
    if (!shape.answerTo) throw new RangeError(`${name}.AnswerTo is not allowed in this letter type`);
    children.push(el('AnswerTo', ns, undefined, [el('EANIdentifier', ns, undefined, [party.answerToEan])]));
  } else if (shape.answerTo === 'required') {
    throw new RangeError(`${name}.AnswerTo is required`);
  }
  return el(name, ns, undefined, children);
}
